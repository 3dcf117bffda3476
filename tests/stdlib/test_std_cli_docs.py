"""`wf catalogue ...` and the generated docs/stdlib.md."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from werkstroom.cli import cli, docgen

ROOT = Path(__file__).resolve().parents[2]


def wf(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["catalogue", *args])
    return result.exit_code, result.stdout, result.stderr


def test_docs_stdlib_md_is_current() -> None:
    current = (ROOT / "docs" / "stdlib.md").read_text(encoding="utf-8")
    assert current == docgen.render(), (
        "docs/stdlib.md is stale: run `python -m werkstroom.cli.docgen --write`"
    )


def test_docs_show_bc_names_next_to_dsl_names() -> None:
    text = docgen.render()
    assert "| `PurchaseDocSentForApproval` | `RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL` |" in text
    assert "#### `release_document` (BC: `RELEASEDOCUMENT`)" in text
    assert "#### `request_approval` (Werkstroom)" in text
    assert "| `credit_limit_lcy` | decimal | Credit Limit (LCY) (20) |" in text


def test_docgen_check_and_write(tmp_path: Path) -> None:
    page = tmp_path / "stdlib.md"
    assert docgen.main(["--check", "--path", str(page)]) == 1  # missing counts as stale
    assert docgen.main(["--write", "--path", str(page)]) == 0
    assert docgen.main(["--check", "--path", str(page)]) == 0
    page.write_text(page.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
    assert docgen.main(["--check", "--path", str(page)]) == 1
    code, _, _ = wf("docs", "--check", "--path", str(page))
    assert code == 1


def test_list_events_plain() -> None:
    code, out, _ = wf("events", "--stdlib-only")
    assert code == 0
    assert out.startswith("51 events:")
    assert "PurchaseDocSentForApproval" in out and "RUNWORKFLOWONSENDPURCHASEDOCFORAPPROVAL" in out
    assert "\x1b[" not in out


def test_show_event_by_bc_code_json() -> None:
    code, out, _ = wf("events", "runworkflowonapproveapprovalrequest", "--json", "--stdlib-only")
    assert code == 0
    data = json.loads(out)
    assert data["name"] == "ApprovalRequestApproved"
    assert data["record"] == "ApprovalEntry"
    assert "PurchaseDocSentForApproval" in data["predecessors"]
    assert "release_document" in data["responses"]
    assert data["on_known_instance"] is True
    assert data["origin"] == {"library": "werkstroom.approvals", "version": "1.0"}


def test_show_response_with_options() -> None:
    code, out, _ = wf("responses", "create_approval_requests", "--stdlib-only")
    assert code == 0
    assert "create approval requests for approver chain" in out
    assert "delegate after {value}" in out
    assert "Never, 1 day, 2 days, 5 days" in out
    assert "Workflow User Group Code when Approver Type" in out
    code, out, _ = wf("responses", "--json", "--stdlib-only")
    data = json.loads(out)
    assert len(data) == 37
    release = next(r for r in data if r["name"] == "release_document")
    assert release["phrases"] == [{"text": "release [the] document", "presets": {}}]


def test_show_record_fields_and_relations() -> None:
    code, out, _ = wf("records", "Purchase Header", "--stdlib-only")
    assert code == 0
    assert "buy_from_vendor_no" in out and "Buy-from Vendor No." in out
    assert "lines" in out and "PurchaseLine" in out
    code, out, _ = wf("records", "--json", "--library", "werkstroom.sales", "--stdlib-only")
    assert [r["name"] for r in json.loads(out)] == ["SalesHeader", "SalesLine"]


def test_enums() -> None:
    code, out, _ = wf("enums", "WorkflowDelegateAfter", "--json", "--stdlib-only")
    assert code == 0
    (data,) = json.loads(out)
    assert data["values"] == ["Never", "1 day", "2 days", "5 days"]


def test_unknown_name_suggests_and_exits_1() -> None:
    code, _, err = wf("events", "PurchaseDocRelease")
    assert code == 1
    assert "did you mean `PurchaseDocReleased`?" in err
    code, _, err = wf("responses", "relase_document")
    assert code == 1 and "release_document" in err


def test_unknown_name_has_a_code() -> None:
    code, _, err = wf("events", "Nope")
    assert code == 1 and "no event named 'Nope'" in err and err.rstrip().endswith("[WF503]")
    for kind in ("responses", "records", "enums"):
        code, _, err = wf(kind, "Nope")
        assert code == 1 and err.rstrip().endswith("[WF509]"), (kind, err)


def test_unknown_library_is_refused_with_the_closest_one() -> None:
    # before: `--library <typo>` printed "0 responses" and exited 0
    for kind in ("events", "responses", "records", "enums"):
        code, out, err = wf(kind, "--library", "werkstroom.purchse", "--stdlib-only")
        assert code == 1 and out == "", (kind, out)
        assert err.startswith("wf catalogue: no library named 'werkstroom.purchse' is installed; "
                              "did you mean `werkstroom.purchase`? (installed: werkstroom.approvals, ")
        assert err.rstrip().endswith("; --stdlib-only leaves partner libraries out) [WF509]"), err
    code, _, err = wf("responses", "--library", "purchase", "--stdlib-only")
    assert code == 1 and "did you mean `werkstroom.purchase`?" in err
    code, _, err = wf("records", "--library", "zzz", "--stdlib-only")
    assert code == 1 and "did you mean" not in err and "werkstroom.sales" in err
    code, out, _ = wf("responses", "--library", "werkstroom.purchase", "--stdlib-only", "--json")
    assert code == 0 and json.loads(out)


def test_rich_output_keeps_brackets() -> None:
    result = CliRunner().invoke(
        cli,
        ["catalogue", "responses", "release_document", "--stdlib-only"],
        env={"FORCE_COLOR": "1", "COLUMNS": "120"},
    )
    assert result.exit_code == 0
    assert "release [the] document" in result.stdout


def test_show_response_by_phrase() -> None:
    code, out, _ = wf("responses", "release the document", "--json", "--stdlib-only")
    assert code == 0 and json.loads(out)["name"] == "release_document"
    code, out, _ = wf("responses", 'notify BOB "hello"', "--json", "--stdlib-only")
    assert json.loads(out)["name"] == "create_notification"
    code, out, _ = wf("responses", "notify sender", "--json", "--stdlib-only")
    assert json.loads(out)["name"] == "create_notification"
    code, _, _ = wf("responses", "release the hounds", "--stdlib-only")
    assert code == 1


def test_libraries_lists_stdlib_and_reports_partner_problems(monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, err = wf("libraries", "--json")
    assert code == 0, err
    data = json.loads(out)
    names = [lib["name"] for lib in data["libraries"]]
    assert names[:8] == [
        "werkstroom.approvals",
        "werkstroom.purchase",
        "werkstroom.sales",
        "werkstroom.journals",
        "werkstroom.incoming",
        "werkstroom.masterdata",
        "werkstroom.administration",
        "werkstroom.integration",
    ]
    assert data["diagnostics"] == []

    class EP:
        name, value = "broken", "acme:broken"

        def load(self) -> object:
            raise ImportError("no module named acme")

    monkeypatch.setattr("importlib.metadata.entry_points", lambda group: [EP()])
    code, out, err = wf("libraries")
    assert code == 1
    assert "error[WF909]" in err and "'broken'" in err
