"""Discovery through a real distribution on sys.path, what `wf catalogue` and `wf check` show, and a
broken partner library that must not break `wf check` for scripts that do not use it."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner
from partnerlib import SHIP, Partners, widgets

from werkstroom.binding.libraries import load_catalogue
from werkstroom.cli import cli
from werkstroom.extend import Origin

PARTNER_SOURCE = """
from werkstroom.extend import (EventSpec, FieldKind, FieldSpec, Library, PhrasePattern, RecordSpec,
                               ResponseSpec)


def _polish(ctx):
    ctx.emit_effect("widget.polished", {"key": ctx.document.key})


def library():
    return Library(
        name="acme.polish",
        version="3.2.1",
        records=(RecordSpec("Trinket", "A trinket.", (FieldSpec("no", FieldKind.CODE),
                                                       FieldSpec("shine", FieldKind.INTEGER)), key=("no",)),),
        events=(EventSpec("TrinketFound", "A trinket was found.", "Trinket"),),
        responses=(ResponseSpec("polish_trinket", "Polish it.", (PhrasePattern("polish [the] trinket"),),
                                run=_polish),),
    )
"""

GOOD = 'workflow GOOD\n  on PurchaseDocReleased when amount > 100 then show message "released"\n'
USES_WIDGETS = "workflow WID\n  on WidgetPainted then ship widget\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_a_distribution_with_an_entry_point_is_discovered(installed_dist: Callable[..., str]) -> None:
    installed_dist(PARTNER_SOURCE, "3.2.1")
    cat, diags = load_catalogue()
    assert [d for d in diags if "acme.polish" in d.message] == []
    assert cat.origin("event", "TrinketFound") == Origin("acme.polish", "3.2.1")
    assert cat.response("polish_trinket") is not None


def test_an_entry_point_in_a_misspelt_group_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # before: the package was silently not a partner library: its names were simply unknown
    site = tmp_path / "site"
    info = site / "acme_typo-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-typo\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[werkstroom.library]\nacme = acme_typo:library\n",
                                           encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    _, diags = load_catalogue()
    [d] = [d for d in diags if "acme_typo" in d.message]
    assert d.code == "WF909" and d.message == (
        "partner library entry point 'acme' (acme_typo:library) of package acme-typo is in the entry-point "
        "group 'werkstroom.library', which Werkstroom does not read")
    assert d.help.startswith('write [project.entry-points."werkstroom.libraries"] in pyproject.toml')


def test_wf_catalogue_events_shows_the_origin_library_and_version(installed_dist: Callable[..., str]) -> None:
    installed_dist(PARTNER_SOURCE, "3.2.1")
    code, out, _ = run("catalogue", "events", "--plain")
    assert code == 0
    line = next(x for x in out.splitlines() if x.startswith("TrinketFound"))
    assert line.endswith("acme.polish 3.2.1")
    code, out, _ = run("catalogue", "events", "TrinketFound", "--plain")
    assert code == 0 and "acme.polish 3.2.1" in out
    code, out, _ = run("catalogue", "events", "--library", "acme.polish", "--json")
    assert [(e["name"], e["origin"]) for e in json.loads(out)] == [
        ("TrinketFound", {"library": "acme.polish", "version": "3.2.1"})
    ]
    code, out, _ = run("catalogue", "responses", "polish the trinket", "--plain")
    assert code == 0 and "polish_trinket" in out and "acme.polish 3.2.1" in out


def test_a_script_using_partner_names_checks(installed_dist: Callable[..., str], tmp_path: Path) -> None:
    installed_dist(PARTNER_SOURCE, "3.2.1")
    script = tmp_path / "trinkets.wf"
    script.write_text(
        "workflow TRK\n  on TrinketFound when shine < 3 then polish the trinket\n", encoding="utf-8"
    )
    code, out, _ = run("check", str(script), "--format", "short")
    assert code == 0, out


# --------------------------------------------------------------------------- broken partners and wf check


def test_a_broken_partner_does_not_fail_the_check_of_other_scripts(
    partners: Partners, tmp_path: Path
) -> None:
    partners.add(widgets(responses=(attrs.evolve(SHIP, run=lambda: None),)))  # type: ignore[misc,arg-type]
    good = tmp_path / "good.wf"
    good.write_text(GOOD, encoding="utf-8")
    code, out, _ = run("check", str(good), "--format", "short")
    assert code == 0, out
    lines = [x for x in out.splitlines() if "WF906" in x]
    assert len(lines) == 1, out  # reported once
    assert "warning" in lines[0] and "library acme.widgets 2.1" in lines[0] and "ship_widget" in lines[0]


def test_a_broken_partner_is_reported_once_for_many_scripts(partners: Partners, tmp_path: Path) -> None:
    partners.add(lambda: 1 / 0, name="acme_broken")
    for i in range(3):
        (tmp_path / f"s{i}.wf").write_text(GOOD.replace("GOOD", f"GOOD{i}"), encoding="utf-8")
    code, out, _ = run("check", str(tmp_path), "--format", "json")
    found = [d for d in json.loads(out) if d["code"] == "WF909"]
    assert len(found) == 1 and found[0]["severity"] == "warning"
    assert "'acme_broken'" in found[0]["message"] and "ZeroDivisionError" in found[0]["message"]
    assert code == 0


def test_a_script_that_uses_the_broken_partner_fails_and_says_why(partners: Partners, tmp_path: Path) -> None:
    partners.add(widgets(responses=(attrs.evolve(SHIP, run="not a function"),)))  # type: ignore[arg-type]
    script = tmp_path / "widgets.wf"
    script.write_text(USES_WIDGETS, encoding="utf-8")
    code, out, _ = run("check", str(script), "--format", "json")
    assert code == 1
    diags = json.loads(out)
    unknown = [d for d in diags if d["code"] == "WF201"]
    assert len(unknown) == 1 and unknown[0]["severity"] == "error"
    assert any(
        "declared by library acme.widgets 2.1, which could not be installed" in n for n in unknown[0]["notes"]
    )
    assert [d["severity"] for d in diags if d["code"] == "WF906"] == ["warning"]


def test_wf_simulate_and_deploy_say_why_a_partner_name_is_unknown(partners: Partners, tmp_path: Path) -> None:
    # before: only "there is no event `WidgetPainted`", with a did-you-mean to another name
    partners.add(widgets(responses=(attrs.evolve(SHIP, run="not a function"),)))  # type: ignore[arg-type]
    script = tmp_path / "widgets.wf"
    script.write_text(USES_WIDGETS, encoding="utf-8")
    scenario = tmp_path / "widgets.toml"
    scenario.write_text('scripts = ["widgets.wf"]\n\n[[timeline]]\nevent = "WidgetPainted"\nuser = "ANN"\n'
                        'record = { no = "W1" }\n', encoding="utf-8")
    deploy = ["--db", f"sqlite:///{tmp_path / 'w.db'}", "deploy", str(script)]
    for args in (["simulate", "--scenario", str(scenario)], deploy):
        code, _, err = run(*args)
        assert code == 1, err
        assert "warning[WF906]: library acme.widgets 2.1:" in err, err
        assert "the scripts were bound without it" in err
        assert "`WidgetPainted` is declared by library acme.widgets 2.1, which could not be installed" in err


def test_the_same_script_checks_once_the_partner_is_fixed(partners: Partners, tmp_path: Path) -> None:
    partners.add(widgets())
    script = tmp_path / "widgets.wf"
    script.write_text(USES_WIDGETS, encoding="utf-8")
    code, out, _ = run("check", str(script), "--format", "short")
    assert code == 0, out


# --------------------------------------------------------------------------- partner Gherkin steps (WF917)

STEP_LIBRARY = """
from werkstroom.extend import Library


def library():
    return Library(name="acme.audit", version="1.0", step_modules=("{module}_steps",))
"""

AUDIT_STEP = '''
@when("the auditor looks at " + REF, example='When the auditor looks at the purchase invoice "1001"')
def look{n}(werkstroom_world, kind, id):
    {doc}
'''


def _pytest_with_partner_steps(installed_dist: Callable[..., str], tmp_path: Path, steps: str) -> str:
    """Run pytest (a test that passes) in a project, with a partner library whose step module is
    ``steps``; returns what pytest printed."""
    import os
    import subprocess
    import sys

    module = installed_dist(STEP_LIBRARY.replace("{module}", "MODULE"))
    site = tmp_path / "site"
    (site / f"{module}.py").write_text(STEP_LIBRARY.replace("{module}", module), encoding="utf-8")
    (site / f"{module}_steps.py").write_text("from werkstroom.extend import REF, when, then\n" + steps,
                                             encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    (project / "test_x.py").write_text("def test_x():\n    pass\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env["PYTHONPATH"] = os.pathsep.join([str(site), env.get("PYTHONPATH", "")])
    result = subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"], cwd=project,
                            env=env, capture_output=True, text=True, timeout=300)
    out = result.stdout + result.stderr
    assert result.returncode == 0 and "1 passed" in out, out  # was INTERNALERROR (exit 3) for a TypeError
    return " ".join(out.split())


def test_a_partner_step_module_that_raises_on_import_only_warns(
    installed_dist: Callable[..., str], tmp_path: Path
) -> None:
    out = _pytest_with_partner_steps(installed_dist, tmp_path, AUDIT_STEP.format(n=1, doc="pass"))
    assert "WF917 the partner step module" in out and "(library acme.audit 1.0) cannot be imported" in out
    assert "needs a docstring" in out and "its steps are not available" in out


def test_a_partner_step_declared_twice_is_reported(
    installed_dist: Callable[..., str], tmp_path: Path
) -> None:
    doc = '"""The auditor looks."""'
    out = _pytest_with_partner_steps(installed_dist, tmp_path, AUDIT_STEP.format(n=1, doc=doc)
                                     + AUDIT_STEP.format(n=2, doc=doc))
    assert "WF917" in out and "(library acme.audit 1.0)" in out
    assert "declares the step `When the auditor looks at the <record> \"<key>\"` twice" in out


def test_a_partner_step_that_another_module_declares_is_left_out(
    installed_dist: Callable[..., str], tmp_path: Path
) -> None:
    # before: silently replaced the standard step (or another partner's) in every project
    standard = '''
@then(r'the status of ' + REF + r' is "(?P<status>[^"]*)"', example='Then the status of the x "1" is "Open"')
def mine(werkstroom_world, kind, id, status):
    """Replaces the standard step."""
'''
    out = _pytest_with_partner_steps(installed_dist, tmp_path, standard)
    assert "WF917" in out and "that werkstroom.specs.steps_then already declares" in out
    assert "its steps are not available" in out


# --------------------------------------------------------------------------- the stdlib uses the public API


def test_the_stdlib_declares_itself_with_the_public_api_only() -> None:
    """Library modules of the stdlib import from werkstroom only `werkstroom.extend` (and each other)."""
    import werkstroom.stdlib as stdlib

    folder = Path(stdlib.__file__).parent
    tooling = {"describe.py", "docgen.py"}  # documentation generators for the CLI, not declarations
    offenders = []
    for path in sorted(folder.glob("*.py")):
        if path.name in tooling:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 2 and node.module not in ("extend",):
                offenders.append(f"{path.name}: from ..{node.module} import ...")
            module = node.module or "" if isinstance(node, ast.ImportFrom) else ""
            outside = module.startswith("werkstroom") and module != "werkstroom.extend"
            if isinstance(node, ast.ImportFrom) and node.level == 0 and outside:
                offenders.append(f"{path.name}: from {module} import ...")
    assert offenders == []
