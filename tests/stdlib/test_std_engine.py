"""The stdlib's check responses run through the real engine (wf simulate), not only a fake context."""

from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).parent / "data"


def test_credit_limit_and_batch_balance_checks_through_the_engine() -> None:
    from werkstroom.simulation.run import simulate

    sim = simulate([DATA / "checks.wf"], DATA / "checks.toml")
    text = json.dumps(sim.to_json(), default=str)
    assert sim.ok, text
    assert "Over the credit limit." in text
    assert "The batch is balanced." in text and "The batch is not balanced." in text
    assert "customer C2: no credit limit is set" in text
