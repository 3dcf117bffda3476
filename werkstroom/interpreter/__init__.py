"""Binder, bound program, condition compiler, engine and store."""
