"""`wf show FILE --grid`: a workflow as Business Central's workflow page shows it, one line per event
step: When Event (indented under the step it waits after), On Condition (``<Always>`` without one),
Then Response (the chain of responses, one a line, and a ``continue at`` jump last).

``grid_rows`` builds the rows from the step tree; ``render_plain`` writes them as aligned text (for
pipes and files), ``render_rich`` as a rich table (on a terminal), ``rows_json`` as plain data.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from .steptree import StepTree

__all__ = ["HEADERS", "GridRow", "grid_rows", "render_plain", "render_rich", "rows_json"]

HEADERS = ("When Event", "On Condition", "Then Response")
ALWAYS = "<Always>"
INDENT = "  "


@attrs.frozen
class GridResponse:
    step: int
    text: str
    label: str = ""
    continue_at: str = ""

    def line(self) -> str:
        if not self.text:
            return f"continue at {self.continue_at}"
        out = self.text + (f" as {self.label}" if self.label else "")
        return out + (f" (continue at {self.continue_at})" if self.continue_at else "")


@attrs.frozen
class GridRow:
    """One event step: its step id, indentation level (events above it), event, condition ('' =
    always) and responses in order."""

    step: int
    level: int
    event: str
    condition: str
    responses: tuple[GridResponse, ...]

    def cells(self) -> tuple[str, str, str]:
        return (INDENT * self.level + self.event, self.condition or ALWAYS,
                "\n".join(r.line() for r in self.responses))


def _jump_label(tree: StepTree, step: int) -> str:
    for e in tree.edges:
        if e.kind == "jump" and e.source == step:
            return e.label.removeprefix("continue at ")
    return ""


def grid_rows(tree: StepTree) -> list[GridRow]:
    """One row per event step, in step order (the order of the file)."""
    rows: list[GridRow] = []
    for node in tree.nodes:
        if node.kind != "event":
            continue
        responses: list[GridResponse] = []
        own = _jump_label(tree, node.step)
        if own:  # the body is only a jump: it sits on the event step
            responses.append(GridResponse(node.step, "", continue_at=own))
        kids = tree.children(node.step)
        while len(kids) == 1 and kids[0].kind == "response":
            r = kids[0]
            responses.append(GridResponse(r.step, r.title, r.label, _jump_label(tree, r.step)))
            kids = tree.children(r.step)
        rows.append(GridRow(node.step, node.level, node.title, node.condition, tuple(responses)))
    return rows


def render_plain(tree: StepTree) -> str:
    """The grid as aligned text: a title line, the headers, then each row (extra responses on lines
    of their own under the Then Response column)."""
    table = [row.cells() for row in grid_rows(tree)]
    widths = [max([len(HEADERS[i])] + [len(c[i]) for c in table]) for i in range(2)]
    out = [f"{tree.title}" + (f"  [{tree.category}]" if tree.category else ""),
           f"{HEADERS[0]:<{widths[0]}}  {HEADERS[1]:<{widths[1]}}  {HEADERS[2]}"]
    for event, condition, responses in table:
        lines = responses.split("\n") if responses else [""]
        out.append(f"{event:<{widths[0]}}  {condition:<{widths[1]}}  {lines[0]}".rstrip())
        out.extend(f"{'':<{widths[0]}}  {'':<{widths[1]}}  {line}" for line in lines[1:])
    return "\n".join(out) + "\n"


def render_rich(trees: Sequence[StepTree], console: Any) -> None:
    """Print each workflow's grid as a rich table on ``console``."""
    from rich.table import Table
    from rich.text import Text

    for tree in trees:
        title = tree.title + (f"  [{tree.category}]" if tree.category else "")
        table = Table(title=Text(title), title_justify="left", show_lines=True)
        for h in HEADERS:
            table.add_column(h, overflow="fold")
        for row in grid_rows(tree):
            event, condition, responses = row.cells()
            table.add_row(Text(event, style="bold"), Text(condition), Text(responses))
        console.print(table)


def rows_json(tree: StepTree) -> dict[str, Any]:
    """The grid of one workflow as plain data (``wf show --grid --json``)."""
    return {"workflow": tree.code, "description": tree.description, "category": tree.category,
            "rows": [{"step": r.step, "level": r.level, "event": r.event, "condition": r.condition,
                      "responses": [{"step": x.step, "text": x.text, "label": x.label or None,
                                     "continue_at": x.continue_at or None} for x in r.responses]}
                     for r in grid_rows(tree)]}
