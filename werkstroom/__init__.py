"""Werkstroom: approval workflows as text, checked and run like Business Central's.

The public surface for a host: the names in ``__all__`` below are the contract (docs/engine.md shows
them at work); everything else in ``werkstroom`` may change between versions, apart from the partner
API (``werkstroom.extend``) and the Gherkin world (``werkstroom.specs.world``). Importing the package
loads nothing else: each name is read from its module when first used, so ``wf check`` does not pay
for the engine.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING
from typing import Any as _Any

if TYPE_CHECKING:
    from .binding.checking import CheckResult, check_paths
    from .diagnostics import Diagnostic
    from .engine.approvals.errors import ApprovalError
    from .engine.approvals.setup import SetupReport
    from .engine.boundary import InputTooLarge, InvalidInput, InvalidPaging, InvalidSetupSource, UnknownFilter
    from .engine.cancel import NothingWaitsForCancel
    from .engine.clock import Clock, IdSource, SequentialIds, SystemClock, UuidIds, VirtualClock
    from .engine.facade import Engine, IdempotencyConflict, open_engine
    from .engine.hold import SecondStart
    from .engine.lifecycle import Deployed, EnableRefused, WorkflowInfo
    from .engine.notifications.delivery import EntryLinks, Transport
    from .engine.notifications.dispatcher import DispatchReport
    from .engine.records import InvalidRecord
    from .engine.run import ResponseFailed
    from .engine.trace import EmitResult
    from .engine.views import (
        ApprovalEntryInfo,
        ApprovalHistory,
        AuditLine,
        CommentLine,
        InstanceInfo,
        OutboxItem,
        PendingChange,
        RecordStatus,
        SentNotification,
        StepInfo,
        WaitingNotification,
    )
    from .engine.workflows import UnknownWorkflow
    from .errors import DiagnosticsError, WerkstroomError
    from .extend import LibraryError
    from .grammar.parser import ParseResult, parse

# public name -> the module that defines it (read on first use by ``__getattr__``)
_HOMES: dict[str, str] = {
    **dict.fromkeys(("CheckResult", "check_paths"), "binding.checking"),
    "Diagnostic": "diagnostics",
    "ApprovalError": "engine.approvals.errors",
    "SetupReport": "engine.approvals.setup",
    **dict.fromkeys(("InputTooLarge", "InvalidInput", "InvalidPaging", "InvalidSetupSource", "UnknownFilter"),
                    "engine.boundary"),
    "NothingWaitsForCancel": "engine.cancel",
    **dict.fromkeys(("Clock", "IdSource", "SequentialIds", "SystemClock", "UuidIds", "VirtualClock"),
                    "engine.clock"),
    **dict.fromkeys(("Engine", "IdempotencyConflict", "open_engine"), "engine.facade"),
    "SecondStart": "engine.hold",
    **dict.fromkeys(("Deployed", "EnableRefused", "WorkflowInfo"), "engine.lifecycle"),
    **dict.fromkeys(("EntryLinks", "Transport"), "engine.notifications.delivery"),
    "DispatchReport": "engine.notifications.dispatcher",
    "InvalidRecord": "engine.records",
    "ResponseFailed": "engine.run",
    "EmitResult": "engine.trace",
    **dict.fromkeys(("ApprovalEntryInfo", "ApprovalHistory", "AuditLine", "CommentLine", "InstanceInfo",
                     "OutboxItem", "PendingChange", "RecordStatus", "SentNotification", "StepInfo",
                     "WaitingNotification"), "engine.views"),
    "UnknownWorkflow": "engine.workflows",
    **dict.fromkeys(("DiagnosticsError", "WerkstroomError"), "errors"),
    "LibraryError": "extend",
    **dict.fromkeys(("ParseResult", "parse"), "grammar.parser"),
}


def deploy(engine: Engine, source: str, path: str = "<string>") -> list[Deployed]:
    """Bind the script ``source`` against the engine's catalogue and store its workflows (a new version
    when the text changed); raises DiagnosticsError with every error when the script has any, and then
    stores nothing. ``engine.deploy(bind_text(source, path, engine.catalogue))``."""
    from .binding.sources import bind_text

    return engine.deploy(bind_text(source, path, engine.catalogue))


def install_templates(engine: Engine) -> list[Deployed]:
    """Store the engine catalogue's workflow templates (MS-...) so they can be copied; never enabled."""
    from .binding.sources import bind_templates

    return engine.deploy(bind_templates(engine.catalogue))


def __getattr__(name: str) -> _Any:
    """The public names other than ``deploy`` and ``install_templates``, each loaded with its module on
    first use (``werkstroom.parse`` loads the grammar, ``werkstroom.open_engine`` the engine)."""
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'werkstroom' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})


__all__ = [
    "ApprovalEntryInfo",
    "ApprovalError",
    "ApprovalHistory",
    "AuditLine",
    "CheckResult",
    "Clock",
    "CommentLine",
    "Deployed",
    "Diagnostic",
    "DiagnosticsError",
    "DispatchReport",
    "EmitResult",
    "EnableRefused",
    "Engine",
    "EntryLinks",
    "IdSource",
    "IdempotencyConflict",
    "InputTooLarge",
    "InstanceInfo",
    "InvalidInput",
    "InvalidPaging",
    "InvalidRecord",
    "InvalidSetupSource",
    "LibraryError",
    "NothingWaitsForCancel",
    "OutboxItem",
    "ParseResult",
    "PendingChange",
    "RecordStatus",
    "ResponseFailed",
    "SecondStart",
    "SentNotification",
    "SequentialIds",
    "SetupReport",
    "StepInfo",
    "SystemClock",
    "Transport",
    "UnknownFilter",
    "UnknownWorkflow",
    "UuidIds",
    "VirtualClock",
    "WaitingNotification",
    "WerkstroomError",
    "WorkflowInfo",
    "check_paths",
    "deploy",
    "install_templates",
    "open_engine",
    "parse",
]
