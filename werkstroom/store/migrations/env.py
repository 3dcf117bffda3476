"""Alembic's environment for the store: runs the revisions on the connection ``upgrade`` holds.

Werkstroom runs its migrations itself when a store is opened (``werkstroom.store.database.upgrade``),
inside the transaction that holds the schema lock; this file only hands that connection to Alembic.
"""

from __future__ import annotations

from alembic import context

import werkstroom.store.database  # noqa: F401  (declares every table on Base)
from werkstroom.store.metadata import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("the store's migrations run when Werkstroom opens the store "
                       "(werkstroom.store.database.upgrade), on the connection it holds")
context.configure(connection=connection, target_metadata=Base.metadata)
with context.begin_transaction():
    context.run_migrations()
