"""When a ticket is due: after one working day of the office (bot/opening_hours.py: the week's
hours from kommune.yml, public holidays and the municipality's special days)."""

from __future__ import annotations

import datetime as dt

from bot.cases.models import as_utc
from bot.cases.vocabulary import LOCAL_TZ
from bot.kommune import OpeningHours, get_kommune

# Without opening hours in kommune.yml («etter avtale»), working days are Monday to Friday.
OFFICE_WEEK = OpeningHours.parse({day: "08:00-16:00" for day in ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")})
MAX_CLOSED_DAYS = 30  # special days that close the office for longer still give an answer


def _next_working_day(day: dt.date, hours: OpeningHours) -> dt.date:
    for _ in range(MAX_CLOSED_DAYS):
        day += dt.timedelta(days=1)
        if hours.is_working_day(day):
            return day
    return day


def due_at(created: dt.datetime, hours: OpeningHours | None = None) -> dt.datetime:
    """When a ticket has waited one working day: the same clock time on the next working day.

    A ticket that arrives on a day the office is closed (a weekend, a public holiday, julaften)
    starts counting when it next opens.
    """
    hours = hours or get_kommune().opening_hours
    if not hours.by_weekday:
        hours = OFFICE_WEEK
    local = as_utc(created).astimezone(LOCAL_TZ)
    if not hours.is_working_day(local.date()):
        day = _next_working_day(local.date(), hours)
        opens = (hours.hours_on(day) or (dt.time(8, 0), dt.time(16, 0)))[0]
        local = dt.datetime.combine(day, opens, LOCAL_TZ)
    due_day = _next_working_day(local.date(), hours)
    return dt.datetime.combine(due_day, local.time().replace(tzinfo=None), LOCAL_TZ)
