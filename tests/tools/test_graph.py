"""`wf graph`: the step tree as mermaid, DOT and SVG, for templates and for any workflow file.

Each format is read back by a small structural reader (mermaid node and link lines, DOT statements,
SVG through ElementTree) and compared with the bound program: one node per step, one tree edge per
step under another, one dashed back edge per `continue at`. The SVG layout is checked for boxes that
overlap and edges that cross a box, over every template.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from werkstroom.binding.libraries import load_catalogue
from werkstroom.cli import cli
from werkstroom.tools.graph import node_lines, to_dot, to_mermaid
from werkstroom.tools.steptree import load_workflows, step_tree
from werkstroom.tools.svg import to_svg

TWO = """\
workflow ONE "First"
  on PurchaseDocSentForApproval when amount > 1000 and status = Open then
     create approval requests for approver chain
     send approval requests as send
     on ApprovalRequestApproved when pending_approvals > 0 then continue at send
     on ApprovalRequestApproved when pending_approvals = 0 then release document
     on ApprovalRequestRejected then reopen document

workflow TWO "Say <hi> & \\"quote\\" | #1"
  on SalesDocSentForApproval then
     create approval requests for approver chain
     send approval requests
     show message "a <b> & \\"c\\" | #d"
"""

SVG = "{http://www.w3.org/2000/svg}"


def run(*args: str) -> tuple[int, str, str]:
    res = CliRunner().invoke(cli, list(args))
    return res.exit_code, res.stdout, res.stderr


def template_codes() -> list[str]:
    cat, _ = load_catalogue()
    return sorted(t.code for t in cat.templates)


@pytest.fixture
def two(tmp_path: Path) -> Path:
    path = tmp_path / "two.wf"
    path.write_text(TWO, encoding="utf-8")
    return path


def expected(target: str) -> tuple[int, int, int, set[tuple[int, int]]]:
    """(steps, tree edges, jumps, jump pairs) from the bound program."""
    loaded = load_workflows(target)
    steps = sum(len(wf.steps) for wf in loaded.workflows)
    tree = sum(1 for wf in loaded.workflows for s in wf.steps if s.parent is not None)
    pairs = {(s.id, s.next_step) for wf in loaded.workflows for s in wf.steps if s.next_step is not None}
    jumps = sum(1 for wf in loaded.workflows for s in wf.steps if s.next_step is not None)
    return steps, tree, jumps, pairs


# ----------------------------------------------------------------------------- mermaid

MERMAID_NODE = re.compile(r'^\s+(\w+)(\(\["|\[")([^"]*)("\]\)|"\])$')
MERMAID_OTHER = re.compile(r'^\s+(subgraph \w+\["[^"]*"\]|end|classDef \w+ |class [\w,]+ \w+$|linkStyle )')
MERMAID_LINK = re.compile(r"^\s+(\w+) (-->|-\.->)(?:\|([^|]*)\|)? (\w+)$")


def read_mermaid(text: str) -> tuple[dict[str, str], list[tuple[str, str, str, str]]]:
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    opened = sum(ln.strip().startswith("subgraph ") for ln in lines)
    assert opened == sum(ln.strip() == "end" for ln in lines)
    nodes: dict[str, str] = {}
    links: list[tuple[str, str, str, str]] = []
    for ln in lines[1:]:
        if m := MERMAID_NODE.match(ln):
            assert m.group(1) not in nodes
            assert (m.group(2), m.group(4)) in (('(["', '"])'), ('["', '"]'))
            nodes[m.group(1)] = m.group(3)
        elif m := MERMAID_LINK.match(ln):
            links.append((m.group(1), m.group(2), m.group(3) or "", m.group(4)))
        else:
            assert MERMAID_OTHER.match(ln), ln
    for a, _arrow, _label, b in links:
        assert a in nodes and b in nodes
    return nodes, links


@pytest.mark.parametrize("code", template_codes())
def test_mermaid_of_every_template(code: str) -> None:
    status, out, _ = run("graph", code, "--format", "mermaid")
    assert status == 0
    nodes, links = read_mermaid(out)
    steps, tree, jumps, pairs = expected(code)
    assert len(nodes) == steps
    assert sum(arrow == "-->" for _a, arrow, _l, _b in links) == tree
    back = [(a, b) for a, arrow, _l, b in links if arrow == "-.->"]
    assert {(int(a[1:]), int(b[1:])) for a, b in back} == pairs and len(back) == jumps


def test_mermaid_loops_alternatives_and_escapes(two: Path) -> None:
    status, out, _ = run("graph", str(two))
    assert status == 0
    nodes, links = read_mermaid(out)
    assert ("w1_s4", "-.->", "continue at send", "w1_s3") in links  # the loop, as a back edge
    assert [(a, lab, b) for a, arrow, lab, b in links if lab in "123" and lab] == [
        ("w1_s3", "1", "w1_s4"), ("w1_s3", "2", "w1_s5"), ("w1_s3", "3", "w1_s7")]  # by priority
    assert nodes["w1_s1"] == "on PurchaseDocSentForApproval<br/>when amount #gt; 1000 and status = Open"
    assert nodes["w2_s4"] == "show message #quot;a #lt;b#gt; & \\#quot;c\\#quot; #124; #35;d#quot;"
    assert 'subgraph w2["TWO: Say #lt;hi#gt; & #quot;quote#quot; #124; #35;1"]' in out
    jump_index = next(i for i, link in enumerate(links) if link[1] == "-.->")
    assert f"linkStyle {jump_index} " in out


# ----------------------------------------------------------------------------- DOT

DOT_TOKEN = re.compile(r'\s*(?:("(?:[^"\\]|\\.)*")|(->)|([{}\[\];=,])|([\w.#]+))')


def read_dot(text: str) -> tuple[dict[str, dict[str, str]], list[tuple[str, str, dict[str, str]]]]:
    """Node and edge statements of a DOT digraph (a reader for the subset `wf graph` writes)."""
    tokens: list[str] = []
    pos = 0
    while pos < len(text.rstrip()):
        m = DOT_TOKEN.match(text, pos)
        assert m and m.end() > pos, f"cannot read DOT at {text[pos:pos + 30]!r}"
        tokens.append(m.group(m.lastindex or 0))
        pos = m.end()
    assert tokens[:3] == ["digraph", "workflows", "{"] and tokens[-1] == "}"
    depth = 0
    for t in tokens:
        depth += {"{": 1, "}": -1}.get(t, 0)
        assert depth >= 0
    assert depth == 0
    nodes: dict[str, dict[str, str]] = {}
    edges: list[tuple[str, str, dict[str, str]]] = []
    i = 3
    while i < len(tokens) - 1:
        t = tokens[i]
        if t in ("{", "}", ";") or t == "subgraph":
            i += 2 if t == "subgraph" else 1
            continue
        attrs: dict[str, str] = {}
        j = i + (3 if tokens[i + 1] == "->" else 1)
        if tokens[j] == "[":
            j += 1
            while tokens[j] != "]":
                attrs[tokens[j]] = tokens[j + 2].strip('"')
                j += 3 + (tokens[j + 3] == ",")
            j += 1
        if tokens[i + 1] == "->":
            edges.append((t, tokens[i + 2], attrs))
        elif tokens[i + 1] == "=":
            j = i + 3  # a graph attribute: label="..."
        elif t not in ("graph", "node", "edge"):
            nodes[t] = attrs
        assert tokens[j] == ";", tokens[i:j + 1]
        i = j + 1
    for a, b, _ in edges:
        assert a in nodes and b in nodes
    return nodes, edges


@pytest.mark.parametrize("code", ["MS-PIAPW", "MS-CUSTAPW", "MS-OVERDUE"])
def test_dot_structure(code: str) -> None:
    status, out, _ = run("graph", code, "--format", "dot")
    assert status == 0
    nodes, edges = read_dot(out)
    steps, tree, jumps, pairs = expected(code)
    assert len(nodes) == steps
    solid = [e for e in edges if e[2].get("style") != "dashed"]
    dashed = [e for e in edges if e[2].get("style") == "dashed"]
    assert len(solid) == tree and len(dashed) == jumps
    assert {(int(a[1:]), int(b[1:])) for a, b, _ in dashed} == pairs
    assert all(e[2]["constraint"] == "false" and e[2]["label"].startswith("continue at ") for e in dashed)
    assert all(n["style"].startswith("rounded") for k, n in nodes.items() if n["label"].startswith("on "))


def test_dot_escapes_quotes(two: Path) -> None:
    nodes, edges = read_dot(run("graph", str(two), "--format", "dot")[1])
    assert len(nodes) == 12 and ("w1_s4", "w1_s3") in [(a, b) for a, b, _ in edges]
    assert "w2_s4" in nodes


# ----------------------------------------------------------------------------- SVG


def read_svg(text: str) -> ET.Element:
    root = ET.fromstring(text)
    assert root.tag == f"{SVG}svg"
    return root


def boxes(root: ET.Element) -> list[tuple[str, float, float, float, float]]:
    out = []
    for wf in root.iter(f"{SVG}g"):
        if wf.get("class") != "workflow":
            continue
        dx = float(re.fullmatch(r"translate\(([\d.]+),0\)", wf.get("transform", "")).group(1))  # type: ignore[union-attr]
        for g in wf.iter(f"{SVG}g"):
            if (g.get("class") or "").startswith("node "):
                r = g.find(f"{SVG}rect")
                assert r is not None
                out.append((g.get("id", ""), float(r.get("x", "")) + dx, float(r.get("y", "")),
                            float(r.get("width", "")), float(r.get("height", ""))))
    return out


def segments(root: ET.Element, kind: str) -> list[list[tuple[float, float]]]:
    out = []
    for wf in root.iter(f"{SVG}g"):
        if wf.get("class") != "workflow":
            continue
        dx = float(re.fullmatch(r"translate\(([\d.]+),0\)", wf.get("transform", "")).group(1))  # type: ignore[union-attr]
        for p in wf.iter(f"{SVG}path"):
            if p.get("class") in (f"edge {k}" for k in kind.split("|")):
                nums = [float(v) for v in re.findall(r"-?[\d.]+", p.get("d", ""))]
                out.append([(nums[i] + dx, nums[i + 1]) for i in range(0, len(nums), 2)])
    return out


def crosses(points: list[tuple[float, float]], box: tuple[str, float, float, float, float]) -> bool:
    """Whether an axis-parallel polyline runs through the inside of a box."""
    _id, x, y, w, h = box
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        lo_x, hi_x, lo_y, hi_y = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
        if lo_x < x + w - 0.5 and hi_x > x + 0.5 and lo_y < y + h - 0.5 and hi_y > y + 0.5:
            return True
    return False


@pytest.mark.parametrize("code", template_codes())
def test_svg_of_every_template(code: str) -> None:
    status, out, _ = run("graph", code, "--format", "svg")
    assert status == 0
    root = read_svg(out)
    steps, tree, jumps, _pairs = expected(code)
    found = boxes(root)
    assert len(found) == steps
    assert len(segments(root, "next|alternative")) == tree
    assert len(segments(root, "jump")) == jumps
    width, height = float(root.get("width", "")), float(root.get("height", ""))
    for i, (_n, x, y, w, h) in enumerate(found):
        assert x >= 0 and x + w <= width and y >= 0 and y + h <= height
        for _m, x2, y2, w2, h2 in found[i + 1:]:
            assert x + w <= x2 or x2 + w2 <= x or y + h <= y2 or y2 + h2 <= y, "boxes overlap"
    for line in segments(root, "next|alternative|jump"):
        assert not any(crosses(line, b) for b in found), "an edge runs through a box"


def test_svg_two_workflows_side_by_side(two: Path) -> None:
    root = read_svg(run("graph", str(two), "--format", "svg")[1])
    workflows = [g for g in root.iter(f"{SVG}g") if g.get("class") == "workflow"]
    assert [g.findtext(f"{SVG}title") for g in workflows] == ["ONE: First", 'TWO: Say <hi> & "quote" | #1']
    assert len(boxes(root)) == 12 and len(segments(root, "jump")) == 1
    labels = [t.text for t in root.iter(f"{SVG}text") if t.get("class") == "edge-label jump"]
    assert labels == ["continue at send"]
    assert boxes(root)[-1][1] > max(b[1] + b[3] for b in boxes(root)[:8])  # TWO stands right of ONE


def test_svg_of_a_long_chain_needs_no_recursion(tmp_path: Path) -> None:
    body = "".join("     show message \"step\"\n" for _ in range(1500))
    path = tmp_path / "long.wf"
    path.write_text(f"workflow LONG\n  on PurchaseDocSentForApproval then\n{body}", encoding="utf-8")
    trees = [step_tree(wf) for wf in load_workflows(str(path)).workflows]
    root = read_svg(to_svg(trees))
    assert len(boxes(root)) == 1501
    assert to_mermaid(trees).count("-->") == 1500 and to_dot(trees).count("->") == 1500


# ----------------------------------------------------------------------------- the command


def test_workflow_option_picks_one(two: Path) -> None:
    status, out, _ = run("graph", str(two), "--workflow", "two")
    nodes, _links = read_mermaid(out)
    assert status == 0 and set(nodes) == {"s1", "s2", "s3", "s4"}


def test_unknown_workflow_is_wf509(two: Path) -> None:
    status, _out, err = run("graph", str(two), "--workflow", "TOW")
    assert status == 1 and "did you mean `TWO`?" in err and "[WF509]" in err


def test_file_with_errors_is_not_drawn(tmp_path: Path) -> None:
    path = tmp_path / "bad.wf"
    path.write_text("on PurchaseDocSentForAproval then release document\n", encoding="utf-8")
    status, out, err = run("graph", str(path))
    assert status == 1 and out == "" and "error[WF201]" in err and "bad.wf:1:4" in err


def test_missing_file_is_wf100(tmp_path: Path) -> None:
    status, _out, err = run("graph", str(tmp_path / "none.wf"))
    assert status == 2 and "WF100" in err


def test_output_file_and_unwritable_output(tmp_path: Path) -> None:
    target = tmp_path / "piapw.svg"
    assert run("graph", "MS-PIAPW", "--format", "svg", "-o", str(target))[0] == 0
    assert len(boxes(read_svg(target.read_text(encoding="utf-8")))) == 20
    blocked = tmp_path / "file"
    blocked.write_text("x", encoding="utf-8")
    status, _out, err = run("graph", "MS-PIAPW", "-o", str(blocked / "out.mmd"))
    assert status == 2 and "[WF115]" in err


def test_the_crossing_check_sees_a_crossing() -> None:
    box = ("s1", 10.0, 10.0, 50.0, 20.0)
    assert crosses([(0, 15), (100, 15)], box) and crosses([(30, 0), (30, 12)], box)
    assert not crosses([(0, 5), (100, 5)], box) and not crosses([(30, 0), (30, 10)], box)


def test_node_lines_wrap_conditions_before_and() -> None:
    tree = step_tree(load_workflows("MS-PIAPW").workflows[0])
    assert node_lines(tree.node(14)) == ["on PurchaseDocApprovalRequestCanceled",
                                         "when document_type = Invoice",
                                         'and status = "Pending Approval"']
    assert node_lines(tree.node(5)) == ["send approval requests", "as send"]
