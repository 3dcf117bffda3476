"""Binding: parsed scripts plus the catalogue give a bound program; overlap, enable checks and the
condition compiler."""
