"""E-mail delivery over SMTP (``smtplib``): host, port, STARTTLS or implicit TLS from the settings,
credentials only from the environment variables the settings name (never stored)."""

from __future__ import annotations

import os
import smtplib
import ssl
from email.message import EmailMessage
from typing import Protocol

import attrs

from ...store.notifications import SmtpSettings
from ..approvals.errors import ApprovalError


class Transport(Protocol):
    def send(self, to: str, subject: str, body: str) -> None:
        """Deliver one message or raise."""


class EntryLinks(Protocol):
    """What a notification e-mail links an approval entry with: the address of the entry's page for
    the recipient (`wf serve --base-url` gives one: a signed one-time link to the inbox)."""

    def entry_link(self, recipient: str, entry_id: str) -> str:
        """The address ``recipient`` opens the approval entry ``entry_id`` at."""


@attrs.frozen
class SmtpConfig:
    host: str
    port: int
    sender: str
    starttls: bool = False
    ssl: bool = False
    username_env: str = ""
    password_env: str = ""
    timeout_seconds: int = 10

    @classmethod
    def from_settings(cls, s: SmtpSettings) -> SmtpConfig:
        return cls(host=s.host, port=s.port, sender=s.sender, starttls=s.starttls, ssl=s.ssl,
                   username_env=s.username_env, password_env=s.password_env,
                   timeout_seconds=s.timeout_seconds)

    def credentials(self) -> tuple[str, str] | None:
        if not self.username_env and not self.password_env:
            return None
        values = []
        for name in (self.username_env, self.password_env):
            if not name or name not in os.environ:
                shown = name or "(unnamed)"
                raise ApprovalError("WF624", f"SMTP credentials: environment variable {shown!r} is not set")
            values.append(os.environ[name])
        return values[0], values[1]


class SmtpTransport:
    """Sends each message over a fresh SMTP connection."""

    def __init__(self, config: SmtpConfig, tls_context: ssl.SSLContext | None = None) -> None:
        self.config = config
        self.tls_context = tls_context

    def send(self, to: str, subject: str, body: str) -> None:
        cfg = self.config
        creds = cfg.credentials()
        msg = EmailMessage()
        msg["From"] = cfg.sender
        msg["To"] = to
        msg["Subject"] = subject
        msg.set_content(body)
        context = self.tls_context or ssl.create_default_context()
        smtp: smtplib.SMTP
        if cfg.ssl:
            smtp = smtplib.SMTP_SSL(cfg.host, cfg.port, timeout=cfg.timeout_seconds, context=context)
        else:
            smtp = smtplib.SMTP(cfg.host, cfg.port, timeout=cfg.timeout_seconds)
        with smtp:
            if cfg.starttls and not cfg.ssl:
                smtp.starttls(context=context)
            if creds is not None:
                smtp.login(*creds)
            smtp.send_message(msg)
