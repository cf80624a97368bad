"""The office's working days (from the opening hours in kommune.yml) and when a ticket is due:
after one working day."""

from __future__ import annotations

import datetime as dt

from bot.cases.models import as_utc
from bot.cases.vocabulary import LOCAL_TZ
from bot.kommune import OpeningHours, get_kommune


def _working_days(hours: OpeningHours) -> set[int]:
    return set(hours.by_weekday) or {0, 1, 2, 3, 4}


def _next_working_day(day: dt.date, working: set[int]) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() not in working:
        day += dt.timedelta(days=1)
    return day


def due_at(created: dt.datetime, hours: OpeningHours | None = None) -> dt.datetime:
    """When a ticket has waited one working day: the same clock time on the next working day.

    A ticket that arrives on a day the office is closed starts counting when it next opens.
    Working days are the days with opening hours in kommune.yml (public holidays are not known).
    """
    hours = hours or get_kommune().opening_hours
    working = _working_days(hours)
    local = as_utc(created).astimezone(LOCAL_TZ)
    if local.weekday() not in working:
        day = _next_working_day(local.date(), working)
        opens = hours.by_weekday.get(day.weekday(), (dt.time(8, 0), dt.time(16, 0)))[0]
        local = dt.datetime.combine(day, opens, LOCAL_TZ)
    due_day = _next_working_day(local.date(), working)
    return dt.datetime.combine(due_day, local.time().replace(tzinfo=None), LOCAL_TZ)
