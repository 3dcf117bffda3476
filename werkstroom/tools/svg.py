"""`wf graph --format svg`: the step tree drawn by a small layered layout of its own (no Graphviz).

Layout: a step's layer is its depth in the tree (the entry event on top, each response or waiting
event one layer below the step it follows); boxes of one layer share their top. Each subtree gets
the width of its widest layer of children, a parent sits centred over its children, and the trees
of several workflows stand side by side. Tree edges run down through the channel between two layers;
a ``continue at`` jump leaves its step downwards, runs up a lane in the right margin and enters the
labelled response from above, so no edge crosses a box. Text widths are estimated (0.6 em a
character, the width of a monospace face), so the SVG needs no font metrics.

The SVG is built with ElementTree (well-formed, escaped) and is the same for the same workflow.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence

import attrs

from .graph import node_lines
from .steptree import StepTree

__all__ = ["to_svg"]

FONT = 12
CHAR_W = FONT * 0.6
LINE_H = 16
PAD_X, PAD_Y = 10, 8
GAP_X, GAP_Y = 24, 44
MARGIN = 20
TITLE_H = 28
LABEL_W = 10 * 0.6  # an edge label's character (10px)
LANE = 14  # distance between two jump lanes in the right margin
FONT_FAMILY = "DejaVu Sans Mono, Menlo, Consolas, monospace"


@attrs.frozen
class Box:
    step: int
    kind: str
    lines: tuple[str, ...]
    x: float
    y: float
    w: float
    h: float

    @property
    def cx(self) -> float:
        return self.x + self.w / 2


def _size(lines: Sequence[str]) -> tuple[float, float]:
    return max(len(s) for s in lines) * CHAR_W + 2 * PAD_X, len(lines) * LINE_H + 2 * PAD_Y


def layout(tree: StepTree) -> tuple[dict[int, Box], list[float], float]:
    """Boxes by step id, the bottom of each layer, and the width of the drawing (without the jump
    lanes). Iterative: a chain of thousands of responses is as deep as the tree gets."""
    lines = {n.step: tuple(node_lines(n)) for n in tree.nodes}
    size = {step: _size(text) for step, text in lines.items()}
    kids = {n.step: [c.step for c in tree.children(n.step)] for n in tree.nodes}
    depth = {n.step: n.depth for n in tree.nodes}
    layers = max(depth.values(), default=-1) + 1
    heights = [0.0] * layers
    for step, (_w, h) in size.items():
        heights[depth[step]] = max(heights[depth[step]], h)
    tops = []
    y = float(MARGIN + TITLE_H)
    for h in heights:
        tops.append(y)
        y += h + GAP_Y
    span: dict[int, float] = {}
    for n in reversed(tree.nodes):  # children come after their parent in step order
        row = sum(span[c] for c in kids[n.step]) + GAP_X * max(len(kids[n.step]) - 1, 0)
        span[n.step] = max(size[n.step][0], row)
    left: dict[int, float] = {}
    x = float(MARGIN)
    for root in tree.roots:
        left[root.step] = x
        x += span[root.step] + GAP_X
    boxes: dict[int, Box] = {}
    for n in tree.nodes:  # parents before children
        w, h = size[n.step]
        start = left[n.step]
        at = start + (span[n.step] - w) / 2
        boxes[n.step] = Box(n.step, n.kind, lines[n.step], at, tops[depth[n.step]], w, h)
        row = sum(span[c] for c in kids[n.step]) + GAP_X * max(len(kids[n.step]) - 1, 0)
        cx = start + (span[n.step] - row) / 2
        for c in kids[n.step]:
            left[c] = cx
            cx += span[c] + GAP_X
    bottoms = [t + h for t, h in zip(tops, heights, strict=True)]
    return boxes, bottoms, max(x - GAP_X, MARGIN + 120.0) + MARGIN


def _num(v: float) -> str:
    return f"{round(v, 1):g}"


def _path(points: Sequence[tuple[float, float]]) -> str:
    return "M " + " L ".join(f"{_num(x)} {_num(y)}" for x, y in points)


def _text(parent: ET.Element, x: float, y: float, text: str, cls: str, anchor: str = "middle") -> None:
    t = ET.SubElement(parent, "text", {"x": _num(x), "y": _num(y), "class": cls, "text-anchor": anchor})
    t.text = text


def _draw_tree(svg: ET.Element, tree: StepTree, dx: float) -> tuple[float, float]:
    """Draw one workflow at horizontal offset ``dx``; returns its width (with the jump lanes) and
    height."""
    boxes, bottoms, width = layout(tree)
    group = ET.SubElement(svg, "g", {"class": "workflow", "transform": f"translate({_num(dx)},0)"})
    ET.SubElement(group, "title").text = tree.title
    _text(group, MARGIN, MARGIN + FONT, tree.title, "title", "start")
    jumps = [e for e in tree.edges if e.kind == "jump"]
    right = max((b.x + b.w for b in boxes.values()), default=width)
    for e in tree.edges:
        if e.kind == "jump":
            continue
        a, b = boxes[e.source], boxes[e.target]
        channel = bottoms[tree.node(e.source).depth] + GAP_Y / 2 - 6
        points = [(a.cx, a.y + a.h), (a.cx, channel), (b.cx, channel), (b.cx, b.y)]
        ET.SubElement(group, "path", {"class": f"edge {e.kind}", "d": _path(points),
                                      "marker-end": "url(#arrow)"})
        if e.label:
            _text(group, b.cx + 6, b.y - 5, e.label, "edge-label", "start")
    for k, e in enumerate(jumps):
        a, b = boxes[e.source], boxes[e.target]
        lane = right + MARGIN + LANE * (k + 1)
        out_y = bottoms[tree.node(e.source).depth] + GAP_Y / 2 + 6 + 3 * k
        in_y = b.y - 10 - 3 * k
        start_x = a.x + a.w * 0.75
        end_x = b.x + b.w * 0.75
        points = [(start_x, a.y + a.h), (start_x, out_y), (lane, out_y), (lane, in_y), (end_x, in_y),
                  (end_x, b.y)]
        ET.SubElement(group, "path", {"class": "edge jump", "d": _path(points),
                                      "marker-end": "url(#arrow-jump)"})
        if start_x + 6 + len(e.label) * LABEL_W < right + MARGIN:  # right of the edge, else left of it
            _text(group, start_x + 6, out_y - 4, e.label, "edge-label jump", "start")
        else:
            _text(group, start_x - 6, out_y - 4, e.label, "edge-label jump", "end")
    for box in boxes.values():
        node = ET.SubElement(group, "g", {"class": f"node {box.kind}", "id": f"s{box.step}"})
        ET.SubElement(node, "rect", {"x": _num(box.x), "y": _num(box.y), "width": _num(box.w),
                                     "height": _num(box.h), "rx": "14" if box.kind == "event" else "2"})
        for i, line in enumerate(box.lines):
            cls = "head" if box.kind == "event" and i == 0 else "line"
            _text(node, box.cx, box.y + PAD_Y + LINE_H * i + FONT, line, cls)
    height = (bottoms[-1] if bottoms else MARGIN + TITLE_H) + MARGIN
    return (max(width, right + MARGIN + LANE * (len(jumps) + 1)) if jumps else width), height


STYLE = f"""
text {{ font-family: {FONT_FAMILY}; font-size: {FONT}px; fill: #1a1a1a; }}
text.title {{ font-size: 14px; font-weight: bold; }}
text.head {{ font-weight: bold; }}
text.edge-label {{ font-size: 10px; fill: #555555; }}
text.edge-label.jump {{ fill: #c05000; }}
g.event rect {{ fill: #e8f0fe; stroke: #3367d6; }}
g.response rect {{ fill: #fffdf5; stroke: #8a8a8a; }}
path.edge {{ fill: none; stroke: #555555; stroke-width: 1.2; }}
path.edge.jump {{ stroke: #c05000; stroke-dasharray: 5 3; }}
"""


def _marker(defs: ET.Element, ident: str, color: str) -> None:
    marker = ET.SubElement(defs, "marker", {"id": ident, "viewBox": "0 0 10 10", "refX": "10", "refY": "5",
                                            "markerWidth": "7", "markerHeight": "7", "orient": "auto"})
    ET.SubElement(marker, "path", {"d": "M 0 0 L 10 5 L 0 10 z", "fill": color})


def to_svg(trees: Sequence[StepTree]) -> str:
    """An SVG document drawing each workflow's step tree, side by side."""
    svg = ET.Element("svg", {"xmlns": "http://www.w3.org/2000/svg", "version": "1.1"})
    defs = ET.SubElement(svg, "defs")
    _marker(defs, "arrow", "#555555")
    _marker(defs, "arrow-jump", "#c05000")
    ET.SubElement(svg, "style").text = STYLE
    x = 0.0
    height = 0.0
    for tree in trees:
        width, tall = _draw_tree(svg, tree, x)
        x += width
        height = max(height, tall)
    svg.set("width", _num(x))
    svg.set("height", _num(height))
    svg.set("viewBox", f"0 0 {_num(x)} {_num(height)}")
    ET.indent(svg)
    return ET.tostring(svg, encoding="unicode") + "\n"
