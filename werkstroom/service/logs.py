"""The service's logs: one line per request (method, path, status, time, client, principal, request
id) and the server's own messages, as readable text or as JSON lines (``--log-format json``).

Nothing a client sends as a credential is ever logged: the request line has the path without its
query, the principal is named by kind and name, and refusals carry the WF code and message only.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import sys
from typing import Any

LOGGER = "werkstroom.service"
# the attributes a request's log record carries (``extra=``), in the order a line shows them
REQUEST_FIELDS = ("request_id", "method", "path", "status", "duration_ms", "client", "principal", "code")
_PLAIN = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


class JsonLines(logging.Formatter):
    """A log record as one JSON object: time (UTC, ISO 8601), level, logger, message, the request's
    fields when it has them, and the traceback of an exception."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        for key, value in record.__dict__.items():
            if key not in _PLAIN and not key.startswith("_") and key != "color_message":
                data[key] = value
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return json.dumps(data, ensure_ascii=False, default=str)


class Text(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")


def formatter(log_format: str) -> logging.Formatter:
    return JsonLines() if log_format == "json" else Text()


def configure(log_format: str, stream: Any = None, level: int = logging.INFO) -> logging.Handler:
    """Send the service's and uvicorn's messages to ``stream`` (default stderr) in ``log_format``;
    uvicorn's own access log is left off (the service logs each request itself). Returns the handler."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter(log_format))
    for name in (LOGGER, "uvicorn", "uvicorn.error"):
        log = logging.getLogger(name)
        log.handlers = [handler]
        log.setLevel(level)
        log.propagate = False
    logging.getLogger("uvicorn.access").disabled = True
    return handler


def uvicorn_config(log_format: str) -> dict[str, Any]:
    """uvicorn's ``log_config``: its messages in the service's format on stderr, no access log."""
    fmt = ({"()": f"{__name__}.JsonLines"} if log_format == "json"
           else {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"})
    handler = {"class": "logging.StreamHandler", "formatter": "service", "stream": "ext://sys.stderr"}
    return {"version": 1, "disable_existing_loggers": False, "formatters": {"service": fmt},
            "handlers": {"service": handler},
            "loggers": {name: {"handlers": ["service"], "level": "INFO", "propagate": False}
                        for name in (LOGGER, "uvicorn", "uvicorn.error")}
            | {"uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False}}}


def request_line(fields: dict[str, Any]) -> str:
    """The text of a request's log line: ``POST /api/v1/events 200 3.1 ms client 127.0.0.1 system erp``."""
    who = fields.get("principal") or "-"
    code = f" {fields['code']}" if fields.get("code") else ""
    return (f"{fields['method']} {fields['path']} {fields['status']}{code} {fields['duration_ms']:.1f} ms "
            f"client {fields['client']} {who} [{fields['request_id']}]")
