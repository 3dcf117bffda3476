"""`wf catalogue events|responses|records|enums [NAME] [--json]` and `wf catalogue docs`.

Lists what scripts can name: the stdlib's and installed partner libraries' events, responses and
record types, with descriptions, fields, options, phrases, predecessors, BC names and the library
each comes from. Rich tables on a terminal, plain text otherwise, JSON with ``--json``.

Exit codes: 0 shown; 1 NAME not found (WF503 for an event, WF509 otherwise, with a "did you mean"),
or a ``--library`` that is not installed (WF509);
2 usage error.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from ..catalogue.catalogue import Catalogue


def _load(stdlib_only: bool) -> Catalogue:
    from ..binding.libraries import load_catalogue
    from ..render import render_short

    cat, diags = load_catalogue(partners=not stdlib_only)
    if diags:
        click.echo(render_short(diags), err=True, nl=False)
    return cat


def _rich(force_plain: bool) -> bool:
    if force_plain or os.environ.get("NO_COLOR"):
        return False
    return bool(os.environ.get("FORCE_COLOR")) or sys.stdout.isatty()


def _emit_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


def _not_found(cat: Catalogue, kind: Any, name: str) -> None:
    hint = cat.suggest(kind, name)
    msg = f"wf catalogue: no {kind} named {name!r}"
    if hint:
        msg += f"; did you mean `{hint[0]}`?"
    # as `wf emit` for an unknown event (WF503) and `wf show` for an unknown record type (WF509)
    click.echo(f"{msg} [{'WF503' if kind == 'event' else 'WF509'}]", err=True)
    sys.exit(1)


def _check_library(cat: Catalogue, library: str | None, stdlib_only: bool) -> None:
    """Refuse a ``--library`` that is not installed (WF509, with a did-you-mean), as an unknown NAME."""
    if library is None:
        return
    names = [lib.name for lib in cat.libraries]
    if library in names:
        return
    from ..spelling import suggest

    msg = f"wf catalogue: no library named {library!r} is installed"
    # `purchase` for `werkstroom.purchase`: compare the short names of the stdlib's libraries too
    short = {n.removeprefix("werkstroom."): n for n in names}
    hint = suggest(library, names) or [short[m] for m in suggest(library, short)]
    if hint:
        msg += f"; did you mean `{hint[0]}`?"
    msg += f" (installed: {', '.join(names)}"
    msg += "; --stdlib-only leaves partner libraries out)" if stdlib_only else ")"
    click.echo(f"{msg} [WF509]", err=True)
    sys.exit(1)


def _common(fn: Callable[..., Any]) -> Callable[..., Any]:
    fn = click.option("--json", "as_json", is_flag=True, help="Print JSON.")(fn)
    fn = click.option("--plain", is_flag=True, help="Plain text even on a terminal.")(fn)
    fn = click.option("--stdlib-only", is_flag=True, help="Leave out partner libraries.")(fn)
    fn = click.option("--library", "library", default=None, help="Only entries of this library.")(fn)
    return click.argument("name", required=False)(fn)


@click.group()
def catalogue() -> None:
    """Show the catalogue: events, responses, record types and enums scripts can use."""


# --------------------------------------------------------------------------- events


@catalogue.command()
@_common
def events(name: str | None, as_json: bool, plain: bool, stdlib_only: bool, library: str | None) -> None:
    """List events, or show one (by DSL name or BC code)."""
    from ..catalogue.describe import event_json

    cat = _load(stdlib_only)
    _check_library(cat, library, stdlib_only)
    if name:
        spec = cat.event(name)
        if spec is None:
            _not_found(cat, "event", name)
            return
        data = event_json(cat, spec)
        if as_json:
            _emit_json(data)
            return
        rows = [
            ("event", data["name"]),
            ("BC code", data["bc_code"]),
            ("description", data["description"]),
            ("record", data["record"]),
            ("may follow", ", ".join(data["predecessors"]) or "(independent: can start a workflow)"),
            ("followed by", ", ".join(data["followed_by"]) or "-"),
            ("responses", ", ".join(data["responses"]) or "-"),
            ("record change", "yes" if data["record_change"] else "no"),
            ("on known instance", "yes" if data["on_known_instance"] else "no"),
            ("library", f"{data['origin']['library']} {data['origin']['version']}"),
        ]
        if data["aliases"]:
            rows.insert(2, ("aliases", ", ".join(data["aliases"])))
        _show_card(rows, _rich(plain))
        return
    specs = [e for e in cat.events if library is None or cat.origin("event", e.name).library == library]
    if as_json:
        _emit_json([event_json(cat, e) for e in specs])
        return
    _show_table(
        ["event", "BC code", "record", "may follow", "library"],
        [
            [e.name, e.bc_code, e.record, _short(e.predecessors), str(cat.origin("event", e.name))]
            for e in specs
        ],
        _rich(plain),
        title=f"{len(specs)} events",
    )


# --------------------------------------------------------------------------- responses


@catalogue.command()
@_common
def responses(name: str | None, as_json: bool, plain: bool, stdlib_only: bool, library: str | None) -> None:
    """List responses, or show one (by id, BC code or a phrase such as "release the document")."""
    from ..catalogue.describe import default_text, presets_text, response_json

    cat = _load(stdlib_only)
    _check_library(cat, library, stdlib_only)
    if name:
        spec = cat.response(name) or _by_phrase(cat, name)
        if spec is None:
            _not_found(cat, "response", name)
            return
        data = response_json(cat, spec)
        if as_json:
            _emit_json(data)
            return
        phrases = "\n".join(
            p["text"] + (f"  ({presets_text(p['presets'])})" if p["presets"] else "") for p in data["phrases"]
        )
        rows = [
            ("response", data["name"]),
            ("BC code", data["bc_code"] or "(Werkstroom)"),
            ("description", data["description"]),
            ("phrases", phrases),
            ("may follow", ", ".join(data["allowed_after"]) or "any event"),
        ]
        if data["mandatory_rule"]:
            rows.append(("required", data["mandatory_rule"]))
        if data["raises"]:
            rows.append(("raises", ", ".join(data["raises"])))
        rows.append(("library", f"{data['origin']['library']} {data['origin']['version']}"))
        rich = _rich(plain)
        _show_card(rows, rich)
        if spec.options:
            _show_table(
                ["option", "kind", "phrases", "default", "BC name", "description"],
                [
                    [
                        o["name"],
                        o["kind"] + (f" ({', '.join(o['values'])})" if o["values"] else ""),
                        ", ".join(o["phrases"]),
                        default_text(o["default"]),
                        o["bc_name"],
                        o["description"],
                    ]
                    for o in data["options"]
                ],
                rich,
                title="options",
            )
        return
    specs = [r for r in cat.responses if library is None or cat.origin("response", r.name).library == library]
    if as_json:
        _emit_json([response_json(cat, r) for r in specs])
        return
    _show_table(
        ["response", "BC code", "phrase", "options", "library"],
        [
            [
                r.name,
                r.bc_code or "-",
                r.patterns[0].text if r.patterns else "",
                ", ".join(o.name for o in r.options) or "-",
                str(cat.origin("response", r.name)),
            ]
            for r in specs
        ],
        _rich(plain),
        title=f"{len(specs)} responses",
    )


def _by_phrase(cat: Catalogue, phrase: str) -> Any:
    """The response a written phrase binds to (``release the document``), the most specific first;
    quoted parts are values that only a ``{slot}`` takes."""
    import shlex

    try:
        tokens = shlex.split(phrase, posix=False)
    except ValueError:
        tokens = phrase.split()
    parts = [None if t[:1] in "\"'" else t.lower() for t in tokens]
    found = [(cp.literal_words, r) for r, _, cp in cat.phrase_index() if cp.match(parts) is not None]
    return max(found, key=lambda t: t[0])[1] if found else None


# --------------------------------------------------------------------------- records


@catalogue.command()
@_common
def records(name: str | None, as_json: bool, plain: bool, stdlib_only: bool, library: str | None) -> None:
    """List record types, or show one (by name or BC table name) with fields and relations."""
    from ..catalogue.describe import record_json

    cat = _load(stdlib_only)
    _check_library(cat, library, stdlib_only)
    if name:
        spec = cat.record(name)
        if spec is None:
            _not_found(cat, "record", name)
            return
        data = record_json(cat, spec)
        if as_json:
            _emit_json(data)
            return
        rich = _rich(plain)
        _show_card(
            [
                ("record", data["name"]),
                ("BC table", f"{data['bc_name']} ({data['table_id']})"),
                ("description", data["description"]),
                ("key", ", ".join(data["key"])),
                ("events", ", ".join(data["events"]) or "-"),
                ("library", f"{data['origin']['library']} {data['origin']['version']}"),
            ],
            rich,
        )
        _show_table(
            ["field", "kind", "BC name (field no.)", "description"],
            [
                [
                    f["name"],
                    f["kind"]
                    + (f" {f['enum']}" if f["enum"] else "")
                    + (" (computed)" if f["flowfield"] else ""),
                    f["bc_name"] + (f" ({f['field_no']})" if f["field_no"] else ""),
                    f["description"],
                ]
                for f in data["fields"]
            ],
            rich,
            title="fields",
        )
        if data["relations"]:
            _show_table(
                ["relation", "record", "many", "join"],
                [
                    [
                        r["name"],
                        r["record"],
                        "yes" if r["many"] else "no",
                        ", ".join(f"{a} = {r['record']}.{b}" for a, b in r["join"]),
                    ]
                    for r in data["relations"]
                ],
                rich,
                title="relations",
            )
        return
    specs = [r for r in cat.records if library is None or cat.origin("record", r.name).library == library]
    if as_json:
        _emit_json([record_json(cat, r) for r in specs])
        return
    _show_table(
        ["record", "BC table", "fields", "relations", "library"],
        [
            [
                r.name,
                f"{r.bc_name} ({r.table_id})",
                str(len(r.fields)),
                ", ".join(x.name for x in r.relations) or "-",
                str(cat.origin("record", r.name)),
            ]
            for r in specs
        ],
        _rich(plain),
        title=f"{len(specs)} record types",
    )


# --------------------------------------------------------------------------- enums, docs


@catalogue.command()
@_common
def enums(name: str | None, as_json: bool, plain: bool, stdlib_only: bool, library: str | None) -> None:
    """List enum types and their values (BC's option values, in order)."""
    cat = _load(stdlib_only)
    _check_library(cat, library, stdlib_only)
    specs = [e for e in cat.enums if library is None or cat.origin("enum", e.name).library == library]
    if name:
        found = cat.enum(name)
        if found is None:
            _not_found(cat, "enum", name)
            return
        specs = [found]
    if as_json:
        _emit_json(
            [
                {
                    "name": e.name,
                    "values": list(e.values),
                    "aliases": [list(a) for a in e.aliases],
                    "origin": cat.origin("enum", e.name).library,
                }
                for e in specs
            ]
        )
        return
    _show_table(
        ["enum", "values", "library"],
        [
            [
                e.name,
                ", ".join(v if v.strip() else "(blank)" for v in e.values),
                cat.origin("enum", e.name).library,
            ]
            for e in specs
        ],
        _rich(plain),
        title=f"{len(specs)} enums",
    )


@catalogue.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--plain", is_flag=True, help="Plain text even on a terminal.")
def libraries(as_json: bool, plain: bool) -> None:
    """List installed libraries (stdlib and partners) and report library problems (WF9xx).

    Exit 1 when a partner library could not be loaded or was rejected.
    """
    from ..binding.libraries import load_catalogue, template_problems
    from ..diagnostics import has_errors
    from ..render import render_json, render_text

    cat, diags = load_catalogue()
    for lib in cat.libraries:  # partner templates that do not check (the stdlib's are tested)
        if not lib.name.startswith("werkstroom.") and lib.templates:
            diags.extend(template_problems(cat, lib))
    rows: list[dict[str, Any]] = []
    for lib in cat.libraries:
        rows.append(
            {
                "name": lib.name,
                "version": lib.version,
                "description": lib.description,
                "records": len(lib.records),
                "events": len(lib.events),
                "responses": len(lib.responses),
                "templates": len(lib.templates),
                "stdlib": lib.name.startswith("werkstroom."),
            }
        )
    if as_json:
        _emit_json({"libraries": rows, "diagnostics": json.loads(render_json(diags))})
    else:
        _show_table(
            ["library", "version", "records", "events", "responses", "templates", "what"],
            [
                [
                    r["name"],
                    r["version"],
                    str(r["records"]),
                    str(r["events"]),
                    str(r["responses"]),
                    str(r["templates"]),
                    r["description"],
                ]
                for r in rows
            ],
            _rich(plain),
            title=f"{len(rows)} libraries",
        )
        if diags:
            click.echo(render_text(diags, {}), err=True)
    sys.exit(1 if has_errors(diags) else 0)


@catalogue.command()
@click.option("--write", is_flag=True, help="Rewrite the page.")
@click.option("--check", is_flag=True, help="Exit 1 when the page is stale.")
@click.option("--path", type=click.Path(dir_okay=False), default="docs/stdlib.md", show_default=True)
def docs(write: bool, check: bool, path: str) -> None:
    """Generate the stdlib reference page (docs/stdlib.md)."""
    from .docgen import main

    args = ["--path", path] + (["--write"] if write else []) + (["--check"] if check else [])
    sys.exit(main(args))


# --------------------------------------------------------------------------- output


def _short(items: tuple[str, ...] | list[str], keep: int = 2) -> str:
    if not items:
        return "-"
    if len(items) <= keep + 1:
        return ", ".join(items)
    return ", ".join(items[:keep]) + f", ... (+{len(items) - keep})"


def _show_table(headers: list[str], rows: list[list[str]], rich: bool, title: str = "") -> None:
    if rich:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(title=title or None, show_lines=False, title_justify="left")
        for h in headers:
            table.add_column(h, overflow="fold")
        for r in rows:
            table.add_row(*(Text(c) for c in r))  # Text: "[the]" in a phrase is not markup
        Console().print(table)
        return
    if title:
        click.echo(f"{title}:")
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    last = len(headers) - 1
    click.echo("  ".join(h.ljust(widths[i]) if i < last else h for i, h in enumerate(headers)).rstrip())
    for r in rows:
        click.echo("  ".join(c.ljust(widths[i]) if i < last else c for i, c in enumerate(r)).rstrip())


def _show_card(rows: list[tuple[str, str]], rich: bool) -> None:
    if rich:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(show_header=False, box=None)
        table.add_column(style="bold")
        table.add_column(overflow="fold")
        for k, v in rows:
            table.add_row(Text(k), Text(v))
        Console().print(table)
        return
    width = max(len(k) for k, _ in rows)
    for k, v in rows:
        lines = v.splitlines() or [""]
        click.echo(f"{k.ljust(width)}  {lines[0]}".rstrip())
        for extra in lines[1:]:
            click.echo(f"{' ' * width}  {extra}")
