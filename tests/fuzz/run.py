"""A seeded mutation fuzzer: mutated scripts through parse, render, fmt, bind, the enable checks and
the condition compiler must only ever yield diagnostics, each within a second.

    python tests/fuzz/run.py --count 20000 --seed 1

prints how many inputs raised (with the first few tracebacks and the inputs, written to ``--save DIR``
when given) and the slowest input's time. Inputs over ``--limit`` seconds are timed again (best of
three) at the end, since one timing on a loaded machine can be several times an input's cost; the exit
status is 1 when an input raised or still took longer than the limit. The seeds are ``examples/*.wf``
and ``werkstroom/stdlib/templates/*.wf``; the mutations are byte and token edits (insert, delete,
duplicate, swap), numbers at their edges (huge integers, ``9999Y``, dates in the years 1 and 9999), deep
nesting, long lines and comments, and unusual unicode (lone surrogates included).
``tests/fuzz/test_fuzz.py`` runs a slice of a few hundred inputs in the suite.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import random
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a script from a checkout
    sys.path.insert(0, str(ROOT))

SEED_FILES = sorted([*ROOT.glob("examples/*.wf"), *ROOT.glob("werkstroom/stdlib/templates/*.wf")])

EDGE_VALUES = [
    "9" * 5000, "-" + "9" * 5000, "1" * 4301, "9" * 4300, "9" * 5000 + ".5", "0." + "1" * 5000,
    "9" * 20, "9223372036854775808", "-9223372036854775809", "0", "-0", "00000000000000000001",
    "9999Y", "99999999999999999999D", "-9999Y", "9999Q", "120000M", "3000000D", "CY+9999Y", "D31", "D0",
    "D32", "WD0", "WD7", "WD8", "CM+1D", "-CM", "CW-1D", "1D-1D", "D15", "<15D>", "<CM+1D>",
    "0001-01-01", "9999-12-31", "0000-01-01", "9999-13-01", "2026-02-29", "2024-02-29",
]
TOKENS = [
    "on", "when", "then", "and", "or", "not", "in", "as", "continue at", "workflow", "category", "(", ")",
    "[", "]", "..", ",", "=", "<>", "<", "<=", ">", ">=", "\n", "\n   ", "\t", '"', '"text"', "#",
    "amount", "posting_date", "old.amount", "any lines with quantity > 1", "status", "is empty",
    "increased", "due in", "delegate after", "quorum", "of", "notify sender", "send approval requests",
]
UNICODE = ["\ud800", "\udfff", "\ufeff", "\u200b", "\u202e", "\x00", "\x0b", "\x0c", "\x1c", "\x85",
           "\u2028", "\u2029", "\u00e9", "e\u0301", "\U0001f600", "\uffff", "\r", "\r\n"]

_TOKEN_RE = re.compile(r"\s+|\w[\w./-]*|\"(?:[^\"\\\n]|\\.)*\"|\S")
_NUMBER_RE = re.compile(r"(?<![\w.])-?\d[\w.+-]*")


def seeds() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in SEED_FILES]


# --------------------------------------------------------------------------- mutations

def _byte_edit(rng: random.Random, text: str) -> str:
    if not text:
        return rng.choice(TOKENS)
    i = rng.randrange(len(text))
    j = min(len(text), i + rng.randint(1, 8))
    op = rng.randrange(4)
    if op == 0:  # insert
        return text[:i] + chr(rng.choice([rng.randint(0, 127), rng.randint(0, 0x10FFFF)])) + text[i:]
    if op == 1:  # delete
        return text[:i] + text[j:]
    if op == 2:  # duplicate
        return text[:j] + text[i:j] + text[j:]
    k = rng.randrange(len(text))  # swap two characters
    a, b = sorted((i, k))
    return text if a == b else text[:a] + text[b] + text[a + 1:b] + text[a] + text[b + 1:]


def _token_edit(rng: random.Random, text: str) -> str:
    toks = _TOKEN_RE.findall(text) or [""]
    i = rng.randrange(len(toks))
    op = rng.randrange(4)
    if op == 0:
        toks.insert(i, rng.choice([*TOKENS, " " + rng.choice(TOKENS) + " ", rng.choice(toks)]))
    elif op == 1:
        del toks[i]
    elif op == 2:
        toks.insert(i, toks[i])
    else:
        k = rng.randrange(len(toks))
        toks[i], toks[k] = toks[k], toks[i]
    return "".join(toks)


def _edge_number(rng: random.Random, text: str) -> str:
    spots = list(_NUMBER_RE.finditer(text))
    value = rng.choice(EDGE_VALUES)
    if not spots:
        return text + f"\non PurchaseDocReleased when amount > {value} then release document\n"
    m = rng.choice(spots)
    return text[:m.start()] + value + text[m.end():]


def _edge_condition(rng: random.Random, text: str) -> str:
    field = rng.choice(["posting_date", "amount", "document_date", "due_date", "pending_approvals"])
    ops = rng.sample(["<", "<=", ">", ">=", "=", "<>"], 2)
    v1, v2 = rng.choice(EDGE_VALUES), rng.choice(EDGE_VALUES)
    event = rng.choice(["PurchaseDocReleased", "PurchaseDocSentForApproval", "ApprovalRequestApproved"])
    lines = [f"on {event} when {field} {ops[0]} {v1} then release document",
             f"on {event} when {field} {ops[1]} {v2} or {field} in [{v1}..{v2}] then release document"]
    return text + "\n" + "\n".join(lines) + "\n" if rng.random() < 0.3 else "\n".join(lines) + "\n"


def _nesting(rng: random.Random, text: str) -> str:
    depth = rng.choice([50, 200, 1000, 3000])
    if rng.random() < 0.5:
        cond = "(" * depth + "amount > 1" + ")" * rng.choice([depth, depth - 1, 0])
        return f"on PurchaseDocReleased when {cond} then release document\n"
    lines = [" " * (3 * k) + "on PurchaseDocReleased then" for k in range(min(depth, 300))]
    return "\n".join(lines) + "\n" + " " * (3 * min(depth, 300)) + "release document\n"


def _long(rng: random.Random, text: str) -> str:
    n = rng.choice([1000, 20_000, 200_000])
    line = rng.choice(["#" + "x" * n, "   # " + "é" * n, '"' + "t" * n + '"', "a" * n,
                       " and ".join(["amount > 1"] * (n // 100)), "x" + " " * n + "y"])
    i = rng.randrange(len(text) + 1)
    return text[:i] + line + text[i:]


def _unicode(rng: random.Random, text: str) -> str:
    i = rng.randrange(len(text) + 1)
    return text[:i] + "".join(rng.choice(UNICODE) for _ in range(rng.randint(1, 4))) + text[i:]


MUTATIONS: list[tuple[Callable[[random.Random, str], str], int]] = [
    (_byte_edit, 6), (_token_edit, 6), (_edge_number, 4), (_edge_condition, 2), (_nesting, 1),
    (_long, 1), (_unicode, 2),
]


def mutants(count: int, seed: int) -> Iterator[str]:
    """``count`` mutated scripts, the same for the same seed."""
    rng = random.Random(seed)
    base = seeds()
    funcs = [f for f, _ in MUTATIONS]
    weights = [w for _, w in MUTATIONS]
    for _ in range(count):
        text = rng.choice(base)
        for _ in range(rng.choice([1, 1, 2, 3, 5])):
            text = rng.choices(funcs, weights)[0](rng, text)
        yield text


# --------------------------------------------------------------------------- the pipeline

class Pipeline:
    """What ``wf check --enable``, ``wf fmt`` and deploying do with a script, short of a database."""

    def __init__(self) -> None:
        from werkstroom.binding.libraries import load_catalogue

        self.catalogue = load_catalogue()[0]
        for text in seeds():  # build the parser's and the binder's caches before anything is timed
            self.run(text)

    def run(self, text: str) -> None:
        from werkstroom.binding.binder import bind
        from werkstroom.binding.checks import enable_all
        from werkstroom.binding.compiler import compile_condition, render
        from werkstroom.grammar.formatter import format_ast
        from werkstroom.grammar.parser import parse
        from werkstroom.render import render_json, render_text

        r = parse(text, "fuzz.wf")
        sources = {"fuzz.wf": r.source}
        render_text(r.diagnostics, sources)
        if not r.ok or not r.script.items:
            render_json(r.diagnostics)
            return
        format_ast(r.script, r.source)
        program = bind([r], self.catalogue)
        render_text(program.diagnostics, sources)
        render_json(program.diagnostics)
        if not program.ok:
            return
        render_text(enable_all(program.workflows, self.catalogue), sources)
        for wf in program.workflows:
            for step in wf.steps:
                compile_condition(step.condition)
                if step.condition is not None:
                    render(step.condition)
                _apply_formulas(step.options)


def _apply_formulas(options: Any) -> None:
    """A formula that checks clean applies to any date of this millennium (the engine's due dates)."""
    from werkstroom.catalogue import dateformula

    for value in options.values():
        if isinstance(value, str) and value and re.fullmatch(r"[0-9A-Z+\-]+", value):
            try:
                formula = dateformula.parse(value)
            except dateformula.DateFormulaError:
                continue  # a code or a text that is not a formula
            for day in (dt.date(2000, 1, 1), dt.date(2999, 12, 31)):
                formula.apply(day)


def fuzz(count: int, seed: int, limit: float = 1.0,
         report: Callable[[int, str, str], None] | None = None,
         progress: int = 0) -> tuple[int, float, list[str], str]:
    """Run ``count`` mutants; (inputs that raised, slowest seconds, the inputs over ``limit``, the
    slowest input). ``progress``: print the figures so far every that many inputs."""
    pipeline = Pipeline()
    failures = 0
    slow: list[str] = []
    slowest, slowest_text = 0.0, ""
    for n, text in enumerate(mutants(count, seed)):
        start = time.perf_counter()
        try:
            pipeline.run(text)
        except Exception:  # counting them is the point
            failures += 1
            if report is not None:
                report(n, text, traceback.format_exc())
        took = time.perf_counter() - start
        if took > limit:
            slow.append(text)
        if took > slowest:
            slowest, slowest_text = took, text
        if progress and (n + 1) % progress == 0:
            print(f"  {n + 1} inputs: exceptions {failures}, over {limit:g} s {len(slow)}, "
                  f"slowest {slowest:.3f} s",
                  flush=True)
    return failures, slowest, slow, slowest_text


def retimed(texts: list[str], tries: int = 3) -> list[float]:
    """The best of ``tries`` timings of each input again: on a shared, loaded machine one timing can be
    several times an input's own cost, the best of three hardly."""
    pipeline = Pipeline()
    best = []
    for text in texts:
        times = []
        for _ in range(tries):
            start = time.perf_counter()
            with contextlib.suppress(Exception):
                pipeline.run(text)
            times.append(time.perf_counter() - start)
        best.append(min(times))
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--count", type=int, default=20_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--limit", type=float, default=1.0, help="seconds one input may take")
    ap.add_argument("--show", type=int, default=3, help="tracebacks to print")
    ap.add_argument("--save", type=Path, help="write each failing input to this folder")
    ap.add_argument("--progress", type=int, default=0, help="print the figures every N inputs")
    args = ap.parse_args(argv)
    shown = 0
    kinds: dict[str, int] = {}

    def report(n: int, text: str, tb: str) -> None:
        nonlocal shown
        lines = tb.strip().splitlines()
        where = [ln.strip() for ln in lines if ln.strip().startswith("File ")]
        kind = f"{where[-1] if where else '?'}: {lines[-1][:120]}"
        kinds[kind] = kinds.get(kind, 0) + 1
        if shown < args.show:
            shown += 1
            print(f"--- input {n} raised:\n{tb}{text[:300]!r}\n", file=sys.stderr)
        if args.save is not None:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"fail-{n}.wf").write_text(text, encoding="utf-8", errors="surrogatepass")

    began = time.perf_counter()
    failures, slowest, slow, slowest_text = fuzz(args.count, args.seed, args.limit, report, args.progress)
    total = time.perf_counter() - began
    again = retimed(slow)
    confirmed = sum(1 for t in again if t > args.limit)
    print(f"inputs: {args.count}  seed: {args.seed}  exceptions: {failures}  "
          f"over {args.limit:g} s: {len(slow)}  slowest: {slowest:.3f} s  total: {total:.1f} s")
    if slow:
        print(f"the {len(slow)} input(s) over {args.limit:g} s timed again (best of 3): "
              f"{confirmed} still over, slowest {max(again):.3f} s")
    for kind, times in sorted(kinds.items(), key=lambda kv: -kv[1]):
        print(f"{times:6d} x {kind}")
    if slow:
        print(f"slowest input (first 200 chars): {slowest_text[:200]!r}")
    return 1 if failures or confirmed else 0


if __name__ == "__main__":
    sys.exit(main())
