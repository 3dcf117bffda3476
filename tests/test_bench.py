"""The benchmarks' own behaviour (their figures are printed, not tested: see bench/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]

WITHOUT_RULE_ENGINE = """
import runpy, sys
sys.modules["rule_engine"] = None  # as when the `bench` extra is not installed: import fails
sys.argv = ["bench/conditions.py", "--records", "10"]
runpy.run_path("bench/conditions.py", run_name="__main__")
"""


def test_conditions_bench_without_the_bench_extra_says_how_to_install_it() -> None:
    r = subprocess.run([sys.executable, "-c", WITHOUT_RULE_ENGINE], cwd=ROOT, capture_output=True,
                       text=True, timeout=120, check=False)
    assert r.returncode == 1 and r.stdout == ""
    assert "Traceback" not in r.stderr
    assert r.stderr.strip().endswith("the `bench` extra: python -m pip install -e '.[bench]'")


def test_the_readme_names_the_extra_in_the_measure_row() -> None:
    (row,) = [line for line in (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
              if line.startswith("| measure |")]
    assert "`python bench/conditions.py` (needs the `bench` extra: `python -m pip install -e '.[bench]'`)" \
        in row
