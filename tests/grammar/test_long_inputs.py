"""1 MB scripts of long-line shapes (comment lines, a text literal) are read whole and checked.

How long they take against ordinary scripts is measured by ``bench/parse.py`` (ratios in one run);
here each is checked in a child process with a generous time-out, only so that a regression to
quadratic reading (which made a 40 KB comment take 30 s) fails instead of hanging the suite.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
STEP = "on PurchaseDocReleased then release document\n"
MB = 1_000_000
HANG_GUARD = 300.0
"""Seconds: far beyond any linear reading of 1 MB, even on a loaded machine."""

CHILD = """
import json, sys
from werkstroom.binding.checking import check_sources
from werkstroom.source import SourceFile
result = check_sources([SourceFile("big.wf", sys.stdin.read())])
print(json.dumps(sorted({d.code for d in result.diagnostics})))
"""

SHAPES = {
    # one long comment line with more lines after it (its end of line starts the next line's indent)
    "long comment": STEP + "# " + "x" * MB + "\n" + STEP,
    "long indented comment": "workflow A\n  on PurchaseDocReleased then\n    release document\n    # "
                             + "x" * MB + "\n    release document\n",
    "many comment lines": STEP + ("# " + "x" * 78 + "\n") * (MB // 81) + STEP,
    "long text literal": STEP + 'on PurchaseDocReleased when buy_from_vendor_name = "' + "x" * MB
                         + '" then\n  release document\n',
}


def check_in_child(text: str) -> list[str]:
    try:
        out = subprocess.run([sys.executable, "-c", CHILD], input=text, capture_output=True,
                             text=True, timeout=HANG_GUARD, cwd=ROOT, check=True).stdout
    except subprocess.TimeoutExpired:
        pytest.fail(f"checking a {len(text):,}-character script did not end in {HANG_GUARD:.0f} s")
    return list(json.loads(out))


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_a_1mb_script_is_read_whole(shape: str) -> None:
    codes = check_in_child(SHAPES[shape])
    assert not [c for c in codes if c.startswith("WF1")], codes  # it parsed: the long line was read


def test_the_guard_sees_a_syntax_error_after_the_long_line() -> None:
    """The child's codes are real: a broken line after 1 MB of comment is reported."""
    codes = check_in_child(STEP + "# " + "x" * MB + "\non then\n")
    assert [c for c in codes if c.startswith("WF1")], codes
