"""What a process builds once and shares: a catalogue's compiled response patterns (the phrase binder),
reused by every bind against that catalogue and never stale when its responses change; and an engine's
compiled workflow versions, compiled once even when threads of one engine need a version at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from partnerlib import Partners, widgets

import werkstroom.binding.phrases as phrases
import werkstroom.engine.workflows as workflows
from werkstroom import deploy
from werkstroom.binding.binder import Binder, bind
from werkstroom.binding.libraries import load_catalogue
from werkstroom.catalogue.catalogue import Catalogue
from werkstroom.engine.clock import VirtualClock
from werkstroom.engine.facade import open_engine
from werkstroom.grammar.parser import parse

SHIP = 'workflow SHIPW\n  on WidgetPainted when colour = "red" then ship widget, weighing 2.5\n'
STD = ('workflow REL\n  on PurchaseDocSentForApproval when amount > 100 then\n'
       '     restrict record usage\n'
       '     create approval requests for approver chain, due in 2D, delegate after 5D\n')


def bound_options(script: str, catalogue: Catalogue) -> list[dict[str, Any]]:
    program = bind([parse(script, "s.wf")], catalogue)
    assert [d.code for d in program.diagnostics if d.is_error] == []
    return [dict(s.options) for wf in program.workflows for s in wf.steps if s.kind == "response"]


def counting(monkeypatch: pytest.MonkeyPatch, module: Any, name: str,
             delay: float = 0.0) -> list[Any]:
    """Replace ``module.name`` with a wrapper that records each call's first argument (and waits)."""
    calls: list[Any] = []
    real: Callable[..., Any] = getattr(module, name)

    def wrapper(*args: Any, **kw: Any) -> Any:
        calls.append(args[0] if args else None)
        time.sleep(delay)
        return real(*args, **kw)

    monkeypatch.setattr(module, name, wrapper)
    return calls


def test_binds_against_one_catalogue_compile_its_patterns_once(
        partners: Partners, monkeypatch: pytest.MonkeyPatch) -> None:
    cat = load_catalogue()[0].copy()  # a catalogue no other test has bound against
    compiled = counting(monkeypatch, phrases, "compile_pattern")
    first = bound_options(STD, cat)
    assert compiled  # the first bind compiles the response patterns ...
    compiled.clear()
    assert bound_options(STD, cat) == first
    assert compiled == []  # ... later ones reuse them
    assert Binder(cat).phrases is Binder(cat).phrases


def test_a_copy_with_a_partner_library_binds_its_phrases(partners: Partners) -> None:
    base = load_catalogue()[0].copy()
    bound_options(STD, base)  # the base catalogue's patterns are built and kept
    extended = base.copy()
    assert extended.install(widgets()) == []
    assert bound_options(SHIP, extended)[0]["weight"] == 2.5
    assert "ship_widget" not in [r.name for r in Binder(base).phrases.responses]
    # a library installed into a catalogue already bound against is seen by the next bind
    assert base.install(widgets()) == []
    assert bound_options(SHIP, base)[0]["weight"] == 2.5


def test_threads_binding_against_one_catalogue_agree(partners: Partners) -> None:
    cat = load_catalogue(partners=False)[0].copy()
    assert cat.install(widgets()) == []
    expected = [bound_options(SHIP, cat.copy()), bound_options(STD, cat.copy())]
    results: list[object] = []
    barrier = threading.Barrier(6)

    def work(i: int) -> None:
        barrier.wait()
        try:
            results.append((i % 2, bound_options((SHIP, STD)[i % 2], cat)))
        except Exception as exc:  # collected and checked below
            results.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=repr) == sorted([(i % 2, expected[i % 2]) for i in range(6)], key=repr)


def test_threads_of_one_engine_compile_a_version_once(
        engine_url: str, partners: Partners, monkeypatch: pytest.MonkeyPatch) -> None:
    with open_engine(engine_url, clock=VirtualClock(), libraries=[widgets()]) as setup:
        deploy(setup, SHIP, "shipw.wf")
        assert setup.enable("SHIPW") == []
        # the first instance creates the store's instance counter (done here, before the threads)
        assert setup.emit("WidgetPainted", {"no": "W0", "colour": "red", "weight": "3"},
                          user="ann").outcome == "started"
    # a new process: it has compiled nothing yet; four events for four widgets arrive at once
    compiled = counting(monkeypatch, workflows, "compile_workflow", delay=0.05)
    with open_engine(engine_url, clock=VirtualClock(), libraries=[widgets()]) as eng:
        barrier = threading.Barrier(4)
        results: list[object] = []

        def deliver(i: int) -> None:
            barrier.wait()
            try:
                results.append(eng.emit("WidgetPainted", {"no": f"W{i}", "colour": "red", "weight": "3"},
                                        user="ann").outcome)
            except Exception as exc:  # collected and checked below
                results.append(exc)

        threads = [threading.Thread(target=deliver, args=(i,)) for i in range(1, 5)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert results == ["started"] * 4
        assert len(compiled) == 1
        assert len(eng.outbox(kind="widget.shipped")) == 5
