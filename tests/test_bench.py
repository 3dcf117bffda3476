"""The benchmarks' own behaviour (their figures are printed, not tested: see bench/)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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


def _server_bench(*args: str) -> str:
    import os

    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    r = subprocess.run([sys.executable, "bench/server.py", "--documents", "4", "--rounds", "1", *args],
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout


def test_the_server_bench_runs_the_http_part_against_a_real_server() -> None:
    out = _server_bench("--parts", "http")
    assert "ratio HTTP / in-process:" in out and "events/s" in out
    assert "HTTP API (2 server processes" in out, out
    verdict = next(line for line in out.splitlines() if "ratio HTTP / in-process:" in line)
    assert ("target met" in verdict) != ("TARGET MISSED" in verdict), verdict


@pytest.mark.postgres
@pytest.mark.parametrize("engine_url", ["postgresql"], indirect=True)
def test_the_server_bench_runs_the_postgresql_part_with_1_and_4_processes(engine_url: str) -> None:
    from tests.conftest import PG_URL  # the server the engine_url fixture found (or skipped, or failed)

    out = _server_bench("--parts", "pg", "--pg-url", PG_URL)
    assert "wf serve --workers 4:" in out and "ratio 4 / 1:" in out, out
