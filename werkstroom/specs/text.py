"""The words of scenario steps: reading amounts, dates and Gherkin tables a feature writes, and writing
the timeline's lines (what the engine did, why a step fired or not, tables of values).

``world.py`` re-exports these names: step modules import them from ``werkstroom.specs.world``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..steps import SpecError

if TYPE_CHECKING:
    from ..engine.trace import Handled, StepTrace

# --------------------------------------------------------------------------- reading words


WORDS = "WF703"  # a step's words, table or value cannot be understood (docs/diagnostics.md)

AMOUNT = re.compile(r"-?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]+)?")


def amount_text(text: str, what: str = "") -> str:
    """An amount as written in a feature (``1234.50``, ``1,234.50``, ``-20``) as plain decimal text.

    A dot is the decimal separator and commas may only group thousands, so ``1.000,00``, ``1000,50``
    and ``abc`` are refused instead of being read as another number."""
    t = text.strip()
    if not AMOUNT.fullmatch(t):
        raise SpecError(f"{what + ': ' if what else ''}{t!r} is not an amount: write it with a dot for "
                        "decimals and commas only between thousands, e.g. 1234.50 or 1,234.50", code=WORDS)
    return t.replace(",", "")


def date_of(day: str) -> dt.date:
    """A date as a feature writes it (YYYY-MM-DD)."""
    try:
        return dt.date.fromisoformat(day)
    except ValueError as exc:
        raise SpecError(f"{day} is not a date ({exc}): write YYYY-MM-DD, e.g. 2026-03-02",
                        code=WORDS) from exc


def suggestion(word: str, candidates: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for a close candidate, else ``""``."""
    from ..spelling import suggest

    best = suggest(word, candidates)
    return f"; did you mean {best[0]!r}?" if best else ""


# --------------------------------------------------------------------------- rendering


def describe_error(exc: BaseException) -> str:
    text = str(exc)
    diags = getattr(exc, "diagnostics", ()) or ()
    extra = [f"{d.code} {d.message}" for d in diags if f"{d.code}: {d.message}" not in text]
    return text + "".join(f"\n      {x}" for x in extra)


def _value(v: Any) -> str:
    if isinstance(v, Decimal):
        return format(v, "f")
    return str(v)


def trace_text(t: StepTrace) -> str:
    cond = t.condition or "(no condition)"
    parts = []
    for text, seen, ok in t.tests:
        vals = ", ".join(f"{k}={_value(v)}" for k, v in seen)
        parts.append(f"{text}: {'true' if ok else 'false'}" + (f" [{vals}]" if vals else ""))
    why = f" ({'; '.join(parts)})" if parts else ""
    return f"step {t.step_id} of {t.workflow_code} on {t.event} when {cond}{why}"


def handled_lines(h: Handled) -> list[str]:
    head = f"{h.event} on {h.record_type} {h.record_key} by {h.user}"
    if h.raised_by:
        head += f" (raised by {h.raised_by})"
    head += f": {h.outcome or 'handled'}"
    if h.workflow_code:
        head += f" [{h.workflow_code}{' ' + h.instance_id if h.instance_id else ''}]"
    out = [head]
    if h.fired is not None:
        out.append(f"  fired: {trace_text(h.fired)}")
    out += [f"  did not fire: {trace_text(t)}" for t in h.not_fired]
    for r in h.responses:
        line = f"  - {r.name.replace('_', ' ')}"
        if r.notes:
            line += ": " + "; ".join(r.notes)
        out.append(line)
        out += [f"      raised {x}" for x in r.raised]
    out += [f"  note: {n}" for n in h.notes]
    if h.archived:
        out.append("  the instance is complete and archived")
    return out


def table_text(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    body = [list(header), *[list(r) for r in rows]]
    widths = [max(len(r[i]) for r in body) for i in range(len(header))]
    return ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in body]


def rows_of(datatable: Sequence[Sequence[str]]) -> list[dict[str, str]]:
    """A Gherkin table (first row the header) as dicts; headers stripped, cells stripped."""
    if not datatable:
        raise SpecError("the step needs a table with a header row", code=WORDS)
    header = [h.strip() for h in datatable[0]]
    return [dict(zip(header, (c.strip() for c in row), strict=True)) for row in datatable[1:]]


def pairs_of(datatable: Sequence[Sequence[str]]) -> dict[str, str]:
    """A two-column table of field | value (an optional ``field | value`` header row is skipped)."""
    out: dict[str, str] = {}
    for i, row in enumerate(datatable):
        if len(row) != 2:
            raise SpecError("give the fields as a two-column table: | field | value |", code=WORDS)
        k, v = row[0].strip(), row[1].strip()
        if i == 0 and k.lower() == "field" and v.lower() == "value":
            continue
        out[k] = v
    return out
