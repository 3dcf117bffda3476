"""Fixtures for the approvals tests (helpers live in apptools.py)."""

from apptools import chain_org, uow

__all__ = ["chain_org", "uow"]
