"""Signing in and out: the sign-in form (user id and password, rate limited on failures), signing
out, and the signed one-time links of notification e-mails (a page that says what the link does,
and its Continue button, which uses the link once and signs its user in)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import FormData

from ...engine.approvals.errors import ApprovalError
from ...store.approvals import ApprovalUserSetup
from ..context import client_address
from . import links as signed
from . import passwords, sessions
from .errors import BadFormToken, InboxError, LinkInvalid, LinkUsed, SignInFailed
from .pages import document
from .texts import translator
from .web import LANG_COOKIE, ROOT, Inbox

router = APIRouter(include_in_schema=False)
MAX_FIELD = 2000


def inbox_of(request: Request) -> Inbox:
    found = request.app.state.inbox
    assert isinstance(found, Inbox)
    return found


def client(request: Request) -> str:
    return client_address(request)


def local_next(value: object) -> str:
    """Where to go after signing in: a page of the inbox, else the requests to approve."""
    if isinstance(value, str) and value.startswith(ROOT + "/") and not value.startswith("//") \
            and "\\" not in value and len(value) < 500 and not value.startswith(ROOT + "/sign-"):
        return value
    return f"{ROOT}/requests"


@router.get(ROOT)
@router.get(ROOT + "/")
def start(request: Request) -> Response:
    inbox = inbox_of(request)
    me = inbox.signed_in(request)
    return inbox.redirect(f"{ROOT}/requests" if me is not None else f"{ROOT}/sign-in")


def sign_in_page(inbox: Inbox, request: Request, *, status: int = 200, error: InboxError | None = None,
                 user: str = "", notice: str = "", headers: dict[str, str] | None = None,
                 retry: int = 0) -> Response:
    pre, new = inbox.pre_cookie(request)
    t = translator(inbox.anonymous_language(request))
    flash = []
    if error is not None:
        text = t(error.code, seconds=retry) if error.code in ("WF803",) else t(error.code)
        flash.append({"kind": "error", "lines": [text, t("code", code=error.code)]})
    elif notice:
        flash.append({"kind": "ok", "lines": [t(notice)]})
    response = inbox.render(request, "sign_in.html", title_key="sign_in.title", status=status, flash=flash,
                            csrf_token=inbox.pre_token(pre), user=user, headers=headers,
                            next=local_next(request.query_params.get("next")))
    if new:
        inbox.set_pre_cookie(request, response, pre)
    asked = request.query_params.get("lang")
    if asked in ("en", "nl"):
        response.set_cookie(LANG_COOKIE, asked, path=ROOT, httponly=True, samesite="lax",
                            secure=inbox.secure(request), max_age=365 * 86400)
    return response


@router.get(ROOT + "/sign-in")
def sign_in_form(request: Request) -> Response:
    inbox = inbox_of(request)
    if inbox.signed_in(request) is not None:
        return inbox.redirect(local_next(request.query_params.get("next")))
    notice = "sign_in.signed_out" if request.query_params.get("out") else \
        "sign_in.needed" if request.query_params.get("next") else ""
    return sign_in_page(inbox, request, notice=notice)


class TooManyFailures(InboxError):
    """The client address is blocked by the failure limit (the service's WF803)."""

    code = "WF803"
    status = 429


def _sign_in(inbox: Inbox, request: Request, user: str, password: str, token: str, next_: str) -> Response:
    address = client(request)
    wait = inbox.blocked_for(address)
    if wait is not None:
        return sign_in_page(inbox, request, status=429, user=user, retry=wait,
                            error=TooManyFailures("too many failed sign-ins"),
                            headers={"Retry-After": str(wait)})
    pre = request.cookies.get(sessions.PRE_COOKIE, "")
    try:
        sessions.check_token(inbox.pre_token(pre) if pre else "\x00", token)
    except BadFormToken as exc:
        return sign_in_page(inbox, request, status=exc.status, user=user, error=exc)
    found = passwords.verify(inbox.engine, user, password, inbox.gate)
    if found is None:
        inbox.count_failure(address, "WF840")
        return sign_in_page(inbox, request, status=401, user=user[:50],
                            error=SignInFailed("unknown user or wrong password"))
    cookie = inbox.begin(request, found, "password")
    response = inbox.redirect(local_next(next_))
    inbox.set_cookie(request, response, cookie)
    return response


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value[:MAX_FIELD] if isinstance(value, str) else ""


@router.post(ROOT + "/sign-in")
async def sign_in(request: Request) -> Response:
    inbox = inbox_of(request)
    form = await request.form(max_files=0, max_fields=20)
    return await run_in_threadpool(_sign_in, inbox, request, _text(form, "user"), _text(form, "password"),
                                   _text(form, sessions.FIELD), _text(form, "next"))


def _sign_out(inbox: Inbox, request: Request, token: str) -> Response:
    me = inbox.signed_in(request)
    if me is not None:
        try:
            sessions.check_token(me.csrf_token, token)
        except BadFormToken as exc:
            return inbox.render(request, "message.html", title_key="error.title", me=me, status=exc.status,
                                text=translator(me.language)(exc.code), code=exc.code, detail="")
        with inbox.gate:
            sessions.end(inbox.engine, me.id)
    response = inbox.redirect(f"{ROOT}/sign-in?out=1")
    inbox.clear_cookie(request, response)
    return response


@router.post(ROOT + "/sign-out")
async def sign_out(request: Request) -> Response:
    inbox = inbox_of(request)
    form = await request.form(max_files=0, max_fields=20)
    return await run_in_threadpool(_sign_out, inbox, request, _text(form, sessions.FIELD))


# ------------------------------------------------------------------ signed links


def link_refused(inbox: Inbox, request: Request, exc: InboxError) -> Response:
    t = translator(inbox.anonymous_language(request))
    return inbox.render(request, "message.html", title_key="link.title", status=exc.status, text=t(exc.code),
                        code=exc.code, detail="", flash=[])


def _valid_link(inbox: Inbox, token: str, lang: str = "en") -> tuple[signed.Link, int, str]:
    """The link ``token`` with its entry's number and document, if it may still be used (WF843-WF845)."""
    link = signed.read(inbox.link_key, token)
    signed.check(link, inbox.engine.clock.now())
    with inbox.gate:
        with inbox.engine.transaction() as uow:
            if uow.session.get(ApprovalUserSetup, link.user) is None:
                raise LinkInvalid(f"the link's user {link.user} is not in the approval user setup")
            if signed.was_used(uow, link):
                raise LinkUsed("the link was used already; each link works once")
        try:
            entry = inbox.engine.approval_history(link.entry_id).entry
        except ApprovalError:
            raise LinkInvalid("the link's approval entry does not exist") from None
    return link, entry.entry_no, document(entry, lang)


def _link_page(inbox: Inbox, request: Request, token: str) -> Response:
    try:
        link, entry_no, doc = _valid_link(inbox, token, inbox.anonymous_language(request))
    except LinkInvalid as exc:
        inbox.count_failure(client(request), exc.code)
        return link_refused(inbox, request, exc)
    except InboxError as exc:
        return link_refused(inbox, request, exc)
    pre, new = inbox.pre_cookie(request)
    response = inbox.render(request, "link.html", title_key="link.title", flash=[],
                            csrf_token=inbox.pre_token(pre), link_user=link.user, document=doc,
                            entry_no=entry_no, action=f"{ROOT}/link/{token}")
    if new:
        inbox.set_pre_cookie(request, response, pre)
    return response


@router.get(ROOT + "/link/{token}")
def link_page(request: Request, token: str) -> Response:
    inbox = inbox_of(request)
    wait = inbox.blocked_for(client(request))
    if wait is not None:
        return link_refused(inbox, request, TooManyFailures("too many failures"))
    return _link_page(inbox, request, token)


def _use_link(inbox: Inbox, request: Request, token: str, form_token: str) -> Response:
    pre = request.cookies.get(sessions.PRE_COOKIE, "")
    try:
        sessions.check_token(inbox.pre_token(pre) if pre else "\x00", form_token)
        link, entry_no, _ = _valid_link(inbox, token)
        now = inbox.engine.clock.now()
        cookie = inbox.begin(request, link.user, "link",
                             lambda uow: signed.use(uow, link, client(request), now))
    except LinkInvalid as exc:
        inbox.count_failure(client(request), exc.code)
        return link_refused(inbox, request, exc)
    except InboxError as exc:
        return link_refused(inbox, request, exc)
    response = inbox.redirect(f"{ROOT}/entries/{entry_no}")
    inbox.set_cookie(request, response, cookie)
    return response


@router.post(ROOT + "/link/{token}")
async def use_link(request: Request, token: str) -> Response:
    inbox = inbox_of(request)
    form = await request.form(max_files=0, max_fields=20)
    return await run_in_threadpool(_use_link, inbox, request, token, _text(form, sessions.FIELD))
