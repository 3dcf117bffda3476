"""The error every approval or notification refusal raises: a WerkstroomError with a WF6xx code."""

from __future__ import annotations

from ...codes import info
from ...errors import WerkstroomError


class ApprovalError(WerkstroomError):
    """A refusal or setup problem in approvals/notifications. ``code`` is a declared WF6xx code."""

    code = "WF610"

    def __init__(self, code: str, message: str) -> None:
        info(code)  # a KeyError here means the code was never declared in codes/approvals.py
        super().__init__(message, code=code)
