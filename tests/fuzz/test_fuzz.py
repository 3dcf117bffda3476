"""A slice of the mutation fuzzer (tests/fuzz/run.py) in the suite: no mutated script raises.

The full run (``python tests/fuzz/run.py --count 20000 --seed 1``) also reports the slowest input;
the suite does not time inputs (the machines running it are shared)."""

from __future__ import annotations

import pytest

from tests.fuzz.run import fuzz, mutants


@pytest.mark.parametrize("seed", [1, 2])
def test_mutated_scripts_only_yield_diagnostics(seed: int) -> None:
    failed: list[str] = []
    failures, _, _, _ = fuzz(125, seed, report=lambda n, text, tb: failed.append(f"{text[:200]!r}\n{tb}"))
    assert failures == 0, failed[0]


def test_mutants_are_reproducible() -> None:
    assert list(mutants(20, 7)) == list(mutants(20, 7)) != list(mutants(20, 8))
