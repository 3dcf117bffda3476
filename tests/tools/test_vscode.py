"""The VS Code extension in editors/vscode/: its TextMate grammar, checked with the npm tool
vscode-tmgrammar-test, its package manifest, and its language-server client.

(a) The hand-written grammar tests (editors/vscode/test/grammar/*.test.wf) pass, and they are .wf
text the parser reads the same way (the valid ones parse clean, the junk one does not). (b) Every
template the catalogue ships tokenizes without any ``invalid.*`` scope of the grammar: each template
is written to a temporary folder as a test file asserting, for every line, that none of the grammar's
invalid scopes appears; a template with junk put in fails that same check. The client's own tests run
with node's test runner, and, where `wf lsp` is installed, one starts the server as the extension
does and waits for its diagnostics.

The npm tools come from ``npm ci --prefix editors/vscode`` (``.ci/run`` does it and sets
WERKSTROOM_REQUIRE_NODE=1, so in CI these tests fail rather than skip without them).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from werkstroom.binding.libraries import load_catalogue
from werkstroom.grammar.parser import parse

ROOT = Path(__file__).resolve().parents[2]
EXT = ROOT / "editors" / "vscode"
GRAMMAR = EXT / "syntaxes" / "wf.tmLanguage.json"
TOOL = EXT / "node_modules" / ".bin" / "vscode-tmgrammar-test"
HEADER = '# SYNTAX TEST "source.wf" "{}"\n'
ASSERTION = re.compile(r"^#\s*(\^|<~*-+)")


def _need_node() -> str:
    node = shutil.which("node")
    missing = "node is not installed" if node is None else (
        "the npm tools are not installed (run `npm ci --prefix editors/vscode`)" if not TOOL.exists() else "")
    if missing:
        if os.environ.get("WERKSTROOM_REQUIRE_NODE") == "1":
            pytest.fail(f"{missing}, and WERKSTROOM_REQUIRE_NODE=1 asks for these tests")
        pytest.skip(missing)
    assert node is not None
    return node


def grammar_test(*files: Path) -> subprocess.CompletedProcess[str]:
    _need_node()
    return subprocess.run([str(TOOL), "--grammar", str(GRAMMAR), *(str(f) for f in files)], cwd=EXT,
                          capture_output=True, text=True, timeout=300)


def _names(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "name" and isinstance(value, str):
                yield value
            else:
                yield from _names(value)
    elif isinstance(node, list):
        for item in node:
            yield from _names(item)


def invalid_scopes() -> list[str]:
    """Every scope name the grammar gives junk (``invalid.illegal...``)."""
    grammar = json.loads(GRAMMAR.read_text(encoding="utf-8"))
    return sorted({n for n in _names(grammar) if n.startswith("invalid.")})


def no_invalid_test(text: str, title: str) -> str:
    """``text`` as a grammar test: after every line that is not blank, an assertion that none of its
    columns carries an invalid scope."""
    out = [HEADER.format(title)]
    banned = " ".join(invalid_scopes())
    for line in text.splitlines():
        assert not ASSERTION.match(line), f"{title}: a line reads as an assertion: {line!r}"
        out.append(line + "\n")
        if line.strip():
            out.append(f"# <{'-' * len(line)} source.wf - {banned}\n")
    return "".join(out)


# ----------------------------------------------------------------------------- (a) hand-written


def test_invalid_scopes_exist() -> None:
    assert invalid_scopes() == ["invalid.illegal.character.wf", "invalid.illegal.number.wf",
                                "invalid.illegal.unterminated-string.wf"]


def test_hand_written_grammar_tests_pass() -> None:
    files = sorted((EXT / "test" / "grammar").glob("*.test.wf"))
    assert len(files) >= 4
    res = grammar_test(*files)
    assert res.returncode == 0, res.stdout + res.stderr
    for f in files:
        assert f"{f.relative_to(EXT)} run successfuly" in res.stdout  # (sic: the tool's wording)


def test_grammar_tests_are_wf_the_parser_agrees_with() -> None:
    for f in sorted((EXT / "test" / "grammar").glob("*.test.wf")):
        errors = [d for d in parse(f.read_text(encoding="utf-8"), str(f)).diagnostics if d.is_error]
        if f.name.startswith("invalid"):
            assert errors, f"{f.name} should be junk to the parser too"
        else:
            assert not errors, f"{f.name}: {errors[0].code} {errors[0].message}"


def test_a_wrong_assertion_fails(tmp_path: Path) -> None:
    case = tmp_path / "wrong.test.wf"
    case.write_text(HEADER.format("wrong") + "on PurchaseDocReleased then release document\n"
                    "# <-- keyword.other.workflow.wf\n", encoding="utf-8")
    res = grammar_test(case)
    assert res.returncode != 0 and "missing required scopes: keyword.other.workflow.wf" in res.stdout


# ----------------------------------------------------------------------------- (b) templates


def test_every_template_tokenizes_without_an_invalid_scope(tmp_path: Path) -> None:
    catalogue, _ = load_catalogue()
    templates = sorted(catalogue.templates, key=lambda t: t.code)
    assert sum(t.code.startswith("MS-") for t in templates) == 32
    files = []
    for t in templates:
        f = tmp_path / f"{t.code}.test.wf"
        f.write_text(no_invalid_test(t.text, t.code), encoding="utf-8")
        files.append(f)
    res = grammar_test(*files)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr
    assert res.stdout.count("run successfuly") == len(files)


def test_every_example_and_grammar_case_without_syntax_errors_has_no_invalid_scope(tmp_path: Path) -> None:
    """Where the parser finds no syntax error, the grammar marks nothing invalid either."""
    cases = ROOT / "tests" / "grammar" / "cases"
    sources = [*sorted((ROOT / "examples").rglob("*.wf")), *sorted(cases.glob("*.wf"))]
    files = []
    for i, src in enumerate(sources):
        text = src.read_text(encoding="utf-8")
        errors = [d for d in parse(text, str(src)).diagnostics if d.is_error]
        if errors or any(map(ASSERTION.match, text.splitlines())):
            continue
        f = tmp_path / f"{i:03d}-{src.stem}.test.wf"
        f.write_text(no_invalid_test(text, str(src.relative_to(ROOT))), encoding="utf-8")
        files.append(f)
    assert len(files) >= 5
    res = grammar_test(*files)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr


def test_junk_in_a_template_fails_the_same_check(tmp_path: Path) -> None:
    text = load_catalogue()[0].template("MS-PIAPW").text
    broken = text.replace("release document", "release document; now", 1)
    case = tmp_path / "broken.test.wf"
    case.write_text(no_invalid_test(broken, "broken"), encoding="utf-8")
    res = grammar_test(case)
    assert res.returncode != 0 and "prohibited scopes: invalid.illegal.character.wf" in res.stdout


# ----------------------------------------------------------------------------- the extension


def manifest() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((EXT / "package.json").read_text(encoding="utf-8"))
    return data


def test_manifest_points_at_what_exists() -> None:
    pkg = manifest()
    (language,) = pkg["contributes"]["languages"]
    (grammar,) = pkg["contributes"]["grammars"]
    assert language["id"] == grammar["language"] == "werkstroom" and language["extensions"] == [".wf"]
    assert json.loads(GRAMMAR.read_text(encoding="utf-8"))["scopeName"] == grammar["scopeName"] == "source.wf"
    assert (EXT / grammar["path"]).resolve() == GRAMMAR
    config = json.loads((EXT / language["configuration"]).read_text(encoding="utf-8"))
    assert config["comments"] == {"lineComment": "#"}
    assert config["brackets"] == [["(", ")"], ["[", "]"]]
    assert (EXT / pkg["main"]).is_file()
    settings = pkg["contributes"]["configuration"]["properties"]
    assert settings["werkstroom.server.path"]["default"] == "wf"
    source = (EXT / pkg["main"]).read_text(encoding="utf-8")
    for key in ("server.path", "server.args"):
        assert f"'{key}'" in source and f"werkstroom.{key}" in settings
    lock = json.loads((EXT / "package-lock.json").read_text(encoding="utf-8"))
    for name in (*pkg["dependencies"], *pkg["devDependencies"]):
        assert f"node_modules/{name}" in lock["packages"], f"{name} is not in package-lock.json"


def test_indentation_rules() -> None:
    """The rules VS Code applies on Enter, read with Python's re (they use no JavaScript-only syntax)."""
    rules = json.loads((EXT / "language-configuration.json").read_text(encoding="utf-8"))["indentationRules"]
    increase = re.compile(rules["increaseIndentPattern"]["pattern"], re.I)
    decrease = re.compile(rules["decreaseIndentPattern"]["pattern"], re.I)
    for line in ('workflow PIAPW-EU "EU"', "  on PurchaseDocSentForApproval when amount > 1 then",
                 "  ON PurchaseDocSentForApproval", "  on X when a = 1 then  # block", "  then"):
        assert increase.match(line), line
    for line in ("  on X then release document", "     release document", "  category PURCHDOC"):
        assert not increase.match(line), line
    assert decrease.match("  then") and decrease.match("  THEN # c") and not decrease.match("  then x")


def test_client(tmp_path: Path) -> None:
    node = _need_node()
    res = subprocess.run([node, "--test", "test/client/"], cwd=EXT, capture_output=True, text=True,
                         timeout=300)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr
    assert re.search(r"^# pass [1-9]", res.stdout, re.M) and re.search(r"^# fail 0$", res.stdout, re.M)


def test_client_command_starts_the_language_server(tmp_path: Path) -> None:
    from werkstroom.cli import COMMANDS

    node = _need_node()
    if "lsp" not in COMMANDS:
        pytest.skip("`wf lsp` is not part of this installation")
    env = {**os.environ, "WERKSTROOM_SERVER_PATH": sys.executable,
           "WERKSTROOM_SERVER_ARGS": json.dumps(["-m", "werkstroom"]),
           "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    res = subprocess.run([node, "--test", str(EXT / "test" / "e2e")], cwd=tmp_path, env=env,
                         capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stdout[-4000:] + res.stderr
    assert re.search(r"^# pass 1$", res.stdout, re.M)
