"""docs/tools.md's BC XML examples are what the commands print and write."""

from __future__ import annotations

import re
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from werkstroom.cli import cli

from .test_bcxml_templates import shipped, structure

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "tools.md").read_text(encoding="utf-8")
SECTION = DOC[DOC.index("## BC XML import and export"):]


def blocks(kind: str) -> list[str]:
    """The section's fenced blocks of one kind ('' for plain ones), in order."""
    return [body for lang, body in re.findall(r"^```(\w*)\n(.*?)^```$", SECTION, re.S | re.M) if lang == kind]


def test_the_import_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    res = CliRunner().invoke(cli, ["import", "bc", "examples/bc/purchase-order-approval.xml", "-o",
                                   str(tmp_path)])
    assert res.exit_code == 0
    written = (tmp_path / "POAPW-01.wf").read_text(encoding="utf-8")
    assert blocks("wf") == [written]
    assert blocks("")[0] == res.stderr
    from werkstroom.tools.bcxml.convert import import_bc

    from .test_bcxml_templates import bound_scripts, catalogue

    (script,) = import_bc((ROOT / "examples/bc/purchase-order-approval.xml").read_bytes(), "x.xml",
                          catalogue()).scripts
    copy = bound_scripts([script])["POAPW-01"]
    original = shipped()["MS-POAPW"]
    assert structure(attrs.evolve(copy, code="MS-POAPW", template=True)) == structure(original)


def test_the_export_examples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    out = tmp_path / "credit-limit.xml"
    res = CliRunner().invoke(cli, ["export", "bc", "examples/customer-credit-limit.wf", "-o", str(out)])
    assert res.exit_code == 0
    xml = out.read_text(encoding="utf-8")
    assert xml.count("<WorkflowStep ") == 14
    for line in blocks("xml")[2].splitlines():
        assert line.strip() in xml, line
    res = CliRunner().invoke(cli, ["export", "bc", "examples/purchase-invoice-eu.wf", "-o", "eu.xml"])
    assert res.exit_code == 1 and not (ROOT / "eu.xml").exists()
    shown = blocks("")[1]
    assert shown.startswith("$ wf export bc examples/purchase-invoice-eu.wf -o eu.xml\n")
    assert shown.split("\n", 1)[1] == res.stderr


def test_the_conditions_shown_are_the_files() -> None:
    import base64

    text = (ROOT / "examples/bc/purchase-order-approval.xml").read_text(encoding="utf-8")
    first = re.search(r'EventConditions="([^"]+)"', text)
    assert first is not None
    decoded = base64.b64decode(first.group(1)).decode("utf-16-le")
    for item in re.findall(r"<DataItem .*?</DataItem>", blocks("xml")[1]):
        assert item in decoded
    assert first.group(1).startswith(re.findall(r'EventConditions="([^.]+)\.\.\."', blocks("xml")[0])[0])
