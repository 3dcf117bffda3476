"""The JSON shapes of the API's requests and answers, for FastAPI to read requests by and for the
OpenAPI description. They describe shape only: the engine checks the values (docs/engine.md, "Limits")."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EmitRequest(Strict):
    """An event for a record, as `wf emit` takes it."""

    event: str = Field(description="The event's name in the catalogue, e.g. PurchaseDocSentForApproval.")
    record: dict[str, Any] = Field(description="The record the event is about, as its record type's "
                                   "fields (amounts as JSON numbers or text: they are read exactly).")
    user: str = Field(description="The host system's user whose action raised the event (the requester).")
    old: dict[str, Any] | None = Field(None, description="The previous values, for record-change events.")
    instance_id: str | None = Field(None, description="For an approval event: the instance owning the entry.")


class ActionRequest(Strict):
    comment: str | None = Field(None, description="An approval comment, kept on the request.")


class EmitAnswer(BaseModel):
    """What the engine did: the event and every event its responses raised, in order (``handled``),
    and the outbox rows written (``effects``). ``replayed``: the first answer to this Idempotency-Key."""

    event_id: int
    handled: list[dict[str, Any]]
    effects: list[dict[str, Any]]
    replayed: bool


class ApprovalEntry(BaseModel):
    entry_no: int
    entry_id: str
    status: str = Field(description="Created, Open, Approved, Rejected or Canceled.")
    approver_id: str
    sender_id: str
    record_type: str
    record_key: str
    document_type: str
    document_no: str
    amount: str = Field(description="A decimal, as text.")
    amount_lcy: str = Field(description="A decimal, as text.")
    currency_code: str
    sequence_no: int
    due_date: str
    sent_at: str
    instance_id: str
    approval_code: str
    approval_type: str
    limit_type: str


class EntryPage(BaseModel):
    items: list[ApprovalEntry]
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null after the last one.")


class AuditLine(BaseModel):
    at: str
    user: str
    action: str
    old_status: str
    new_status: str
    detail: str
    comment: str | None


class CommentLine(BaseModel):
    at: str
    user: str
    comment: str


class EntryHistory(BaseModel):
    entry: ApprovalEntry
    audit: list[AuditLine]
    comments: list[CommentLine]


class Step(BaseModel):
    step_id: int
    kind: str
    name: str
    parent: int | None
    sequence_no: int
    next_step: int | None
    status: str


class Instance(BaseModel):
    id: str
    workflow_code: str
    version: int
    started_by: str
    created_at: str
    steps: list[Step]


class PendingChange(BaseModel):
    field: str
    old: Any
    new: Any
    workflow_code: str


class RecordState(BaseModel):
    record_type: str
    key: str
    status: str | None
    restricted: bool
    restriction_reason: str
    pending_changes: list[PendingChange]
    values: dict[str, Any] | None
    instances: list[Instance] = Field(description="The running instances on the record, with their steps.")


class Workflow(BaseModel):
    code: str
    description: str
    category: str
    enabled: bool
    template: bool
    version: int
    content_hash: str
    running: int


class Deployed(BaseModel):
    code: str
    version: int
    content_hash: str
    new_version: bool
    enabled: bool
    warnings: list[dict[str, Any]] = Field(description="As `wf check --format json` prints diagnostics.")


class Warnings(BaseModel):
    code: str
    warnings: list[dict[str, Any]]


class SetupLoaded(BaseModel):
    users: int
    groups: int
    members: int
    notification_setups: int
    smtp: int


class OutboxItem(BaseModel):
    id: int
    kind: str
    payload: dict[str, Any]
    instance_id: str
    workflow_code: str
    created_at: str


class OutboxPage(BaseModel):
    items: list[OutboxItem]
    next_after: int = Field(description="Pass as `after` to read on (the last id read).")


class Me(BaseModel):
    kind: str = Field(description="system or user")
    name: str
    scopes: list[str]
    administrator: bool = Field(description="A user who is the approval administrator of the setup.")


class Problem(BaseModel):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str = Field(description="The WF code (docs/diagnostics.md, `wf explain CODE`).")
    diagnostics: list[dict[str, Any]] | None = None
