"""`wf check` time grows linearly with the size of a script, whatever its shape.

No fixed time limits: each test measures a baseline (1,000 ordinary lines) in the same run and
compares with a generous bound, so a loaded machine slows both sides alike. The long input is checked
in a child process that is stopped when it takes far too long, so a regression fails instead of
hanging the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from werkstroom.binding.checking import check_sources
from werkstroom.source import SourceFile

ROOT = Path(__file__).parents[2]
EXAMPLE = (ROOT / "examples" / "purchase-invoice-eu.wf").read_text(encoding="utf-8")
STEP = "on PurchaseDocReleased then release document\n"
MB = 1_000_000
BOUND = 10
"""A 1 MB script of one of the shapes below may take at most this many times the baseline."""

CHILD = """
import json, sys, time
from werkstroom.binding.checking import check_sources
from werkstroom.source import SourceFile
text = sys.stdin.read()
check_sources([SourceFile("warm-up.wf", "on PurchaseDocReleased then release document\\n")])
t0 = time.perf_counter()
result = check_sources([SourceFile("big.wf", text)])
print(json.dumps([time.perf_counter() - t0, sorted({d.code for d in result.diagnostics})]))
"""


def ordinary(lines: int) -> str:
    """About ``lines`` lines of the example workflow, each copy under its own code."""
    per = EXAMPLE.count("\n")
    return "".join(EXAMPLE.replace("PIAPW-EU", f"PIAPW-{i}") for i in range(lines // per + 1))


def baseline() -> float:
    text = ordinary(1000)
    check_sources([SourceFile("warm-up.wf", STEP)])
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        check_sources([SourceFile("ordinary.wf", text)])
        best = min(best, time.perf_counter() - t0)
    return best


def check_in_child(text: str, limit: float) -> tuple[float, list[str]]:
    try:
        out = subprocess.run([sys.executable, "-c", CHILD], input=text, capture_output=True,
                             text=True, timeout=limit, cwd=ROOT, check=True).stdout
    except subprocess.TimeoutExpired:
        pytest.fail(f"checking a {len(text):,}-character script took over {limit:.0f} s")
    seconds, codes = json.loads(out)
    return float(seconds), list(codes)


SHAPES = {
    # one long comment line with more lines after it (its end of line starts the next line's indent)
    "long comment": STEP + "# " + "x" * MB + "\n" + STEP,
    "long indented comment": "workflow A\n  on PurchaseDocReleased then\n    release document\n    # "
                             + "x" * MB + "\n    release document\n",
    "many comment lines": STEP + ("# " + "x" * 78 + "\n") * (MB // 81) + STEP,
}


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_1mb_script_checks_in_about_the_time_of_1000_ordinary_lines(shape: str) -> None:
    base = baseline()
    seconds, codes = check_in_child(SHAPES[shape], limit=max(60.0, 40 * base))
    assert not [c for c in codes if c.startswith("WF1")], codes  # it parsed: the comment was read
    assert seconds <= BOUND * base, f"{shape}: {seconds:.2f} s, 1,000 ordinary lines {base:.2f} s"


def _best_of_3(text: str) -> float:
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        check_sources([SourceFile("big.wf", text)])
        best = min(best, time.perf_counter() - t0)
    return best


def test_a_long_text_literal_checks_about_as_fast_as_a_long_comment() -> None:
    """The text terminal scans a run of plain characters in one step (a regex alternation per character
    made a 1 MB text literal 14 times as slow as a 1 MB comment line; about 3 times now, the rest is the
    binder's work on the value)."""
    comment = STEP + "# " + "x" * MB + "\n" + STEP
    text = (STEP + 'on PurchaseDocReleased when buy_from_vendor_name = "' + "x" * MB + '" then\n'
            "  release document\n")
    check_sources([SourceFile("warm-up.wf", STEP)])
    ratio = _best_of_3(text) / _best_of_3(comment)
    assert ratio < 6, f"a 1 MB text literal took {ratio:.1f} times as long as a 1 MB comment"
