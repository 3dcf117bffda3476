"""The condition compiler: a bound condition (``BExpr``) becomes a Python function, once.

The function is built with the ``ast`` module from our own typed tree only: no user text is ever
parsed or evaluated. Field names and constants never appear in generated source: field names are
string constants in the tree and constant values are passed in as closure-free globals (``_c0``...).

Semantics (documented for consultants in docs/engine.md):

* A missing field, or a field holding null, is *null*. Every comparison with null is false
  (``amount > 0``, ``amount = 0`` and ``amount <> 0`` are all false when ``amount`` is null);
  ``in`` / ``not in`` are false too; ``is empty`` is true. ``not (...)`` negates the whole result.
* Decimals compare exactly (``Decimal``; never float). Enums compare by their canonical value.
* Text tests (``=``, ``<>``, ``in``, ``contains``, ``starts with``, ``ends with``) ignore case.
* Change tests (``increased``/``decreased``) need both the old and the new value; ``changed`` is
  true when they differ (null vs a value counts as a change).
* Dotted paths (``vendor.blocked``) read the first related record; no related record means null.

The compiled callable takes ``(record_values, old_values, related_lookup)`` and returns a bool.
``related_lookup(values, relation_name)`` returns the related records (mappings) of ``values``.
``explain(...)`` runs a second compiled form that evaluates every test (no short-circuit) and
returns the tests with the values they read, for the simulation timeline's "why / why not".
"""

from __future__ import annotations

import ast
import datetime as dt
import itertools
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..catalogue.specs import FieldKind
from ..errors import WerkstroomError
from .program import (
    BAnd,
    BChange,
    BCompare,
    BConst,
    BExpr,
    BField,
    BIn,
    BNot,
    BOr,
    BQuantified,
    BRange,
    BText,
)

MAX_NODES = 400
MAX_DEPTH = 40

RelatedLookup = Callable[[Mapping[str, Any], str], Sequence[Mapping[str, Any]]]
Values = Mapping[str, Any]
CondFn = Callable[[Values, Values | None, RelatedLookup], bool]

_TEXT_KINDS = (FieldKind.TEXT, FieldKind.CODE)
_OPS: dict[str, type[ast.cmpop]] = {
    "=": ast.Eq, "<>": ast.NotEq, "<": ast.Lt, "<=": ast.LtE, ">": ast.Gt, ">=": ast.GtE,
}


class ConditionTooComplex(WerkstroomError):
    """WF501: the condition exceeds the node-count or depth limit."""

    code = "WF501"


@attrs.frozen
class Test:
    """One evaluated test of a condition: its text, the values it read, its outcome."""

    text: str
    reads: tuple[tuple[str, Any], ...]
    result: bool


@attrs.frozen
class Explanation:
    result: bool
    tests: tuple[Test, ...]


@attrs.frozen
class CompiledCondition:
    """A condition compiled once. Call it for the fast path; ``explain`` for the timeline."""

    fn: CondFn
    explain_fn: Callable[..., bool]
    texts: tuple[str, ...]
    nodes: int

    def __call__(self, values: Values, old: Values | None, lookup: RelatedLookup) -> bool:
        return self.fn(values, old, lookup)

    def explain(self, values: Values, old: Values | None, lookup: RelatedLookup) -> Explanation:
        log: list[tuple[int, tuple[tuple[str, Any], ...], bool]] = []
        result = bool(self.explain_fn(values, old, lookup, log))
        return Explanation(result, tuple(Test(self.texts[i], reads, ok) for i, reads, ok in log))


def always_true(values: Values, old: Values | None, lookup: RelatedLookup) -> bool:
    return True


# --------------------------------------------------------------------------- rendering (for texts)


def render(e: BExpr | BRange) -> str:
    """A readable text for a condition node (used in timelines)."""
    if isinstance(e, BField):
        return ("old." if e.old else "") + ".".join(e.path)
    if isinstance(e, BConst):
        return _render_const(e)
    if isinstance(e, BRange):
        lo = _render_const(e.low) if e.low is not None else ""
        hi = _render_const(e.high) if e.high is not None else ""
        return f"{lo}..{hi}"
    if isinstance(e, BCompare):
        return f"{render(e.left)} {e.op} {render(e.right)}"
    if isinstance(e, BIn):
        items = ", ".join(render(i) for i in e.items)
        return f"{render(e.operand)} {'not in' if e.negated else 'in'} [{items}]"
    if isinstance(e, BText):
        if e.pattern is None:
            return f"{render(e.operand)} {e.op}"
        return f"{render(e.operand)} {e.op} {render(e.pattern)}"
    if isinstance(e, BChange):
        return f"{render(e.field)} {e.kind}"
    if isinstance(e, BQuantified):
        rel = ".".join(e.relation)
        if e.condition is None:
            return f"{e.quantifier} {rel}"
        return f"{e.quantifier} {rel} with {render(e.condition)}"
    if isinstance(e, BAnd):
        return " and ".join(_paren(o) for o in e.operands)
    if isinstance(e, BOr):
        return " or ".join(_paren(o) for o in e.operands)
    if isinstance(e, BNot):
        return f"not {_paren(e.operand)}"
    raise TypeError(f"not a condition node: {e!r}")


def _paren(e: BExpr) -> str:
    return f"({render(e)})" if isinstance(e, BAnd | BOr) else render(e)


def _render_const(c: BConst) -> str:
    v = c.value
    if isinstance(v, str):
        return v if c.kind is FieldKind.ENUM else f'"{v}"'
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)


# --------------------------------------------------------------------------- size limits


def _measure(e: BExpr | BRange, depth: int = 1) -> tuple[int, int]:
    """(node count, depth) of a tree; iterative enough for the limits we enforce."""
    if depth > MAX_DEPTH:
        return 1, depth
    kids: list[BExpr | BRange] = []
    if isinstance(e, BCompare):
        kids = [e.left, e.right]
    elif isinstance(e, BIn):
        kids = [e.operand, *e.items]
    elif isinstance(e, BText):
        kids = [e.operand]
        if e.pattern is not None:
            kids.append(e.pattern)
    elif isinstance(e, BChange):
        kids = [e.field]
    elif isinstance(e, BQuantified):
        kids = [e.condition] if e.condition is not None else []
    elif isinstance(e, BAnd | BOr):
        kids = list(e.operands)
    elif isinstance(e, BNot):
        kids = [e.operand]
    nodes, deepest = 1, depth
    for k in kids:
        n, d = _measure(k, depth + 1)
        nodes += n
        deepest = max(deepest, d)
    return nodes, deepest


# --------------------------------------------------------------------------- runtime helpers


def _follow(values: Values, lookup: RelatedLookup, path: tuple[str, ...]) -> Values | None:
    """The first record reached through the relation ``path`` (None when a link is missing)."""
    cur: Values | None = values
    for rel in path:
        if cur is None:
            return None
        found = lookup(cur, rel)
        cur = found[0] if found else None
    return cur


def _many(values: Values, lookup: RelatedLookup, path: tuple[str, ...]) -> list[Values]:
    """Every record reached through the relation ``path`` (flattened over intermediate links)."""
    current: list[Values] = [values]
    for rel in path:
        nxt: list[Values] = []
        for v in current:
            nxt.extend(lookup(v, rel))
        current = nxt
    return current


def _fold(v: Any) -> Any:
    return v.casefold() if isinstance(v, str) else v


def _as_text(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)


def _changed(old: Any, new: Any, numeric: bool) -> bool:
    if numeric:
        return bool(old != new)
    return _as_text(old) != _as_text(new)


def _all_of(results: Iterable[bool]) -> bool:
    return all(list(results))  # explain mode: evaluate every operand


def _any_of(results: Iterable[bool]) -> bool:
    return any(list(results))


# --------------------------------------------------------------------------- code generation


class _Gen:
    """Builds one function body. ``explain``: wrap every test to log its reads and outcome.
    ``prefix``: put before field labels in explanations (``lines.`` inside ``any lines with ...``)."""

    def __init__(self, explain: bool, consts: dict[str, Any], texts: list[str],
                 prefix: str, counter: itertools.count[int]) -> None:
        self.explain = explain
        self.consts = consts
        self.texts = texts
        self.prefix = prefix
        self.counter = counter
        self.reads: list[ast.expr] | None = None

    # names ---------------------------------------------------------------
    def const(self, value: Any) -> ast.expr:
        if value is None or (isinstance(value, bool | int | str) and not isinstance(value, Decimal)):
            return ast.Constant(value)
        name = f"_c{next(self.counter)}"
        self.consts[name] = value
        return ast.Name(name, ast.Load())

    def tmp(self) -> str:
        return f"_t{next(self.counter)}"

    # reads -----------------------------------------------------------------
    def field(self, f: BField) -> ast.expr:
        """An expression reading field ``f`` (None when missing)."""
        src: ast.expr = ast.Name("o" if f.old else "r", ast.Load())
        *rels, name = f.path
        if rels:
            src = _call("_follow", src, ast.Name("L", ast.Load()), self.const(tuple(rels)))
        elif f.old:
            # o may be None (no old record): (o or {}).get(name)
            src = ast.BoolOp(ast.Or(), [src, ast.Dict([], [])])
        if rels:
            src = ast.BoolOp(ast.Or(), [src, ast.Dict([], [])])
        get = ast.Call(ast.Attribute(src, "get", ast.Load()), [ast.Constant(name)], [])
        if self.explain and self.reads is not None:
            label = ("old." if f.old else "") + self.prefix + ".".join(f.path)
            t = self.tmp()
            named = ast.NamedExpr(ast.Name(t, ast.Store()), get)
            self.reads.append(ast.Tuple([ast.Constant(label), ast.Name(t, ast.Load())], ast.Load()))
            return named
        return get

    def value(self, e: BExpr) -> ast.expr:
        if isinstance(e, BField):
            return self.field(e)
        if isinstance(e, BConst):
            return self.const(_fold(e.value) if e.kind in _TEXT_KINDS else e.value)
        raise TypeError(f"not a value: {e!r}")

    # tests -------------------------------------------------------------------
    def test(self, e: BExpr) -> ast.expr:
        if isinstance(e, BAnd):
            ops = [self.test(o) for o in e.operands]
            if self.explain:
                return _call("_all_of", ast.List(ops, ast.Load()))
            return ast.BoolOp(ast.And(), ops)
        if isinstance(e, BOr):
            ops = [self.test(o) for o in e.operands]
            if self.explain:
                return _call("_any_of", ast.List(ops, ast.Load()))
            return ast.BoolOp(ast.Or(), ops)
        if isinstance(e, BNot):
            return ast.UnaryOp(ast.Not(), self.test(e.operand))
        if isinstance(e, BQuantified):
            return self.quantified(e)
        # an atomic test: log it in explain mode
        outer = self.reads
        self.reads = []
        body = self.atom(e)
        if self.explain:
            idx = len(self.texts)
            self.texts.append(render(e))
            body = _call("_log", ast.Name("_log_list", ast.Load()), ast.Constant(idx),
                         ast.Tuple(self.reads, ast.Load()), body)
        self.reads = outer
        return body

    def atom(self, e: BExpr) -> ast.expr:
        if isinstance(e, BCompare):
            return self.compare(e)
        if isinstance(e, BIn):
            return self.in_test(e)
        if isinstance(e, BText):
            return self.text(e)
        if isinstance(e, BChange):
            return self.change(e)
        if isinstance(e, BField):  # a boolean field used as a condition
            return ast.Compare(self.field(e), [ast.Is()], [ast.Constant(True)])
        if isinstance(e, BConst):
            return ast.Constant(bool(e.value))
        raise TypeError(f"not a condition node: {e!r}")

    def _bind(self, expr: ast.expr, fold: bool) -> tuple[ast.expr, ast.expr]:
        """(walrus that stores expr, name to reuse); folded to lower case for text."""
        t = self.tmp()
        inner = _call("_fold", expr) if fold else expr
        return ast.NamedExpr(ast.Name(t, ast.Store()), inner), ast.Name(t, ast.Load())

    def compare(self, e: BCompare) -> ast.expr:
        fold = _kind(e.left) in _TEXT_KINDS or _kind(e.right) in _TEXT_KINDS
        checks: list[ast.expr] = []
        sides: list[ast.expr] = []
        for side in (e.left, e.right):
            if isinstance(side, BConst):
                if side.value is None:
                    return ast.Constant(False)
                sides.append(self.value(side))
            else:
                store, name = self._bind(self.field(_as_field(side)), fold)
                checks.append(ast.Compare(store, [ast.IsNot()], [ast.Constant(None)]))
                sides.append(name)
        cmp = ast.Compare(sides[0], [_OPS[e.op]()], [sides[1]])
        return ast.BoolOp(ast.And(), [*checks, cmp]) if checks else cmp

    def in_test(self, e: BIn) -> ast.expr:
        fold = e.operand.kind in _TEXT_KINDS
        store, name = self._bind(self.field(e.operand), fold)
        singles = [i for i in e.items if isinstance(i, BConst)]
        ranges = [i for i in e.items if isinstance(i, BRange)]
        alts: list[ast.expr] = []
        if singles:
            vals = frozenset(_fold(c.value) if fold else c.value for c in singles)
            alts.append(ast.Compare(name, [ast.In()], [self.const(vals)]))
        for rg in ranges:
            ops: list[ast.cmpop] = []
            comps: list[ast.expr] = []
            left: ast.expr = name
            if rg.low is not None:
                left = self.value(rg.low)
                ops.append(ast.LtE())
                comps.append(name)
            if rg.high is not None:
                ops.append(ast.LtE())
                comps.append(self.value(rg.high))
            alts.append(ast.Compare(left, ops, comps) if ops else ast.Constant(True))
        member: ast.expr = alts[0] if len(alts) == 1 else ast.BoolOp(ast.Or(), alts or [ast.Constant(False)])
        if e.negated:
            member = ast.UnaryOp(ast.Not(), member)
        return ast.BoolOp(ast.And(), [ast.Compare(store, [ast.IsNot()], [ast.Constant(None)]), member])

    def text(self, e: BText) -> ast.expr:
        raw = self.field(e.operand)
        if e.op in ("is empty", "is not empty"):
            t = self.tmp()
            empty = ast.BoolOp(ast.Or(), [
                ast.Compare(ast.NamedExpr(ast.Name(t, ast.Store()), raw), [ast.Is()], [ast.Constant(None)]),
                ast.Compare(ast.Name(t, ast.Load()), [ast.Eq()], [ast.Constant("")]),
            ])
            return empty if e.op == "is empty" else ast.UnaryOp(ast.Not(), empty)
        assert e.pattern is not None
        pattern = self.const(_fold(_as_text(e.pattern.value)))
        t = self.tmp()
        folded = _call("_fold", _call("_as_text", ast.Name(t, ast.Load())))
        if e.op == "contains":
            test: ast.expr = ast.Compare(pattern, [ast.In()], [folded])
        elif e.op in ("starts with", "ends with"):
            meth = "startswith" if e.op == "starts with" else "endswith"
            test = ast.Call(ast.Attribute(folded, meth, ast.Load()), [pattern], [])
        else:
            raise TypeError(f"unknown text test {e.op!r}")
        present = ast.Compare(ast.NamedExpr(ast.Name(t, ast.Store()), raw), [ast.IsNot()],
                              [ast.Constant(None)])
        return ast.BoolOp(ast.And(), [present, test])

    def change(self, e: BChange) -> ast.expr:
        new_f = attrs.evolve(e.field, old=False)
        old_f = attrs.evolve(e.field, old=True)
        numeric = e.field.kind in (FieldKind.DECIMAL, FieldKind.INTEGER, FieldKind.DATE, FieldKind.DATETIME)
        o_store, o_name = self._bind(self.field(old_f), False)
        n_store, n_name = self._bind(self.field(new_f), False)
        has_old = ast.Compare(ast.Name("o", ast.Load()), [ast.IsNot()], [ast.Constant(None)])
        if e.kind == "changed":
            changed = _call("_changed", o_store, n_store, ast.Constant(numeric))
            return ast.BoolOp(ast.And(), [has_old, changed])
        op: ast.cmpop = ast.Lt() if e.kind == "increased" else ast.Gt()
        if numeric:
            left, right = o_name, n_name
        else:
            left, right = _call("_as_text", o_name), _call("_as_text", n_name)
        return ast.BoolOp(ast.And(), [
            has_old,
            ast.Compare(o_store, [ast.IsNot()], [ast.Constant(None)]),
            ast.Compare(n_store, [ast.IsNot()], [ast.Constant(None)]),
            ast.Compare(left, [op], [right]),
        ])

    def quantified(self, e: BQuantified) -> ast.expr:
        items = _call("_many", ast.Name("r", ast.Load()), ast.Name("L", ast.Load()), self.const(e.relation))
        if e.condition is None:
            exists: ast.expr = ast.Compare(_call("len", items), [ast.Gt()], [ast.Constant(0)])
            if e.quantifier == "no":
                exists = ast.UnaryOp(ast.Not(), exists)
            if self.explain:
                idx = len(self.texts)
                self.texts.append(render(e))
                return _call("_log", ast.Name("_log_list", ast.Load()), ast.Constant(idx),
                             ast.Tuple([], ast.Load()), exists)
            return exists
        # the sub-condition becomes its own function, evaluated per related record
        sub_name = f"_q{next(self.counter)}"
        sub = _Gen(self.explain, self.consts, self.texts, self.prefix + ".".join(e.relation) + ".",
                   self.counter)
        self.consts[sub_name] = _build(sub, e.condition, sub_name)
        args: list[ast.expr] = [ast.Name("x", ast.Load()), ast.Constant(None), ast.Name("L", ast.Load())]
        if self.explain:
            args.append(ast.Name("_log_list", ast.Load()))
        gen = ast.GeneratorExp(
            ast.Call(ast.Name(sub_name, ast.Load()), args, []),
            [ast.comprehension(ast.Name("x", ast.Store()), items, [], 0)],
        )
        fn = {"any": "any", "all": "all", "no": "any"}[e.quantifier]
        if self.explain:  # test every related record, then log the quantified test itself
            listed = ast.ListComp(gen.elt, gen.generators)
            result: ast.expr = _call(fn, listed)
        else:
            result = _call(fn, gen)
        if e.quantifier == "no":
            result = ast.UnaryOp(ast.Not(), result)
        if self.explain:
            idx = len(self.texts)
            self.texts.append(render(e))
            result = _call("_log", ast.Name("_log_list", ast.Load()), ast.Constant(idx),
                           ast.Tuple([], ast.Load()), result)
        return result


def _kind(e: BExpr) -> FieldKind | None:
    return e.kind if isinstance(e, BField | BConst) else None


def _as_field(e: BExpr) -> BField:
    if not isinstance(e, BField):
        raise TypeError(f"a comparison side must be a field or a constant, not {e!r}")
    return e


def _call(name: str, *args: ast.expr) -> ast.expr:
    return ast.Call(ast.Name(name, ast.Load()), list(args), [])


_HELPERS: dict[str, Any] = {
    "_follow": _follow, "_many": _many, "_fold": _fold, "_as_text": _as_text,
    "_changed": _changed, "_all_of": _all_of, "_any_of": _any_of,
    "Decimal": Decimal, "dt": dt,
}


def _build(gen: _Gen, expr: BExpr, name: str) -> Callable[..., bool]:
    body = gen.test(expr)
    if gen.explain:
        body = _fix_log_order(body)
    params = ["r", "o", "L"] + (["_log_list"] if gen.explain else [])
    fn_def = ast.FunctionDef(
        name=name,
        args=ast.arguments(posonlyargs=[], args=[ast.arg(p) for p in params], vararg=None,
                           kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[]),
        body=[ast.Return(body)],
        decorator_list=[],
        returns=None,
    )
    if sys.version_info >= (3, 12):
        fn_def.type_params = []
    module = ast.Module(body=[fn_def], type_ignores=[])
    ast.fix_missing_locations(module)
    code = compile(module, f"<condition {name}>", "exec")
    namespace: dict[str, Any] = dict(_HELPERS)
    namespace.update(gen.consts)
    exec(code, namespace)  # our own generated tree, never user text
    fn = namespace[name]
    assert callable(fn)
    return fn  # type: ignore[no-any-return]


class _FixLog(ast.NodeTransformer):
    """In explain mode, evaluate the test before collecting the values it read.

    The generator emits ``_log(list, idx, (reads...), test)``; the reads refer to temporaries that
    the test assigns, so rewrite it to ``_log_after(list, idx, test, lambda: (reads...))``."""

    def visit_Call(self, node: ast.Call) -> ast.AST:
        self.generic_visit(node)
        if isinstance(node.func, ast.Name) and node.func.id == "_log":
            log_list, idx, reads, test = node.args
            node.func = ast.Name("_log_after", ast.Load())
            lam = ast.Lambda(
                ast.arguments(posonlyargs=[], args=[], vararg=None, kwonlyargs=[], kw_defaults=[],
                              kwarg=None, defaults=[]),
                reads,
            )
            node.args = [log_list, idx, test, lam]
        return node


def _log_after(log: list[tuple[int, tuple[tuple[str, Any], ...], bool]], idx: int, result: Any,
               reads: Callable[[], tuple[tuple[str, Any], ...]]) -> bool:
    try:
        got = reads()
    except NameError:  # a read skipped by short-circuit inside the test (e.g. o is None)
        got = ()
    log.append((idx, got, bool(result)))
    return bool(result)


_HELPERS["_log_after"] = _log_after


def _fix_log_order(body: ast.expr) -> ast.expr:
    fixed = _FixLog().visit(body)
    assert isinstance(fixed, ast.expr)
    return fixed


def compile_condition(expr: BExpr | None, name: str = "cond") -> CompiledCondition:
    """Compile ``expr`` (None: always true). Raises ConditionTooComplex (WF501) past the limits."""
    if expr is None:
        return CompiledCondition(always_true, _explain_true, (), 0)
    nodes, depth = _measure(expr)
    if nodes > MAX_NODES or depth > MAX_DEPTH:
        raise ConditionTooComplex(
            f"the condition of {name} has {nodes} parts nested {depth} deep; the limits are "
            f"{MAX_NODES} parts and {MAX_DEPTH} levels - split it over several steps")
    counter = itertools.count()
    fast = _build(_Gen(False, {}, [], "", counter), expr, "_cond")
    texts: list[str] = []
    slow = _build(_Gen(True, {}, texts, "", counter), expr, "_explain")
    return CompiledCondition(fast, slow, tuple(texts), nodes)


def _explain_true(values: Values, old: Values | None, lookup: RelatedLookup, log: list[Any]) -> bool:
    return True
