"""The inbox's plumbing shared by its routes: the ``Inbox`` (the service's engine, gate and failure
limit, the keys, the templates and the lifetimes), rendering a page in the user's language with the
security headers every page carries, and the session and pre-session cookies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ...engine.facade import Engine
from ...engine.unit import UnitOfWork
from ...errors import WerkstroomError
from ..context import Service
from ..problems import status_of
from ..settings import Settings
from . import sessions
from .errors import BadSettings, NotSignedIn
from .links import SignedLinks, base_url
from .pages import Viewer
from .secret import derive, given_secret, service_secret
from .sessions import SignedIn
from .texts import TEXTS, language, preferred, translator

ROOT = "/inbox"
STATIC = ROOT + "/static"
LANG_COOKIE = "wf_lang"
# every page: nothing framed, scripts and styles from this site only, forms posted only here, no
# referrer to other sites (a signed link's address is in the URL), nothing kept in caches
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; "
                               "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
                               "object-src 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def _hours(name: str, value: float) -> dt.timedelta:
    if not isinstance(value, int | float) or isinstance(value, bool) or not 0 < value <= 24 * 366:
        raise BadSettings(f"{name} must be a positive number of hours (at most a year), not {value!r}")
    return dt.timedelta(hours=value)


def check(settings: Settings) -> None:
    """WF849 unless the inbox's settings are usable (base URL, lifetimes, WERKSTROOM_SECRET)."""
    given_secret()
    _hours("--session-hours", settings.session_hours)
    _hours("--link-hours", settings.link_hours)
    if settings.base_url:
        base_url(settings.base_url)


class Inbox:
    """Everything the inbox's routes share: the service's ``engine`` and the ``gate`` held around each
    use of the store, the keys made from the service's secret, the signed links (``links``, None
    without a base URL), the lifetimes and the templates. WF849 when the settings are not usable."""

    def __init__(self, service: Service) -> None:
        settings = service.settings
        self.service = service
        self.engine: Engine = service.engine
        self.gate = service.gate
        self.session_lifetime = _hours("--session-hours", settings.session_hours)
        self.link_lifetime = _hours("--link-hours", settings.link_hours)
        base = base_url(settings.base_url) if settings.base_url else ""
        with self.gate:
            secret = service_secret(self.engine)
        self.link_key = derive(secret, "links")
        self.form_key = derive(secret, "sign-in form")
        self.links = SignedLinks(secret, base, self.link_lifetime, self.engine.clock) if base else None
        self.templates = Environment(loader=PackageLoader("werkstroom.service.inbox", "templates"),
                                     autoescape=select_autoescape(["html"], default=True),
                                     undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)

    # ------------------------------------------------------------------ the service's parts

    def status_of(self, exc: WerkstroomError) -> int:
        """The HTTP status of a refusal (the service's one table)."""
        return status_of(exc)

    @contextmanager
    def event(self, verb: str) -> Iterator[Engine]:
        """The engine behind the gate for one approval action, timed and counted as the API's are."""
        with self.service.event(verb) as engine:
            yield engine
        self.service.counted(verb, False)

    def blocked_for(self, address: str) -> int | None:
        return self.service.auth.blocked_for(address)

    def count_failure(self, address: str, code: str) -> None:
        """One failed sign-in or altered link from ``address`` (the limit API tokens share)."""
        self.service.metrics.auth_failures.labels(code).inc()
        self.service.auth.count_failure(address)

    # ------------------------------------------------------------------ rendering

    def render(self, request: Request, template: str, *, title_key: str = "", title: str = "",
               me: SignedIn | None = None, status: int = 200, flash: list[dict[str, Any]] | None = None,
               headers: dict[str, str] | None = None, **values: Any) -> Response:
        lang = me.language if me is not None else self.anonymous_language(request)
        t = translator(lang)
        context = {"t": t, "lang": lang, "me": me, "root": ROOT, "static": STATIC, "page": "",
                   "title": title or t(title_key), "flash": flash if flash is not None else
                   [dict(m) for m in (me.flash if me is not None else ())],
                   "csrf_token": me.csrf_token if me is not None else "", **values}
        html = self.templates.get_template(template).render(context)
        response = HTMLResponse(html, status_code=status, headers={**HEADERS, **(headers or {})})
        if me is not None and me.flash:
            self.store_flash(me, [])
        return response

    def redirect(self, to: str) -> Response:
        return RedirectResponse(to, status_code=303, headers=HEADERS)

    def anonymous_language(self, request: Request) -> str:
        asked = request.query_params.get("lang") or request.cookies.get(LANG_COOKIE)
        return language(asked) if asked in TEXTS else preferred(request.headers.get("accept-language"))

    # ------------------------------------------------------------------ sessions

    def signed_in(self, request: Request) -> SignedIn | None:
        with self.gate:
            found = sessions.find(self.engine, request.cookies.get(sessions.COOKIE))
        if found is not None:
            request.state.principal = f"user {found.user} (inbox)"  # for the request's log line
        return found

    def require(self, request: Request) -> SignedIn:
        found = self.signed_in(request)
        if found is None:
            raise NotSignedIn("sign in first")
        return found

    def viewer(self, me: SignedIn) -> Viewer:
        return Viewer(me.user, me.language, me.time_zone, me.administrator)

    def store_flash(self, me: SignedIn, messages: list[dict[str, Any]]) -> None:
        with self.gate:
            sessions.set_flash(self.engine, me.id, messages)

    def begin(self, request: Request, user: str, via: str,
              first: Callable[[UnitOfWork], None] | None = None) -> str:
        """A new session for ``user`` (its cookie value), in one transaction after ``first``; the
        browser's session before it, if any, ends."""
        with self.gate, self.engine.transaction() as uow:
            if first is not None:
                first(uow)
            sessions.end_cookie(uow, request.cookies.get(sessions.COOKIE))
            return sessions.start(uow, user, via, self.session_lifetime)

    def set_cookie(self, request: Request, response: Response, cookie: str) -> None:
        response.set_cookie(sessions.COOKIE, cookie, max_age=int(self.session_lifetime.total_seconds()),
                            path=ROOT, secure=self.secure(request), httponly=True, samesite="lax")

    def clear_cookie(self, request: Request, response: Response) -> None:
        response.delete_cookie(sessions.COOKIE, path=ROOT, secure=self.secure(request), httponly=True,
                               samesite="lax")

    def secure(self, request: Request) -> bool:
        """Cookies are Secure when the page was asked over https (or the base URL is https)."""
        https_base = self.links is not None and self.links.base.startswith("https:")
        return request.url.scheme == "https" or https_base

    # ------------------------------------------------------------------ forms before signing in

    def pre_cookie(self, request: Request) -> tuple[str, bool]:
        """The browser's pre-session cookie, and whether it is new (to be set on the response)."""
        found = request.cookies.get(sessions.PRE_COOKIE)
        if found and 20 <= len(found) <= 100:
            return found, False
        return sessions.new_pre_cookie(), True

    def set_pre_cookie(self, request: Request, response: Response, value: str) -> None:
        response.set_cookie(sessions.PRE_COOKIE, value, path=ROOT, secure=self.secure(request), httponly=True,
                            samesite="lax")

    def pre_token(self, pre: str) -> str:
        return sessions.pre_token(self.form_key, pre)
