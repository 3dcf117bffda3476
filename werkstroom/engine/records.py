"""Records on the engine side: the catalogue view the engine needs, payload validation against the
record type, the in-memory record handle, and the per-transaction record cache with related lookups.
"""

from __future__ import annotations

import operator
from collections.abc import Mapping, MutableMapping, Sequence
from itertools import repeat
from typing import Any, Protocol

from sqlalchemy import BindParameter, String, Table, and_, bindparam, delete, insert, select, update

from ..catalogue import kinds
from ..catalogue.specs import EventSpec, FieldSpec, RecordSpec, RelationSpec, ResponseSpec
from ..errors import WerkstroomError
from ..spelling import did_you_mean
from ..store import codec as codec
from ..store.database import RecordRow, RecordStateRow
from ..store.driver import Statement
from .unit import UnitOfWork


class InvalidRecord(WerkstroomError):
    """WF502: a payload that does not fit its record type (names the field)."""

    code = "WF502"


class UnknownEvent(WerkstroomError):
    code = "WF503"


class CatalogueView(Protocol):
    def event(self, name: str) -> EventSpec | None: ...
    def record(self, name: str) -> RecordSpec | None: ...
    def response(self, name: str) -> ResponseSpec | None: ...


class Vocabulary:
    """What the engine looks up in the catalogue: events (by name, alias or BC code), records and
    responses."""

    def __init__(self, catalogue: CatalogueView) -> None:
        self._cat = catalogue
        # each record type's fields by name (see ``fields_of``): id(spec) -> (spec, fields)
        self._fields: dict[int, tuple[RecordSpec, dict[str, FieldSpec]]] = {}

    @classmethod
    def default(cls) -> Vocabulary:
        from ..binding.libraries import load_catalogue  # the stdlib and partner libraries

        return cls(load_catalogue()[0])

    def event(self, name: str) -> EventSpec | None:
        return self._cat.event(name)

    def require_event(self, name: str) -> EventSpec:
        spec = self.event(name)
        if spec is None:
            raise UnknownEvent(f"the event {name!r} is not in the catalogue (see `wf catalogue events`)")
        return spec

    def record(self, name: str) -> RecordSpec | None:
        return self._cat.record(name)

    def fields_of(self, spec: RecordSpec) -> Mapping[str, FieldSpec]:
        """``spec``'s fields by name (what ``spec.field(name)`` finds), made once per record spec."""
        found = self._fields.get(id(spec))
        if found is None or found[0] is not spec:
            by_name: dict[str, FieldSpec] = {}
            for f in spec.fields:
                by_name.setdefault(f.name, f)
            found = (spec, by_name)
            self._fields[id(spec)] = found
        return found[1]

    def response_origin(self, name: str) -> Any:
        """The catalogue's ``Origin`` (library, version) of a response; None when unknown or when the
        catalogue cannot say."""
        origin = getattr(self._cat, "origin", None)
        if origin is None:
            return None
        try:
            return origin("response", name)
        except KeyError:
            return None

    def response(self, name: str) -> ResponseSpec | None:
        return self._cat.response(name)


# --------------------------------------------------------------------------- values and handles


class TypedValues(dict[str, Any]):
    """A record's field values that know their record type (for related lookups in conditions)."""

    record_type: str = ""

    @classmethod
    def of(cls, record_type: str, values: Mapping[str, Any]) -> TypedValues:
        tv = cls(values)
        tv.record_type = record_type
        return tv


class Rec:
    """The engine's RecordHandle: type, key, live values (written back), old values."""

    def __init__(self, type: str, key: str, values: Mapping[str, Any],
                 old_values: Mapping[str, Any] | None = None) -> None:
        self._type = type
        self._key = key
        self._values = TypedValues.of(type, values)
        self._old = TypedValues.of(type, old_values) if old_values is not None else None

    @property
    def type(self) -> str:
        return self._type

    @property
    def key(self) -> str:
        return self._key

    @property
    def values(self) -> MutableMapping[str, Any]:
        return self._values

    @property
    def old_values(self) -> Mapping[str, Any] | None:
        return self._old

    def __repr__(self) -> str:
        return f"Rec({self._type} {self._key})"


def check_changes(vocab: Vocabulary, rec: Rec, before: Mapping[str, Any]) -> None:
    """The values of ``rec`` a response changed since ``before`` (a copy taken before it ran) must fit
    the record type, as a host payload must: a field the type has, a value of its kind (normalised
    as a payload's would be: ``"12.50"`` becomes ``Decimal("12.50")``). Raises InvalidRecord (WF502);
    the key fields may not change (the record would be stored under another key)."""
    values = rec.values
    if _unchanged(values, before):
        return
    spec = vocab.record(rec.type)
    if spec is None:
        return
    for name in [k for k, v in values.items() if before.get(k, _ABSENT) is not v]:
        f = spec.field(name)
        if f is None:
            names = sorted(f.name for f in spec.fields)
            hint = did_you_mean(str(name), names, quote="'")
            raise InvalidRecord(f"{rec.type} {rec.key}: a response set the field {name!r}, which {rec.type} "
                                f"does not have{'; ' + hint if hint else ''}")
        if name in spec.key and before.get(name, _ABSENT) != values[name]:
            raise InvalidRecord(f"{rec.type} {rec.key}: a response changed the key field {name!r}; a record "
                                f"keeps its key")
        values[name] = convert(spec, f, values[name], f"{rec.type}.{name} (set by a response)")


def record_key(spec: RecordSpec, values: Mapping[str, Any]) -> str:
    return "|".join(_key_part(values.get(k)) for k in spec.key)


def _key_part(v: Any) -> str:
    p = codec.plain(v)
    return "" if p is None else str(p)


# --------------------------------------------------------------------------- validation


def convert(spec: RecordSpec, f: FieldSpec, raw: Any, where: str) -> Any:
    """``raw`` as the field's type; raises InvalidRecord naming ``where`` (``PurchaseHeader.amount``)."""
    try:
        return kinds.to_kind(f.kind, raw, enum=f.enum, max_length=f.max_length)
    except kinds.CONVERSION_ERRORS as exc:
        why = str(exc) if isinstance(exc, ValueError) and str(exc) and "Invalid" not in str(exc) else ""
        shown = f"{where}: {raw!r} is not a valid {f.kind.value}" + (f" ({why})" if why else "")
        raise InvalidRecord(shown) from exc


def validate(vocab: Vocabulary, record_type: str, payload: Mapping[str, Any], *, where: str = "",
             require_key: bool = True) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """(typed values, embedded related payloads by relation) of a payload; raises InvalidRecord."""
    spec = vocab.record(record_type)
    if spec is None:
        raise InvalidRecord(f"unknown record type {record_type!r}")
    where = where or record_type
    if not isinstance(payload, Mapping):
        raise InvalidRecord(f"{where}: a record must be an object of field values, "
                            f"not {type(payload).__name__}")
    values: dict[str, Any] = {}
    embedded: dict[str, list[dict[str, Any]]] = {}
    fields = vocab.fields_of(spec)
    for name, raw in payload.items():
        f = fields.get(name)
        if f is not None:
            values[name] = convert(spec, f, raw, f"{where}.{name}")
            continue
        rel = spec.relation(name)
        if rel is not None:
            items = raw if isinstance(raw, list | tuple) else [raw]
            if not rel.many and len(items) > 1:
                raise InvalidRecord(f"{where}.{name}: one related {rel.record} expected, got {len(items)}")
            for item in items:
                if not isinstance(item, Mapping):
                    raise InvalidRecord(f"{where}.{name}: related records must be objects")
            embedded[name] = [dict(i) for i in items]
            continue
        names = sorted([f.name for f in spec.fields] + [r.name for r in spec.relations])
        hint = did_you_mean(str(name), names, quote="'")
        raise InvalidRecord(f"{where}: {record_type} has no field {name!r}{'; ' + hint if hint else ''} "
                            f"(fields: {', '.join(names)})")
    if require_key:
        for k in spec.key:
            if values.get(k) in (None, ""):
                raise InvalidRecord(f"{where}.{k}: the key field {k!r} of {record_type} is missing")
    return values, embedded


def join_filter(rel: RelationSpec, values: Mapping[str, Any]) -> dict[str, Any]:
    return {there: values.get(here) for here, there in rel.join}


# --------------------------------------------------------------------------- per-transaction store


_RECORDS: Table = RecordRow.__table__  # type: ignore[assignment]
_RT: BindParameter[str] = bindparam("b_rt")
_RK: BindParameter[str] = bindparam("b_rk")
_STATES: Table = RecordStateRow.__table__  # type: ignore[assignment]
# the columns of a record's state row read along with the record (see ``RecordCache.state_of``)
STATE_COLUMNS = (_STATES.c.status, _STATES.c.restricted, _STATES.c.restriction_reason, _STATES.c.updated_at,
                 _STATES.c.record_key.is_not(None))
# the key as a one-row table, joined with the record's row and its state row (what a run changes
# next, mostly): always one row, so the state is known even for a record not stored yet
_KEY = select(bindparam("b_rt", type_=String()).label("rt"), bindparam("b_rk", type_=String()).label("rk")) \
    .subquery("k")
# prepared statements run on the driver (werkstroom.store.driver)
RECORD_GET = Statement(
    select(_RECORDS.c.values_json, *STATE_COLUMNS)
    .select_from(_KEY.outerjoin(_RECORDS, and_(_RECORDS.c.record_type == _KEY.c.rt,
                                               _RECORDS.c.record_key == _KEY.c.rk))
                 .outerjoin(_STATES, and_(_STATES.c.record_type == _KEY.c.rt,
                                          _STATES.c.record_key == _KEY.c.rk))))
_RECORD_INSERT = Statement(insert(_RECORDS),
                           columns=["record_type", "record_key", "values_json", "updated_at"])
_RECORD_UPDATE = Statement(update(_RECORDS).where(_RECORDS.c.record_type == _RT, _RECORDS.c.record_key == _RK)
                           .values(values_json=bindparam("b_values"), updated_at=bindparam("b_at")))
_RECORD_DELETE = Statement(delete(_RECORDS).where(_RECORDS.c.record_type == _RT,
                                                  _RECORDS.c.record_key == _RK))
_RECORDS_OF_TYPE = Statement(select(_RECORDS.c.record_key, _RECORDS.c.values_json)
                             .where(_RECORDS.c.record_type == _RT).order_by(_RECORDS.c.record_key))
_RECORD_ONE = Statement(select(_RECORDS.c.record_key, _RECORDS.c.values_json)
                        .where(_RECORDS.c.record_type == _RT, _RECORDS.c.record_key == _RK))
_RECORDS_UNDER = Statement(select(_RECORDS.c.record_key, _RECORDS.c.values_json)
                           .where(_RECORDS.c.record_type == _RT,
                                  _RECORDS.c.record_key.like(bindparam("b_pattern"), escape="/"))
                           .order_by(_RECORDS.c.record_key))


class RecordCache:
    """Records read and written in one transaction (identity map), flushed at the end.

    The ``wf_record`` rows are read and written with prepared Core statements (no ORM objects)."""

    def __init__(self, uow: UnitOfWork, vocab: Vocabulary) -> None:
        self.uow = uow
        self.vocab = vocab
        self.clock = uow.clock
        self._recs: dict[tuple[str, str], Rec] = {}
        self._dirty: set[tuple[str, str]] = set()
        self._related: dict[tuple[str, str, str], list[Rec]] = {}
        # the stored JSON of rows read or written in this transaction (None: absent), so flush
        # needs no query and writes only what changed
        self._rows: dict[tuple[str, str], str | None] = {}
        # the state rows read along with records: (status, restricted, reason, updated_at) or None
        # for a record without one; taken by ``state_of``
        self._states: dict[tuple[str, str], tuple[Any, ...] | None] = {}
        # (record, its values as stored) for records read or written in this transaction: flush
        # skips encoding a record whose values are still the very objects stored (most events do
        # not change their document)
        self._clean: dict[tuple[str, str], tuple[Rec, dict[str, Any]]] = {}

    def _load(self, record_type: str, key: str, stored: str) -> Rec:
        loaded = codec.loads(stored) or {}
        rec = Rec(record_type, key, loaded)
        self._recs[(record_type, key)] = rec
        self._clean[(record_type, key)] = (rec, loaded)
        return rec

    def get(self, record_type: str, key: str) -> Rec | None:
        found = self._recs.get((record_type, key))
        if found is not None:
            return found
        stored = self._stored(record_type, key)
        if stored is None:
            return None
        return self._load(record_type, key, stored)

    def _stored(self, record_type: str, key: str) -> str | None:
        if (record_type, key) in self._rows:
            return self._rows[(record_type, key)]
        row = self.uow.db.first(RECORD_GET, {"b_rt": record_type, "b_rk": key})
        assert row is not None  # one row, whether the record is stored or not
        stored: str | None = row[0]
        self._states.setdefault((record_type, key), row[1:5] if row[5] else None)
        self._rows[(record_type, key)] = stored
        return stored

    def prime(self, record_type: str, key: str, stored: str | None,
              state: Sequence[Any] | None = None) -> None:
        """Note a record's stored values (its ``values_json``, None: no row) and, when ``state`` is
        given, its ``STATE_COLUMNS`` (the last one False: no state row), read along with another row,
        so later reads in this transaction need no query; what the transaction holds already wins."""
        self._rows.setdefault((record_type, key), stored)
        if state is not None:
            self._states.setdefault((record_type, key), tuple(state[:4]) if state[4] else None)

    def peek_state(self, record_type: str, key: str) -> tuple[Any, ...] | None:
        """The record's ``STATE_COLUMNS`` but the last (None: no state row), read along with the
        record or now, and left for ``state_of``."""
        k = (record_type, key)
        if k not in self._states:
            row = self.uow.db.first(RECORD_GET, {"b_rt": record_type, "b_rk": key})
            assert row is not None  # one row, whether the record is stored or not
            self._rows.setdefault(k, row[0])
            self._states[k] = row[1:5] if row[5] else None
        return self._states[k]

    def state_of(self, record_type: str, key: str) -> tuple[bool, tuple[Any, ...] | None]:
        """(known, state row) of a record's state read along with the record: ``known`` False when
        it was not (the caller reads it); taken once (the caller keeps what it changes)."""
        k = (record_type, key)
        if k in self._states:
            return True, self._states.pop(k)
        return False, None

    def put(self, record_type: str, key: str, values: Mapping[str, Any],
            old: Mapping[str, Any] | None = None) -> Rec:
        """Store (replace) a record's values; later reads in this transaction see it."""
        rec = Rec(record_type, key, values, old)
        self._recs[(record_type, key)] = rec
        self._dirty.add((record_type, key))
        self._related = {}
        return rec

    def mark(self, rec: Rec) -> None:
        k = (rec.type, rec.key)
        self._recs[k] = rec
        self._dirty.add(k)

    def put_payload(self, record_type: str, payload: Mapping[str, Any], *, where: str = "",
                    old: Mapping[str, Any] | None = None, old_from_store: bool = False,
                    checked: tuple[dict[str, Any], dict[str, list[dict[str, Any]]]] | None = None) -> Rec:
        """Validate a host payload (with embedded related records) and store all of it.

        ``old``: the previous values (record-change events). ``old_from_store``: when ``old`` is not
        given, use the values stored before this payload (the engine remembers the last state).
        ``checked``: what ``validate`` gave for this payload already."""
        values, embedded = checked if checked is not None else validate(self.vocab, record_type, payload,
                                                                         where=where)
        spec = self.vocab.record(record_type)
        assert spec is not None
        key = record_key(spec, values)
        old_values = None
        if old is not None:
            old_values, _ = validate(self.vocab, record_type, old, where=f"{where or record_type} (old)",
                                     require_key=False)
        # keep stored fields the payload did not mention (a partial update keeps the rest)
        existing = self.get(record_type, key)
        if old_values is None and old_from_store and existing is not None:
            old_values = dict(existing.values)
        merged = dict(existing.values) if existing is not None else {}
        merged.update(values)
        rec = self.put(record_type, key, merged, old_values)
        for rel_name, items in embedded.items():
            rel = spec.relation(rel_name)
            assert rel is not None
            target = self.vocab.record(rel.record)
            if target is None:
                raise InvalidRecord(f"{record_type}.{rel_name}: unknown record type {rel.record!r}")
            link = join_filter(rel, merged)
            if rel.many:  # the embedded list replaces the stored one
                for old_rec in self._scan(rel.record, link):
                    self.uow.db.write(_RECORD_DELETE, {"b_rt": rel.record, "b_rk": old_rec.key})
                    self._recs.pop((rel.record, old_rec.key), None)
                    self._rows[(rel.record, old_rec.key)] = None
                    self._dirty.discard((rel.record, old_rec.key))
            for i, item in enumerate(items):
                filled = {**{k: v for k, v in link.items() if v is not None}, **item}
                self.put_payload(rel.record, filled, where=f"{where or record_type}.{rel_name}[{i}]")
        return rec

    def related(self, rec_type: str, values: Mapping[str, Any], relation: str) -> list[Rec]:
        spec = self.vocab.record(rec_type)
        rel = spec.relation(relation) if spec is not None else None
        if rel is None:
            return []
        link = join_filter(rel, values)
        if any(v is None for v in link.values()):
            return []
        cache_key = (rel.record, relation, codec.dumps(link))
        hit = self._related.get(cache_key)
        if hit is None:
            hit = self._scan(rel.record, link)
            self._related[cache_key] = hit
        return hit

    def _scan(self, record_type: str, link: Mapping[str, Any]) -> list[Rec]:
        target = self.vocab.record(record_type)
        if target is None:
            return []
        self.flush()
        stmt, params = _RECORDS_OF_TYPE, {"b_rt": record_type}
        # fast path: the join fields are a prefix of the target's key (lines of a document)
        n = len(link)
        if n and tuple(target.key[:n]) == tuple(link) and all(link[k] is not None for k in link):
            prefix = "|".join(_key_part(link[k]) for k in target.key[:n])
            if n == len(target.key):
                stmt, params = _RECORD_ONE, {"b_rt": record_type, "b_rk": prefix}
            else:
                stmt, params = _RECORDS_UNDER, {"b_rt": record_type, "b_pattern": _like_prefix(prefix + "|")}
        out: list[Rec] = []
        for rkey, stored in self.uow.db.rows(stmt, params):
            self._rows[(record_type, rkey)] = stored
            rec = self._recs.get((record_type, rkey))
            if rec is None:
                rec = self._load(record_type, rkey, stored)
            if all(_same(rec.values.get(k), v) for k, v in link.items()):
                out.append(rec)
        return out

    def lookup(self, values: Mapping[str, Any], relation: str) -> Sequence[Mapping[str, Any]]:
        """The related-lookup function conditions use."""
        rtype = getattr(values, "record_type", "")
        return [r.values for r in self.related(rtype, values, relation)]

    def flush(self) -> None:
        if not self._dirty:
            return
        now = self.clock.now()
        for rtype, key in sorted(self._dirty):
            rec = self._recs[(rtype, key)]
            clean = self._clean.get((rtype, key))
            if clean is not None and clean[0] is rec and _unchanged(rec.values, clean[1]):
                continue
            text = codec.dumps(dict(rec.values))
            stored = self._stored(rtype, key)
            if stored is None:
                self.uow.db.write_many(_RECORD_INSERT, [{"record_type": rtype, "record_key": key,
                                                          "values_json": text, "updated_at": now}])
            elif stored != text:
                self.uow.db.write(_RECORD_UPDATE, {"b_rt": rtype, "b_rk": key, "b_values": text,
                                                     "b_at": now})
            self._rows[(rtype, key)] = text
            self._clean[(rtype, key)] = (rec, dict(rec.values))
        self._dirty.clear()


_ABSENT = object()


def _unchanged(values: Mapping[str, Any], stored: Mapping[str, Any]) -> bool:
    """True when ``values`` holds exactly the objects of ``stored`` (identity, so an equal value with
    another representation, ``Decimal("1.0")`` for ``Decimal("1")``, still counts as a change)."""
    # all(stored.get(k, _ABSENT) is v for k, v in values.items()), without a Python loop
    return len(values) == len(stored) and all(
        map(operator.is_, values.values(), map(stored.get, values, repeat(_ABSENT))))


def _like_prefix(prefix: str) -> str:
    """A LIKE pattern (escape character ``/``) matching the texts that start with ``prefix``."""
    return prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"


def _same(a: Any, b: Any) -> bool:
    if a == b:
        return True
    return _key_part(a) == _key_part(b)
