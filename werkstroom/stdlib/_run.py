"""Helpers shared by the stdlib's response behaviours (they only use the ResponseContext)."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from ..context import RecordHandle, ResponseContext
from ..errors import WerkstroomError


class UnsupportedRecordError(WerkstroomError):
    """A response ran on a record type it cannot handle (BC: "Record type %1 is not supported")."""

    code = "WF912"


class ResponsePreconditionError(WerkstroomError):
    """A response's precondition on the record does not hold (e.g. background posting of an open document)."""

    code = "WF913"


def ref(record: RecordHandle) -> dict[str, Any]:
    """The identity of a record, for effect payloads."""
    return {"record_type": record.type, "key": record.key}


def require_type(ctx: ResponseContext, response: str, record: RecordHandle, allowed: Collection[str]) -> None:
    if record.type not in allowed:
        raise UnsupportedRecordError(
            f"record type {record.type} is not supported by the response '{response}' "
            f"(supported: {', '.join(sorted(allowed))})"
        )


def to_decimal(value: Any) -> Decimal:
    """A field value as Decimal: None and blank count as 0; floats go through str (no binary noise)."""
    if value is None or value == "":
        return Decimal(0)
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError(f"expected a number, got {value!r}")
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise TypeError(f"expected a number, got {value!r}") from exc


def total(records: Iterable[RecordHandle], field: str) -> Decimal:
    return sum((to_decimal(r.values.get(field)) for r in records), Decimal(0))


def first(records: Iterable[RecordHandle]) -> RecordHandle | None:
    for r in records:
        return r
    return None


def base(ctx: ResponseContext) -> dict[str, Any]:
    """Payload fields every stdlib effect carries: the document and the workflow that acted."""
    return {
        **ref(ctx.document),
        "workflow_code": ctx.workflow_code,
        "instance_id": ctx.instance_id,
        "user": ctx.user,
    }
