"""The pages of a signed-in user: requests to approve (filter, search, approve one or several), one
entry (its document, history and comments; approve, reject, delegate, cancel), the requests the user
sent (where each stands; cancel), and the approval administrator's list of every open entry.

Every action is taken as the signed-in user through the engine's public methods, which check who may
do what; a refusal changes nothing and the page shows its message with the WF code. Every form's
token is checked first (WF841)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import FormData

from ...engine.cancel import NothingWaitsForCancel
from ...errors import WerkstroomError
from . import pages, sessions
from .account import inbox_of
from .errors import FormRefused, InboxError, NotSignedIn, NotYours
from .sessions import SignedIn
from .texts import translator
from .web import ROOT, Inbox

router = APIRouter(include_in_schema=False)
MAX_COMMENT = 2000
MAX_ENTRIES = 500
ACTIONS = ("approve", "reject", "delegate", "cancel")


def status_of(request: Request, exc: WerkstroomError) -> int:
    """The HTTP status of a refusal: the inbox's own, else the service's table."""
    if isinstance(exc, InboxError):
        return exc.status
    return inbox_of(request).status_of(exc)


def refused_page(inbox: Inbox, request: Request, me: SignedIn | None, exc: WerkstroomError) -> Response:
    """The page that says why (in the user's language, with the code)."""
    if isinstance(exc, NotSignedIn) and request.method == "GET":
        return inbox.redirect(f"{ROOT}/sign-in?next={quote(request.url.path + _query(request), safe='/')}")
    lang = me.language if me is not None else inbox.anonymous_language(request)
    t = translator(lang)
    text = words(exc, t)
    title = "error.not_found" if status_of(request, exc) == 404 else "error.title"
    return inbox.render(request, "message.html", title_key=title, me=me, status=status_of(request, exc),
                        text=text, code=exc.code, detail="", flash=[])


def reason(exc: WerkstroomError, t: Callable[..., str]) -> str:
    """Why: the inbox's refusals and the engine's WF517 in the user's language, the engine's others in
    its own message."""
    if isinstance(exc, NothingWaitsForCancel):
        return t("WF517", workflow=exc.workflow_code)
    if isinstance(exc, FormRefused):
        return t("WF848", message=t(exc.reason, **exc.values))
    if isinstance(exc, NotYours) and exc.status == 403:
        return t("WF846.page")
    if isinstance(exc, InboxError):
        return t(exc.code)
    return exc.message


def words(exc: WerkstroomError, t: Callable[..., str]) -> str:
    """What the page says about ``exc``."""
    if isinstance(exc, (InboxError, NothingWaitsForCancel)):
        return reason(exc, t)
    return t("refused.plain", message=exc.message)


def _query(request: Request) -> str:
    return f"?{request.url.query}" if request.url.query else ""


def page(work: Callable[[Inbox, Request, SignedIn], Response]) -> Callable[[Request], Response]:
    """A GET page of a signed-in user (sign in first otherwise), with refusals as pages."""

    def run(request: Request) -> Response:
        inbox = inbox_of(request)
        me = None
        try:
            me = inbox.require(request)
            return work(inbox, request, me)
        except WerkstroomError as exc:
            return refused_page(inbox, request, me, exc)

    return run


# ------------------------------------------------------------------ lists


def _status(request: Request) -> str:
    asked = request.query_params.get("status", "Open")
    return asked if asked in (*pages.STATUSES, "all") else "Open"


def _search(request: Request) -> str:
    return (request.query_params.get("q") or "").strip()[:50]


@router.get(ROOT + "/requests")
def requests_page(request: Request) -> Response:
    def work(inbox: Inbox, request: Request, me: SignedIn) -> Response:
        status, search = _status(request), _search(request)
        with inbox.gate:
            rows = pages.requests_to_approve(inbox.engine, inbox.viewer(me),
                                             None if status == "all" else status, search)
        return inbox.render(request, "requests.html", title_key="nav.requests", me=me, page="requests",
                            rows=rows, chosen=status, q=search, statuses=pages.STATUSES)

    return page(work)(request)


@router.get(ROOT + "/admin")
def admin_page(request: Request) -> Response:
    def work(inbox: Inbox, request: Request, me: SignedIn) -> Response:
        if not me.administrator:
            raise _not_admin()
        search = _search(request)
        with inbox.gate:
            rows = pages.every_open(inbox.engine, inbox.viewer(me), search)
        return inbox.render(request, "admin.html", title_key="admin.title", me=me, page="admin", rows=rows,
                            q=search)

    return page(work)(request)


def _not_admin() -> NotYours:
    exc = NotYours("this page is only for the approval administrator")
    exc.status = 403
    return exc


@router.get(ROOT + "/sent")
def sent_page(request: Request) -> Response:
    def work(inbox: Inbox, request: Request, me: SignedIn) -> Response:
        show_all = request.query_params.get("show") == "all"
        with inbox.gate:
            found = pages.sent_requests(inbox.engine, inbox.viewer(me), pending_only=not show_all)
        return inbox.render(request, "sent.html", title_key="sent.title", me=me, page="sent",
                            requests=found, show_all=show_all)

    return page(work)(request)


# ------------------------------------------------------------------ one entry


def _entry_ref(no: str) -> int:
    if not no.isascii() or not no.isdigit() or len(no) > 10 or not 0 < int(no) < 2**31:
        raise NotYours(f"there is no approval entry {no[:20]!r} among yours")
    return int(no)


def _entry(inbox: Inbox, request: Request, me: SignedIn, no: str, *, status: int = 200,
           flash: list[dict[str, Any]] | None = None) -> Response:
    with inbox.gate:
        found = pages.entry_page(inbox.engine, inbox.viewer(me), _entry_ref(no))
    return inbox.render(request, "entry.html", title=translator(me.language)(
        "entry.title", document=found.row.document, no=found.entry.entry_no), me=me, p=found, status=status,
        flash=flash)


@router.get(ROOT + "/entries/{no}")
def entry_page(request: Request, no: str) -> Response:
    return page(lambda inbox, request, me: _entry(inbox, request, me, no))(request)


# ------------------------------------------------------------------ actions


def _comment(form: FormData) -> str | None:
    value = form.get("comment")
    if not isinstance(value, str) or not value.strip():
        return None
    if len(value) > MAX_COMMENT:
        raise FormRefused(f"the comment has {len(value)} characters; at most {MAX_COMMENT}", "form.comment",
                          n=MAX_COMMENT)
    if "\x00" in value:
        raise FormRefused("the comment holds a NUL character", "form.text")
    return value.strip()


def act(inbox: Inbox, me: SignedIn, verb: str, no: int, comment: str | None) -> list[str]:
    """Take ``verb`` on entry ``no`` as the signed-in user; the lines that say what happened and who is
    next. Raises the engine's refusal (nothing changed) or WF846 for an entry not the user's."""
    viewer = inbox.viewer(me)
    t = viewer.t
    with inbox.gate:
        entry = pages.history_of(inbox.engine, viewer, no).entry
    with inbox.event(verb):
        if verb == "cancel":  # refused (WF517) when no step of the request's workflow takes a cancel
            inbox.engine.cancel(no, me.user)
        else:
            getattr(inbox.engine, verb)(no, me.user, comment)
    doc = pages.document(entry, viewer.language)
    with inbox.gate:
        after = inbox.engine.approval_history(entry.entry_id).entry
        waiting = pages.next_approvers(inbox.engine, entry)
        lines = [t(f"done.{verb}", document=doc, no=no, user=after.approver_id)]
        if waiting:
            lines.append(t("next.waiting", users=", ".join(waiting)))
        else:
            lines.append(t("next.done", status=pages.record_status(inbox.engine, entry, viewer.language)))
    return lines


def _entries(form: FormData) -> list[int]:
    only = form.get("only")
    picked = [only] if isinstance(only, str) and only else form.getlist("entry")
    if len(picked) > MAX_ENTRIES:
        raise FormRefused(f"at most {MAX_ENTRIES} entries at once", "form.no_entry")
    numbers = []
    for value in picked:
        if not isinstance(value, str) or not value.isascii() or not value.isdigit() or len(value) > 10:
            raise FormRefused(f"{str(value)[:20]!r} is not an entry number", "form.no_entry")
        numbers.append(int(value))
    if not numbers:
        raise FormRefused("no entry was ticked", "form.no_entry")
    return list(dict.fromkeys(numbers))


def _approve_several(inbox: Inbox, request: Request, form: FormData, back: str) -> Response:
    me = None
    try:
        me = inbox.require(request)
        sessions.check_token(me.csrf_token, form.get(sessions.FIELD))
        if back == "admin" and not me.administrator:
            raise _not_admin()
        if form.get("action", "approve") != "approve":
            raise FormRefused("the lists approve only", "form.action")
        numbers, comment = _entries(form), _comment(form)
    except WerkstroomError as exc:
        return refused_page(inbox, request, me, exc)
    t = translator(me.language)
    flash: list[dict[str, Any]] = []
    for no in numbers:
        try:
            flash.append({"kind": "ok", "lines": act(inbox, me, "approve", no, comment)})
        except WerkstroomError as exc:
            flash.append({"kind": "error", "lines": [t("refused", no=no, message=reason(exc, t)),
                                                     t("code", code=exc.code)]})
    inbox.store_flash(me, flash)
    return inbox.redirect(f"{ROOT}/{back}")


@router.post(ROOT + "/requests")
async def approve_from_list(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=MAX_ENTRIES + 20)
    return await run_in_threadpool(_approve_several, inbox_of(request), request, form, "requests")


@router.post(ROOT + "/admin")
async def approve_as_administrator(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=MAX_ENTRIES + 20)
    return await run_in_threadpool(_approve_several, inbox_of(request), request, form, "admin")


def _act_on_entry(inbox: Inbox, request: Request, form: FormData, no: str) -> Response:
    me = None
    try:
        me = inbox.require(request)
        sessions.check_token(me.csrf_token, form.get(sessions.FIELD))
        verb = form.get("action")
        if verb not in ACTIONS:
            raise FormRefused(f"unknown action {str(verb)[:20]!r}", "form.action")
        assert isinstance(verb, str)
        number, comment = _entry_ref(no), _comment(form)
    except WerkstroomError as exc:
        return refused_page(inbox, request, me, exc)
    t = translator(me.language)
    try:
        lines = act(inbox, me, verb, number, comment)
    except NotYours as exc:
        return refused_page(inbox, request, me, exc)
    except WerkstroomError as exc:  # the engine refused: nothing changed; the page says why
        flash = [{"kind": "error", "lines": [words(exc, t), t("code", code=exc.code)]}]
        return _entry(inbox, request, me, no, status=status_of(request, exc), flash=flash)
    inbox.store_flash(me, [{"kind": "ok", "lines": lines}])
    back = form.get("back")
    return inbox.redirect(f"{ROOT}/sent" if back == "sent" else f"{ROOT}/entries/{number}")


@router.post(ROOT + "/entries/{no}")
async def act_on_entry(request: Request, no: str) -> Response:
    form = await request.form(max_files=0, max_fields=20)
    return await run_in_threadpool(_act_on_entry, inbox_of(request), request, form, no)

