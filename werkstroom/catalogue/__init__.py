"""The catalogue: declarations of record types, events, responses and templates, their validation,
phrase patterns and value kinds."""
