"""The service's settings: one frozen value ``create_app`` and `wf serve` take."""

from __future__ import annotations

import attrs

LOG_FORMATS = ("text", "json")


@attrs.frozen
class Settings:
    """How the service runs.

    ``log_format``: ``text`` (one readable line per request) or ``json`` (JSON lines).
    ``auth_failures``: how many failed authentications one client address may have within
    ``auth_window`` seconds before it is refused (429, WF803) for ``auth_block`` seconds.
    ``token_cache``: how many verified tokens each process keeps (a token's argon2 hash is checked
    once per process; whether it was revoked is read from the store on every request).
    ``max_body_bytes``: the largest request body read (WF809 beyond it): an event's record may have
    1,000,000 bytes as JSON (the engine's limit), with room for the rest of the request.
    ``page_limit``: the longest page of a list. ``explain``: evaluate conditions in explain mode, so
    event results carry the values each condition read (slower).
    The inbox (docs/inbox.md): ``base_url``, the address users reach the service at (notification
    e-mails link entries to its pages; '' for no links); ``link_hours``, how long such a link works;
    ``session_hours``, how long a signed-in session lasts."""

    log_format: str = attrs.field(default="text", validator=attrs.validators.in_(LOG_FORMATS))
    auth_failures: int = 10
    auth_window: float = 300.0
    auth_block: float = 300.0
    token_cache: int = 1024
    max_body_bytes: int = 4_000_000
    page_limit: int = 1000
    explain: bool = False
    base_url: str = ""
    link_hours: float = 72.0
    session_hours: float = 12.0
