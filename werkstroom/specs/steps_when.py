"""When steps: events for records, approval actions, time passing, the dispatcher, changed fields,
and enabling workflows (whose refusals a Then step checks)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from .library import REF, when
from .world import SpecError, World

USER = r"(?P<user>[A-Za-z][\w.-]*)"


def _user(user: str) -> str:
    return user.upper()


@when(USER + " sends " + REF + " for approval", example='When REQ sends the purchase invoice "1001" for approval',  # noqa: E501
      section="Events")
def send_for_approval(werkstroom_world: World, user: str, kind: str, id: str) -> None:
    """Raises the record's "sent for approval" event (PurchaseDocSentForApproval,
    CustomerSentForApproval, ...) with the record as it is now, acting as the user."""
    w = werkstroom_world
    t = w.thing(kind, id)
    event = w.event_of(t.record_type, lambda ev: ev.name.endswith("SentForApproval"), "sends for approval")
    w.attempt(f"{_user(user)} sends {t.label} for approval ({event})", lambda: w.emit(event, t, user))


@when(USER + r" cancels the approval request (?:for|of) " + REF,
      example='When REQ cancels the approval request for the purchase invoice "1001"', section="Events")
def cancel_request(werkstroom_world: World, user: str, kind: str, id: str) -> None:
    """Raises the record's "approval request canceled" event, acting as the user."""
    w = werkstroom_world
    t = w.thing(kind, id)
    event = w.event_of(t.record_type, lambda ev: "ApprovalRequestCanceled" in ev.name, "cancels approval of")
    w.attempt(f"{_user(user)} cancels the approval request for {t.label} ({event})",
              lambda: w.emit(event, t, user))


@when(r'"(?P<event>\w+)" happens for ' + REF + " as " + USER,
      example='When "PurchaseDocReleased" happens for the purchase order "PO-7" as BUYER', section="Events")
def event_happens(werkstroom_world: World, event: str, kind: str, id: str, user: str) -> None:
    """Raises any catalogue event (by its name) for a record, acting as the user. An event name that is
    not in the catalogue fails the step (WF503, with the closest name)."""
    w = werkstroom_world
    if w.engine.vocab.event(event) is None:  # a misspelt name is the feature's mistake, not a refusal
        close = w.engine.catalogue.suggest("event", event)
        raise SpecError(f"the event {event!r} is not in the catalogue"
                        + (f"; did you mean {close[0]!r}?" if close else "")
                        + " (`wf catalogue events` lists them)", code="WF503")
    t = w.thing(kind, id)
    w.attempt(f"{_user(user)}: {event} for {t.label}", lambda: w.emit(event, t, user))


@when(USER + r" changes the (?P<field>[A-Za-z][\w ./-]*?) of " + REF
      + r' to (?:"(?P<quoted>[^"]*)"|(?P<plain>\S+))',
      example='When SALES changes the credit limit lcy of the customer "C100" to 9000', section="Events")
def change_field(werkstroom_world: World, user: str, field: str, kind: str, id: str,
                 quoted: str | None, plain: str | None) -> None:
    """Changes one field of a record, as the user: the record's "changed" event (CustomerChanged,
    VendorChanged, ItemChanged) is raised with the old values, so change workflows can revert, hold
    and later apply or discard the new value. Records without such an event are simply updated."""
    w = werkstroom_world
    t = w.thing(kind, id)
    name = w.field_name(t.record_type, field)
    value = quoted if quoted is not None else (plain or "")
    old = w.current(t)
    old.pop("lines", None)
    new = {**old, name: value}
    events = [ev.name for ev in w.engine.catalogue.events if ev.record == t.record_type and ev.record_change]
    what = f"{_user(user)} changes {name} of {t.label} from {old.get(name)} to {value}"
    if not events:
        t.values[name] = value
        w.attempt(what + " (no change event)", lambda: w.store(t))
        return
    t.values[name] = value

    def act() -> Any:
        return w.emit(events[0], t, user, old=old, values=new)

    w.attempt(f"{what} ({events[0]})", act)


@when(USER + r" (?P<verb>approves|rejects|delegates) the approval request(?: for " + REF + r")?"
      + r'(?: with the comment "(?P<comment>[^"]*)")?',
      example='When ANN approves the approval request for the purchase invoice "1001"', section="Approvals")
def act_on_request(werkstroom_world: World, user: str, verb: str, kind: str | None, id: str | None,
                   comment: str | None) -> None:
    """The user approves, rejects or delegates an open approval request: their own when they have one
    (for that record, if named), else the first open one (as an administrator or the sender may
    delegate). The engine refuses what BC refuses; a Then step can check the refusal."""
    w = werkstroom_world
    t = w.thing(kind, id) if kind is not None and id is not None else None
    base = {"approves": "approve", "rejects": "reject", "delegates": "delegate"}[verb]
    u = _user(user)
    label = f" for {t.label}" if t is not None else ""

    def act() -> Any:
        entry = w.pick_entry(base, u, t)
        fn = {"approve": w.engine.approve, "reject": w.engine.reject, "delegate": w.engine.delegate}[base]
        return fn(entry, u, comment)

    w.attempt(f"{u} {verb} the approval request{label}" + (f' ("{comment}")' if comment else ""), act)


UNITS = {"minute": dt.timedelta(minutes=1), "hour": dt.timedelta(hours=1), "day": dt.timedelta(days=1),
         "week": dt.timedelta(weeks=1)}


@when(r"(?P<n>\d+) (?P<unit>minutes?|hours?|days?|weeks?) pass(?:es)?", example="When 2 days pass",
      section="Time and notifications")
def time_passes(werkstroom_world: World, n: str, unit: str) -> None:
    """Moves the virtual clock forward and runs the approval timers at the new time (automatic
    delegation after the `delegate after` period, overdue reminders) as the job queue does."""
    w = werkstroom_world
    w.clock.advance(UNITS[unit.rstrip("s")] * int(n))
    w.attempt(f"{n} {unit} pass: the job queue runs the approval timers", w.engine.run_timers)


@when("the notification dispatcher runs", example="When the notification dispatcher runs",
      section="Time and notifications")
def dispatcher_runs(werkstroom_world: World) -> None:
    """Runs the notification dispatcher now: due entries are sent by e-mail (kept, not sent, in a
    scenario) or stored as notes, following each user's notification schedule."""
    w = werkstroom_world

    def act() -> None:
        report = w.engine.dispatch_notifications(w.transport)
        w.note(f"   dispatched {report.entries_sent} notification(s): {report.emails} e-mail(s), "
               f"{report.notes} note(s); {report.waiting} waiting"
               + "".join(f"; FAILED for {f.recipient}: {f.error}" for f in report.failures))

    w.attempt("the notification dispatcher runs", act)


@when("the overdue approvals job runs", example="When the overdue approvals job runs",
      section="Time and notifications")
def overdue_job(werkstroom_world: World) -> None:
    """The job queue raises BC's "send overdue notifications" event (OverdueNotificationsRequested),
    which MS-OVERDUE answers by notifying approvers of open requests past their due date."""
    w = werkstroom_world
    event = w.event_of("ApprovalEntry", lambda ev: "overdue" in ev.name.lower(), "requests overdue notices for")  # noqa: E501

    def act() -> Any:
        # BC runs the event on an empty Approval Entry record; entry no. 0 plays that part here
        return w.engine.emit(event, {"entry_no": 0}, user="JOB QUEUE")

    w.attempt(f"the job queue runs the overdue approvals job ({event})", act)


def _attempt_enable(w: World, what: str, text: str, path: str) -> None:
    def act() -> None:
        w.deploy_and_enable(text, path)

    w.attempt(what, act)


@when(r'the workflow in "(?P<path>[^"]+)" is enabled',
      example='When the workflow in "broken.wf" is enabled', section="Workflows")
def when_workflow_file(werkstroom_world: World, path: str) -> None:
    """Tries to deploy and enable a .wf file; a refusal (errors in the file, failed enable checks) is
    kept for `Then the action is refused with "..."`."""
    w = werkstroom_world
    p = w.resolve_path(path)
    w.require_file(p)
    _attempt_enable(w, f"enable the workflow in {path}", p.read_text(encoding="utf-8"), str(p))


@when("the workflow is enabled:", example='''When the workflow is enabled:
  """
  workflow HALF "Only half a workflow"
    on ApprovalRequestApproved then release document
  """''', section="Workflows")
def when_workflow_text(werkstroom_world: World, docstring: str) -> None:
    """Tries to deploy and enable the workflow in the doc string; a refusal is kept for a Then step."""
    _attempt_enable(werkstroom_world, "enable the workflow of the scenario", docstring, "<scenario>")


@when(r'the workflow "(?P<code>[^"]+)" is copied from the template "(?P<template>[^"]+)" and enabled',
      example='When the workflow "BPO" is copied from the template "MS-BPOAPW" and enabled', section="Workflows")  # noqa: E501
def when_template_copy(werkstroom_world: World, code: str, template: str) -> None:
    """Tries to copy a template and enable the copy as it is (templates with blanks, such as a workflow
    user group to fill in, are refused)."""
    w = werkstroom_world
    _attempt_enable(w, f"enable {code} copied from {template}", w.template_text(template, code),
                    f"{template} as {code}")
