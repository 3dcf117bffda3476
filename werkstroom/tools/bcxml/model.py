"""BC's workflow exchange format (xmlport 1501 "Import / Export Workflow") as plain values, and the
facts of the format both directions share: element and attribute names, option ordinals, the step
argument's fields with their BC lengths, and the diagnostics' shape.

A file is ``Root`` with ``Workflow`` elements (``Code``, ``Description``, ``Template``, ``Category``),
each with ``WorkflowStep`` elements (``StepID``, ``StepDescription``, ``EntryPoint`` 1/0,
``PreviousStepID``, ``NextStepID``, ``Type`` 0 event / 1 response / 2 sub-workflow, ``FunctionName``,
``SequenceNo``) holding at most one ``WorkflowStepArgument`` and any number of ``WorkflowRule``
elements, and an optional ``WorkflowCategory``. BC leaves attributes with blank values out.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ...diagnostics import Diagnostic, Severity
from ...source import Span

ROOT = "Root"
WORKFLOW = "Workflow"
STEP = "WorkflowStep"
ARGUMENT = "WorkflowStepArgument"
RULE = "WorkflowRule"
CATEGORY = "WorkflowCategory"

EVENT, RESPONSE, SUB_WORKFLOW = 0, 1, 2
"""Workflow Step.Type ordinals."""

RULE_OPERATORS = ("increased", "decreased", "changed")
"""Workflow Rule.Operator ordinals 0, 1, 2 (BC's Increased, Decreased, Changed)."""

CODE_LENGTH = 20
DESCRIPTION_LENGTH = 100
"""Workflow.Code is Code[20], Workflow.Description Text[100]."""


@attrs.frozen
class ArgumentField:
    """A field of BC's Workflow Step Argument as the xmlport writes it. ``attribute``: the XML attribute.
    ``caption``: the BC field caption, which a response option names as its ``bc_name``. ``form``:
    how the value is written: ``code``/``text`` (as is), ``integer``, ``boolean`` (true/false),
    ``ordinal`` (the option's ordinal), ``name`` (the enum value's name), ``formula`` (a date formula).
    ``length``: BC's maximum length for texts and codes."""

    attribute: str
    caption: str
    form: str
    length: int | None = None


ARGUMENT_FIELDS: tuple[ArgumentField, ...] = (
    ArgumentField("GeneralJournalTemplateName", "General Journal Template Name", "code", 10),
    ArgumentField("GeneralJournalBatchName", "General Journal Batch Name", "code", 10),
    ArgumentField("LinkTargetPage", "Link Target Page", "integer"),
    ArgumentField("CustomLink", "Custom Link", "text", 250),
    ArgumentField("ApproverType", "Approver Type", "ordinal"),
    ArgumentField("ApproverLimitType", "Approver Limit Type", "ordinal"),
    ArgumentField("WorkflowUserGroupCode", "Workflow User Group Code", "code", 20),
    ArgumentField("DueDateFormula", "Due Date Formula", "formula"),
    ArgumentField("Message", "Message", "text", 250),
    ArgumentField("DelegateAfter", "Delegate After", "ordinal"),
    ArgumentField("ShowConfirmationMessage", "Show Confirmation Message", "boolean"),
    ArgumentField("ApproverUserID", "Approver User ID", "code", 50),
    ArgumentField("NotificationUserID", "Notification User ID", "code", 50),
    ArgumentField("NotificationEntryType", "Notification Entry Type", "name"),
    ArgumentField("NotifySender", "Notify Sender", "boolean"),
)
BY_CAPTION: Mapping[str, ArgumentField] = {f.caption: f for f in ARGUMENT_FIELDS}
BY_ATTRIBUTE: Mapping[str, ArgumentField] = {f.attribute: f for f in ARGUMENT_FIELDS}

FIELD_OPTION_CAPTION = "Field No."
"""A response option with this caption (revert a field, apply its new value) is written as the
argument's TableNumber and FieldNumber."""

ATTRIBUTE_ORDER = (
    "GeneralJournalTemplateName", "GeneralJournalBatchName", "ResponseFunctionName", "LinkTargetPage",
    "CustomLink", "EventConditions", "ApproverType", "ApproverLimitType", "WorkflowUserGroupCode",
    "DueDateFormula", "Message", "DelegateAfter", "ShowConfirmationMessage", "TableNumber", "FieldNumber",
    "ResponseOptionGroup", "ApproverUserID", "NotificationUserID", "NotificationEntryType", "NotifySender",
)
"""The argument's attributes in the order the xmlport writes them."""

HIDDEN_WHEN_GROUP = ("Approver Type", "Workflow User Group", "Approver Limit Type")
"""BC hides (and ignores) the Approver Limit Type when the Approver Type is Workflow User Group."""


@attrs.frozen
class BcRule:
    """A Workflow Rule: ``operator`` is 0 Increased, 1 Decreased, 2 Changed."""

    id: int
    table_no: int
    field_no: int
    operator: int


@attrs.frozen
class BcStep:
    """A Workflow Step. ``previous``/``next``: 0 for none. ``argument``: the argument's attributes as
    written (None: no argument). ``line``: where the step is in the file read (0 when written)."""

    id: int
    type: int
    function: str
    previous: int = 0
    next: int = 0
    entry_point: bool = False
    sequence_no: int = 0
    description: str = ""
    argument: Mapping[str, str] | None = None
    rules: tuple[BcRule, ...] = ()
    line: int = 0


@attrs.frozen
class BcWorkflow:
    """A Workflow with its steps (in file order) and, when the file has one, its category's
    description."""

    code: str
    description: str
    category: str
    steps: tuple[BcStep, ...]
    template: bool = False
    category_description: str | None = None
    line: int = 0


def at(path: str, line: int) -> Span | None:
    """A span that names line ``line`` of ``path`` (None without a line)."""
    if not line:
        return None
    return Span(path, 0, 0, line, 1, line, 1)


def problem(code: str, message: str, span: Span | None = None, *, help: str = "",
            notes: tuple[str, ...] = (), warning: bool = False) -> Diagnostic:
    return Diagnostic(code, Severity.WARNING if warning else Severity.ERROR, message, span,
                      help=help, notes=notes)


def where(workflow: str, step: int | None = None) -> str:
    """How messages name a place: ``workflow MS-PIAPW, step 14``."""
    return f"workflow {workflow}" + (f", step {step}" if step is not None else "")
