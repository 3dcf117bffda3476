"""Given steps: the organisation (users, groups, notification setup), workflows, records and the date."""

from __future__ import annotations

import re
from typing import Any

from .library import REF, given
from .world import (
    PLURALS,
    WORDS,
    SpecError,
    World,
    amount_text,
    date_of,
    describe_error,
    norm,
    pairs_of,
    rows_of,
    suggestion,
)

YES = {"yes", "true", "x", "y", "1"}
NO = {"no", "false", "", "n", "0", "-"}

USER_COLUMNS = {
    "user": "id", "id": "id", "user_id": "id", "approver": "approver", "approver_id": "approver",
    "purchase_limit": "purchase", "purchase_amount_approval_limit": "purchase",
    "sales_limit": "sales", "sales_amount_approval_limit": "sales",
    "request_limit": "request", "request_amount_approval_limit": "request",
    "substitute": "substitute", "email": "email", "e_mail": "email",
    "administrator": "administrator", "approval_administrator": "administrator",
    "salesperson_purchaser_code": "salesperson_purchaser_code", "salesperson_purchaser": "salesperson_purchaser_code",  # noqa: E501
    "purchaser_code": "salesperson_purchaser_code", "salesperson_code": "salesperson_purchaser_code",
    "time_zone": "time_zone",
}


def _flag(cell: str, what: str) -> bool:
    c = cell.strip().lower()
    if c in YES:
        return True
    if c in NO:
        return False
    raise SpecError(f"{what}: write yes or no, not {cell!r}", code=WORDS)


def user_row(row: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for head, cell in row.items():
        col = USER_COLUMNS.get(norm(head))
        if col is None:
            known = "user, approver, purchase limit, sales limit, request limit, substitute, email, " \
                    "administrator, salesperson/purchaser code, time zone"
            hint = suggestion(norm(head), USER_COLUMNS)
            raise SpecError(f"unknown column {head!r} in the approval users table{hint} (columns: {known})",
                            code=WORDS)
        if col in ("purchase", "sales", "request"):
            if cell.strip().lower() == "unlimited":
                out[f"unlimited_{col}"] = True
            elif cell.strip():
                who = next((v for h, v in row.items() if USER_COLUMNS.get(norm(h)) == "id"), "")
                out[f"{col}_limit"] = amount_text(cell, f"{head.strip()} of {who.strip()}")
        elif col == "administrator":
            out["administrator"] = _flag(cell, f"administrator of {row}")
        elif cell.strip():
            out[col] = cell.strip()
    if not out.get("id"):
        raise SpecError("every row of the approval users table needs a user", code=WORDS)
    out.setdefault("email", f"{str(out['id']).lower()}@example.com")
    return out


@given(r"today is (?P<day>\d{4}-\d{2}-\d{2})", example="Given today is 2026-03-02", section="Setup")
def today_is(werkstroom_world: World, day: str) -> None:
    """Sets the virtual clock to 09:00 UTC on that date (time only moves forward in a scenario).
    Without it a scenario starts on Monday 2026-01-05 at 09:00 UTC."""
    werkstroom_world.set_today(date_of(day))



@given("the approval users:", example="""Given the approval users:
  | user | approver | purchase limit | substitute | administrator |
  | REQ  | ANN      |                |            |               |
  | ANN  | CEO      | 1000           | BOB        |               |
  | CEO  | CEO      | unlimited      |            | yes           |""", section="Setup")
def approval_users(werkstroom_world: World, datatable: list[list[str]]) -> None:
    """The approval user setup, one row per user. Columns (any order, all but user optional): user,
    approver (a user whose approver is themselves is the top of the chain), purchase limit, sales
    limit, request limit (an amount, or `unlimited`), substitute, email (default `<user>@example.com`),
    administrator (yes/no; only one), salesperson/purchaser code, time zone."""
    werkstroom_world.load_setup({"users": [user_row(r) for r in rows_of(datatable)]})


@given(r'the workflow user group "(?P<code>[^"]+)" with the members:', example="""\
Given the workflow user group "BOARD" with the members:
  | user | sequence |
  | ANN  | 1        |
  | BOB  | 1        |
  | CEO  | 2        |""", section="Setup")
def user_group(werkstroom_world: World, code: str, datatable: list[list[str]]) -> None:
    """A workflow user group. Members with the same sequence number form one tier (approved in
    parallel); tiers are asked in sequence order. A blank sequence is the previous one + 1."""
    members: list[dict[str, Any]] = []
    for r in rows_of(datatable):
        r = {norm(k): v for k, v in r.items()}
        for head in r:
            if head not in ("user", "sequence"):
                raise SpecError(f"unknown column {head!r} in the members table"
                                f"{suggestion(head, ('user', 'sequence'))} (columns: user, sequence)",
                                code=WORDS)
        user = r.get("user", "").strip()
        if not user:
            raise SpecError("every member row needs a user", code=WORDS)
        seq = r.get("sequence", "").strip()
        m: dict[str, Any] = {"user": user}
        if seq:
            if not seq.isdigit():
                raise SpecError(f"sequence {seq!r} of {user} is not a whole number", code=WORDS)
            m["sequence"] = int(seq)
        members.append(m)
    werkstroom_world.load_setup({"groups": [{"code": code, "description": code, "members": members}]})


NOTIFY_COLUMNS = {"user": "user", "type": "type", "notification_type": "type", "method": "method",
                  "schedule": "schedule", "recurrence": "schedule", "time": "time",
                  "daily_frequency": "daily_frequency", "weekdays": "weekdays", "monthly": "monthly",
                  "day": "day"}


@given("the notification setup:", example="""Given the notification setup:
  | user | type     | method | schedule  | time  |
  |      | approval | email  | instantly |       |
  | CEO  | approval | email  | daily     | 08:00 |""", section="Setup")
def notification_setup(werkstroom_world: World, datatable: list[list[str]]) -> None:
    """How and when users are notified. A blank user is everyone's default. type: approval, overdue
    or new record; method: email or note; schedule: instantly, daily, weekly or monthly; time: HH:MM;
    daily frequency: weekday or daily; weekdays: `mon thu`; day: day of the month."""
    rows = []
    for r in rows_of(datatable):
        out: dict[str, Any] = {}
        for head, cell in r.items():
            col = NOTIFY_COLUMNS.get(norm(head))
            if col is None:
                raise SpecError(f"unknown column {head!r} in the notification setup"
                                f"{suggestion(norm(head), NOTIFY_COLUMNS)} (columns: "
                                f"{', '.join(sorted(set(NOTIFY_COLUMNS.values())))})", code=WORDS)
            if not cell:
                continue
            if col == "weekdays":
                out[col] = cell.replace(",", " ").split()
            elif col == "day":
                if not cell.strip().isdigit():
                    raise SpecError(f"day {cell!r} is not a day of the month (1-31)", code=WORDS)
                out[col] = int(cell)
            else:
                out[col] = cell
        rows.append(out)
    werkstroom_world.load_setup({"notifications": rows})


def _enable(world: World, text: str, path: str) -> None:
    from ..errors import WerkstroomError

    try:
        world.deploy_and_enable(text, path)
    except WerkstroomError as exc:
        shown = world.diagnostics_text(exc, text, path) or describe_error(exc)
        raise SpecError(f"the workflow in {path} could not be enabled: {shown}") from exc


@given(r'the workflow in "(?P<path>[^"]+)" is enabled', example='Given the workflow in "purchase-approval.wf" is enabled',  # noqa: E501
       section="Workflows")
def workflow_file(werkstroom_world: World, path: str) -> None:
    """Deploys every workflow of a .wf file (relative to the feature file's folder) and enables it;
    the step fails with the diagnostics when the file has errors or an enable check refuses it."""
    p = werkstroom_world.resolve_path(path)
    werkstroom_world.require_file(p)
    _enable(werkstroom_world, p.read_text(encoding="utf-8"), str(p))


@given("the workflow is enabled:", example='''Given the workflow is enabled:
  """
  workflow BIG "Big purchases are held"
    on PurchaseDocSentForApproval when amount > 10000 then restrict record usage
  """''', section="Workflows")
def workflow_text(werkstroom_world: World, docstring: str) -> None:
    """Deploys and enables the workflow written in the doc string."""
    _enable(werkstroom_world, docstring, "<scenario>")


@given(r'the workflow "(?P<code>[^"]+)" is copied from the template "(?P<template>[^"]+)" and enabled',
       example='Given the workflow "PIAPW" is copied from the template "MS-PIAPW" and enabled', section="Workflows")  # noqa: E501
def template_copy(werkstroom_world: World, code: str, template: str) -> None:
    """Copies an MS- template under a new code (as BC's "New Workflow from Template") and enables it."""
    _enable(werkstroom_world, werkstroom_world.template_text(template, code), f"{template} as {code}")


GROUP_BLANK = re.compile(r'workflow user group(?:\s+"[^"]*")?')


@given(r'the workflow "(?P<code>[^"]+)" is copied from the template "(?P<template>[^"]+)" for the workflow user '  # noqa: E501
       r'group "(?P<group>[^"]+)" and enabled',
       example='Given the workflow "BPO" is copied from the template "MS-BPOAPW" for the workflow user group '
               '"BOARD" and enabled', section="Workflows")
def template_copy_group(werkstroom_world: World, code: str, template: str, group: str) -> None:
    """Copies a template whose approvers are a workflow user group (MS-BPOAPW, MS-BSOAPW, MS-CCLCAPW,
    MS-IUPCAPW, MS-INCDOCAPW), fills in the group, and enables the copy."""
    text = werkstroom_world.template_text(template, code)
    if not GROUP_BLANK.search(text):
        raise SpecError(f"the template {template} does not ask a workflow user group")
    text = GROUP_BLANK.sub(lambda m: f'workflow user group "{group}"', text)
    _enable(werkstroom_world, text, f"{template} as {code}")


def edits_of(datatable: list[list[str]]) -> list[tuple[str, str]]:
    out = []
    for r in rows_of(datatable):
        keys = {norm(k): v for k, v in r.items()}
        if "replace" not in keys or "with" not in keys:
            raise SpecError("the changes table needs the columns | replace | with |", code=WORDS)
        out.append((keys["replace"], keys["with"]))
    return out


@given(r'the workflow "(?P<code>[^"]+)" is copied from the template "(?P<template>[^"]+)" with these changes, and enabled:',  # noqa: E501
       example='''\
Given the workflow "BPO" is copied from the template "MS-BPOAPW" with these changes, and enabled:
  | replace                 | with                         |
  | workflow user group ""  | workflow user group "BOARD"  |''', section="Workflows")
def template_copy_edited(werkstroom_world: World, code: str, template: str, datatable: list[list[str]]) -> None:  # noqa: E501
    """Copies an MS- template, replaces text in the copy (each `replace` must occur), and enables it.
    This is how a consultant fills in a template's blanks, such as its workflow user group."""
    text = werkstroom_world.template_text(template, code, edits_of(datatable))
    _enable(werkstroom_world, text, f"{template} as {code}")


@given(r'an? (?P<kind>[A-Za-z][A-Za-z ]*?) "(?P<id>[^"]*)" of (?P<amount>\S+)',
       example='Given a purchase invoice "1001" of 5000', section="Records")
def document_of(werkstroom_world: World, kind: str, id: str, amount: str) -> None:
    """A document (or other record) with that amount: `amount` and `amount_lcy` are both set, a
    purchase or sales document starts Open. Write amounts with a dot for decimals (`1234.50`, or
    `1,234.50`); `1.234,50` is refused."""
    value = amount_text(amount)
    t = werkstroom_world.thing(kind, id)
    spec = werkstroom_world.spec(t.record_type)
    done = False
    for f in ("amount", "amount_lcy"):
        if spec.field(f) is not None:
            t.values[f] = value
            done = True
    if not done:
        raise SpecError(f"{t.label} has no amount field", code=WORDS)
    werkstroom_world.store(t)


@given(r'an? (?P<kind>[A-Za-z][A-Za-z ]*?) "(?P<id>[^"]*)" with:', example="""Given a sales order "S-1" with:
  | sell to customer no | C100 |
  | amount              | 2500 |
  | salesperson code    | JR   |""", section="Records")
def record_with(werkstroom_world: World, kind: str, id: str, datatable: list[list[str]]) -> None:
    """A record with field values as a two-column table (field in words | value). Documents start
    Open; money is written with a dot for decimals (1234.50 or 1,234.50)."""
    t = werkstroom_world.thing(kind, id)
    t.values.update(werkstroom_world.typed_values(t.record_type, pairs_of(datatable)))
    werkstroom_world.store(t)


@given(REF + " has the lines:", example="""Given the purchase order "PO-7" has the lines:
  | type | no   | quantity | direct unit cost | line amount |
  | Item | 1000 | 10       | 25               | 250         |""", section="Records")
def document_lines(werkstroom_world: World, kind: str, id: str, datatable: list[list[str]]) -> None:
    """The lines of a document (purchase or sales): one row per line, headers are line fields in
    words. Document type, document no. and line no. (10000, 20000, ...) are filled in."""
    t = werkstroom_world.thing(kind, id)
    spec = werkstroom_world.spec(t.record_type)
    rel = spec.relation("lines")
    if rel is None:
        raise SpecError(f"{t.label} has no lines", code=WORDS)
    lines = []
    for i, row in enumerate(rows_of(datatable), 1):
        values = werkstroom_world.typed_values(rel.record, row)
        for here, there in rel.join:
            values.setdefault(there, t.values.get(here))
        values.setdefault("line_no", str(10000 * i))
        lines.append(values)
    t.lines = lines
    werkstroom_world.store(t)


@given(r"these (?P<plural>[a-z][a-z ]*?):", example="""Given these customers:
  | no   | name         | credit limit lcy |
  | C100 | Contoso Ltd. | 5000             |""", section="Records")
def these_records(werkstroom_world: World, plural: str, datatable: list[list[str]]) -> None:
    """Master data or journal lines, one row per record: customers, vendors, items, general journal
    lines (`journal template name`, `journal batch name`, `line no`), general journal batches, item
    journal batches, requisition worksheets, vendor bank accounts, incoming documents, job queue
    entries. Each is named afterwards by its key, e.g. `the customer "C100"`."""
    words = PLURALS.get(" ".join(plural.split()))
    if words is None:
        raise SpecError(f"unknown kind of records {plural!r}{suggestion(plural, PLURALS)} (known: "
                        f"{', '.join(sorted(PLURALS))}); use `these records of type \"<RecordType>\":` for "
                        "any other record type", code=WORDS)
    werkstroom_world.put_table(words, rows_of(datatable))


@given(r'these records of type "(?P<record_type>\w+)":', example="""\
Given these records of type "PurchaseHeader":
  | document type | no   | amount | status |
  | Invoice       | 1001 | 700    | Open   |""", section="Records")
def these_typed_records(werkstroom_world: World, record_type: str, datatable: list[list[str]]) -> None:
    """Any record type of the catalogue (or a partner's), one row per record; name one afterwards by
    its type and key, the key fields joined by `|`: `the PurchaseHeader "Invoice|1001"`."""
    spec = werkstroom_world.spec(record_type)
    werkstroom_world.put_table(spec.name, rows_of(datatable))
