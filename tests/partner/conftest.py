"""Fixtures of the partner tests (defined in partnerlib.py, which the tests import their helpers from)."""

from partnerlib import installed_dist, partners

__all__ = ["installed_dist", "partners"]
