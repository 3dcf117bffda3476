"""The world behind the steps: naming records, reading tables, and the messages a consultant sees
when a table or a name is wrong."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from werkstroom.specs.steps_given import user_row
from werkstroom.specs.world import SpecError, World, norm, pairs_of, rows_of, table_text


@pytest.fixture
def world() -> Iterator[World]:
    w = World()
    yield w
    w.close()


def test_record_names(world: World) -> None:
    t = world.thing("purchase invoice", "1001")
    assert (t.record_type, t.values) == ("PurchaseHeader", {"document_type": "Invoice", "no": "1001",
                                                           "status": "Open"})
    assert world.thing("Purchase  Invoice", "1001") is t
    batch = world.thing("general journal batch", "GENERAL/DEFAULT")
    assert batch.values == {"journal_template_name": "GENERAL", "name": "DEFAULT"}
    generic = world.thing("PurchaseHeader", "Order|7")
    assert generic.values == {"document_type": "Order", "no": "7", "status": "Open"}


def test_record_name_errors(world: World) -> None:
    with pytest.raises(SpecError, match="unknown kind of record 'spaceship'"):
        world.thing("spaceship", "1")
    with pytest.raises(SpecError, match="give journal_template_name and name separated by '/'"):
        world.thing("general journal batch", "DEFAULT")
    with pytest.raises(SpecError, match="has not created customer \"C9\" yet"):
        world.thing("customer", "C9", create=False)


def test_field_names_in_words(world: World) -> None:
    assert world.field_name("Customer", "Credit limit (LCY)") == "credit_limit_lcy"
    assert world.field_name("Customer", "credit limit") == "credit_limit_lcy"
    with pytest.raises(SpecError, match="Customer has no field 'colour'"):
        world.field_name("Customer", "colour")


def test_tables() -> None:
    assert rows_of([["user", " approver "], ["REQ", " ANN"]]) == [{"user": "REQ", "approver": "ANN"}]
    assert pairs_of([["field", "value"], ["amount", "5"]]) == {"amount": "5"}
    with pytest.raises(SpecError, match="two-column table"):
        pairs_of([["a", "b", "c"]])
    with pytest.raises(SpecError, match="header row"):
        rows_of([])
    assert norm(" Sell-to Customer No. ") == "sell_to_customer_no"
    assert table_text(["a", "bb"], [["xxx", "y"]]) == ["| a   | bb |", "| xxx | y  |"]


def test_user_rows() -> None:
    row = user_row({"user": "ANN", "approver": "CEO", "purchase limit": "1,000", "sales limit": "unlimited",
                    "administrator": "yes"})
    assert row == {"id": "ANN", "approver": "CEO", "purchase_limit": "1000", "unlimited_sales": True,
                   "administrator": True, "email": "ann@example.com"}
    with pytest.raises(SpecError, match="unknown column 'boss'"):
        user_row({"user": "ANN", "boss": "CEO"})
    with pytest.raises(SpecError, match="write yes or no"):
        user_row({"user": "ANN", "administrator": "maybe"})


def test_clock(world: World) -> None:
    world.set_today(dt.date(2026, 2, 2))
    assert world.now() == dt.datetime(2026, 2, 2, 9, 0, tzinfo=dt.UTC)
    world.set_today(dt.date(2026, 2, 3))
    with pytest.raises(SpecError, match="cannot go back"):
        world.set_today(dt.date(2026, 2, 1))


def test_setup_refusal_is_explained(world: World) -> None:
    with pytest.raises(SpecError, match=r"the approval setup was refused: .*time zone"):
        world.load_setup({"users": [{"id": "ANN", "time_zone": "Mars/Olympus"}]})


def test_template_edits(world: World) -> None:
    text = world.template_text("MS-PIAPW", "MY-PI")
    assert "workflow MY-PI " in text and "MS-PIAPW" not in text.split("\n", 2)[1]
    with pytest.raises(SpecError, match="does not contain 'no such text'"):
        world.template_text("MS-PIAPW", "X", [("no such text", "y")])
    with pytest.raises(SpecError, match="there is no template 'MS-NOPE'"):
        world.template_text("MS-NOPE", "X")
