"""The one place diagnostics are turned into text: rustc/ruff-style text, a one-line short form, JSON.

``render_text`` draws::

    error[WF103]: expected `then` after the condition, found `release`
     --> approvals.wf:6:68
      |
    5 |   on PurchaseDocSentForApproval
      |   -- the step starts here
    6 |      when document_type = Invoice and status = Open and amount > 1000
      |                                                                    ^ expected `then` here
      |
      = help: a step reads `on EVENT [when CONDITION] then RESPONSE`

Tabs in source lines are expanded to the language's tab stops, wide characters take two cells
(``rich.cells.cell_len``), control characters are shown as U+FFFD, so carets always sit under the
exact span. Colour (via rich styles) is added only when ``color=True``; messages never carry ANSI.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from .diagnostics import Diagnostic, Severity, sort_key
from .source import SourceFile, Span

__all__ = ["TAB_WIDTH", "render_json", "render_message", "render_short", "render_summary", "render_text"]


TAB_WIDTH = 4
"""Tab stops used when showing source lines (the same as the language's indentation rule)."""


_REPLACEMENT = "\N{REPLACEMENT CHARACTER}"


def _clean(text: str) -> str:
    """Remove anything a terminal would interpret (escape sequences, other control characters)."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else _REPLACEMENT for ch in text)


def _char_width(ch: str) -> int:
    if ch < "\u0300":
        return 1
    if unicodedata.combining(ch):
        return 0
    from rich.cells import cell_len

    return cell_len(ch)


def _display(line: str) -> tuple[str, list[int]]:
    """Expand ``line`` for display. Returns the text and, for each code-point index (plus one past
    the end), the display column (0-based cell) where it starts."""
    if line.isascii() and line.isprintable():  # no tab, no control character: one cell each
        return line, list(range(len(line) + 1))
    out: list[str] = []
    cols: list[int] = []
    col = 0
    for ch in line:
        cols.append(col)
        if ch == "\t":
            n = TAB_WIDTH - col % TAB_WIDTH
            out.append(" " * n)
            col += n
        elif ch.isprintable():
            out.append(ch)
            col += _char_width(ch)
        else:
            out.append(_REPLACEMENT)
            col += 1
    cols.append(col)
    return "".join(out), cols


class _Paint:
    def __init__(self, color: bool) -> None:
        self.color = color
        self._styles: dict[str, object] = {}

    def __call__(self, style: str, text: str) -> str:
        if not self.color or not text:
            return text
        from rich.color import ColorSystem
        from rich.style import Style

        st = self._styles.get(style)
        if st is None:
            st = Style.parse(style)
            self._styles[style] = st
        assert isinstance(st, Style)
        return st.render(text, color_system=ColorSystem.STANDARD)


_SEVERITY_STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "bold yellow", Severity.NOTE: "bold cyan"}


def render_text(diags: Iterable[Diagnostic], sources: Mapping[str, SourceFile], color: bool = False) -> str:
    """All diagnostics, sorted by file and position, each as a rustc-style block; '' when none."""
    paint = _Paint(color)
    blocks = [_render_one(d, sources, paint) for d in sorted(diags, key=sort_key)]
    return "\n".join(blocks)


def _render_one(d: Diagnostic, sources: Mapping[str, SourceFile], paint: _Paint) -> str:
    sev = d.severity.value
    head = paint(_SEVERITY_STYLE[d.severity], f"{sev}[{d.code}]") + paint("bold", ": " + _clean(d.message))
    lines = [head]
    src = sources.get(d.span.path) if d.span is not None else None
    annotations: list[tuple[Span, str, bool]] = []
    if d.span is not None:
        annotations.append((d.span, d.label, True))
    for rel in d.related:
        annotations.append((rel.span, rel.message, False))
    marks: dict[int, list[_Mark]] = {}
    if src is not None:
        for span, label, primary in annotations:
            if span.path == src.path:
                for m in _marks(src, span, label, primary):
                    marks.setdefault(m.line, []).append(m)
    width = max([len(str(ln)) for ln in marks] or [1])
    pad = " " * width
    bar = paint("bold blue", "|")
    if d.span is not None:
        lines.append(f"{pad}{paint('bold blue', '-->')} {_clean(str(d.span))}")
    if src is not None and marks:
        lines.append(f"{pad} {bar}")
        prev_line = None
        for ln in sorted(marks):
            if prev_line is not None and ln > prev_line + 1:
                lines.append(paint("bold blue", "..."))
            prev_line = ln
            text, cols = _display(src.line_text(ln))
            lines.append(f"{paint('bold blue', str(ln).rjust(width))} {bar} {text}".rstrip())
            for m in sorted(marks[ln], key=lambda m: (not m.primary, m.start)):
                lines.append(f"{pad} {bar} " + _marker(m, cols, d.severity, paint))
        lines.append(f"{pad} {bar}")
    for rel_span, rel_msg, _ in annotations:
        if (src is None or rel_span.path != src.path) and rel_span is not d.span:
            lines.append(f"{pad} {paint('bold blue', '::: ')}{_clean(str(rel_span))}: {_clean(rel_msg)}")
    if src is None and d.span is not None and d.label:
        lines.append(f"{pad} {paint('bold blue', '=')} {_clean(d.label)}")
    for note in d.notes:
        lines.append(f"{pad} {paint('bold blue', '=')} {paint('bold', 'note')}: {_clean(note)}")
    if d.help:
        lines.append(f"{pad} {paint('bold blue', '=')} {paint('bold', 'help')}: {_clean(d.help)}")
    return "\n".join(lines) + "\n"


class _Mark:
    """Carets under part of one source line: code-point indexes [start, end) (end None: to the end)."""

    __slots__ = ("end", "label", "line", "primary", "start")

    def __init__(self, line: int, start: int, end: int | None, label: str, primary: bool) -> None:
        self.line = line
        self.start = start
        self.end = end
        self.label = label
        self.primary = primary


def _marks(src: SourceFile, span: Span, label: str, primary: bool) -> list[_Mark]:
    """One mark for a one-line span; for a span over several lines, its first line to the end and
    its last line from the first non-blank character (the label goes on the last)."""
    if span.end_line == span.line or (span.end_line == span.line + 1 and span.end_col == 1):
        end = span.end_col - 1 if span.end_line == span.line else None
        return [_Mark(span.line, span.col - 1, end, label, primary)]
    last_text = src.line_text(span.end_line)
    first_char = len(last_text) - len(last_text.lstrip())
    if span.end_col == 1:  # ends at the start of a line: the previous line is the last one
        return [_Mark(span.line, span.col - 1, None, label, primary)]
    return [_Mark(span.line, span.col - 1, None, "", primary),
            _Mark(span.end_line, min(first_char, span.end_col - 1), span.end_col - 1, label, primary)]


def _marker(m: _Mark, cols: list[int], severity: Severity, paint: _Paint) -> str:
    last = len(cols) - 1  # index one past the last character
    start_i = min(max(m.start, 0), last)
    end_i = last if m.end is None else min(max(m.end, 0), last)
    start = cols[start_i]
    n = max(1, cols[end_i] - start)
    ch = "^" if m.primary else "-"
    style = _SEVERITY_STYLE[severity] if m.primary else "bold blue"
    mark = paint(style, ch * n + (" " + _clean(m.label) if m.label else ""))
    return " " * start + mark


def render_message(d: Diagnostic) -> str:
    """The text of one diagnostic for an editor, which shows the code, the place and the source lines
    itself: the message, then the notes and the help as ``render_text`` writes them (``note: ...``,
    ``help: ...``), one a line."""
    lines = [_clean(d.message)]
    lines.extend(f"note: {_clean(note)}" for note in d.notes)
    if d.help:
        lines.append(f"help: {_clean(d.help)}")
    return "\n".join(lines)


def render_short(diags: Iterable[Diagnostic]) -> str:
    """One line per diagnostic: ``file:line:col: error[WF103]: message``."""
    out = []
    for d in sorted(diags, key=sort_key):
        where = f"{_clean(str(d.span))}: " if d.span is not None else ""
        out.append(f"{where}{d.severity.value}[{d.code}]: {_clean(d.message)}")
    return "\n".join(out) + ("\n" if out else "")


def render_json(diags: Iterable[Diagnostic]) -> str:
    """A JSON array of ``Diagnostic.to_json()`` objects, sorted by file and position."""
    import json

    return json.dumps([d.to_json() for d in sorted(diags, key=sort_key)], indent=2, ensure_ascii=False) + "\n"


def render_summary(diags: Sequence[Diagnostic], files: int, color: bool = False) -> str:
    """``Found 2 errors and 1 warning in 3 files.`` (or ``All checks passed (3 files).``)."""
    paint = _Paint(color)
    errors = sum(1 for d in diags if d.severity is Severity.ERROR)
    warnings = sum(1 for d in diags if d.severity is Severity.WARNING)
    noun = "file" if files == 1 else "files"
    if not errors and not warnings:
        return paint("bold green", f"All checks passed ({files} {noun}).")
    parts = []
    if errors:
        parts.append(f"{errors} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
    style = "bold red" if errors else "bold yellow"
    return paint(style, f"Found {' and '.join(parts)} in {files} {noun}.")
