"""Fixtures for the approvals tests (helpers live in apptools.py)."""

from apptools import chain_org, smtp_server, uow

__all__ = ["chain_org", "smtp_server", "uow"]
