"""docs/tools.md, "Version diff", shows `wf diff`'s output as the commands print it: each shown line is
checked against a run of the documented commands (the instance id, which a store makes new each time,
aside)."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner

from werkstroom.cli import cli

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "tools.md").read_text(encoding="utf-8")
SECTION = DOC[DOC.index("## Version diff"):].split("\n## ", 1)[0]
INSTANCE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def _blocks() -> list[tuple[list[str], list[str]]]:
    """Each example block of the section: its `$ ` command lines and the lines it shows."""
    out = []
    for block in re.findall(r"```\n(\$ .*?)```", SECTION, re.S):
        lines = block.rstrip("\n").split("\n")
        commands = [ln[2:] for ln in lines if ln.startswith("$ ")]
        shown = [ln for ln in lines if not ln.startswith("$ ") and not ln.lstrip().startswith("...")]
        out.append((commands, shown))
    return out


def _run(command: str, db: str) -> str:
    """One documented command on the test's store, in place of the store it names or the default one
    (`wf diff` without `--db` reads no store, and is run so)."""
    args = shlex.split(command)
    assert args[0] == "wf"
    store = ["--db", db]
    if "--db" in args:
        at = args.index("--db")
        del args[at:at + 2]
    elif args[1] == "diff":
        store = []
    got = CliRunner().invoke(cli, [*store, *args[1:]])
    assert got.exit_code in (0, 1), got.output
    return INSTANCE.sub("ID", got.stdout)


@pytest.mark.parametrize("n", range(3))
def test_the_documented_output(n: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocks = _blocks()
    assert len(blocks) == 3
    commands, shown = blocks[n]
    monkeypatch.chdir(ROOT)
    db = f"sqlite:///{tmp_path / 'werkstroom.db'}"
    printed = ""
    for command in commands:
        printed = _run(command, db)
    lines = printed.replace(db, "sqlite:///werkstroom.db").splitlines()
    missing = [line for line in shown if INSTANCE.sub("ID", line) not in lines]
    assert missing == []
    if n == 0:  # shown whole
        assert lines == shown
