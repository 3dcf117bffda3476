"""Catalogue: lookups, phrase patterns, and every WF9xx registration error (each with a broken Library)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import pytest

from werkstroom.binding.libraries import load_catalogue, stdlib_catalogue
from werkstroom.catalogue import patterns
from werkstroom.catalogue.catalogue import Catalogue
from werkstroom.catalogue.patterns import PatternError, Slot, compile_pattern
from werkstroom.catalogue.specs import (
    EnumType,
    EventSpec,
    FieldKind,
    FieldSpec,
    Library,
    OptionSpec,
    Origin,
    PhrasePattern,
    RecordSpec,
    RelationSpec,
    ResponseSpec,
    TemplateSpec,
)
from werkstroom.codes import CODES
from werkstroom.context import ResponseContext
from werkstroom.diagnostics import Diagnostic


def _noop(ctx: ResponseContext) -> None:
    ctx.explain("ran")


COLOUR = EnumType("Colour", ("Red", "Green"))


def rec(name: str = "Widget", **kw: Any) -> RecordSpec:
    fields = (
        FieldSpec("no", FieldKind.CODE),
        FieldSpec("colour", FieldKind.ENUM, enum=COLOUR),
        FieldSpec("vendor_no", FieldKind.CODE),
        FieldSpec("price", FieldKind.DECIMAL),
    )
    args: dict[str, Any] = {
        "name": name,
        "description": "a widget",
        "fields": fields,
        "key": ("no",),
        "relations": (RelationSpec("vendor", "Vendor", False, (("vendor_no", "no"),)),),
    }
    args.update(kw)
    return RecordSpec(**args)


def ev(name: str = "WidgetPainted", **kw: Any) -> EventSpec:
    args: dict[str, Any] = {
        "name": name,
        "description": "A widget was painted.",
        "record": "Widget",
        "predecessors": ("PurchaseDocReleased",),
        "bc_code": "ACMEWIDGETPAINTED",
    }
    args.update(kw)
    return EventSpec(**args)


def resp(name: str = "polish_widget", **kw: Any) -> ResponseSpec:
    args: dict[str, Any] = {
        "name": name,
        "description": "Polish the widget.",
        "patterns": (PhrasePattern("polish [the] widget"), PhrasePattern("polish widget with {wax}")),
        "run": _noop,
        "options": (
            OptionSpec("wax", FieldKind.TEXT, patterns=("using {value}",)),
            OptionSpec("shine", FieldKind.BOOLEAN, patterns=("until shiny",)),
        ),
        "allowed_after": ("WidgetPainted",),
    }
    args.update(kw)
    return ResponseSpec(**args)


def lib(name: str = "acme.widgets", **kw: Any) -> Library:
    args: dict[str, Any] = {
        "name": name,
        "version": "2.1",
        "records": (rec(),),
        "events": (ev(),),
        "responses": (resp(),),
    }
    args.update(kw)
    return Library(**args)


def install(library: Library, cat: Catalogue | None = None) -> tuple[Catalogue, list[Diagnostic]]:
    cat = cat or stdlib_catalogue()
    return cat, cat.install(library)


def codes(diags: list[Diagnostic]) -> list[str]:
    return [d.code for d in diags]


def only(diags: list[Diagnostic], code: str) -> Diagnostic:
    assert codes(diags) == [code], [d.message for d in diags]
    d = diags[0]
    assert d.code in CODES
    assert "acme.widgets 2.1" in d.message  # names the library
    assert any("was not installed" in n for n in d.notes)
    return d


# --------------------------------------------------------------------------- a good partner library


def test_valid_partner_library_installs_and_resolves_against_the_stdlib() -> None:
    cat, diags = install(lib())
    assert diags == []
    e = cat.event("widgetpainted")
    assert e is not None and cat.event("ACMEWIDGETPAINTED") is e
    assert cat.record("widget") is not None
    assert cat.response("POLISH_WIDGET") is not None
    assert cat.origin("event", "WidgetPainted") == Origin("acme.widgets", "2.1")
    assert str(cat.origin("response", "polish_widget")) == "acme.widgets 2.1"
    assert cat.origin("event", "PurchaseDocReleased").library == "werkstroom.purchase"
    assert cat.origin("enum", "Colour").library == "acme.widgets"
    assert cat.libraries[-1].name == "acme.widgets"
    assert [r.name for r in cat.responses_after("WidgetPainted")][-1] == "polish_widget"
    assert "WidgetPainted" in [e.name for e in cat.successors("PurchaseDocReleased")]
    with pytest.raises(KeyError):
        cat.origin("event", "Nope")
    # the cached stdlib catalogue is not changed by installing into a copy
    assert stdlib_catalogue().event("WidgetPainted") is None


def test_lookups_ignore_case_and_accept_bc_names() -> None:
    cat = stdlib_catalogue()
    assert cat.record("Purchase Header") is cat.record("purchaseheader") is cat.record("PurchaseHeader")
    assert cat.record("Purch. Inv. Header") is cat.record("PurchInvHeader")
    assert cat.event("runworkflowonapproveapprovalrequest") is cat.event("ApprovalRequestApproved")
    assert cat.response("ReleaseDocument") is cat.response("release_document")
    assert cat.event("NoSuchEvent") is None
    assert cat.suggest("event", "PurchaseDocRelease") == ["PurchaseDocReleased"]
    assert cat.suggest("record", "PurchaseHeadr") == ["PurchaseHeader"]
    assert len(cat.events_on("ApprovalEntry")) == 4
    assert [e.name for e in cat.events_of_library("werkstroom.integration")] == ["WebhookResponseReceived"]


def test_load_catalogue_is_cached_and_each_call_gets_a_copy() -> None:
    a, da = load_catalogue(partners=False)
    b, db = load_catalogue(partners=False)
    assert da == db == []
    assert a is not b
    assert a.install(lib()) == []
    assert b.event("WidgetPainted") is None
    assert a.events[0] is b.events[0]  # specs are shared, immutable


# --------------------------------------------------------------------------- patterns


def test_compile_pattern_expands_optional_words() -> None:
    cp = compile_pattern("post [the] document in [the] background")
    assert cp.sequences[0] == ("post", "the", "document", "in", "the", "background")
    assert len(cp.sequences) == 4
    assert ("post", "document", "in", "background") in cp.sequences
    cp = compile_pattern("notify {recipient} {message}")
    assert cp.sequences == (("notify", Slot("recipient"), Slot("message")),)
    assert cp.slots == ("recipient", "message")
    assert cp.match(["notify", "bob", None]) == {"recipient": 1, "message": 2}
    assert cp.match(["Notify", None]) is None
    assert compile_pattern("Release [the] Document").match(["release", "document"]) == {}


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "[the]",
        "release [the",
        "release the]",
        "[a [b]]",
        "notify {",
        "notify {}",
        "notify {two words}",
        "notify }",
        "a [] b",
    ],
)
def test_malformed_patterns(bad: str) -> None:
    with pytest.raises(PatternError):
        compile_pattern(bad)


def test_stdlib_patterns_are_unambiguous_across_responses() -> None:
    cat = stdlib_catalogue()
    entries = list(cat.phrase_index())
    for i, (ra, _, ca) in enumerate(entries):
        for rb, _, cb in entries[i + 1 :]:
            if ra.name != rb.name:
                assert patterns.patterns_overlap(ca, cb) is None, (ca.text, cb.text)


# --------------------------------------------------------------------------- WF901 / WF902 names


def test_wf901_duplicate_event_name_against_installed() -> None:
    d = only(
        install(lib(events=(ev("PurchaseDocReleased"),), responses=(resp(allowed_after=()),)))[1], "WF901"
    )
    assert "'PurchaseDocReleased'" in d.message and "werkstroom.purchase" in d.message


def test_wf901_duplicate_record_response_template_and_enum() -> None:
    assert codes(install(lib(records=(rec(), rec("Purchase_Header"))))[1]) == ["WF901"]
    assert codes(
        install(lib(responses=(resp(), resp("release_document", patterns=(PhrasePattern("buff widget"),)))))[
            1
        ]
    ) == ["WF901"]
    t = TemplateSpec("ACME-1", "workflow ACME-1", "acme.wf")
    cat = stdlib_catalogue()
    assert cat.install(lib(name="acme.one", templates=(t,))) == []
    assert codes(cat.install(lib(name="acme.two", records=(), events=(), responses=(), templates=(t,)))) == [
        "WF901"
    ]
    other = EnumType("ApprovalStatus", ("Yes", "No"))
    assert codes(install(lib(enums=(other,)))[1]) == ["WF901"]
    same = stdlib_catalogue().enum("ApprovalStatus")
    assert same is not None and install(lib(enums=(same,)))[1] == []  # an identical re-declaration is fine


def test_wf901_duplicate_within_one_library() -> None:
    diags = install(lib(events=(ev(), ev(bc_code="OTHER"))))[1]
    assert codes(diags) == ["WF901"]


def test_wf902_alias_clashes_with_an_installed_name() -> None:
    d = only(install(lib(events=(ev(aliases=("PurchaseDocReleased",)),)))[1], "WF902")
    assert "alias 'PurchaseDocReleased'" in d.message
    d = only(install(lib(responses=(resp(bc_code="RELEASEDOCUMENT"),)))[1], "WF902")
    assert "release_document" in d.message


# --------------------------------------------------------------------------- WF903 / WF904 references


def test_wf903_unknown_record_on_event_and_relation() -> None:
    d = only(install(lib(events=(ev(record="Widgett"),)))[1], "WF903")
    assert "Widgett" in d.message and d.help == "did you mean `Widget`?"
    bad_rel = rec(relations=(RelationSpec("maker", "Vendorr", False, (("vendor_no", "no"),)),))
    d = only(install(lib(records=(bad_rel,)))[1], "WF903")
    assert "Widget.maker" in d.message and "Vendor" in d.help


def test_wf904_unknown_predecessor_allowed_after_and_raises() -> None:
    d = only(install(lib(events=(ev(predecessors=("PurchaseDocReleasedd",)),)))[1], "WF904")
    assert "predecessor" in d.message and d.help == "did you mean `PurchaseDocReleased`?"
    d = only(install(lib(responses=(resp(allowed_after=("WidgetPaintd",)),)))[1], "WF904")
    assert "may follow" in d.message and "WidgetPainted" in d.help
    d = only(install(lib(responses=(resp(raises=("WidgetDried",)),)))[1], "WF904")
    assert "raises" in d.message


def test_wf904_bc_codes_count_as_event_names() -> None:
    assert install(lib(events=(ev(predecessors=("RUNWORKFLOWONAFTERRELEASEPURCHASEDOC",)),)))[1] == []


# --------------------------------------------------------------------------- WF905 kinds


def test_wf905_option_without_kind_or_enum() -> None:
    no_kind = OptionSpec("wax", None, patterns=("using {value}",))  # type: ignore[arg-type]
    d = only(install(lib(responses=(resp(options=(no_kind,)),)))[1], "WF905")
    assert "option 'wax'" in d.message and "no value kind" in d.message
    no_enum = OptionSpec("wax", FieldKind.ENUM, patterns=("using {value}",))
    d = only(install(lib(responses=(resp(options=(no_enum,)),)))[1], "WF905")
    assert "names no EnumType" in d.message


def test_wf905_field_without_enum() -> None:
    bad = rec(
        fields=(
            FieldSpec("no", FieldKind.CODE),
            FieldSpec("colour", FieldKind.ENUM),
            FieldSpec("vendor_no", FieldKind.CODE),
        )
    )
    d = only(install(lib(records=(bad,)))[1], "WF905")
    assert "Widget.colour" in d.message


# --------------------------------------------------------------------------- WF906 behaviours


def _two(ctx: Any, extra: Any) -> None:
    del ctx, extra


def _kw_only(ctx: Any, *, mode: str) -> None:
    del ctx, mode


@pytest.mark.parametrize(
    "run,fragment",
    [
        ("not a function", "not callable"),
        (_two, "2 required positional"),
        (lambda: None, "0 required positional"),
        (_kw_only, "keyword argument"),
    ],
)
def test_wf906_run_must_take_one_positional_argument(run: Any, fragment: str) -> None:
    d = only(install(lib(responses=(resp(run=run),)))[1], "WF906")
    assert fragment in d.message


def test_wf906_accepts_defaults_varargs_and_callable_objects() -> None:
    class Behaviour:
        def __call__(self, ctx: Any) -> None:
            del ctx

    def with_default(ctx: Any, verbose: bool = False) -> None:
        del ctx, verbose

    def star(*args: Any) -> None:
        del args

    for run in (Behaviour(), with_default, star):
        assert install(lib(responses=(resp(run=run),)))[1] == []


def test_wf906_mandatory_check_signature() -> None:
    def bad(options: Mapping[str, Any], other: int) -> str | None:
        return None

    d = only(install(lib(responses=(resp(mandatory=bad),)))[1], "WF906")
    assert "mandatory" in d.message


# --------------------------------------------------------------------------- WF907 / WF910 patterns


def test_wf907_slot_or_preset_names_an_unknown_option() -> None:
    d = only(
        install(lib(responses=(resp(patterns=(PhrasePattern("polish widget with {wac}"),)),)))[1], "WF907"
    )
    assert "{wac}" in d.message and d.help == "did you mean `wax`?"
    d = only(
        install(lib(responses=(resp(patterns=(PhrasePattern("polish widget", {"shne": True}),)),)))[1],
        "WF907",
    )
    assert "presets unknown option 'shne'" in d.message


def test_wf907_option_patterns() -> None:
    bad_slot = OptionSpec("wax", FieldKind.TEXT, patterns=("using {wax_kind}",))
    assert codes(install(lib(responses=(resp(options=(bad_slot,)),)))[1]) == ["WF907"]
    own_name = OptionSpec("wax", FieldKind.TEXT, patterns=("using {wax}",))
    assert install(lib(responses=(resp(options=(own_name,)),)))[1] == []
    # a slot may set another option of the same response in the same phrase
    two = (OptionSpec("wax", FieldKind.TEXT, patterns=("using {value} with {shine}",)),
           OptionSpec("shine", FieldKind.INTEGER))
    assert install(lib(responses=(resp(options=two),)))[1] == []
    slotless = OptionSpec("wax", FieldKind.TEXT, patterns=("waxed",))
    d = only(install(lib(responses=(resp(options=(slotless,)),)))[1], "WF907")
    assert "only a boolean option" in d.message


def test_wf910_malformed_or_missing_patterns() -> None:
    d = only(install(lib(responses=(resp(patterns=(PhrasePattern("polish [the widget"),)),)))[1], "WF910")
    assert "malformed" in d.message
    assert codes(install(lib(responses=(resp(patterns=()),)))[1]) == ["WF910"]
    bad_opt = OptionSpec("wax", FieldKind.TEXT, patterns=("using {value",))
    assert codes(install(lib(responses=(resp(options=(bad_opt,)),)))[1]) == ["WF910"]


# --------------------------------------------------------------------------- WF908 ambiguity


def test_wf908_pattern_ambiguous_with_an_installed_response() -> None:
    # "release {what}" could match "release document" (stdlib release_document)
    clash = resp(patterns=(PhrasePattern("release {wax}"),))
    d = only(install(lib(responses=(clash,)))[1], "WF908")
    assert "release_document" in d.message and "werkstroom.approvals" in d.message
    assert "'release {wax}'" in d.message


def test_wf908_optional_words_count() -> None:
    clash = resp(patterns=(PhrasePattern("reopen document [now]"),))
    assert codes(install(lib(responses=(clash,)))[1]) == ["WF908"]


def test_wf908_within_one_library_and_between_options() -> None:
    two = (resp(), resp("wax_widget", patterns=(PhrasePattern("polish widget with {wax}"),)))
    assert codes(install(lib(responses=two))[1]) == ["WF908"]
    opts = (
        OptionSpec("wax", FieldKind.TEXT, patterns=("using {value}",)),
        OptionSpec("cloth", FieldKind.TEXT, patterns=("using {value}",)),
    )
    d = only(install(lib(responses=(resp(options=opts),)))[1], "WF908")
    assert "option phrases" in d.message


def test_same_response_may_have_overlapping_patterns() -> None:
    ok = resp(patterns=(PhrasePattern("polish {wax}"), PhrasePattern("polish widget")))
    assert install(lib(responses=(ok,)))[1] == []


# --------------------------------------------------------------------------- WF911 record shape


def test_wf911_key_and_relation_fields() -> None:
    d = only(install(lib(records=(rec(key=("number",)),)))[1], "WF911")
    assert "key field 'number'" in d.message
    bad_join = rec(relations=(RelationSpec("vendor", "Vendor", False, (("vendor_nr", "number"),)),))
    diags = install(lib(records=(bad_join,)))[1]
    assert codes(diags) == ["WF911", "WF911"]
    assert "'vendor_nr' is not a field of Widget" in diags[0].message
    assert "'number' is not a field of Vendor" in diags[1].message


def test_wf911_no_key_and_the_fields_to_choose_from() -> None:
    # before: key=() was accepted and every record got the key '' (each event overwrote the last)
    d = only(install(lib(records=(rec(key=()),)))[1], "WF911")
    assert d.message.endswith("record type 'Widget' has no key field") and "key=('no',)" in d.help
    d = only(install(lib(records=(rec(key=("identifier",)),)))[1], "WF911")
    assert d.help.startswith("its fields: no, ")  # no close name: the fields it has


# --------------------------------------------------------------------------- whole-or-nothing policy


def test_a_rejected_library_installs_nothing_and_reports_each_problem_once() -> None:
    cat = stdlib_catalogue()
    broken = lib(events=(ev(record="Nope"), ev("WidgetDried", bc_code="ACMEDRIED", predecessors=("Nope",))))
    diags = cat.install(broken)
    assert sorted(codes(diags)) == ["WF903", "WF904"]
    assert cat.record("Widget") is None and cat.response("polish_widget") is None
    assert cat.libraries[-1].name == "werkstroom.templates"


def test_install_all_rejects_dependants_of_a_rejected_library() -> None:
    cat = stdlib_catalogue()
    base = lib("acme.base", events=(ev(record="Nope"),), responses=())
    extra = lib("acme.extra", records=(), events=(), responses=(resp(allowed_after=("WidgetPainted",)),))
    other = resp("other_thing", patterns=(PhrasePattern("do the other thing"),), options=(), allowed_after=())
    independent = lib("acme.other", records=(), events=(), responses=(other,))
    diags = cat.install_all([base, extra, independent])
    by_lib = {(d.code, d.message.split(":")[0]) for d in diags}
    assert by_lib == {("WF903", "library acme.base 2.1"), ("WF904", "library acme.extra 2.1")}
    assert cat.response("other_thing") is not None
    assert cat.response("polish_widget") is None
    assert cat.event("WidgetPainted") is None


def test_libraries_installed_together_may_refer_to_each_other() -> None:
    cat = stdlib_catalogue()
    records_lib = lib("acme.records", events=(), responses=())
    events_lib = lib("acme.events", records=())
    assert cat.install_all([events_lib, records_lib]) == []
    assert cat.origin("record", "Widget").library == "acme.records"


# --------------------------------------------------------------------------- WF909 partner loading


class _EP:
    def __init__(self, name: str, loader: Any) -> None:
        self.name = name
        self.value = f"acme:{name}"
        self._loader = loader

    def load(self) -> Any:
        return self._loader()


def _boom() -> Library:
    raise RuntimeError("boom")


def _import_fails() -> Any:
    raise ImportError("no module named acme")


@pytest.fixture
def entry_points(monkeypatch: pytest.MonkeyPatch) -> list[_EP]:
    eps: list[_EP] = []

    def fake(group: str) -> list[_EP]:
        assert group == "werkstroom.libraries"
        return eps

    monkeypatch.setattr("importlib.metadata.entry_points", fake)
    return eps


def test_wf909_broken_partners_never_break_loading(entry_points: list[_EP]) -> None:
    entry_points.extend(
        [
            _EP("a_good", lambda: lambda: lib()),
            _EP("b_raises", lambda: _boom),
            _EP("c_import", _import_fails),
            _EP("d_not_callable", lambda: 42),
            _EP("e_wrong_type", lambda: lambda: "a library"),
        ]
    )
    cat, diags = load_catalogue()
    assert codes(diags) == ["WF909", "WF909", "WF909", "WF909"]
    assert "RuntimeError: boom" in diags[0].message and "'b_raises'" in diags[0].message
    assert "could not be imported" in diags[1].message
    assert "not callable" in diags[2].message
    assert "returned str" in diags[3].message
    assert cat.event("WidgetPainted") is not None  # the good partner is installed
    assert cat.origin("event", "WidgetPainted").library == "acme.widgets"
    plain, none = load_catalogue(partners=False)
    assert none == [] and plain.event("WidgetPainted") is None


def test_partner_validation_errors_come_back_from_load_catalogue(entry_points: list[_EP]) -> None:
    entry_points.append(_EP("bad", lambda: lambda: lib(events=(ev(record="Nope"),))))
    cat, diags = load_catalogue()
    assert codes(diags) == ["WF903"]
    assert cat.record("Widget") is None
    assert len(cat.events) == 51


def test_every_catalogue_code_is_tested_here_or_in_the_behaviour_tests() -> None:
    from pathlib import Path

    here = Path(__file__).parent
    files = [*here.glob("test_*.py"), *(here.parent / "partner").glob("test_*.py")]  # partner API codes
    text = "".join(p.read_text(encoding="utf-8") for p in files)
    from werkstroom.codes import catalogue as cat_codes

    for c in cat_codes.CODES:
        assert f'"{c.code}"' in text, c.code
    assert attrs.has(Diagnostic)


def test_template_files_become_template_specs(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from werkstroom.stdlib import mstemplates

    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "MS-ABC.wf").write_text('workflow MS-ABC "x"\n', encoding="utf-8")
    (tmp_path / "templates" / "notes.txt").write_text("not a template", encoding="utf-8")
    monkeypatch.setattr("importlib.resources.files", lambda package: tmp_path)
    lib_ = mstemplates.library()
    assert [(t.code, t.text) for t in lib_.templates] == [("MS-ABC", 'workflow MS-ABC "x"\n')]
    cat = Catalogue()
    assert cat.install(lib_) == []
    t = cat.template("ms-abc")
    assert t is not None and t.path.endswith("MS-ABC.wf")
    assert cat.origin("template", "MS-ABC").library == "werkstroom.templates"


def test_importing_the_registry_stays_cheap() -> None:
    import subprocess
    import sys

    code = (
        "import sys, werkstroom.catalogue.catalogue; "
        "heavy = [m for m in ('sqlalchemy', 'lark', 'rich', 'werkstroom.stdlib', 'werkstroom.binding', "
        "'werkstroom.engine', 'werkstroom.store') "
        "if m in sys.modules]; print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_wf914_names_scripts_cannot_write() -> None:
    d = only(install(lib(events=(ev("Widget Painted"),), responses=(resp(allowed_after=()),)))[1], "WF914")
    assert "event 'Widget Painted'" in d.message
    bad_field = rec(fields=(*rec().fields, FieldSpec("unit-price", FieldKind.DECIMAL)))
    d = only(install(lib(records=(bad_field,)))[1], "WF914")
    assert "field 'unit-price'" in d.message
    bad_option = resp(options=(*resp().options, OptionSpec("2fast", FieldKind.BOOLEAN, patterns=("fast",))))
    assert codes(install(lib(responses=(bad_option,)))[1]) == ["WF914"]


def test_wf901_library_installed_twice() -> None:
    cat, diags = install(lib())
    assert diags == []
    again = cat.install(lib(records=(), events=(), responses=()))
    d = only(again, "WF901")
    assert "a library named 'acme.widgets' is already installed" in d.message


def test_wf905_defaults_and_presets_must_suit_the_option_kind() -> None:
    money = OptionSpec("limit", FieldKind.DECIMAL, patterns=("limit {value}",), default=0.5)
    d = only(install(lib(responses=(resp(options=(*resp().options, money)),)))[1], "WF905")
    assert "default 0.5" in d.message and "never float" in d.message
    from decimal import Decimal

    good = OptionSpec("limit", FieldKind.DECIMAL, patterns=("limit {value}",), default=Decimal("0.5"))
    assert install(lib(responses=(resp(options=(*resp().options, good)),)))[1] == []
    colour = OptionSpec("colour", FieldKind.ENUM, patterns=("in {value}",), enum=COLOUR, default="Blue")
    d = only(install(lib(responses=(resp(options=(*resp().options, colour)),)))[1], "WF905")
    assert "not a value of Colour (Red, Green)" in d.message
    typo = resp(patterns=(PhrasePattern("polish widget", {"shine": "yes please"}),))
    d = only(install(lib(responses=(typo,)))[1], "WF905")
    assert "presets shine = 'yes please'" in d.message and "boolean" in d.message
    flag = OptionSpec("count", FieldKind.INTEGER, patterns=("times {value}",), default=True)
    assert codes(install(lib(responses=(resp(options=(*resp().options, flag)),)))[1]) == ["WF905"]


def test_wf905_a_formula_default_must_be_a_date_formula() -> None:
    # before: any text was accepted as the default of a date-formula option
    due = OptionSpec("due", FieldKind.FORMULA, patterns=("due in {value}",), default="two days")
    d = only(install(lib(responses=(resp(options=(*resp().options, due)),)))[1], "WF905")
    assert "option 'due': default 'two days' is not a date formula (such as 2D, 1W or CM+1D)" in d.message
    ok = attrs.evolve(due, default="CM+1D")
    assert install(lib(responses=(resp(options=(*resp().options, ok)),)))[1] == []


def test_stdlib_presets_are_valid_enum_values() -> None:
    from werkstroom.catalogue.validation import value_problem

    for r in stdlib_catalogue().responses:
        for p in r.patterns:
            for name, value in p.presets.items():
                opt = r.option(name)
                assert opt is not None and value_problem(opt, value) == "", (r.name, p.text, name)
