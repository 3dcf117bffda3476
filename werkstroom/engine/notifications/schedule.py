"""When a recipient wants a notification: BC's Notification Schedule, in the recipient's time zone.

* Instantly: as soon as the entry exists.
* Daily at ``time_of_day``: every day (frequency Daily) or Monday-Friday (frequency Weekday).
* Weekly at ``time_of_day`` on the ticked weekdays.
* Monthly at ``time_of_day`` on the first workday, the last workday, or a custom day (clamped to the
  month's last day).

``due_at(setup, created_at, tz)`` is the first scheduled moment at or after ``created_at``: an entry is
delivered by the first dispatcher run at or after that moment.
"""

from __future__ import annotations

import calendar
import datetime as dt
import zoneinfo

from ...store.notifications import NotificationSetup


def _tz(name: str) -> dt.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name or "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return dt.UTC


def _day_matches(setup: NotificationSetup, day: dt.date) -> bool:
    rec = setup.recurrence
    if rec == "Daily":
        return setup.daily_frequency == "Daily" or day.weekday() < 5
    if rec == "Weekly":
        return setup.weekdays[day.weekday()] == "1"
    if rec == "Monthly":
        last = calendar.monthrange(day.year, day.month)[1]
        if setup.monthly_date == "Custom":
            return day.day == min(setup.monthly_day, last)
        workdays = [d for d in range(1, last + 1) if dt.date(day.year, day.month, d).weekday() < 5]
        target = workdays[0] if setup.monthly_date == "First Workday" else workdays[-1]
        return day.day == target
    return True


def due_at(setup: NotificationSetup | None, created_at: dt.datetime, time_zone: str = "UTC") -> dt.datetime:
    """The moment (UTC) an entry created at ``created_at`` becomes deliverable."""
    if setup is None or setup.recurrence == "Instantly":
        return created_at
    tz = _tz(time_zone)
    local = created_at.astimezone(tz)
    hh, mm = (int(x) for x in setup.time_of_day.split(":"))
    day = local.date()
    for _ in range(400):
        if _day_matches(setup, day):
            moment = dt.datetime(day.year, day.month, day.day, hh, mm, tzinfo=tz)
            if moment >= local:
                return moment.astimezone(dt.UTC)
        day += dt.timedelta(days=1)
    raise ValueError(f"schedule {setup.recurrence} never fires")  # pragma: no cover - guarded by setup checks
