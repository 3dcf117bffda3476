"""`wf simulate` with files and timeline values a user gets wrong: each is a coded refusal (WF511, WF101),
never an internal error (UnicodeDecodeError, TOMLDecodeError, OverflowError, a clock going back, ...)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from werkstroom.cli import cli
from werkstroom.simulation.run import ScenarioError, load_scenario, simulate

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "purchase-invoice-eu.wf"
ORG = ROOT / "examples" / "organisation.toml"

SEND = """\
[[timeline]]
event = "PurchaseDocSentForApproval"
user = "BUYER"
record = { document_type = "Invoice", no = "PI-1", status = "Open", amount = "25000", purchaser_code = "BY" }
"""

LATIN1 = "caf\u00e9 = 1\n".encode("latin-1")
DEEP = b"x = " + b"[" * 10_000 + b"]" * 10_000 + b"\n"


@pytest.mark.parametrize("content", [b"\x00\x01\xff\xfe", LATIN1])
def test_a_scenario_that_is_not_utf8_is_wf511(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "s.toml"
    p.write_bytes(content)
    with pytest.raises(ScenarioError, match="not UTF-8 text") as err:
        load_scenario(p)
    assert err.value.code == "WF511"


def test_a_scenario_nested_too_deeply_is_wf511(tmp_path: Path) -> None:
    p = tmp_path / "s.toml"
    p.write_text(DEEP.decode())
    with pytest.raises(ScenarioError, match="nested too deeply") as err:  # not a RecursionError
        load_scenario(p)
    assert err.value.code == "WF511"


@pytest.mark.parametrize(("setup", "words"), [(b"[[users]\nid = ", "is not valid TOML"),
                                              (LATIN1, "is not UTF-8 text"),
                                              (DEEP, "is not valid TOML: nested too deeply")],
                         ids=["not-toml", "latin-1", "nested-too-deeply"])
def test_a_broken_setup_file_is_wf511(tmp_path: Path, setup: bytes, words: str) -> None:
    (tmp_path / "org.toml").write_bytes(setup)
    (tmp_path / "s.toml").write_text('setup = "org.toml"\n')
    with pytest.raises(ScenarioError, match=f"setup file .*org.toml {words}") as err:
        simulate([EXAMPLE], tmp_path / "s.toml")
    assert err.value.code == "WF511"


@pytest.mark.parametrize(("entry", "words"), [
    ('[[timeline]]\nadvance = "-1D"\n', "goes back in time"),
    ('[[timeline]]\nadvance = "99999999D"\n', "moves a date by more than 100 years"),
    ('[[timeline]]\nadvance = "999999999999h"\n', "goes past the year 9999"),
    ('[[timeline]]\napprove = "FINANCE"\nentry = 99999999999999999999\n', "there is no approval entry"),
    (SEND.replace("[[timeline]]\n", "[[timeline]]\nidempotency_key = { a = 1 }\n"),
     "idempotency_key must be text"),
    (SEND.replace("[[timeline]]\n", "[[timeline]]\ninstance = 5\n"), "instance must be text"),
])
def test_timeline_values_out_of_range_are_wf511_steps(tmp_path: Path, entry: str, words: str) -> None:
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'setup = "{ORG.as_posix()}"\nstart = 2026-01-05T09:00:00Z\n'
                        + (SEND if "idempotency_key" not in entry and "instance" not in entry else "")
                        + entry)
    sim = simulate([EXAMPLE], scenario)
    last = sim.steps[-1]
    assert last.error is not None and last.error["code"] == "WF511", last.error
    assert words in last.error["message"]
    assert not sim.ok


@pytest.mark.parametrize("content", [b"\x00\x01\xff\xfe", LATIN1])
def test_cli_a_script_that_is_not_utf8_is_wf101(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "bad.wf").write_bytes(content)
    (tmp_path / "s.toml").write_text('title = "t"\n')
    for args in (["simulate", str(tmp_path / "bad.wf"), "--scenario", str(tmp_path / "s.toml")],
                 ["simulate", "--scenario", str(tmp_path / "named.toml")]):
        (tmp_path / "named.toml").write_text('scripts = ["bad.wf"]\n')
        r = CliRunner().invoke(cli, args)
        assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
        assert r.exit_code == 1 and "[WF101]" in r.output, r.output


@pytest.mark.parametrize("missing", ["script", "scenario", "script-dir", "scenario-dir"])
def test_cli_a_path_that_cannot_be_read_is_wf100_exit_2(tmp_path: Path, missing: str) -> None:
    scenario = tmp_path / "s.toml"
    scenario.write_text('title = "t"\n')
    gone = tmp_path / "nope" if "dir" not in missing else tmp_path
    script, scen = (gone, scenario) if missing.startswith("script") else (EXAMPLE, gone)
    r = CliRunner().invoke(cli, ["simulate", str(script), "--scenario", str(scen)])
    assert r.exit_code == 2 and f"`{gone}`" in r.output and "[WF100]" in r.output, r.output
