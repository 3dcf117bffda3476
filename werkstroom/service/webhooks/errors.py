"""The errors of webhook subscriptions and deliveries (WF820-WF826, docs/diagnostics.md)."""

from __future__ import annotations

from ...errors import WerkstroomError


class WebhookError(WerkstroomError):
    """A webhook request refused before anything changed; ``code`` says why (WF820-WF825)."""

    code = "WF820"


class BadUrl(WebhookError):
    code = "WF820"


class BadKinds(WebhookError):
    code = "WF821"


class UnknownSubscription(WebhookError):
    code = "WF822"


class UnknownDelivery(WebhookError):
    code = "WF823"


class NotDead(WebhookError):
    code = "WF824"


class BadSecret(WebhookError):
    code = "WF825"


class BadWorkerSetting(WerkstroomError):
    """WF826: a worker setting out of its range."""

    code = "WF826"


__all__ = ["BadKinds", "BadSecret", "BadUrl", "BadWorkerSetting", "NotDead", "UnknownDelivery",
           "UnknownSubscription", "WebhookError"]
