"""What each OS process of the send race runs (tests/engine/test_second_start.py)."""

from __future__ import annotations

from typing import Any

from werkstroom.engine.facade import open_engine
from werkstroom.errors import WerkstroomError

INVOICE = {"document_type": "Invoice", "no": "PI-7", "status": "Open", "amount": "4500", "amount_lcy": "4500",
           "purchaser_code": "BY"}


def send(url: str, start: Any, answers: Any, n: int, key: str | None) -> None:
    """Open an engine of its own on ``url``, wait at ``start`` for the others, send the invoice for
    approval and put (n, outcome, instance id, replayed, error code) on ``answers``."""
    engine = open_engine(url)
    try:
        start.wait(60)
        try:
            r = engine.emit("PurchaseDocSentForApproval", INVOICE, user="BUYER", idempotency_key=key)
            answers.put((n, r.outcome, r.instance_id, r.replayed, None))
        except WerkstroomError as exc:
            answers.put((n, "refused", getattr(exc, "instance_id", None), False, exc.code))
    except BaseException as exc:  # anything else is the test's failure, with what it was
        answers.put((n, "crashed", None, False, repr(exc)))
    finally:
        engine.close()
