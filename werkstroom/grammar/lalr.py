"""The Lark parser: the LALR(1) tables for ``wf.lark`` (built once, cached on disk), the reduce
callbacks that let the AST builder replace Lark's tree building, and one parse of a region of the
text with the layout pass and the builder attached.

Lark's generic reduce wrappers (child filters, a ``Tree`` for every inlined ``_rule``) are not used:
``reduce_callbacks`` builds one callable per rule from the grammar's own shape. Pass-through rules
are C ``itemgetter``s, inlined rules yield plain lists, and the builder's methods get the children.
"""

from __future__ import annotations

import contextlib
import os
import re
import threading
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..diagnostics import Diagnostic
from ..source import SourceFile
from . import ast as A
from .layout import Layout, ParseState, TooDeep, tok_span
from .limits import nesting_diag
from .lowering import Builder
from .syntax_errors import syntax_error

if TYPE_CHECKING:
    from lark import Lark

__all__ = ["GRAMMAR_PATH", "LARK_OPTIONS", "LOCK", "parse_region", "reduce_callbacks", "tree_parser"]

GRAMMAR_PATH = Path(__file__).with_name("wf.lark")

LOCK = threading.RLock()
"""Held for a whole parse: the parser's layout pass and builder serve one parse at a time."""
_PARSER: Lark | None = None
_LAYOUT = Layout()
_BUILDER = Builder()


def _cache_path(grammar: str, options: str) -> str | bool:
    """Where the built parser tables are cached: ``$XDG_CACHE_HOME/werkstroom`` (``~/.cache``), one
    file per grammar text, options and Lark version, so nothing ever reads a stale file. ``True``
    (Lark's own file in the temp folder) when that folder cannot be written."""
    import hashlib

    import lark

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "werkstroom")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return True
    if not os.access(folder, os.W_OK):
        return True
    digest = hashlib.sha256((grammar + options).encode("utf-8")).hexdigest()[:16]
    return os.path.join(folder, f"wf-grammar-{digest}-lark{lark.__version__}.cache")


LARK_OPTIONS: dict[str, Any] = {"parser": "lalr", "lexer": "contextual", "maybe_placeholders": True}


def _build(**kw: Any) -> Lark:
    """Build (or load from the cache) a Lark parser for the grammar. A new cache file is written
    under a temporary name and renamed, so parallel processes never read a half-written file."""
    from lark import Lark

    grammar = GRAMMAR_PATH.read_text(encoding="utf-8")
    options = repr(sorted((k, v) for k, v in kw.items() if k not in ("postlex", "transformer")))
    cache = _cache_path(grammar, options)
    if isinstance(cache, str) and not os.path.exists(cache):
        tmp = f"{cache}.{os.getpid()}.tmp"
        parser = Lark(grammar, cache=tmp, **LARK_OPTIONS, **kw)
        try:
            os.replace(tmp, cache)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return parser
    return Lark(grammar, cache=cache, **LARK_OPTIONS, **kw)


def _get_parser() -> Lark:
    """The shared parser, with the layout pass and the builder's reduce callbacks installed."""
    global _PARSER
    if _PARSER is None:
        parser = _build(postlex=_LAYOUT)
        # build the AST during the LALR parse: our callbacks replace Lark's tree-building ones
        table = parser.parser.parser.parser.callbacks
        table.update(reduce_callbacks(_BUILDER, list(table)))
        _PARSER = parser
    return _PARSER


def tree_parser() -> Lark:
    """A Lark parser for the same grammar that builds a plain parse tree (benchmarks, debugging)."""

    return _build(postlex=Layout())


def parse_region(source: SourceFile, start: int, end: int, base_indent: int = 0
                 ) -> tuple[A.Script | None, list[Diagnostic], Diagnostic | None]:
    """Parse ``source.text[start:end]`` (its lines indented from ``base_indent``): the script, or
    ``None`` when the parse stopped; the diagnostics found on the way; the error that stopped it."""
    from lark import TextSlice
    from lark.exceptions import UnexpectedInput

    parser = _get_parser()
    st = ParseState(source, end, base_indent)
    _LAYOUT.state = st
    _BUILDER.begin(st)
    text = source.text
    inp: Any = text if (start == 0 and end == len(text)) else TextSlice(text, start, end)
    try:
        script: Any = parser.parse(inp)
    except TooDeep as exc:
        what = "brackets" if exc.what == "brackets" else "indentation (nested steps)"
        return None, st.diags, nesting_diag(tok_span(st, exc.tok), what)
    except UnexpectedInput as exc:
        tok = getattr(exc, "token", None)
        line = getattr(tok, "line", None) if tok is not None else getattr(exc, "line", None)
        if line is not None and line in st.bad_dedent_lines:
            return None, st.diags, None if st.diags else syntax_error(exc, st)
        return None, st.diags, syntax_error(exc, st)
    finally:
        _LAYOUT.state = None
        _BUILDER.begin(None)
    return script, st.diags, None


def reduce_callbacks(builder: Builder, rules: list[Any]) -> dict[Any, Any]:
    """The parser's reduce callbacks: one function per grammar rule that builds the AST straight
    from the LALR value stack, replacing Lark's generic per-rule wrappers (child filters that
    build a ``Tree`` for every inlined ``_rule`` and copy lists around).

    Values on the stack: a token; an AST node (rules without a leading ``_``, built by the builder's
    method named after the rule or its alias); for an inlined ``_rule``, its single item when every
    one of its alternatives yields exactly one, else a plain list of its items (Lark's behaviour:
    the parent takes the items in place of the rule). Hot rules use the builder's ``FAST`` methods."""
    single = _single_item_rules(rules)
    out: dict[Any, Any] = {}
    for r in rules:
        fast = builder.FAST.get(_rule_key(r))
        if fast is not None:
            out[r] = getattr(builder, fast)
            continue
        plan, trailing = _plan(r, single)
        if r.origin.name.startswith("_"):
            out[r] = _inlined_callback(r, plan, trailing, single)
        else:
            out[r] = _rule_callback(builder, r, plan, trailing)
    return out


def _kept(r: Any) -> list[tuple[int, Any]]:
    """The symbols of rule ``r`` whose values reach the callback (with their positions)."""
    keep_all = r.options.keep_all_tokens
    return [(i, sym) for i, sym in enumerate(r.expansion)
            if keep_all or not (sym.is_term and sym.filter_out)]


def _nones(r: Any) -> list[int]:
    """How many ``None`` placeholders go before each symbol (and after the last)."""
    empty = r.options.empty_indices
    if not empty:
        return [0] * (len(r.expansion) + 1)
    return [len(run) for run in "".join(str(int(b)) for b in empty).split("0")]


def _single_item_rules(rules: list[Any]) -> set[str]:
    """The inlined rules whose every alternative yields exactly one item (greatest fixpoint)."""
    by_origin: dict[str, list[Any]] = {}
    for r in rules:
        by_origin.setdefault(r.origin.name, []).append(r)
    single = {o for o in by_origin if o.startswith("_")}
    changed = True
    while changed:
        changed = False
        for o in sorted(single):
            for r in by_origin[o]:
                k = _kept(r)
                ok = len(k) == 1 and not any(_nones(r)) and (
                    k[0][1].is_term or not k[0][1].name.startswith("_") or k[0][1].name in single)
                if not ok:
                    single.discard(o)
                    changed = True
                    break
    return single


def _plan(r: Any, single: set[str]) -> tuple[list[tuple[int, bool, int]], int]:
    """(index, expand into the parent, ``None`` placeholders before it) for every kept symbol of
    rule ``r``, and the number of placeholders after the last."""
    pre = _nones(r)
    plan: list[tuple[int, bool, int]] = []
    before = 0
    for i, sym in enumerate(r.expansion):
        before += pre[i]
        if r.options.keep_all_tokens or not (sym.is_term and sym.filter_out):
            expand = not sym.is_term and sym.name.startswith("_") and sym.name not in single
            plan.append((i, expand, before))
            before = 0
    return plan, before + pre[len(r.expansion)]


def _inlined_callback(r: Any, plan: list[tuple[int, bool, int]], trailing: int, single: set[str]) -> Any:
    """The callback of an inlined ``_rule``: its single item, or the list of its items."""
    simple = not trailing and not any(n for _, _, n in plan)
    if simple and len(plan) == 1:
        i, expand, _ = plan[0]
        # a single item, or the child's own list taken over whole
        return itemgetter(i) if (r.origin.name in single or expand) else _listed(i)
    if simple and len(plan) == 2 and plan[0][1] and not plan[1][1]:
        return _appender(plan[0][0], plan[1][0])  # X: X [sep] item
    return _filter(plan, trailing, None)


def _rule_callback(builder: Builder, r: Any, plan: list[tuple[int, bool, int]], trailing: int) -> Any:
    """The callback of a rule that builds a node: the builder's method for it, given the children."""
    simple = not trailing and not any(n for _, _, n in plan)
    user = r.alias or r.options.template_source or r.origin.name
    fn = getattr(builder, user, None) if not user.startswith("_") else None
    if fn is None:
        fn = _tree_maker(user)
    expand1 = bool(r.options.expand1) and not r.alias
    if simple and expand1 and len(plan) == 1 and not plan[0][1]:
        return itemgetter(plan[0][0])  # `?rule` with one child: the child itself
    if simple and not expand1 and len(plan) == len(r.expansion) and not any(e for _, e, _ in plan):
        return fn  # the children as they are
    if simple and not expand1 and len(plan) == 1 and plan[0][1]:
        return _spliced(fn, plan[0][0])  # `rule: _items` -> fn(the list)
    return _filter(plan, trailing, fn, expand1)


_HELPER_RULE = re.compile(r"^__(_?[^_].*)_(star|plus)_\d+$")


def _rule_key(rule: Any) -> str:
    """``origin: sym sym`` with Lark's helper rules shown as ``_x*`` / ``_x+`` (stable names)."""

    def show(name: str) -> str:
        m = _HELPER_RULE.match(name)
        if m is None:
            return name
        base = m.group(1)
        return ("" if base.startswith("_") else "_") + base + ("*" if m.group(2) == "star" else "+")

    return f"{show(rule.origin.name)}: {' '.join(show(s.name) for s in rule.expansion)}".rstrip()


def _listed(i: int) -> Any:
    def cb(s: list[Any]) -> list[Any]:
        return [s[i]]
    return cb


def _spliced(fn: Any, i: int) -> Any:
    def cb(s: list[Any]) -> Any:
        return fn(s[i])
    return cb


def _appender(i: int, j: int) -> Any:
    """``X: X item`` (or ``X: X SEP item``): append to the list the left child already is."""
    if i == 0 and j == 1:
        def cb(s: list[Any]) -> list[Any]:
            items: list[Any] = s[0]
            items.append(s[1])
            return items
        return cb

    def cb2(s: list[Any]) -> list[Any]:
        items: list[Any] = s[i]
        items.append(s[j])
        return items
    return cb2


def _filter(plan: list[tuple[int, bool, int]], trailing: int, fn: Any, expand1: bool = False) -> Any:
    """The general case: keep the planned children (with ``None`` placeholders), splice inlined
    lists in, then call ``fn`` (``None``: return the list, for an inlined rule)."""

    def cb(s: list[Any]) -> Any:
        items: list[Any] = []
        for i, expand, before in plan:
            if before:
                items += [None] * before
            if expand:
                if items:
                    items += s[i]
                else:
                    items = s[i]  # take the child's list over (nothing else refers to it)
            else:
                items.append(s[i])
        if trailing:
            items += [None] * trailing
        if fn is None:
            return items
        if expand1 and len(items) == 1:
            return items[0]
        return fn(items)
    return cb


def _tree_maker(name: str) -> Any:
    def cb(s: list[Any]) -> Any:
        from lark import Tree

        return Tree(name, s)
    return cb
