"""WF2xx names, WF3xx types and options, WF4xx workflow shape: found by the binder and enable-time checks."""

from __future__ import annotations

from ..diagnostics import CodeInfo, Severity

E = Severity.ERROR
W = Severity.WARNING

# names
UNKNOWN_EVENT = "WF201"
UNKNOWN_FIELD = "WF202"
UNKNOWN_RESPONSE = "WF203"
UNKNOWN_OPTION = "WF204"
MISSING_LABEL = "WF205"
UNKNOWN_RECORD = "WF206"
# types and options
BAD_VALUE = "WF301"
BAD_ENUM_VALUE = "WF302"
BAD_OPERATOR = "WF303"
BAD_OPTION_VALUE = "WF304"
MISSING_MANDATORY = "WF305"
DUPLICATE_OPTION = "WF306"
BAD_RELATION_USE = "WF307"
NOT_A_CONDITION = "WF308"
BAD_FORMULA = "WF309"
BAD_PLACEHOLDER = "WF310"
# shape
EVENT_NOT_AFTER = "WF401"
RESPONSE_NOT_AFTER = "WF402"
NOT_A_CHANGE_EVENT = "WF403"
CODE_TOO_LONG = "WF404"
DUPLICATE_WORKFLOW = "WF405"
DUPLICATE_LABEL = "WF406"
MISPLACED_ITEM = "WF407"
# enable-time checks (BC's ten)
TEMPLATE_ENABLE = "WF410"
ENTRY_POINT_COUNT = "WF411"
ENABLE_MANDATORY = "WF412"
ENTRY_POINT_CONFLICT = "WF413"
NO_TABLE_RELATION = "WF414"
REVERT_APPLY_PAIR = "WF415"
STEP_WITHOUT_NAME = "WF416"
ORPHAN_STEP = "WF417"
ENTRY_NOT_EVENT = "WF418"
# beyond BC: meaning of conditions
OVERLAPPING_ENTRY_POINTS = "WF420"
ALTERNATIVES_GAP = "WF421"
UNREACHABLE_STEP = "WF422"
NEVER_TRUE = "WF423"
# shape, found by the binder
NOT_AN_ENTRY_EVENT = "WF424"
OVERLAP_REFUSED = "WF428"

CODES: tuple[CodeInfo, ...] = (
    CodeInfo(UNKNOWN_EVENT, E, "The event name is not in the catalogue."),
    CodeInfo(UNKNOWN_FIELD, E, "The record has no field or relation of this name."),
    CodeInfo(UNKNOWN_RESPONSE, E, "No response in the catalogue is written this way."),
    CodeInfo(UNKNOWN_OPTION, E, "The response has no option written this way."),
    CodeInfo(MISSING_LABEL, E, "`continue at` names a label that no response in the workflow has."),
    CodeInfo(UNKNOWN_RECORD, E, "The event's record type is not declared in the catalogue."),
    CodeInfo(BAD_VALUE, E, "The value does not have the field's type."),
    CodeInfo(BAD_ENUM_VALUE, E, "The value is not one of the enum's values."),
    CodeInfo(BAD_OPERATOR, E, "The operator or test cannot be used on a field of this type."),
    CodeInfo(BAD_OPTION_VALUE, E, "The option value does not have the option's type."),
    CodeInfo(MISSING_MANDATORY, W, "The response lacks options it needs; the workflow cannot be enabled."),
    CodeInfo(DUPLICATE_OPTION, E, "An option is given twice, or contradicts the response phrase."),
    CodeInfo(BAD_RELATION_USE, E, "A relation is used the wrong way (a to-many relation needs any/all/no)."),
    CodeInfo(NOT_A_CONDITION, E, "The expression is not true or false."),
    CodeInfo(BAD_FORMULA, E, "The date formula is not valid."),
    CodeInfo(BAD_PLACEHOLDER, E, "A message text names a placeholder that does not exist."),
    CodeInfo(EVENT_NOT_AFTER, E, "This event cannot follow the event it is nested under."),
    CodeInfo(RESPONSE_NOT_AFTER, E, "This response cannot follow the event it is nested under."),
    CodeInfo(NOT_A_CHANGE_EVENT, E, "Old values and change tests need a record-change event."),
    CodeInfo(CODE_TOO_LONG, E, "A workflow code has at most 20 characters."),
    CodeInfo(DUPLICATE_WORKFLOW, E, "Two workflows have the same code."),
    CodeInfo(DUPLICATE_LABEL, E, "Two responses in one workflow have the same label."),
    CodeInfo(MISPLACED_ITEM, E, "A response or jump is in a place where it cannot run."),
    CodeInfo(TEMPLATE_ENABLE, E, "A template cannot be enabled; copy it first."),
    CodeInfo(ENTRY_POINT_COUNT, E, "An enabled workflow needs exactly one entry-point step."),
    CodeInfo(ENABLE_MANDATORY, E, "A response lacks mandatory options, so the workflow cannot be enabled."),
    CodeInfo(ENTRY_POINT_CONFLICT, E,
             "Two entry points on the same event and table have the same conditions."),
    CodeInfo(NO_TABLE_RELATION, E,
             "An event follows an event on another table without a relation between them."),
    CodeInfo(REVERT_APPLY_PAIR, E, "`revert value` and `apply new values` must appear together."),
    CodeInfo(STEP_WITHOUT_NAME, E, "A workflow step has no event or response name."),
    CodeInfo(ORPHAN_STEP, E, "A step's previous step does not exist."),
    CodeInfo(ENTRY_NOT_EVENT, E, "Only events can be entry points."),
    CodeInfo(OVERLAPPING_ENTRY_POINTS, W, "One record can match two entry points on the same event."),
    CodeInfo(ALTERNATIVES_GAP, W, "Some records match none of a set of alternative steps."),
    CodeInfo(UNREACHABLE_STEP, W, "An alternative can never run: an earlier sibling always matches first."),
    CodeInfo(NEVER_TRUE, W, "A step's condition contradicts itself, so the step never runs."),
    CodeInfo(NOT_AN_ENTRY_EVENT, E,
             "The event only follows other events (it has predecessors), so it cannot start a workflow."),
    CodeInfo(OVERLAP_REFUSED, E,
             "The entry point can match the same record as an enabled workflow's; enabling is refused."),
)
