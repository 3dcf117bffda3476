"""Condition evaluation speed: our compiled condition vs a hand-written lambda vs rule-engine.

Run: python bench/conditions.py [--records N]
Needs the `bench` extra (rule-engine, the peer): python -m pip install -e '.[bench]'

One condition, the entry condition of a purchase invoice approval workflow:
    document_type = Invoice and status = Open and amount > 1000 and vendor_no in ["V1", "V2", "V3"]
evaluated on N records (default 100,000). Prints evaluations per second and the ratios.
Targets: compiled >= 0.5x the lambda (the ceiling), >= 10x rule-engine (the peer).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from werkstroom.binding.compiler import compile_condition
from werkstroom.binding.program import BAnd, BCompare, BConst, BField, BIn
from werkstroom.catalogue.specs import FieldKind as K

CONDITION = BAnd((
    BCompare("=", BField(("document_type",), K.ENUM, enum="PurchaseDocumentType"), BConst("Invoice", K.ENUM)),
    BCompare("=", BField(("status",), K.ENUM, enum="PurchaseDocumentStatus"), BConst("Open", K.ENUM)),
    BCompare(">", BField(("amount",), K.DECIMAL), BConst(Decimal("1000"), K.DECIMAL)),
    BIn(BField(("vendor_no",), K.CODE), (BConst("V1", K.CODE), BConst("V2", K.CODE), BConst("V3", K.CODE))),
))


def make_records(n: int, seed: int = 7) -> list[dict[str, Any]]:
    rnd = random.Random(seed)
    types = ["Quote", "Order", "Invoice", "Credit Memo"]
    statuses = ["Open", "Pending Approval", "Released"]
    return [
        {
            "document_type": rnd.choice(types),
            "status": rnd.choice(statuses),
            "amount": Decimal(rnd.randint(0, 500_000)) / 100,
            "vendor_no": rnd.choice(["V1", "V2", "V3", "V4", "V5"]),
        }
        for _ in range(n)
    ]


def no_related(values: Mapping[str, Any], relation: str) -> Sequence[Mapping[str, Any]]:
    return ()


def timed(fn: Callable[[dict[str, Any]], bool], records: list[dict[str, Any]]) -> tuple[float, int]:
    start = time.perf_counter()
    hits = 0
    for r in records:
        if fn(r):
            hits += 1
    elapsed = time.perf_counter() - start
    return len(records) / elapsed, hits


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--records", type=int, default=100_000)
    args = ap.parse_args()
    try:
        import rule_engine  # the peer
    except ImportError:
        sys.exit("bench/conditions.py compares with rule-engine, which is not installed; it comes with "
                 "the `bench` extra: python -m pip install -e '.[bench]'")
    records = make_records(args.records)

    compiled = compile_condition(CONDITION)
    vendors = frozenset({"v1", "v2", "v3"})
    limit = Decimal("1000")

    fast = compiled.fn  # what the engine calls

    def ours(r: dict[str, Any]) -> bool:
        return fast(r, None, no_related)

    # The ceiling: what a programmer would write by hand for the same test (same null and case rules).
    def hand(r: dict[str, Any]) -> bool:
        a = r.get("amount")
        v = r.get("vendor_no")
        return (r.get("document_type") == "Invoice" and r.get("status") == "Open"
                and a is not None and a > limit and v is not None and v.casefold() in vendors)

    rule = rule_engine.Rule(
        "document_type == 'Invoice' and status == 'Open' and amount > 1000 "
        "and vendor_no in ['V1', 'V2', 'V3']",
        context=rule_engine.Context(default_value=None),
    )

    def peer(r: dict[str, Any]) -> bool:
        return bool(rule.matches(r))

    rates = {}
    hits = {}
    for label, fn in (("compiled (werkstroom)", ours), ("hand-written lambda", hand), ("rule-engine", peer)):
        # rule-engine is slow: time it on a tenth of the records and scale
        sample = records if label != "rule-engine" else records[: max(1, len(records) // 10)]
        rate, h = timed(fn, sample)
        rates[label] = rate
        hits[label] = (h, len(sample))

    # the three must agree on the shared sample
    sample = records[: max(1, len(records) // 10)]
    assert [ours(r) for r in sample] == [hand(r) for r in sample] == [peer(r) for r in sample]

    print(f"condition evaluations on {args.records:,} records "
          f"(rule-engine timed on {len(sample):,} of them)")
    for label, rate in rates.items():
        h, n = hits[label]
        print(f"  {label:24} {rate:14,.0f} eval/s   ({h:,} of {n:,} matched)")
    ratio_lambda = rates["compiled (werkstroom)"] / rates["hand-written lambda"]
    ratio_peer = rates["compiled (werkstroom)"] / rates["rule-engine"]
    print(f"  compiled / lambda      = {ratio_lambda:.2f}x  (target >= 0.5x)")
    print(f"  compiled / rule-engine = {ratio_peer:.1f}x  (target >= 10x)")


if __name__ == "__main__":
    main()
