"""The service office's opening hours as they are on a given day: the week's hours from
`kommune.yml`, Norwegian public holidays (closed; from the kept `holidays` library), the
municipality's own special days (julaften, romjul …) and summer hours.

The same calendar answers «har dere åpent i morgen?» (the `{apningstider_avvik}` placeholder
names the days in the coming week that differ from the usual hours), decides whether a staff
member can be offered for live chat, and counts a ticket's working days in the desk.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import holidays

OFFICE_TZ = ZoneInfo("Europe/Oslo")
WEEKDAYS = ["mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag", "søndag"]
CLOSED = "stengt"
Span = tuple[dt.time, dt.time]

# How opening hours read in each language the chat answers in (nb, nn, en).
DAY_NAMES = {
    "nb": WEEKDAYS,
    "nn": ["måndag", "tysdag", "onsdag", "torsdag", "fredag", "laurdag", "sundag"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
_MONTHS = {
    "nb": [
        "januar",
        "februar",
        "mars",
        "april",
        "mai",
        "juni",
        "juli",
        "august",
        "september",
        "oktober",
        "november",
        "desember",
    ],
    "en": [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ],
}
_MONTHS["nn"] = _MONTHS["nb"]
_HOURS_WORDS = {
    "nb": {"to": "til", "at": "kl. ", "and": "og", "none": "etter avtale"},
    "nn": {"to": "til", "at": "kl. ", "and": "og", "none": "etter avtale"},
    "en": {"to": "to", "at": "", "and": "and", "none": "by appointment"},
}
_DEVIATION = {
    "nb": {"today": "I dag", "tomorrow": "I morgen", "closed": "er kontoret stengt", "open": "har kontoret åpent"},
    "nn": {"today": "I dag", "tomorrow": "I morgon", "closed": "er kontoret stengt", "open": "har kontoret ope"},
    "en": {"today": "Today", "tomorrow": "Tomorrow", "closed": "the office is closed", "open": "the office is open"},
}
# The `holidays` library names Norwegian holidays in bokmål («no») and English; nynorsk uses bokmål.
_HOLIDAY_LANGUAGE = {"nb": "no", "nn": "no", "en": "en_US"}


def _clock(text: str) -> dt.time:
    """«08:00»; «24:00» is the end of the day (a service open around the clock)."""
    text = text.strip()
    return dt.time.max if text == "24:00" else dt.time.fromisoformat(text)


def _span(text: str) -> Span | None:
    """«08:00-15:30» → the span; «stengt» → None (closed)."""
    if str(text).strip().lower() == CLOSED:
        return None
    start, end = (_clock(part) for part in str(text).split("-"))
    return start, end


def local_today() -> dt.date:
    """Today at the office."""
    return dt.datetime.now(OFFICE_TZ).date()


@lru_cache(maxsize=32)
def _holidays(year: int, language: str) -> dict[dt.date, str]:
    return dict(holidays.Norway(years=year, language=_HOLIDAY_LANGUAGE[language]))


@dataclass(frozen=True)
class SpecialDay:
    """A day with other hours than usual: «MM-DD» every year, or «YYYY-MM-DD» once."""

    month: int
    day: int
    year: int | None
    span: Span | None

    def matches(self, date: dt.date) -> bool:
        return (date.month, date.day) == (self.month, self.day) and self.year in (None, date.year)


@dataclass(frozen=True)
class OpeningHours:
    """Opening hours per weekday (0 = Monday; a missing day is closed), with holidays and exceptions."""

    by_weekday: dict[int, Span] = field(default_factory=dict)
    special_days: tuple[SpecialDay, ...] = ()
    summer: tuple[tuple[int, int], tuple[int, int], Span] | None = None  # (from MM-DD, to MM-DD, hours)

    @classmethod
    def parse(
        cls, raw: dict[str, str] | None, special: dict[str, str] | None = None, summer: Any = None
    ) -> OpeningHours:
        """From kommune.yml: `apningstider`, `avvik` and `sommertid` (see the file's comments)."""
        by_weekday: dict[int, Span] = {}
        for day, text in (raw or {}).items():
            if day not in WEEKDAYS:
                raise ValueError(f"Ukjent ukedag i apningstider: {day!r}")
            span = _span(text)
            if span:
                by_weekday[WEEKDAYS.index(day)] = span
        days = []
        for when, text in (special or {}).items():
            try:
                parts = [int(p) for p in str(when).split("-")]
                year, (month, day) = (parts[0] if len(parts) == 3 else None), parts[-2:]
                dt.date(year or 2000, month, day)  # a date that exists (29 February too)
            except ValueError as error:
                raise ValueError(f"Ukjent dato i avvik: {when!r} (skriv MM-DD eller ÅÅÅÅ-MM-DD)") from error
            days.append(SpecialDay(month, day, year, _span(text)))
        summer_hours = None
        if summer:
            start = tuple(int(p) for p in str(summer["fra"]).split("-"))
            end = tuple(int(p) for p in str(summer["til"]).split("-"))
            summer_hours = (start, end, _span(summer["tider"]))
        return cls(by_weekday, tuple(days), summer_hours)  # type: ignore[arg-type]

    def holiday(self, date: dt.date, language: str = "nb") -> str | None:
        """The public holiday's name, or None."""
        return _holidays(date.year, language).get(date)

    def hours_on(self, date: dt.date) -> Span | None:
        """The hours that day, or None when the office is closed.

        A special day that closes applies always; one with other hours applies on a day the office
        is usually open (romjul's hours do not open it on a Sunday), unless it names its year.
        """
        usual = self.by_weekday.get(date.weekday())
        holiday = self.holiday(date)
        for special in self.special_days:
            if special.matches(date) and (special.span is None or special.year or (usual and not holiday)):
                return special.span
        if holiday:
            return None
        if usual and self.in_summer(date):
            return self.summer[2]  # type: ignore[index]
        return usual

    def in_summer(self, date: dt.date) -> bool:
        return bool(self.summer) and self.summer[0] <= (date.month, date.day) <= self.summer[1]  # type: ignore[index]

    def is_open(self, when: dt.datetime) -> bool:
        span = self.hours_on(when.date())
        return span is not None and span[0] <= when.time() < span[1]

    def is_working_day(self, date: dt.date) -> bool:
        return self.hours_on(date) is not None

    def as_text(self, language: str = "nb") -> str:
        """The usual week, e.g. «mandag til fredag kl. 08.00–15.30»; days with equal hours are grouped."""
        language = language if language in DAY_NAMES else "en"
        names, words = DAY_NAMES[language], _HOURS_WORDS[language]
        groups: list[tuple[int, int, Span]] = []
        for day in sorted(self.by_weekday):
            span = self.by_weekday[day]
            if groups and groups[-1][1] == day - 1 and groups[-1][2] == span:
                groups[-1] = (groups[-1][0], day, span)
            else:
                groups.append((day, day, span))
        parts = []
        for first, last, (start, end) in groups:
            days = names[first] if first == last else f"{names[first]} {words['to']} {names[last]}"
            parts.append(f"{days} {words['at']}{start:%H.%M}–{end:%H.%M}")
        if not parts:
            return words["none"]
        return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" {words['and']} " + parts[-1]

    def deviations(self, today: dt.date | None = None, language: str = "nb", days: int = 7) -> str:
        """Sentences on the coming week's days whose hours differ from the usual week (empty: none).

        «I morgen, mandag 17. mai (Grunnlovsdag), er kontoret stengt.» Summer hours are one sentence.
        """
        today = today or local_today()
        language = language if language in DAY_NAMES else "en"
        sentences = []
        window = [today + dt.timedelta(days=offset) for offset in range(days)]
        summer = next((date for date in window if self.in_summer(date) and self.by_weekday.get(date.weekday())), None)
        if summer:
            sentences.append(self._summer(language))
        for offset, date in enumerate(window):
            span, usual = self.hours_on(date), self.by_weekday.get(date.weekday())
            if usual and self.in_summer(date):
                usual = self.summer[2]  # type: ignore[index]
            if span != usual:
                sentences.append(self._deviation(date, offset, span, language))
        return " ".join(sentences)

    def _summer(self, language: str) -> str:
        (from_month, from_day), (to_month, to_day), span = self.summer  # type: ignore[misc]
        months = _MONTHS[language]
        hours = f"{_HOURS_WORDS[language]['at']}{span[0]:%H.%M}–{span[1]:%H.%M}" if span else ""
        if language == "en":
            return f"Summer hours from {from_day} {months[from_month - 1]} to {to_day} {months[to_month - 1]}: {hours}."
        summer, since = ("Sommartid", "frå") if language == "nn" else ("Sommertid", "fra")
        return f"{summer} {since} {from_day}. {months[from_month - 1]} til {to_day}. {months[to_month - 1]}: {hours}."

    def _deviation(self, date: dt.date, offset: int, span: Span | None, language: str) -> str:
        words = _DEVIATION[language]
        months = _MONTHS[language]
        day = f"{DAY_NAMES[language][date.weekday()]} {date.day}. {months[date.month - 1]}"
        if language == "en":
            day = f"{DAY_NAMES['en'][date.weekday()]} {date.day} {months[date.month - 1]}"
        holiday = self.holiday(date, language)
        if holiday:
            day += f" ({holiday})"
        hours = f"{_HOURS_WORDS[language]['at']}{span[0]:%H.%M}–{span[1]:%H.%M}" if span else ""
        state = f"{words['open']} {hours}" if span else words["closed"]
        if language == "en":
            when = {0: f"{words['today']}, {day}", 1: f"{words['tomorrow']}, {day}"}.get(offset, day)
            return f"{when}: {state}."
        if offset in (0, 1):
            return f"{words['today' if offset == 0 else 'tomorrow']}, {day}, {state}."
        return f"{day[0].upper()}{day[1:]} {state}."
