"""Then steps: approval entries, record status and restriction, notifications, instances, refusals and
the timeline. A failing step says what was expected, what the engine has, and what it did."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from .library import REF, then
from .world import (
    AMOUNT,
    WORDS,
    SpecError,
    Thing,
    World,
    date_of,
    describe_error,
    norm,
    rows_of,
    suggestion,
    table_text,
)

USER = r"(?P<user>[A-Za-z][\w.-]*)"


def fail(w: World, message: str, t: Thing | None = None) -> None:
    __tracebackhide__ = True
    raise SpecError(f"{message}\n\n{w.report(t)}")


def no_refusal(w: World, t: Thing | None = None) -> None:
    """Every Then but the refusal checks first insists the last action was not refused."""
    if w.error is not None and not w.error_checked:
        err = describe_error(w.error)
        w.error_checked = True
        fail(w, f"the last action was refused: {err}", t)


ENTRY_COLUMNS = {
    "approver": "approver_id", "approver_id": "approver_id", "sequence": "sequence_no",
    "sequence_no": "sequence_no", "status": "status", "due_date": "due_date", "sender": "sender_id",
    "sender_id": "sender_id", "entry": "entry_no", "entry_no": "entry_no", "amount": "amount",
    "amount_lcy": "amount_lcy", "approval_type": "approval_type", "type": "approval_type",
    "limit_type": "limit_type", "workflow": "approval_code", "approval_code": "approval_code",
}


def same(expected: str, actual: Any) -> bool:
    e = expected.strip()
    a = "" if actual is None else str(actual)
    if e.lower() == a.lower():
        return True
    if not AMOUNT.fullmatch(e):
        return False  # only an amount as the features write them (1234.50, 1,234.50) compares as a number
    try:
        return Decimal(e.replace(",", "")) == Decimal(a)
    except (InvalidOperation, ValueError):
        return False


@then(r"the approval entries for " + REF + " are:", example="""\
Then the approval entries for the purchase invoice "1001" are:
  | approver | sequence | status   | due date   |
  | REQ      | 1        | Approved | 2026-01-05 |
  | ANN      | 2        | Open     | 2026-01-07 |""", section="Approval entries")
def entries_are(werkstroom_world: World, kind: str, id: str, datatable: list[list[str]]) -> None:
    """The record's approval entries, in entry order, compared on the columns given: approver,
    sequence, status (Created, Open, Approved, Rejected, Canceled), due date (YYYY-MM-DD), sender,
    amount, amount lcy, approval type, limit type, workflow, entry."""
    w = werkstroom_world
    t = w.named(kind, id)
    no_refusal(w, t)
    expected = rows_of(datatable)
    cols = []
    for head in (datatable[0] if datatable else []):
        col = ENTRY_COLUMNS.get(norm(head))
        if col is None:
            raise SpecError(f"unknown column {head!r}{suggestion(norm(head), ENTRY_COLUMNS)} (columns: "
                            f"{', '.join(sorted(ENTRY_COLUMNS))})", code=WORDS)
        cols.append((head.strip(), col))
    actual = w.entries(t)
    got = [[str(r[c]) for _, c in cols] for r in actual]
    want = [[row[h] for h, _ in cols] for row in expected]
    ok = len(got) == len(want) and all(same(e, a) for gr, wr in zip(got, want, strict=True)
                                       for e, a in zip(wr, gr, strict=True))
    if not ok:
        heads = [h for h, _ in cols]
        fail(w, "the approval entries differ.\nExpected:\n" + "\n".join("  " + x for x in table_text(heads, want))  # noqa: E501
             + "\nActual:\n" + "\n".join("  " + x for x in table_text(heads, got)), t)


@then(r"the approval entries for " + REF + r' read "(?P<summary>[^"]*)"',
      example='Then the approval entries for the purchase invoice "1001" read "REQ Approved, ANN Open, BOB Created"',  # noqa: E501
      section="Approval entries")
def entries_read(werkstroom_world: World, kind: str, id: str, summary: str) -> None:
    """The record's approval entries in one line, in entry order: `APPROVER Status` separated by commas
    (`none` for no entries). Handy in Scenario Outlines, where the number of entries varies."""
    w = werkstroom_world
    t = w.named(kind, id)
    no_refusal(w, t)
    got = ", ".join(f"{r['approver_id']} {r['status']}" for r in w.entries(t)) or "none"
    want = ", ".join(" ".join(x.split()) for x in summary.split(",")) if summary.strip() else "none"
    if got.lower() != want.lower():
        fail(w, f'expected the approval entries for {t.label} to read "{want}", but they read "{got}"', t)


@then(r"there are no approval entries for " + REF, example='Then there are no approval entries for the vendor "V1"',  # noqa: E501
      section="Approval entries")
def no_entries(werkstroom_world: World, kind: str, id: str) -> None:
    """No approval entry was ever made for the record (in any status)."""
    w = werkstroom_world
    t = w.named(kind, id)
    no_refusal(w, t)
    rows = w.entries(t)
    if rows:
        fail(w, f"expected no approval entries for {t.label}, found {len(rows)}", t)


@then(USER + r" has (?P<n>no|\d+) open approval requests?",
      example="Then BOB has 1 open approval request", section="Approval entries")
def open_requests(werkstroom_world: World, user: str, n: str) -> None:
    """How many approval requests wait for the user (their Requests to Approve page)."""
    w = werkstroom_world
    no_refusal(w)
    want = 0 if n == "no" else int(n)
    rows = [r for r in w.open_entries(None) if r["approver_id"] == user.upper()]
    if len(rows) != want:
        fail(w, f"expected {user.upper()} to have {want} open approval request(s), found {len(rows)}")


@then(r'the status of ' + REF + r' is "(?P<status>[^"]*)"',
      example='Then the status of the purchase invoice "1001" is "Pending Approval"', section="Records")
def status_is(werkstroom_world: World, kind: str, id: str, status: str) -> None:
    """The record's status now (Open, Pending Approval, Released, ...)."""
    w = werkstroom_world
    t = w.named(kind, id)
    no_refusal(w, t)
    st = w.engine.record_state(t.record_type, w.key(t))
    if not same(status, st.status):
        fail(w, f'expected the status of {t.label} to be "{status}", but it is "{st.status}"', t)


@then(REF + r" is (?P<neg>not )?restricted",
      example='Then the purchase invoice "1001" is restricted', section="Records")
def restricted(werkstroom_world: World, kind: str, id: str, neg: str | None) -> None:
    """Whether the record's usage is restricted (it cannot be posted, released or otherwise used
    while a workflow holds it)."""
    w = werkstroom_world
    t = w.named(kind, id)
    no_refusal(w, t)
    st = w.engine.record_state(t.record_type, w.key(t))
    want = neg is None
    if st.restricted != want:
        why = f" ({st.restriction_reason})" if st.restriction_reason else ""
        fail(w, f"expected {t.label} {'to be' if want else 'not to be'} restricted, but it "
                f"{'is' + why if st.restricted else 'is not'}", t)


@then(r'the (?!status of )(?P<field>[A-Za-z][\w ./-]*?) of ' + REF + r' is (?:"(?P<quoted>[^"]*)"|(?P<plain>\S+))',  # noqa: E501
      example='Then the credit limit lcy of the customer "C100" is 5000', section="Records")
def field_is(werkstroom_world: World, field: str, kind: str, id: str, quoted: str | None,
             plain: str | None) -> None:
    """A field of the record as the engine stores it now (after reverted, applied or discarded changes)."""
    w = werkstroom_world
    t = w.named(kind, id)
    no_refusal(w, t)
    name = w.field_name(t.record_type, field)
    want = quoted if quoted is not None else (plain or "")
    values = w.engine.record(t.record_type, w.key(t)) or {}
    if not same(want, values.get(name)):
        fail(w, f"expected {name} of {t.label} to be {want}, but it is {values.get(name)}", t)


@then(REF + r" has (?:(?P<none>no )|a )?pending changes?(?: of (?P<field>[A-Za-z][\w ./-]*?) to (?P<value>\S+))?",  # noqa: E501
      example='Then the customer "C100" has a pending change of credit limit lcy to 9000', section="Records")
def pending_changes(werkstroom_world: World, kind: str, id: str, none: str | None, field: str | None,
                    value: str | None) -> None:
    """Record changes a workflow holds until approval (`has no pending changes`, or
    `has a pending change of <field> to <value>`)."""
    w = werkstroom_world
    t = w.named(kind, id)
    no_refusal(w, t)
    st = w.engine.record_state(t.record_type, w.key(t))
    shown = ", ".join(f"{p.field}: {p.old_value} -> {p.new_value}" for p in st.pending_changes) or "none"
    if none:
        if st.pending_changes:
            fail(w, f"expected no pending changes on {t.label}, found {shown}", t)
        return
    if field is None or value is None:
        raise SpecError("write `has a pending change of <field> to <value>` or `has no pending changes`",
                        code=WORDS)
    name = w.field_name(t.record_type, field)
    if not any(p.field == name and same(value, p.new_value) for p in st.pending_changes):
        fail(w, f"expected a pending change of {name} to {value} on {t.label}; pending: {shown}", t)


@then(r"the workflow instance for " + REF + r" is (?P<state>complete and archived|still running)",
      example='Then the workflow instance for the purchase invoice "1001" is complete and archived',
      section="Instances")
def instance_state(werkstroom_world: World, kind: str, id: str, state: str) -> None:
    """Whether the record's workflow instance finished (no step left waiting, moved to the archive)
    or is still waiting for an event."""
    w = werkstroom_world
    t = w.named(kind, id)
    no_refusal(w, t)
    key = w.key(t)
    running = w.engine.instances(record_type=t.record_type, record_key=key)
    archived = [i for i in w.engine.archive() if i.record_type == t.record_type and i.record_key == key]
    if state == "still running":
        if not running:
            fail(w, f"expected a running workflow instance for {t.label}, found none "
                    f"({len(archived)} archived)", t)
        return
    if running or not archived:
        fail(w, f"expected the workflow instance for {t.label} to be complete and archived; running: "
                f"{', '.join(i.id for i in running) or 'none'}; archived: "
                f"{', '.join(i.id for i in archived) or 'none'}", t)


@then(r"no workflow started for " + REF, example='Then no workflow started for the purchase invoice "50"',
      section="Instances")
def none_started(werkstroom_world: World, kind: str, id: str) -> None:
    """The last action started no workflow instance for the record (no enabled workflow's first step
    matched; the timeline tells which conditions were false)."""
    w = werkstroom_world
    t = w.named(kind, id)
    no_refusal(w, t)
    started = [h for h in w.last if h.started and h.record_type == t.record_type]
    if started:
        fail(w, f"expected no workflow to start for {t.label}, but {started[0].workflow_code} started", t)


@then(r'the action is refused with "(?P<text>[^"]*)"',
      example='Then the action is refused with "is not allowed to approve"', section="Refusals")
def refused(werkstroom_world: World, text: str) -> None:
    """The last action (a When step) was refused and the message (or its diagnostics, or its code
    such as WF507) contains the text, ignoring case. Repeat the step to check more texts."""
    w = werkstroom_world
    if w.error is None:
        fail(w, f'expected the last action to be refused with "{text}", but it succeeded')
    err = w.error
    assert err is not None
    full = describe_error(err) + " " + str(getattr(err, "code", ""))
    w.error_checked = True  # more refusal checks may follow; other Then steps no longer complain
    if text.lower() not in full.lower():
        fail(w, f'expected the refusal to say "{text}", but it says: {full}')


@then("the action succeeds", example="Then the action succeeds", section="Refusals")
def succeeded(werkstroom_world: World) -> None:
    """The last action (a When step) was not refused."""
    no_refusal(werkstroom_world)


def _match_rows(expected: list[dict[str, str]], actual: list[dict[str, Any]], contains: set[str]) -> bool:
    left = list(actual)
    for row in expected:
        for i, a in enumerate(left):
            if all((str(a.get(k, "")).lower().find(v.lower()) >= 0) if k in contains else same(v, a.get(k))
                   for k, v in row.items() if v != ""):
                del left[i]
                break
        else:
            return False
    return not left


NOTE_COLUMNS = {"recipient": "recipient", "user": "recipient", "to": "recipient", "method": "method",
                "type": "type", "text": "text", "address": "address"}


def _note_rows(datatable: list[list[str]]) -> list[dict[str, str]]:
    out = []
    for r in rows_of(datatable):
        row = {}
        for head, cell in r.items():
            col = NOTE_COLUMNS.get(norm(head))
            if col is None:
                raise SpecError(f"unknown column {head!r}{suggestion(norm(head), NOTE_COLUMNS)} (columns: "
                                "recipient, method, type, text, address)", code=WORDS)
            row[col] = cell.upper() if col == "recipient" else cell
        out.append(row)
    return out


def _show(rows: list[dict[str, Any]], cols: list[str]) -> str:
    return "\n".join("  " + x for x in table_text(cols, [[str(r.get(c, "")) for c in cols] for r in rows]))


@then("the notifications sent are:", example="""Then the notifications sent are:
  | recipient | method | text                       |
  | ANN       | Email  | Purchase Invoice 1001      |""", section="Notifications")
def sent_are(werkstroom_world: World, datatable: list[list[str]]) -> None:
    """Every notification delivered so far (by the dispatcher), in any order: recipient, method
    (Email or Note), type (Approval, Overdue, New Record), text (the text contains it), address."""
    w = werkstroom_world
    no_refusal(w)
    expected = _note_rows(datatable)
    actual = w.sent_notifications()
    if not _match_rows(expected, actual, {"text"}):
        cols = list(expected[0]) if expected else ["recipient", "method", "text"]
        fail(w, "the notifications sent differ.\nExpected:\n" + _show(expected, cols)
             + "\nActual:\n" + (_show(actual, cols) if actual else "  (none sent)"))


@then("the notifications waiting are:", example="""Then the notifications waiting are:
  | recipient | type     |
  | CEO       | Approval |""", section="Notifications")
def waiting_are(werkstroom_world: World, datatable: list[list[str]]) -> None:
    """Notification entries created but not yet delivered (their recipient's schedule is not due, or
    delivery failed and waits for a retry), in any order: recipient, type, text (contains)."""
    w = werkstroom_world
    no_refusal(w)
    expected = _note_rows(datatable)
    actual = w.waiting_notifications()
    if not _match_rows(expected, actual, {"text"}):
        cols = list(expected[0]) if expected else ["recipient", "type"]
        fail(w, "the waiting notifications differ.\nExpected:\n" + _show(expected, cols)
             + "\nActual:\n" + (_show(actual, cols) if actual else "  (none waiting)"))


@then(r"no notifications? (?:is|are) (?P<which>waiting|sent)", example="Then no notifications are waiting",
      section="Notifications")
def none_notified(werkstroom_world: World, which: str) -> None:
    """Nothing waits to be sent, or nothing was delivered."""
    w = werkstroom_world
    no_refusal(w)
    rows = w.waiting_notifications() if which == "waiting" else w.sent_notifications()
    if rows:
        fail(w, f"expected no notifications {which}, found:\n" + _show(rows, ["recipient", "type", "text"]))


@then(USER + r' received an e-mail containing "(?P<text>[^"]*)"',
      example='Then ANN received an e-mail containing "Purchase Invoice 1001"', section="Notifications")
def received_email(werkstroom_world: World, user: str, text: str) -> None:
    """An e-mail went to the user's address (approval user setup) whose subject or body contains the text."""
    w = werkstroom_world
    no_refusal(w)
    addresses = {r["address"].lower() for r in w.sent_notifications() if r["recipient"] == user.upper()}
    mails = [m for m in w.transport.sent if m["to"].lower() in addresses]
    if not any(text.lower() in (m["subject"] + "\n" + m["body"]).lower() for m in mails):
        shown = "\n".join(f"  to {m['to']}: {m['subject']}\n    " + m["body"].replace("\n", "\n    ")
                          for m in w.transport.sent) or "  (no e-mail was sent)"
        fail(w, f'expected an e-mail to {user.upper()} containing "{text}"; e-mails sent:\n{shown}')


@then(r'the timeline says "(?P<text>[^"]*)"',
      example='Then the timeline says "did not fire: step 7"', section="Timeline")
def timeline_says(werkstroom_world: World, text: str) -> None:
    """The scenario's timeline (every action, the steps that fired and did not, the values their
    conditions read, what each response did) contains the text, ignoring case."""
    w = werkstroom_world
    if text.lower() not in "\n".join(w.timeline).lower():
        fail(w, f'expected the timeline to say "{text}"')


@then(r'the step on (?P<event>\w+) when "(?P<condition>[^"]*)" (?P<verdict>fired|did not fire)'
      r'(?: because "(?P<test>[^"]*)" was false)?',
      example='Then the step on ApprovalRequestApproved when "pending_approvals = 0" did not fire',
      section="Timeline")
def step_fired(werkstroom_world: World, event: str, condition: str, verdict: str, test: str | None) -> None:
    """Whether, during the last action, the step waiting for the event with that condition fired (write
    `when ""` for a step without a condition); for a step that did not fire, optionally which test of
    its condition was false."""
    w = werkstroom_world
    no_refusal(w)
    cond = " ".join(condition.split()).lower()

    def match(trace: Any) -> bool:
        written = " ".join(trace.condition.split()).lower()
        if written == "<always>":
            written = ""  # a step without a condition: write when ""
        return bool(trace.event.lower() == event.lower() and written == cond)

    fired = [h.fired for h in w.last if h.fired is not None and match(h.fired)]
    missed = [t for h in w.last for t in h.not_fired if match(t)]
    if verdict == "fired":
        if not fired:
            fail(w, f'expected the step on {event} when "{condition}" to fire during the last action; '
                    f"it {'did not fire' if missed else 'was not tested'}")
        return
    if fired or not missed:
        fail(w, f'expected the step on {event} when "{condition}" not to fire during the last action; '
                f"it {'fired' if fired else 'was not tested'}")
    if test is not None:
        t = " ".join(test.split()).lower()
        if not any(" ".join(x[0].split()).lower() == t and not x[2] for m in missed for x in m.tests):
            fail(w, f'expected "{test}" to be the false test, but the tests were: '
                    + "; ".join(f"{x[0]} = {x[2]}" for m in missed for x in m.tests))


@then(r"the clock shows (?P<day>\d{4}-\d{2}-\d{2})", example="Then the clock shows 2026-01-07",
      section="Timeline")
def clock_shows(werkstroom_world: World, day: str) -> None:
    """The virtual clock's date (after `n days pass`)."""
    w = werkstroom_world
    if w.now().date() != date_of(day):
        fail(w, f"expected the date {day}, the clock shows {w.now():%Y-%m-%d %H:%M}")
