"""Generate ``docs/specs.md``, the reference of every Gherkin step, from the step library itself.

    python -m werkstroom.specs.docs            # rewrite docs/specs.md
    python -m werkstroom.specs.docs --check    # exit 1 when docs/specs.md is stale
"""

from __future__ import annotations

import argparse
import importlib
import sys
from pathlib import Path

from .library import STEPS, StepDoc, readable
from .plugin import STEP_MODULES

INTRO = """\
# Behaviour specs: the Gherkin step library

Consultants describe how a workflow must behave in business sentences (Gherkin), and pytest checks
it against the real engine. Installing Werkstroom with its `specs` extra (`pip install
'werkstroom[specs]'`, which brings pytest and pytest-bdd) installs the steps: they are a pytest plugin
(`pytest11` entry point `werkstroom`), so a project needs only `.feature` files, its `.wf` files and a
two-line test module:

```python
# test_features.py
from pytest_bdd import scenarios
scenarios(".")          # every .feature file in this folder and below
```

Each scenario gets its own engine on an in-memory SQLite store and a virtual clock that starts on
Monday 2026-01-05 at 09:00 UTC (`Given today is ...` moves it). Workflow files are named relative
to the feature file. `examples/consultant-project/` is a complete project: copy it, run `pytest`.

* **Records** are named by a business noun and their key: `the purchase invoice "1001"`,
  `the sales order "S-1"`, `the customer "C100"`, `the vendor "V1"`, `the item "1000"`,
  `the general journal batch "GENERAL/DEFAULT"`, `the general journal line "GENERAL/DEFAULT/10000"`,
  `the item journal batch "ITEM/DEFAULT"`, `the requisition worksheet "REQ/DEFAULT"`,
  `the vendor bank account "V1/BANK"`, `the incoming document "1"`, `the job queue entry "J1"`,
  or by record type and key fields joined by `|`: `the PurchaseHeader "Invoice|1001"`.
  Table headers are field names in words (`credit limit lcy`, `sell to customer no`).
* **When** steps never stop the scenario when the engine refuses: the refusal is kept, and
  `Then the action is refused with "..."` checks it. Any other Then step fails on an unchecked
  refusal, with its message.
* **A failing Then step** shows what was expected, what the engine has now (approval entries, status,
  restriction) and the scenario's timeline: every action, the steps that fired and those that did
  not with the values their conditions read, and what each response did. The report names the
  feature file line and the step; `--tb=long` adds the Python traceback for whoever debugs a step.
* **A mistake in a feature** fails with a code (docs/diagnostics.md): a step that matches no step
  of the library names the closest one or the keyword it belongs to (WF701); a file that is not
  valid Gherkin names its line, as does a first step whose misspelt keyword Gherkin would read as
  the scenario's description (WF702); an unknown record kind, field or column, a date or an amount
  in another format, a Then step about a record no earlier step made (often a misspelt key) and an
  Outline's `<placeholder>` without its Examples column list what is known (WF703); a missing `.wf`
  file lists the folder's `.wf` files
  (WF100) and a broken one shows its errors with line and caret. Amounts are written with a dot
  for decimals: `1234.50` or `1,234.50`.
* **Reports**: `pytest -vv --gherkin-terminal-reporter` prints the scenarios step by step (not
  with `-n`); `pytest --cucumberjson=report.json` writes Cucumber JSON for CI dashboards (a step
  that matches no step of the library, and the steps after it, are failed there too).
* **Partner libraries** add steps by naming modules in `Library.step_modules`; the plugin registers
  them when the partner package is installed. Declare them with the same decorators
  (`from werkstroom.extend import given, when, then`) so they carry an example and a docstring.
  A project can list more modules under the ini option `werkstroom_step_modules`, and override any
  step with its own in `conftest.py`. `-p no:werkstroom` turns the plugin off. Without pytest-bdd
  installed the plugin loads no steps and leaves a host's other tests alone; a test that asks for
  the scenario's world fails with `the Gherkin step library needs pytest-bdd, which is not
  installed`.

* **Writing a step** (a partner's or a project's): take the `werkstroom_world` fixture, a
  `werkstroom.specs.world.World`. `world.thing(kind, id)` finds or makes the named record,
  `world.current(thing)` reads it as the engine has it now, `world.emit(event, thing, user)` raises an
  event, `world.attempt(what, action)` runs a When action so refusals are kept and the timeline
  records what the engine did, `world.engine` is the engine itself, and raising
  `werkstroom.extend.SpecError(message + "\n\n" + world.report(thing))` fails a Then step the way
  the library's steps do.

This repository's own scenarios live in `features/` (every MS- template, every approver type and
limit type, group tiers, self-approval, delegation, notifications, record changes, restriction,
enable refusals); `pytest features -n 2` runs them.

This page is generated from the step library (`python -m werkstroom.specs.docs`); a test fails
when it is stale.
"""

SECTIONS = ("Setup", "Workflows", "Records", "Events", "Approvals", "Time and notifications",
            "Approval entries", "Notifications", "Instances", "Refusals", "Timeline")


def load_steps() -> list[StepDoc]:
    for name in STEP_MODULES:
        importlib.import_module(name)
    return [s for s in STEPS if s.module in STEP_MODULES]


def render(steps: list[StepDoc]) -> str:
    out = [INTRO]
    order = {k: i for i, k in enumerate(("Given", "When", "Then"))}
    for kind in ("Given", "When", "Then"):
        out.append(f"\n## {kind} steps\n")
        ks = [s for s in steps if s.kind == kind]
        sections = sorted({s.section for s in ks}, key=lambda x: SECTIONS.index(x) if x in SECTIONS else 99)
        for section in sections:
            if len(sections) > 1 or section:
                out.append(f"\n### {section or 'Other'}\n")
            for s in sorted((s for s in ks if s.section == section), key=lambda s: order[s.kind]):
                out.append(f"\n#### `{s.kind} {readable(s.pattern)}`\n\n")
                out.append(s.doc.strip() + "\n\n")
                out.append("```gherkin\n" + s.example.strip() + "\n```\n")
    return "".join(out).rstrip() + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--check", action="store_true", help="exit 1 when the file is stale")
    ap.add_argument("--output", default=str(Path(__file__).resolve().parents[2] / "docs" / "specs.md"))
    args = ap.parse_args(argv)
    text = render(load_steps())
    path = Path(args.output)
    if args.check:
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != text:
            print(f"{path} is stale: run python -m werkstroom.specs.docs", file=sys.stderr)
            return 1
        return 0
    path.write_text(text, encoding="utf-8")
    print(f"wrote {path} ({len(load_steps())} steps)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
