from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bot.kommune import Kommune, OpeningHours

ROOT = Path(__file__).resolve().parent.parent


def test_shipped_kommune_file_loads_with_every_placeholder() -> None:
    kommune = Kommune.load(ROOT / "kommune.yml")
    values = kommune.placeholders()
    assert values["kommune"] == "Sandnes kommune"
    assert values["apningstider"] == "mandag til fredag kl. 08.00–15.30"
    assert all(values.values())


def test_opening_hours_group_days_and_know_when_open() -> None:
    hours = OpeningHours.parse({"mandag": "08:00-15:30", "tirsdag": "08:00-15:30", "torsdag": "10:00-18:00"})
    assert hours.as_text() == "mandag til tirsdag kl. 08.00–15.30 og torsdag kl. 10.00–18.00"
    assert hours.is_open(dt.datetime(2026, 11, 23, 9, 0))  # a Monday
    assert not hours.is_open(dt.datetime(2026, 11, 25, 9, 0))  # Wednesday: closed
    assert not hours.is_open(dt.datetime(2026, 11, 23, 15, 30))


def test_unknown_weekday_is_refused() -> None:
    with pytest.raises(ValueError):
        OpeningHours.parse({"fredagskveld": "08:00-15:30"})
