"""What the inbox asks of the engine besides approvals: a document's lines (``Engine.related``) and
the links notification e-mails carry (``EntryLinks``)."""

from __future__ import annotations

from typing import Any

import pytest

from werkstroom import Engine, InvalidInput, open_engine

from .conftest import invoice


def test_related_gives_a_documents_lines_in_key_order(engine: Engine) -> None:
    lines = [{"line_no": n, "type": "Item", "no": f"ITEM{n}", "quantity": "1", "direct_unit_cost": "1",
              "line_amount": "1"} for n in (20000, 9000, 10000)]
    engine.put_record("PurchaseHeader", {**invoice("PI-2000", "3"), "lines": lines})
    found = engine.related("PurchaseHeader", "Invoice|PI-2000", "lines")
    assert [line["line_no"] for line in found] == [9000, 10000, 20000]
    assert found[0]["document_no"] == "PI-2000"
    assert engine.related("PurchaseHeader", "Invoice|PI-2000", "no such relation") == []
    assert engine.related("PurchaseHeader", "Invoice|NONE", "lines") == []
    with pytest.raises(InvalidInput):
        engine.related("PurchaseHeader", "Invoice|PI-2000", "")


def test_links_without_entry_link_are_refused() -> None:
    with pytest.raises(InvalidInput) as err:
        open_engine("sqlite://", links=object())
    assert err.value.code == "WF530" and "entry_link" in err.value.message
    eng = open_engine("sqlite://")
    try:
        bad: Any = object()
        with pytest.raises(InvalidInput):
            eng.dispatch_notifications(links=bad)
    finally:
        eng.close()
