from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from bot.kommune import Kommune, OpeningHours

ROOT = Path(__file__).resolve().parent.parent
# Placeholders that depend on the day: this week's exceptions to the opening hours.
DATED = {"apningstider_avvik"}


@pytest.mark.parametrize("path", [ROOT / "kommune.yml", ROOT / "tests" / "fixtures" / "kommune-annen.yml"])
def test_a_kommune_file_loads_with_every_placeholder(path: Path) -> None:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    kommune = Kommune.load(path)
    values = kommune.placeholders()
    assert values["kommune"] == raw["navn"]
    assert values["telefon"] == raw["servicekontor"]["telefon"]
    assert values["apningstider"] == OpeningHours.parse(raw["servicekontor"]["apningstider"]).as_text("nb")
    # This week's exceptions to the opening hours are empty in a week without any.
    assert all(value for key, value in values.items() if key not in DATED)


def test_the_second_kommune_file_shares_no_value_with_the_shipped_one() -> None:
    """`tests/fixtures/kommune-annen.yml` catches a test that expects the example's facts."""
    shipped = Kommune.load(ROOT / "kommune.yml").placeholders()
    other = Kommune.load(ROOT / "tests" / "fixtures" / "kommune-annen.yml").placeholders()
    assert shipped.keys() == other.keys()
    assert [key for key in shipped if shipped[key] == other[key] and key not in DATED] == []


def test_opening_hours_group_days_and_know_when_open() -> None:
    hours = OpeningHours.parse({"mandag": "08:00-15:30", "tirsdag": "08:00-15:30", "torsdag": "10:00-18:00"})
    assert hours.as_text() == "mandag til tirsdag kl. 08.00–15.30 og torsdag kl. 10.00–18.00"
    assert hours.is_open(dt.datetime(2026, 11, 23, 9, 0))  # a Monday
    assert not hours.is_open(dt.datetime(2026, 11, 25, 9, 0))  # Wednesday: closed
    assert not hours.is_open(dt.datetime(2026, 11, 23, 15, 30))


def test_unknown_weekday_is_refused() -> None:
    with pytest.raises(ValueError):
        OpeningHours.parse({"fredagskveld": "08:00-15:30"})
