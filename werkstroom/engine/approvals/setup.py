"""Loading an organisation file (TOML): approval users, workflow user groups, notification setup and
SMTP settings by reference. The format is documented in docs/approvals.md; examples/organisation.toml
is a complete example.

``load_setup(uow, data)`` validates everything first (``ApprovalError`` WF616/WF617/WF622 naming the
place) and then replaces the setup rows the file names: users and groups by id, notification rows by
(user, type), SMTP settings by name. Credentials are never read from the file: only the names of the
environment variables that hold them.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
import zoneinfo
from collections.abc import Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from sqlalchemy import delete, select

from ...catalogue.kinds import text_problem
from ...catalogue.specs import normalize_enum
from ...store.approvals import ApprovalUserSetup, WorkflowUserGroup, WorkflowUserGroupMember
from ...store.notifications import ENTRY_TYPES, METHODS, RECURRENCES, NotificationSetup, SmtpSettings
from ..unit import UnitOfWork
from .errors import ApprovalError
from .records import forget_setups
from .rules import to_decimal

USER_KEYS = {
    "id", "approver", "salesperson_purchaser_code", "sales_limit", "unlimited_sales", "purchase_limit",
    "unlimited_purchase", "request_limit", "unlimited_request", "substitute", "email", "administrator",
    "time_zone", "language",
}
GROUP_KEYS = {"code", "description", "members"}
MEMBER_KEYS = {"user", "sequence"}
NOTIFY_KEYS = {"user", "type", "method", "schedule", "time", "daily_frequency", "weekdays", "monthly",
               "day"}
SMTP_KEYS = {"name", "host", "port", "starttls", "ssl", "sender", "username_env", "password_env",
             "timeout_seconds"}
TOP_KEYS = {"users", "groups", "notifications", "smtp"}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
MAX_AMOUNT = Decimal(10) ** 18  # the amount columns hold 18 digits before the decimal point
LANGUAGES = ("en", "nl")  # the inbox's languages (English, Dutch)
MAX_INT = 2**31  # whole-number columns (sequence, port, timeout, day) are 32-bit
# the file's key for a column where the two differ (messages name what the user wrote)
FILE_KEYS = {"user_id": "id", "approver_id": "approver", "salespers_purch_code": "salesperson_purchaser_code",
             "sequence_no": "sequence", "group_code": "code"}


@attrs.frozen
class SetupReport:
    """How many rows of each kind an organisation setup wrote (each replaces the row it names)."""

    users: int
    groups: int
    members: int
    notification_setups: int
    smtp: int


def _bad(where: str, msg: str) -> ApprovalError:
    return ApprovalError("WF616", f"{where}: {msg}")


def _check_keys(where: str, table: Mapping[str, Any], allowed: set[str]) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise _bad(where, f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")


def _str(where: str, table: Mapping[str, Any], key: str, default: str = "", upper: bool = False) -> str:
    v = table.get(key, default)
    if not isinstance(v, str):
        raise _bad(where, f"{key} must be text, not {v!r}")
    return v.upper() if upper else v


def _bool(where: str, table: Mapping[str, Any], key: str) -> bool:
    v = table.get(key, False)
    if not isinstance(v, bool):
        raise _bad(where, f"{key} must be true or false, not {v!r}")
    return v


def _money(where: str, table: Mapping[str, Any], key: str) -> Decimal:
    v = table.get(key, 0)
    if isinstance(v, bool) or not isinstance(v, int | str | float):
        raise _bad(where, f"{key} must be an amount, not {v!r}")
    try:
        amount = to_decimal(v)
    except ValueError as exc:
        raise _bad(where, f"{key}: {exc}") from exc
    if not amount.is_finite() or abs(amount) >= MAX_AMOUNT:
        raise _bad(where, f"{key} must be an amount below {MAX_AMOUNT:,} (no limit: unlimited_... = true)")
    if amount < 0:
        raise _bad(where, f"{key} must not be negative")
    return amount


def _fits(where: str, row: Any, keys: Mapping[str, str] = FILE_KEYS) -> None:
    """Refuse a value its database column cannot hold (PostgreSQL would refuse it only when written)."""
    for col in row.__table__.columns:
        v = getattr(row, col.key)
        key = keys.get(col.key, col.key)
        length = getattr(col.type, "length", None)
        if isinstance(v, str):
            why = text_problem(v, length)  # too long, a NUL, an unpaired surrogate (catalogue/kinds.py)
            if why is not None:
                raise _bad(where, f"{key} {why}")
        elif isinstance(v, int) and not isinstance(v, bool) and not -MAX_INT <= v < MAX_INT:
            raise _bad(where, f"{key} {v} is too large")


def _list(where: str, data: Mapping[str, Any], key: str) -> Sequence[Mapping[str, Any]]:
    v = data.get(key, [])
    if not isinstance(v, list) or not all(isinstance(x, dict) for x in v):
        raise _bad(where, f"{key} must be a list of tables ([[{key}]])")
    return v


def _user(i: int, t: Mapping[str, Any]) -> ApprovalUserSetup:
    where = f"users[{i}]"
    _check_keys(where, t, USER_KEYS)
    uid = _str(where, t, "id", upper=True)
    if not uid:
        raise _bad(where, "id is required")
    where = f"user {uid}"
    tz = _str(where, t, "time_zone", "UTC")
    try:
        zoneinfo.ZoneInfo(tz)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise _bad(where, f"unknown time zone {tz!r}") from exc
    approver = _str(where, t, "approver", upper=True)
    language = _str(where, t, "language", "en").lower()
    if language not in LANGUAGES:
        raise _bad(where, f"language must be one of {', '.join(LANGUAGES)} (English, Dutch), "
                          f"not {t['language']!r}")
    row = ApprovalUserSetup(
        user_id=uid,
        approver_id=approver,
        salespers_purch_code=_str(where, t, "salesperson_purchaser_code", upper=True),
        sales_amount_approval_limit=_money(where, t, "sales_limit"),
        unlimited_sales_approval=_bool(where, t, "unlimited_sales"),
        purchase_amount_approval_limit=_money(where, t, "purchase_limit"),
        unlimited_purchase_approval=_bool(where, t, "unlimited_purchase"),
        request_amount_approval_limit=_money(where, t, "request_limit"),
        unlimited_request_approval=_bool(where, t, "unlimited_request"),
        substitute=_str(where, t, "substitute", upper=True),
        email=_str(where, t, "email"),
        approval_administrator=_bool(where, t, "administrator"),
        time_zone=tz,
        language=language,
    )
    _fits(where, row)
    return row


def _time(where: str, text: str) -> str:
    try:
        parsed = dt.time.fromisoformat(text)
    except ValueError as exc:
        raise ApprovalError("WF622", f"{where}: time {text!r} is not HH:MM") from exc
    return parsed.strftime("%H:%M")


def notification_row(where: str, t: Mapping[str, Any]) -> NotificationSetup:
    """A NotificationSetup row from one ``[[notifications]]`` table (also used by tests and the CLI)."""
    _check_keys(where, t, NOTIFY_KEYS)
    types = {normalize_enum(x): x for x in ENTRY_TYPES}
    methods = {normalize_enum(x): x for x in METHODS}
    recurrences = {normalize_enum(x): x for x in RECURRENCES}

    def pick(key: str, table: dict[str, str], default: str) -> str:
        raw = _str(where, t, key, default)
        found = table.get(normalize_enum(raw))
        if found is None:
            raise ApprovalError("WF622", f"{where}: {key} {raw!r} is not one of {', '.join(table.values())}")
        return found

    weekdays = t.get("weekdays", ["mon", "tue", "wed", "thu", "fri"])
    if not isinstance(weekdays, list) or not all(isinstance(d, str) for d in weekdays):
        raise ApprovalError("WF622", f"{where}: weekdays must be a list like [\"mon\", \"thu\"]")
    flags = ["0"] * 7
    for d in weekdays:
        key = d.lower()[:3]
        if key not in WEEKDAYS:
            raise ApprovalError("WF622", f"{where}: unknown weekday {d!r}")
        flags[WEEKDAYS.index(key)] = "1"
    recurrence = pick("schedule", recurrences, "Instantly")
    if recurrence == "Weekly" and "1" not in flags:
        raise ApprovalError("WF622", f"{where}: a weekly schedule needs at least one weekday")
    monthly = pick("monthly", {"firstworkday": "First Workday", "lastworkday": "Last Workday",
                               "custom": "Custom"}, "First Workday")
    day = t.get("day", 1)
    if isinstance(day, bool) or not isinstance(day, int) or not 1 <= day <= 31:
        raise ApprovalError("WF622", f"{where}: day must be a day of the month 1..31")
    if "day" in t and "monthly" not in t:
        monthly = "Custom"
    freq = pick("daily_frequency", {"weekday": "Weekday", "daily": "Daily"}, "Weekday")
    row = NotificationSetup(
        user_id=_str(where, t, "user", upper=True),
        entry_type=pick("type", types, "Approval"),
        method=pick("method", methods, "Email"),
        recurrence=recurrence,
        time_of_day=_time(where, _str(where, t, "time", "12:00")),
        daily_frequency=freq,
        weekdays="".join(flags),
        monthly_date=monthly,
        monthly_day=day,
    )
    _fits(where, row, {"user_id": "user"})
    return row


def _smtp(where: str, t: Mapping[str, Any]) -> SmtpSettings:
    for forbidden in ("password", "username", "user"):
        if forbidden in t:
            raise _bad(where, f"{forbidden}: credentials may not be written in the file; put them in "
                              "environment variables and name those with username_env / password_env")
    _check_keys(where, t, SMTP_KEYS)
    host = _str(where, t, "host")
    if not host:
        raise _bad(where, "host is required")
    port = t.get("port", 25)
    if isinstance(port, bool) or not isinstance(port, int) or not 0 < port < 65536:
        raise _bad(where, f"port must be 1..65535, not {port!r}")
    timeout = t.get("timeout_seconds", 10)
    if isinstance(timeout, bool) or not isinstance(timeout, int) or timeout <= 0:
        raise _bad(where, "timeout_seconds must be a positive whole number")
    envs = {k: _str(where, t, k) for k in ("username_env", "password_env")}
    for k, v in envs.items():
        if v and not _ENV_NAME.fullmatch(v):
            raise _bad(where, f"{k} must be an environment variable name, not {v!r}")
    sender = _str(where, t, "sender")
    if "@" not in sender:
        raise _bad(where, "sender must be an e-mail address")
    row = SmtpSettings(name=_str(where, t, "name", "default") or "default", host=host, port=port,
                       starttls=_bool(where, t, "starttls"), ssl=_bool(where, t, "ssl"), sender=sender,
                       username_env=envs["username_env"], password_env=envs["password_env"],
                       timeout_seconds=timeout)
    _fits(where, row)
    return row


def load_setup(uow: UnitOfWork, data: Mapping[str, Any]) -> SetupReport:
    """Validate ``data`` (a parsed organisation file) and write it (see module docstring)."""
    _check_keys("organisation file", data, TOP_KEYS)
    users = [_user(i, t) for i, t in enumerate(_list("organisation file", data, "users"))]
    ids = [u.user_id for u in users]
    dupes = sorted({u for u in ids if ids.count(u) > 1})
    if dupes:
        raise _bad("users", f"user(s) listed twice: {', '.join(dupes)}")
    groups: list[tuple[WorkflowUserGroup, list[WorkflowUserGroupMember]]] = []
    for i, g in enumerate(_list("organisation file", data, "groups")):
        group = _group(f"groups[{i}]", g)
        if any(grp.code == group[0].code for grp, _ in groups):
            raise _bad(f"groups[{i}]", f"group {group[0].code} is listed twice")
        groups.append(group)
        _fits(f"groups[{i}]", group[0])
    notifications = [notification_row(f"notifications[{i}]", t)
                     for i, t in enumerate(_list("organisation file", data, "notifications"))]
    smtp = _smtp_rows(data.get("smtp"))
    for what, keys in (("notification setup", [(n.user_id or "(every user)", n.entry_type)
                                               for n in notifications]),
                       ("SMTP settings", [(s.name, "") for s in smtp])):
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            raise _bad(what, f"listed twice: {', '.join(' '.join(k).strip() for k in twice)}")
    _check_one_administrator(uow, users)

    session = uow.session
    for u in users:
        session.merge(u)
    for grp, members in groups:
        session.merge(grp)
        session.execute(delete(WorkflowUserGroupMember).where(WorkflowUserGroupMember.group_code == grp.code))
        for m in members:
            session.add(m)
    for n in notifications:
        session.merge(n)
    for s in smtp:
        session.merge(s)
    session.flush()
    forget_setups(uow)  # the unit of work reads the new setup when next needed
    return SetupReport(len(users), len(groups), sum(len(m) for _, m in groups), len(notifications), len(smtp))


def _group(where: str, g: Any) -> tuple[WorkflowUserGroup, list[WorkflowUserGroupMember]]:
    """One ``[[groups]]`` table: the group and its members, sequence numbers filled in as BC does."""
    _check_keys(where, g, GROUP_KEYS)
    code = _str(where, g, "code", upper=True)
    if not code:
        raise _bad(where, "code is required")
    members_raw = g.get("members", [])
    if not isinstance(members_raw, list):
        raise _bad(f"group {code}", "members must be a list")
    members: list[WorkflowUserGroupMember] = []
    last = 0
    for j, m in enumerate(members_raw):
        mw = f"group {code} member {j + 1}"
        if isinstance(m, str):
            m = {"user": m}
        if not isinstance(m, dict):
            raise _bad(mw, "a member is a user id or {user = ..., sequence = N}")
        _check_keys(mw, m, MEMBER_KEYS)
        seq = m.get("sequence", 0)
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 0:
            raise _bad(mw, "sequence must be a whole number >= 1 (0 or absent: previous + 1)")
        seq = seq or last + 1  # BC: a member's Sequence No. defaults to the last one + 1
        last = max(last, seq)
        uid = _str(mw, m, "user", upper=True)
        if not uid:
            raise _bad(mw, "user is required")
        if any(x.user_id == uid for x in members):
            raise _bad(mw, f"user {uid} is listed twice in the group")
        members.append(WorkflowUserGroupMember(group_code=code, user_id=uid, sequence_no=seq))
        _fits(mw, members[-1], {**FILE_KEYS, "user_id": "user"})
    return WorkflowUserGroup(code=code, description=_str(where, g, "description")), members


def _smtp_rows(smtp_raw: Any) -> list[SmtpSettings]:
    """The ``[smtp]`` table or ``[[smtp]]`` tables (none when absent)."""
    if isinstance(smtp_raw, dict):
        return [_smtp("smtp", smtp_raw)]
    if isinstance(smtp_raw, list) and all(isinstance(t, dict) for t in smtp_raw):
        return [_smtp(f"smtp[{i}]", t) for i, t in enumerate(smtp_raw)]
    if smtp_raw is not None:
        raise _bad("smtp", "must be a table ([smtp]) or a list of tables ([[smtp]])")
    return []


def _check_one_administrator(uow: UnitOfWork, users: list[ApprovalUserSetup]) -> None:
    """At most one approval administrator, in the file and among the users it does not list (WF617)."""
    admins_in_file = [u.user_id for u in users if u.approval_administrator]
    if len(admins_in_file) > 1:
        raise ApprovalError("WF617", f"only one approval administrator is allowed; the file names "
                                     f"{', '.join(admins_in_file)}")
    if admins_in_file:
        other = uow.session.scalars(select(ApprovalUserSetup.user_id).where(
            ApprovalUserSetup.approval_administrator.is_(True),
            ApprovalUserSetup.user_id.not_in([u.user_id for u in users]))).first()
        if other is not None:
            raise ApprovalError("WF617", f"{admins_in_file[0]} cannot be approval administrator: {other} "
                                         "already is")


def load_file(uow: UnitOfWork, path: str | Path) -> SetupReport:
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ApprovalError("WF616", f"{p}: not valid TOML: {exc}") from exc
    except UnicodeDecodeError as exc:
        raise ApprovalError("WF616", f"{p}: not UTF-8 text (at byte {exc.start}); save it as UTF-8") from exc
    except RecursionError as exc:
        raise ApprovalError("WF616", f"{p}: not valid TOML: nested too deeply") from exc
    except OSError as exc:
        raise ApprovalError("WF616", f"{p}: cannot read the file: {exc.strerror}") from exc
    return load_setup(uow, data)
