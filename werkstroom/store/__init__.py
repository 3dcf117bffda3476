"""The store: every table, the schema and its upgrades, the database driver and the typed JSON
codec."""
