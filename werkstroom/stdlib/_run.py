"""Helpers shared by the stdlib's response behaviours (they only use the ResponseContext). The generic
ones (``to_decimal``, ``total``, ``first``, ``ref``) live in ``werkstroom.extend``, for partners too."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from ..extend import RecordHandle, ResponseContext, WerkstroomError
from ..extend import first as first
from ..extend import ref as ref
from ..extend import to_decimal as to_decimal
from ..extend import total as total


class UnsupportedRecordError(WerkstroomError):
    """A response ran on a record type it cannot handle (BC: "Record type %1 is not supported")."""

    code = "WF912"


class ResponsePreconditionError(WerkstroomError):
    """A response's precondition on the record does not hold (e.g. background posting of an open document)."""

    code = "WF913"


def require_type(ctx: ResponseContext, response: str, record: RecordHandle, allowed: Collection[str]) -> None:
    if record.type not in allowed:
        raise UnsupportedRecordError(
            f"record type {record.type} is not supported by the response '{response}' "
            f"(supported: {', '.join(sorted(allowed))})"
        )


def base(ctx: ResponseContext) -> dict[str, Any]:
    """Payload fields every stdlib effect carries: the document and the workflow that acted."""
    return {
        **ref(ctx.document),
        "workflow_code": ctx.workflow_code,
        "instance_id": ctx.instance_id,
        "user": ctx.user,
    }
