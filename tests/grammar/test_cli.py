"""`wf check`, `wf fmt` and `wf explain` through click: output formats and exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from werkstroom.cli import cli

ROOT = Path(__file__).parents[2]
GOOD = "on PurchaseDocReleased when amount > 1000 then request approval from approver chain\n"
BAD = "on PurchaseDocReleased when amount > 1000\n  release document\n"


def run(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(cli, list(args))
    return r.exit_code, r.output


def test_check_examples_parse(tmp_path: Path) -> None:
    # syntax only here: binding is the binder's tests' business
    from werkstroom.binding.checking import check_paths

    result = check_paths([ROOT / "examples"], bind=False)
    assert result.diagnostics == ()
    assert len(result.sources) >= 3


def test_check_broken_file_text_short_json(tmp_path: Path) -> None:
    f = tmp_path / "bad.wf"
    f.write_text(BAD)
    code, out = run("check", "--no-color", str(f))
    assert code == 1
    assert "error[WF103]: expected `then` after the condition" in out
    assert f" --> {f}:1:42" in out and "Found 1 error in 1 file." in out
    assert "\x1b[" not in out
    code, out = run("check", "--format", "short", str(f))
    assert code == 1
    assert out == f"{f}:1:42: error[WF103]: expected `then` after the condition, found `release`\n"
    code, out = run("check", "--format", "json", str(f))
    assert code == 1 and json.loads(out)[0]["code"] == "WF103"


def test_check_colour_on_request(tmp_path: Path) -> None:
    f = tmp_path / "bad.wf"
    f.write_text(BAD)
    assert "\x1b[" in run("check", "--color", str(f))[1]


def test_check_directories_recurse(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.wf").write_text(BAD)
    (tmp_path / "b.wf").write_text(BAD)
    (tmp_path / "notes.txt").write_text("not a script")
    code, out = run("check", "--format", "short", str(tmp_path))
    assert code == 1 and out.count("WF103") == 2


def test_check_exit_2_for_missing_files_and_usage() -> None:
    code, out = run("check", "/no/such/file.wf")
    assert code == 2 and "WF100" in out
    code, _ = run("check")
    assert code == 2
    code, _ = run("check", "--format", "xml", "x.wf")
    assert code == 2


def test_check_empty_file_warns_but_passes(tmp_path: Path) -> None:
    f = tmp_path / "empty.wf"
    f.write_text("")
    code, out = run("check", "--format", "short", str(f))
    assert code == 0 and "warning[WF113]" in out


def test_fmt_check_and_write(tmp_path: Path) -> None:
    f = tmp_path / "x.wf"
    f.write_text("on  A   then   x ,y\n")
    code, out = run("fmt", "--check", str(f))
    assert code == 1 and "would reformat" in out
    assert f.read_text() == "on  A   then   x ,y\n"
    code, out = run("fmt", str(f))
    assert code == 0 and f.read_text() == "on A then x, y\n"
    code, _ = run("fmt", "--check", str(f))
    assert code == 0
    g = tmp_path / "broken.wf"
    g.write_text(BAD)
    code, out = run("fmt", str(g))
    assert code == 1 and "WF103" in out and g.read_text() == BAD


def test_fmt_diff_prints_the_diff_and_writes_nothing(tmp_path: Path) -> None:
    f = tmp_path / "x.wf"
    f.write_text("on  A   then   x ,y\n")
    code, out = run("fmt", "--diff", str(f))
    assert code == 0 and f.read_text() == "on  A   then   x ,y\n"
    assert "-on  A   then   x ,y\n+on A then x, y\n" in out and "reformatted x.wf" not in out
    assert "1 file would be reformatted" in out
    code, out = run("fmt", "--diff", "--check", str(f))
    assert code == 1 and "+on A then x, y" in out and f.read_text() == "on  A   then   x ,y\n"


def test_version() -> None:
    from importlib.metadata import version

    code, out = run("--version")
    assert code == 0 and out == f"wf {version('werkstroom')}\n"


def test_fmt_check_examples_are_canonical() -> None:
    code, out = run("fmt", "--check", *(str(p) for p in sorted((ROOT / "examples").glob("*.wf"))))
    assert code == 0, out


def test_explain() -> None:
    code, out = run("explain", "wf103")
    assert code == 0 and out.startswith("WF103 (error): ")
    assert "then" in out
    code, _ = run("explain", "WF999x")
    assert code == 2


def test_fmt_stdin_to_stdout() -> None:
    r = CliRunner().invoke(cli, ["fmt", "-"], input="on  A  then x ,y # c\n")
    assert r.exit_code == 0 and r.output == "on A then x, y  # c\n"
    r = CliRunner().invoke(cli, ["fmt", "-"], input=BAD)
    assert r.exit_code == 1 and "WF103" in r.output


def test_fmt_a_file_that_cannot_be_written_is_wf115(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ro, ok = tmp_path / "ro.wf", tmp_path / "ok.wf"
    ro.write_text("on  A   then   x\n")
    ok.write_text("on  B   then   y\n")
    real = Path.write_text

    def refuse(self: Path, *args: Any, **kwargs: Any) -> int:
        if self.name == "ro.wf":  # as for a read-only file (root ignores chmod, so simulated)
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Path, "write_text", refuse)
    r = CliRunner().invoke(cli, ["fmt", str(ro), str(ok)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 2 and "error[WF115]: cannot write" in r.output and "Permission denied" in r.output
    assert "0 files reformatted" not in r.output and "1 file reformatted" in r.output
    assert ok.read_text() == "on B then y\n"  # the other files are still formatted
