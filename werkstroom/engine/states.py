"""The record state rows (``wf_record_state``: status, restriction) one unit of work reads and changes,
and their writes when the run flushes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs
from sqlalchemy import BindParameter, Table, bindparam, insert, select, update

from ..store.database import RecordStateRow
from ..store.driver import Statement
from .records import RecordCache
from .unit import UnitOfWork


@attrs.define
class StateRow:
    """A ``wf_record_state`` row as a run changes it; written by ``RecordStates.flush``."""

    record_type: str
    record_key: str
    status: str | None
    restricted: bool
    restriction_reason: str
    updated_at: dt.datetime
    stored: bool = False


_STATES: Table = RecordStateRow.__table__  # type: ignore[assignment]
_S_RT: BindParameter[str] = bindparam("b_rt")
_S_RK: BindParameter[str] = bindparam("b_rk")
# prepared statements run on the driver (werkstroom.store.driver)
_STATE_GET = Statement(select(_STATES.c.status, _STATES.c.restricted, _STATES.c.restriction_reason,
                              _STATES.c.updated_at)
                       .where(_STATES.c.record_type == _S_RT, _STATES.c.record_key == _S_RK))
_STATE_INSERT = Statement(insert(_STATES), columns=["record_type", "record_key", "status", "restricted",
                                                    "restriction_reason", "updated_at"])
_STATE_UPDATE = Statement(update(_STATES).where(_STATES.c.record_type == _S_RT, _STATES.c.record_key == _S_RK)
                          .values(status=bindparam("b_status"), restricted=bindparam("b_restricted"),
                                  restriction_reason=bindparam("b_reason"), updated_at=bindparam("b_at")))


class RecordStates:
    """The state rows of one unit of work: each read once (along with its record by ``records`` when
    it can be), changed in place by its callers, and written by ``flush`` (one statement each)."""

    __slots__ = ("_records", "_rows", "_uow")

    def __init__(self, uow: UnitOfWork, records: RecordCache) -> None:
        self._uow = uow
        self._records = records
        # a row read or added here is found again without a query
        self._rows: dict[tuple[str, str], StateRow] = {}

    def peek(self, record_type: str, key: str) -> tuple[Any, ...] | None:
        """(status, restricted) of the record's state (None: no state row), without taking the row
        for a change."""
        row = self._rows.get((record_type, key))
        if row is not None:
            return row.status, row.restricted
        return self._records.peek_state(record_type, key)

    def row(self, record_type: str, key: str) -> StateRow:
        """The record's state row for this unit of work (read once; every caller changes it, so it is
        written by ``flush``)."""
        found = self._rows.get((record_type, key))
        if found is not None:
            return found
        known, got = self._records.state_of(record_type, key)
        if not known:
            got = self._uow.db.first(_STATE_GET, {"b_rt": record_type, "b_rk": key})
        if got is None:
            row = StateRow(record_type, key, None, False, "", self._uow.clock.now())
        else:
            row = StateRow(record_type, key, got[0], bool(got[1]), got[2], got[3], stored=True)
        self._rows[(record_type, key)] = row
        return row

    def flush(self) -> None:
        """Write the state rows taken since the last flush (one statement each)."""
        db = self._uow.db
        for row in self._rows.values():
            if row.stored:
                db.write(_STATE_UPDATE, {"b_rt": row.record_type, "b_rk": row.record_key,
                                         "b_status": row.status, "b_restricted": row.restricted,
                                         "b_reason": row.restriction_reason, "b_at": row.updated_at})
            else:
                db.write_many(_STATE_INSERT, [{
                    "record_type": row.record_type, "record_key": row.record_key, "status": row.status,
                    "restricted": row.restricted, "restriction_reason": row.restriction_reason,
                    "updated_at": row.updated_at}])
                row.stored = True
        self._rows.clear()
