"""`wf graph` in text formats: a workflow's step tree as a mermaid flowchart or a Graphviz DOT digraph
(the SVG drawing is ``tools.svg``).

Events are rounded nodes (``on EVENT`` and ``when CONDITION``), responses boxes (the phrase and its
``as`` label); tree edges are solid (alternatives carry their priority), ``continue at`` jumps dashed
back edges. Node ids are ``s<step id>`` for one workflow, ``w<n>_s<step id>`` for several.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence

from .steptree import Node, StepTree

__all__ = ["FORMATS", "WRAP", "node_lines", "to_dot", "to_mermaid"]

FORMATS = ("mermaid", "dot", "svg")
_BEFORE_AND_OR = re.compile(r"\s+(?=(?:and|or)\s)", re.I)
WRAP = 40
"""Characters per line of a node's text before it wraps (at spaces)."""


def node_lines(node: Node, width: int = WRAP) -> list[str]:
    """The lines a node shows: ``on EVENT`` and its wrapped ``when ...``, or the wrapped phrase and
    ``as LABEL``."""
    if node.kind == "event":
        lines = [f"on {node.title}"]
        if node.condition:
            lines += _wrap_condition(f"when {node.condition}", width)
        return lines
    lines = textwrap.wrap(node.title, width, break_on_hyphens=False) or [node.title]
    if node.label:
        lines.append(f"as {node.label}")
    return lines


def _wrap_condition(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` characters, broken before ``and`` / ``or`` where possible."""
    lines: list[str] = []
    for chunk in _BEFORE_AND_OR.split(text):
        if lines and len(lines[-1]) + 1 + len(chunk) <= width:
            lines[-1] += " " + chunk
        else:
            lines += textwrap.wrap(chunk, width, break_on_hyphens=False, subsequent_indent="  ") or [chunk]
    return lines


def _prefix(index: int, count: int) -> str:
    return "" if count == 1 else f"w{index + 1}_"


def _mermaid_text(text: str) -> str:
    # mermaid's entity codes: a quote, angle brackets and '#' itself would end or change the label
    for ch, code in (("#", "#35;"), ('"', "#quot;"), ("<", "#lt;"), (">", "#gt;"), ("|", "#124;")):
        text = text.replace(ch, code)
    return text


def to_mermaid(trees: Sequence[StepTree]) -> str:
    """A ``flowchart TD`` with one subgraph per workflow."""
    out = ["flowchart TD"]
    events: list[str] = []
    responses: list[str] = []
    for i, tree in enumerate(trees):
        p = _prefix(i, len(trees))
        out.append(f'  subgraph w{i + 1}["{_mermaid_text(tree.title)}"]')
        for n in tree.nodes:
            label = "<br/>".join(_mermaid_text(line) for line in node_lines(n))
            shape = f'(["{label}"])' if n.kind == "event" else f'["{label}"]'
            out.append(f"    {p}{n.id}{shape}")
            (events if n.kind == "event" else responses).append(p + n.id)
        out.append("  end")
        for e in tree.edges:
            arrow = "-.->" if e.kind == "jump" else "-->"
            label = f"|{_mermaid_text(e.label)}|" if e.label else ""
            out.append(f"  {p}s{e.source} {arrow}{label} {p}s{e.target}")
    out.append("  classDef event fill:#e8f0fe,stroke:#3367d6,color:#1a1a1a")
    out.append("  classDef response fill:#fffdf5,stroke:#8a8a8a,color:#1a1a1a")
    if events:
        out.append(f"  class {','.join(events)} event")
    if responses:
        out.append(f"  class {','.join(responses)} response")
    jumps = [k for k, e in enumerate(e for t in trees for e in t.edges) if e.kind == "jump"]
    if jumps:
        out.append(f"  linkStyle {','.join(map(str, jumps))} stroke:#c05000,color:#c05000")
    return "\n".join(out) + "\n"


def _dot_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(trees: Sequence[StepTree]) -> str:
    """A ``digraph`` with one cluster per workflow; jumps do not constrain the ranks."""
    out = ["digraph workflows {",
           '  graph [rankdir=TB, fontname="Helvetica", fontsize=12, labeljust=l];',
           '  node [fontname="Helvetica", fontsize=10, shape=box];',
           '  edge [fontname="Helvetica", fontsize=9];']
    for i, tree in enumerate(trees):
        p = _prefix(i, len(trees))
        out.append(f"  subgraph cluster_w{i + 1} {{")
        out.append(f"    label={_dot_text(tree.title)};")
        for n in tree.nodes:
            label = "\\n".join(_dot_text(line)[1:-1] for line in node_lines(n))
            style = ('style="rounded,filled", fillcolor="#e8f0fe", color="#3367d6"' if n.kind == "event"
                     else 'style=filled, fillcolor="#fffdf5", color="#8a8a8a"')
            out.append(f'    {p}{n.id} [label="{label}", {style}];')
        out.append("  }")
        for e in tree.edges:
            attrs: list[str] = []
            if e.label:
                attrs.append(f"label={_dot_text(e.label)}")
            if e.kind == "jump":
                attrs += ["style=dashed", 'color="#c05000"', 'fontcolor="#c05000"', "constraint=false"]
            tail = f" [{', '.join(attrs)}]" if attrs else ""
            out.append(f"  {p}s{e.source} -> {p}s{e.target}{tail};")
    out.append("}")
    return "\n".join(out) + "\n"
