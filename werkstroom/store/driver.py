"""Prepared statements run on the database driver, for the engine's hot path.

SQLAlchemy builds and compiles every statement (so the SQL stays dialect-correct on SQLite and
PostgreSQL, and the types convert values the way the rest of the store reads and writes them), but
once per statement and dialect: :class:`Statement` keeps the compiled SQL text, the order of its
parameters and the column types' bind and result processors (with faster equivalents for SQLite's
datetimes, dates and booleans, see ``bind_processor``). :class:`Db` runs such statements on the
DBAPI connection of a unit of work, inside its transaction (begun on the driver by
``UnitOfWork.begin``, or by SQLAlchemy for a session's unit of work). That skips SQLAlchemy's
per-execution work (execution context, cache-key lookup, events, result object), which costs 15-20
us per statement against 1-3 us for the driver call itself (measured for ``bench/approvals.py``,
whose cycle issues 40 statements besides BEGIN and COMMIT).

Rules for a statement run here (checked when it is compiled; ``UnsupportedStatement``, a programming
error, otherwise):
- every value comes from a named ``bindparam`` or, for an ``insert(table)`` without ``values``,
  from the column names given in ``columns``: no Python-side column defaults are applied, so the
  caller passes every column it writes;
- no "expanding" (IN-list) parameters.

A :class:`Db` runs each statement when it is called: nothing is queued to run before another
statement. :class:`Observers` are the functions that see the statements of the :class:`Db` objects made
with them (one engine's, or one unit of work's).

Driver errors are re-raised as SQLAlchemy's ``DBAPIError`` subclasses (``IntegrityError``, ...) so
callers catch one family of exceptions whichever path ran the statement.
"""

from __future__ import annotations

import ast
import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Boolean, TypeDecorator
from sqlalchemy import exc as sa_exc
from sqlalchemy.dialects.sqlite.base import DATE as SQLITE_DATE
from sqlalchemy.dialects.sqlite.base import DATETIME as SQLITE_DATETIME
from sqlalchemy.engine import Connection, Dialect
from sqlalchemy.sql import ClauseElement
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert, UpdateBase
from sqlalchemy.sql.selectable import Select
from sqlalchemy.types import TypeEngine

Processor = Callable[[Any], Any]
_UTC = dt.UTC
_SQLITE_DEFAULT_DATETIME = SQLITE_DATETIME()._storage_format  # type: ignore[no-untyped-call]
_SQLITE_DEFAULT_DATE = SQLITE_DATE()._storage_format  # type: ignore[no-untyped-call]
Params = Mapping[str, Any]
# called with (sql, parameters as sent to the driver, executemany) before every statement a Db runs,
# and with ("COMMIT" or "ROLLBACK", None, False) when a Db ends a transaction
Observer = Callable[[str, Any, bool], None]


class UnsupportedStatement(RuntimeError):
    """A statement the driver path cannot run: a programming error in Werkstroom, never user input."""


class Observers:
    """The statement observers of one engine (or of one unit of work): the :class:`Db` objects made
    with this set call each of them before every statement they run and when they end a transaction.
    Tests and benchmarks use them to see the statements (SQLAlchemy's ``before_cursor_execute`` and
    ``commit`` events do not: the driver path passes SQLAlchemy by). Nothing outside the engine or unit
    of work that holds the set is observed."""

    __slots__ = ("fns",)

    def __init__(self) -> None:
        self.fns: list[Observer] = []

    @contextlib.contextmanager
    def watching(self, fn: Observer) -> Iterator[None]:
        """Call ``fn(sql, parameters, executemany)`` for the statements run inside the ``with`` block."""
        self.fns.append(fn)
        try:
            yield
        finally:
            self.fns.remove(fn)


class Plan:
    """A statement compiled for one dialect: its SQL, its parameter names in order, and where values
    need converting. ``consts``: positions of literal values compiled into the statement
    (``value + 1``), already converted.

    ``params`` and ``row`` are functions made for this statement (see ``_converter``): one
    expression that picks the values in order and converts only those whose type needs it, instead
    of a general loop over every position (about half the time per statement)."""

    __slots__ = ("_params", "_row", "dialect", "names", "positional", "result_types", "sql")

    def __init__(self, sql: str, names: tuple[str, ...], positional: bool,
                 binds: tuple[Processor | None, ...], consts: dict[int, Any],
                 result_types: tuple[TypeEngine[Any], ...], dialect: Dialect) -> None:
        self.sql = sql
        self.names = names
        self.positional = positional
        self.dialect = dialect
        # position i of the parameters: the constant consts[i], else the caller's value of names[i],
        # converted by binds[i] when there is one (None stays None)
        items = [("const", consts[i], None) if i in consts else ("get", name, binds[i])
                 for i, name in enumerate(names)]
        self._params: Callable[[Params], Any] = _converter(items, names if not positional else None)
        self.result_types = result_types
        # the result processors, made at the first fetch: some depend on the driver's type code of
        # the column (psycopg's numeric), which only the cursor's description gives
        self._row: Callable[[Sequence[Any]], tuple[Any, ...]] | None = None if result_types else tuple

    def prepare_results(self, description: Sequence[Sequence[Any]] | None) -> None:
        codes = [d[1] for d in description] if description else [None] * len(self.result_types)
        procs = [t.result_processor(self.dialect, code) for t, code in zip(self.result_types, codes,
                                                                             strict=True)]
        if any(procs):
            self._row = _converter([("get", i, proc) for i, proc in enumerate(procs)], None)
        else:
            self._row = tuple

    def params(self, values: Params) -> Any:
        """The parameters to send for the caller's ``values`` (a tuple, or a dict for a driver with
        named parameters)."""
        try:
            return self._params(values)
        except KeyError as exc:
            raise UnsupportedStatement(
                f"no value for the parameter {exc.args[0]!r} of {self.sql!r}") from None

    def row(self, raw: Sequence[Any]) -> tuple[Any, ...]:
        assert self._row is not None, "prepare_results first"
        return self._row(raw)

    @property
    def rows(self) -> Callable[[Sequence[Any]], tuple[Any, ...]]:
        """``row`` itself (for ``map`` over fetched rows)."""
        assert self._row is not None, "prepare_results first"
        return self._row


def _converter(items: Sequence[tuple[str, Any, Processor | None]],
               keys: Sequence[str] | None) -> Callable[..., Any]:
    """A function of one argument ``v`` returning, for each item, in order: ``("const", c, _)`` the
    constant ``c``; ``("get", k, None)`` ``v[k]``; ``("get", k, p)`` ``p(v[k])`` unless ``v[k]`` is None.
    A tuple, or a dict with ``keys`` when given. Built as a Python syntax tree from these items
    (keys and positions of Werkstroom's own statements; constants and processors are bound as
    arguments' defaults, never written into code) and compiled once per statement."""
    env: dict[str, Any] = {}
    args: list[str] = []
    exprs: list[ast.expr] = []

    def bound(value: Any) -> ast.expr:
        name = f"_b{len(env)}"
        env[name] = value
        args.append(name)
        return ast.Name(name, ast.Load())

    v = ast.Name("v", ast.Load())
    for n, (kind, what, proc) in enumerate(items):
        if kind == "const":
            exprs.append(bound(what))
            continue
        get = ast.Subscript(v, ast.Constant(what), ast.Load())
        if proc is None:
            exprs.append(get)
            continue
        tmp = f"_t{n}"
        # (p(_t) if (_t := v[k]) is not None else None)
        exprs.append(ast.IfExp(
            test=ast.Compare(ast.NamedExpr(ast.Name(tmp, ast.Store()), get), [ast.IsNot()],
                             [ast.Constant(None)]),
            body=ast.Call(bound(proc), [ast.Name(tmp, ast.Load())], []),
            orelse=ast.Constant(None)))
    body: ast.expr = (ast.Dict([ast.Constant(k) for k in keys], exprs) if keys is not None
                      else ast.Tuple(exprs, ast.Load()))
    # lambda _b0, _b1, ...: lambda v: <body>   (the bound values are the inner lambda's closure)
    def arguments(*names: str) -> ast.arguments:
        return ast.arguments(posonlyargs=[], args=[ast.arg(a) for a in names], kwonlyargs=[], kw_defaults=[],
                             defaults=[])

    tree = ast.Expression(ast.Lambda(arguments(*args), ast.Lambda(arguments("v"), body)))
    make = eval(compile(ast.fix_missing_locations(tree), "<werkstroom.sql converter>", "eval"),
                {"__builtins__": {}})
    made: Callable[..., Any] = make(*(env[a] for a in args))
    return made


def _sqlite_datetime_bind(fallback: Processor) -> Processor:
    """SQLite's DATETIME bind (SQLAlchemy's default storage format, ``YYYY-MM-DD HH:MM:SS.ffffff``)
    for a naive datetime with one C call; anything else goes to SQLAlchemy's own processor. A test
    checks both give the same text."""

    def process(value: Any) -> Any:
        if type(value) is dt.datetime:
            tz = value.tzinfo
            if tz is None:
                return value.isoformat(" ", "microseconds")
            if tz is _UTC:  # SQLAlchemy writes the fields and drops the zone: the "+00:00" cut off
                return value.isoformat(" ", "microseconds")[:-6]
        return fallback(value)

    return process


def _sqlite_date_bind(fallback: Processor) -> Processor:
    """SQLite's DATE bind (default storage format ``YYYY-MM-DD``) for a date with one C call."""

    def process(value: Any) -> Any:
        if type(value) is dt.date:
            return value.isoformat()
        return fallback(value)

    return process


def _boolean_bind(fallback: Processor) -> Processor:
    """SQLAlchemy's Boolean bind (True/False as 1/0, anything else refused by SQLAlchemy)."""

    def process(value: Any) -> Any:
        if value is True:
            return 1
        if value is False:
            return 0
        return fallback(value)

    return process


def bind_processor(type_: TypeEngine[Any], dialect: Dialect) -> Processor | None:
    """The column type's bind processor for ``dialect``, SQLAlchemy's, with faster equivalents on
    SQLite for DATETIME (also inside a TypeDecorator), DATE and Boolean; tests keep them equal."""
    impl = type_.dialect_impl(dialect)
    proc = impl.bind_processor(dialect)
    if proc is None or dialect.name != "sqlite":
        return proc
    if isinstance(impl, SQLITE_DATETIME) and impl._storage_format == _SQLITE_DEFAULT_DATETIME:
        return _sqlite_datetime_bind(proc)
    if isinstance(impl, SQLITE_DATE) and impl._storage_format == _SQLITE_DEFAULT_DATE:
        return _sqlite_date_bind(proc)
    if type(impl) is Boolean and proc(True) == 1 and proc(False) == 0:
        return _boolean_bind(proc)
    # a decorator with its own bind_processor (store.UtcDateTime) has made it fast itself
    if isinstance(impl, TypeDecorator) and isinstance(impl.impl, SQLITE_DATETIME) and \
            type(impl).bind_processor is TypeDecorator.bind_processor and \
            type(impl).process_bind_param is not TypeDecorator.process_bind_param and \
            impl.impl._storage_format == _SQLITE_DEFAULT_DATETIME:
        inner = _sqlite_datetime_bind(impl.impl.bind_processor(dialect) or (lambda v: v))
        decorate = impl.process_bind_param

        def process(value: Any) -> Any:
            return inner(decorate(value, dialect))

        return process
    return proc


class Statement:
    """A Core statement compiled once per dialect and run by :class:`Db` on the driver.

    ``columns``: for a bare ``insert(table)``, the columns the caller provides (all others are left
    to the database's defaults)."""

    __slots__ = ("_columns", "_plans", "clause", "reads")

    def __init__(self, clause: ClauseElement, columns: Iterable[str] | None = None) -> None:
        self.clause = clause
        # a plain SELECT (locking or not) changes no rows: reads sent ahead stay valid across it
        self.reads = isinstance(clause, Select)
        self._columns = tuple(columns) if columns is not None else None
        self._plans: dict[str, Plan] = {}

    def plan(self, dialect: Dialect) -> Plan:
        found = self._plans.get(dialect.name)
        if found is None:
            found = self._plans[dialect.name] = self._compile(dialect)
        return found

    def _compile(self, dialect: Dialect) -> Plan:
        clause = self.clause
        keys = list(self._columns) if isinstance(clause, Insert) and self._columns is not None else None
        compiled = clause.compile(dialect=dialect, column_keys=keys)
        if not isinstance(compiled, SQLCompiler):
            raise UnsupportedStatement(f"not an SQL statement: {clause!r}")
        positional = bool(compiled.positional)
        names = tuple(compiled.positiontup or ()) if positional else tuple(compiled.bind_names.values())
        binds: list[Processor | None] = []
        consts: dict[int, Any] = {}
        for i, name in enumerate(names):
            bp = compiled.binds.get(name)
            if bp is None:
                raise UnsupportedStatement(f"the parameter {name!r} of {compiled.string!r} has no bind")
            if bp.expanding:
                raise UnsupportedStatement(f"expanding parameter {name!r} in {compiled.string!r}")
            proc = bind_processor(bp.type, dialect)
            binds.append(proc)
            if not bp.required and not (self._columns and name in self._columns):
                if bp.callable is not None:
                    raise UnsupportedStatement(f"the callable parameter {name!r} in {compiled.string!r}")
                consts[i] = bp.value if proc is None or bp.value is None else proc(bp.value)
        result_types: tuple[TypeEngine[Any], ...] = ()
        if isinstance(clause, Select | UpdateBase):
            result_types = tuple(col.type.dialect_impl(dialect) for col in clause.exported_columns)
        return Plan(compiled.string, names, positional, tuple(binds), consts, result_types, dialect)


def _pipeline_supported(driver: Any) -> bool:
    """psycopg (3.1+) on a libpq with pipeline mode (14+)."""
    pipeline = getattr(driver, "pipeline", None)
    if pipeline is None:
        return False
    try:
        import psycopg

        return bool(psycopg.Pipeline.is_supported())
    except (ImportError, AttributeError):
        return False


class Db:
    """The driver connection of one unit of work (inside the transaction its SQLAlchemy connection
    began): each statement runs when it is called, nothing is queued to run before another one.
    ``observers``: the :class:`Observers` whose functions see its statements (none by default).

    On PostgreSQL a unit of work begun on the driver (``begin``) runs in psycopg's pipeline mode:
    ``write`` and ``write_many`` send a statement without waiting for the server's answer, and the
    answers are read at the next read, at ``commit``, or when ``end_pipeline`` is called (before
    SQLAlchemy takes the connection). A failing write therefore raises at that later point, as the
    same SQLAlchemy exception. ``execute``/``executemany`` answer the number of rows changed, so in
    pipeline mode they wait for the server.

    ``ahead`` sends reads the unit of work will ask for next (PostgreSQL): ``rows``/``first`` of the
    same statement and parameters then take their answers, so reads sent together cost one round
    trip. They are dropped, unanswered, at the first statement that may change rows (they would not
    see its changes), and at the end of the transaction."""

    __slots__ = ("_ahead", "_observers", "_pipeline", "_pipeline_cm", "_raw", "_sqlite", "dialect")

    def __init__(self, connection: Connection | None = None, *, dialect: Dialect | None = None,
                 driver: Any = None, observers: Observers | None = None) -> None:
        """On a SQLAlchemy connection's driver connection, or on ``driver`` of ``dialect``."""
        if connection is not None:
            dialect, driver = connection.dialect, connection.connection.driver_connection
        assert dialect is not None and driver is not None
        self.dialect: Dialect = dialect
        self._raw: Any = driver
        self._sqlite = dialect.name == "sqlite"
        self._pipeline: Any = None  # psycopg's Pipeline while in pipeline mode
        self._pipeline_cm: Any = None  # the context manager that made it (leaves the mode on exit)
        # the observers' functions (the list itself: functions added later are seen)
        self._observers: Sequence[Observer] = observers.fns if observers is not None else ()
        # reads sent ahead, by (statement, parameters): their cursors, answered when asked for
        self._ahead: dict[tuple[Statement, frozenset[tuple[str, Any]]], tuple[Any, Plan]] = {}

    @property
    def sqlite(self) -> bool:
        return self._sqlite

    def _wrap(self, err: Exception, sql: str) -> Exception:
        return sa_exc.DBAPIError.instance(sql, None, err, self.dialect.loaded_dbapi.Error)

    def begin(self, write: bool = True) -> None:
        """Begin a transaction on the driver: ``BEGIN IMMEDIATE`` on SQLite (the write lock is taken
        at once, as ``store.make_engine`` does for SQLAlchemy's own transactions), or a deferred
        ``BEGIN`` for a transaction that only reads (``write=False``: no write lock, nothing to write
        at commit); PostgreSQL's driver begins one with the first statement, sent in pipeline mode
        where psycopg and libpq support it."""
        if self._sqlite:
            sql = "BEGIN IMMEDIATE" if write else "BEGIN"
            try:
                self._raw.execute(sql)
            except self.dialect.loaded_dbapi.Error as err:
                raise self._wrap(err, sql) from err
        elif _pipeline_supported(self._raw):
            self._pipeline_cm = self._raw.pipeline()
            self._pipeline = self._pipeline_cm.__enter__()

    def end_pipeline(self) -> None:
        """Wait for the answers of the statements sent so far and leave pipeline mode (raises the
        error of a failed statement); nothing to do outside pipeline mode. Reads sent ahead are dropped
        (SQLAlchemy may change rows next, which they would not see)."""
        if self._ahead:
            self._drop_ahead()
        cm, self._pipeline, self._pipeline_cm = self._pipeline_cm, None, None
        if cm is not None:
            try:
                cm.__exit__(None, None, None)
            except self.dialect.loaded_dbapi.Error as err:
                raise self._wrap(err, "(statements sent in pipeline mode)") from err

    def _sync(self) -> None:
        if self._pipeline is not None:
            try:
                self._pipeline.sync()
            except self.dialect.loaded_dbapi.Error as err:
                raise self._wrap(err, "(statements sent in pipeline mode)") from err

    def commit(self) -> None:
        for fn in self._observers:
            fn("COMMIT", None, False)
        self.end_pipeline()
        try:
            self._raw.commit()
        except self.dialect.loaded_dbapi.Error as err:
            raise self._wrap(err, "COMMIT") from err

    def rollback(self) -> None:
        if self._ahead:
            self._drop_ahead()
        for fn in self._observers:
            fn("ROLLBACK", None, False)
        cm, self._pipeline, self._pipeline_cm = self._pipeline_cm, None, None
        if cm is not None:
            with contextlib.suppress(Exception):  # the error being rolled back may be raised again
                cm.__exit__(None, None, None)
        self._raw.rollback()

    def ahead(self, queries: Iterable[tuple[Statement, Params]]) -> None:
        """Send reads now whose rows ``rows``/``first`` will ask for later with the same statement
        and parameters (see the class). On PostgreSQL in pipeline mode they are sent without waiting,
        all in one round trip; without pipeline mode each runs now; SQLite, where a read costs no
        round trip, runs them when they are asked for. Writes made through the unit of work's ORM
        session do not pass here and do not drop them: send reads ahead only where no session
        changes can be flushed before they are taken. Like every read, they see only rows written
        already: the caller flushes what its reads depend on first."""
        queries = list(queries)
        for stmt, _ in queries:
            if not stmt.reads:
                raise UnsupportedStatement(f"only reads are sent ahead, not {stmt.clause}")
        if self._sqlite:
            return
        for stmt, params in queries:
            key = (stmt, frozenset(params.items()))
            if key not in self._ahead:
                self._ahead[key] = self._cursor(stmt, params, False)

    def _taken(self, stmt: Statement, params: Params) -> tuple[Any, Plan] | None:
        """The cursor of a read sent ahead with these parameters (taken once), if any."""
        return self._ahead.pop((stmt, frozenset(params.items())), None)

    def _drop_ahead(self) -> None:
        sent, self._ahead = self._ahead, {}
        for cur, _ in sent.values():
            cur.close()

    def _cursor(self, stmt: Statement, params: Params | Sequence[Params], many: bool) -> tuple[Any, Plan]:
        if self._ahead and not stmt.reads:
            self._drop_ahead()
        plan = stmt.plan(self.dialect)
        sent = [plan.params(p) for p in params] if many else plan.params(params)  # type: ignore[arg-type]
        if self._observers:
            for fn in self._observers:
                fn(plan.sql, sent, many)
        raw = self._raw
        try:
            if self._sqlite:  # the connection's own execute: one call, it makes the cursor
                cur = raw.executemany(plan.sql, sent) if many else raw.execute(plan.sql, sent)
            else:
                cur = raw.cursor()
                try:
                    if many:
                        cur.executemany(plan.sql, sent)
                    else:
                        cur.execute(plan.sql, sent)
                except BaseException:
                    cur.close()
                    raise
        except self.dialect.loaded_dbapi.Error as err:
            raise sa_exc.DBAPIError.instance(plan.sql, sent, err, self.dialect.loaded_dbapi.Error) from err
        return cur, plan

    def _fetch(self, cur: Any, plan: Plan, one: bool) -> Any:
        """The result rows as the driver gives them (``one``: the first or None, the rest drained so
        the statement is finished on every driver); in pipeline mode this is where the answers of
        earlier statements arrive, and their errors are raised."""
        try:
            if one:
                got = cur.fetchone()
                cur.fetchall()
            else:
                got = cur.fetchall()
            if plan._row is None:  # the result conversions, once the driver has described the columns
                plan.prepare_results(cur.description)
        except self.dialect.loaded_dbapi.Error as err:
            raise sa_exc.DBAPIError.instance(plan.sql, None, err, self.dialect.loaded_dbapi.Error) from err
        finally:
            cur.close()
        return got

    def write(self, stmt: Statement, params: Params) -> None:
        """Run a statement without result rows, not waiting for the server in pipeline mode."""
        cur, _ = self._cursor(stmt, params, False)
        cur.close()

    def write_many(self, stmt: Statement, params: Sequence[Params]) -> None:
        """``write`` for several parameter sets (one multi-row statement where the driver can)."""
        if params:
            cur, _ = self._cursor(stmt, params, True)
            cur.close()

    def execute(self, stmt: Statement, params: Params) -> int:
        """Run a statement without result rows; the number of rows it changed (in pipeline mode this
        waits for the server: callers that do not need the count use ``write``)."""
        return self._count(stmt, params, False)

    def executemany(self, stmt: Statement, params: Sequence[Params]) -> int:
        return self._count(stmt, params, True) if params else 0

    def _count(self, stmt: Statement, params: Params | Sequence[Params], many: bool) -> int:
        cur, _ = self._cursor(stmt, params, many)
        if self._pipeline is not None:
            self._sync()
        count = int(cur.rowcount)
        cur.close()
        return count

    def rows(self, stmt: Statement, params: Params) -> list[tuple[Any, ...]]:
        sent = self._taken(stmt, params) if self._ahead else None
        cur, plan = sent if sent is not None else self._cursor(stmt, params, False)
        raw = self._fetch(cur, plan, False)
        return list(map(plan.rows, raw))

    def rows_together(self, *queries: tuple[Statement, Params]) -> list[list[tuple[Any, ...]]]:
        """The rows of several reads, all sent before any answer is read: in pipeline mode
        (PostgreSQL) one round trip. The server runs them in order."""
        sent = [self._cursor(stmt, params, False) for stmt, params in queries]
        fetched = [(self._fetch(cur, plan, False), plan) for cur, plan in sent]
        return [list(map(plan.rows, raw)) for raw, plan in fetched]

    def first(self, stmt: Statement, params: Params) -> tuple[Any, ...] | None:
        sent = self._taken(stmt, params) if self._ahead else None
        cur, plan = sent if sent is not None else self._cursor(stmt, params, False)
        raw = self._fetch(cur, plan, True)
        return None if raw is None else plan.row(raw)

    def insert_id(self, returning: Statement, plain: Statement, params: Params) -> int:
        """Insert one row and answer its generated id: on SQLite ``plain`` and the cursor's
        ``lastrowid`` (the row id SQLite keeps per connection: no result row to fetch), elsewhere
        ``returning`` (an INSERT ... RETURNING id)."""
        if not self._sqlite:
            return int(self.scalar(returning, params))
        cur, _ = self._cursor(plain, params, False)
        found = int(cur.lastrowid)
        cur.close()
        return found

    def insert_id_later(self, returning: Statement, plain: Statement, params: Params) -> Callable[[], int]:
        """``insert_id`` without waiting for the id: answers a function that gives it. On SQLite the id
        is known at once (``lastrowid``). In pipeline mode (PostgreSQL) the INSERT ... RETURNING is
        sent and its answer arrives with the next read or the commit; the function may be called
        after the commit. Elsewhere the id is read now."""
        if self._sqlite or self._pipeline is None:
            found = self.insert_id(returning, plain, params)
            return lambda: found
        cur, plan = self._cursor(returning, params, False)

        def answer() -> int:
            return int(self._fetch(cur, plan, True)[0])

        return answer

    def scalar(self, stmt: Statement, params: Params) -> Any:
        row = self.first(stmt, params)
        return None if row is None else row[0]
