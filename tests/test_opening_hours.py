"""The office's opening hours as they are on the day (bot/opening_hours.py): public holidays,
the municipality's special days and summer hours, in the answer, the live-chat offer and the
desk's working days."""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet
from rasa.shared.core.trackers import DialogueStateTracker

from bot import opening_hours
from bot.cases import queue
from bot.cases.live import can_offer
from bot.cases.vocabulary import LOCAL_TZ
from bot.kommune import OpeningHours, get_kommune
from bot.nlg import KommuneNLG

ROOT = Path(__file__).resolve().parent.parent
WEEK = {day: "08:00-15:30" for day in ("mandag", "tirsdag", "onsdag", "torsdag", "fredag")}
HOURS = OpeningHours.parse(
    WEEK,
    {"12-24": "stengt", "12-28": "09:00-14:00", "12-27": "09:00-14:00", "2027-06-04": "09:00-12:00"},
    {"fra": "07-01", "til": "08-09", "tider": "08:00-15:00"},
)


def _opening_hours_answer(language: str) -> str:
    domain = Domain.load(str(ROOT / "domain.yml"))
    tracker = DialogueStateTracker.from_events("t", [SlotSet("language", language)], domain.slots)
    response = asyncio.run(KommuneNLG(domain=domain).generate("utter_faq/opening_hours", tracker, "rest"))
    assert response is not None
    return response["text"]


@pytest.mark.parametrize(
    ("language", "closed"),
    [
        ("nb", "I morgen, mandag 17. mai (Andre pinsedag; Grunnlovsdag), er kontoret stengt."),
        ("nn", "I morgon, måndag 17. mai (Andre pinsedag; Grunnlovsdag), er kontoret stengt."),
        ("en", "Tomorrow, Monday 17 May (Constitution Day; Whit Monday): the office is closed."),
    ],
)
def test_the_day_before_17_mai_the_answer_says_closed_tomorrow(
    language: str, closed: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(opening_hours, "local_today", lambda: dt.date(2027, 5, 16))
    answer = _opening_hours_answer(language)
    assert closed in answer and "  " not in answer
    assert get_kommune().opening_hours.as_text(language) in answer


def test_an_ordinary_week_adds_nothing_to_the_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(opening_hours, "local_today", lambda: dt.date(2026, 11, 2))
    usual = get_kommune().opening_hours
    if any(usual.hours_on(dt.date(2026, 11, 2 + n)) != usual.by_weekday.get(n) for n in range(7)):
        pytest.skip("this kommune.yml has special days in that week")
    answer = _opening_hours_answer("nb")
    assert "stengt" not in answer and "  " not in answer


def test_public_holidays_close_the_office_and_special_days_change_its_hours() -> None:
    assert HOURS.hours_on(dt.date(2027, 5, 17)) is None  # Grunnlovsdag, a Monday
    assert HOURS.hours_on(dt.date(2027, 3, 26)) is None  # Langfredag
    assert HOURS.hours_on(dt.date(2026, 12, 24)) is None  # julaften, from kommune.yml
    assert HOURS.hours_on(dt.date(2026, 12, 28)) == (dt.time(9), dt.time(14))  # romjul, a Monday
    assert HOURS.hours_on(dt.date(2026, 12, 27)) is None  # romjul's hours do not open it on a Sunday
    assert HOURS.hours_on(dt.date(2027, 6, 4)) == (dt.time(9), dt.time(12))  # that one day
    assert HOURS.hours_on(dt.date(2028, 6, 2)) == (dt.time(8), dt.time(15, 30))
    assert HOURS.hours_on(dt.date(2027, 7, 14)) == (dt.time(8), dt.time(15))  # summer hours
    assert HOURS.hours_on(dt.date(2027, 7, 17)) is None  # a Saturday stays closed in summer
    assert not HOURS.is_open(dt.datetime(2027, 5, 17, 10, 0)) and HOURS.is_open(dt.datetime(2027, 5, 18, 10, 0))


def test_the_coming_week_names_summer_hours_once() -> None:
    text = HOURS.deviations(dt.date(2027, 7, 5), "nb")
    assert text == "Sommertid fra 1. juli til 9. august: kl. 08.00–15.00."


def test_a_special_day_that_names_no_real_date_is_refused() -> None:
    with pytest.raises(ValueError, match="avvik"):
        OpeningHours.parse(WEEK, {"mai 17": "stengt"})
    with pytest.raises(ValueError):
        OpeningHours.parse(WEEK, {"02-30": "stengt"})


def test_a_ticket_waits_one_working_day_with_holidays_skipped() -> None:
    wednesday = dt.datetime(2027, 5, 5, 10, 0, tzinfo=LOCAL_TZ)  # Thursday 6 May is Kristi himmelfartsdag
    assert queue.due_at(wednesday, HOURS) == dt.datetime(2027, 5, 7, 10, 0, tzinfo=LOCAL_TZ)
    before_christmas = dt.datetime(2026, 12, 23, 12, 0, tzinfo=LOCAL_TZ)  # 24th closed, 25th-27th too
    assert queue.due_at(before_christmas, HOURS) == dt.datetime(2026, 12, 28, 12, 0, tzinfo=LOCAL_TZ)


def test_no_live_chat_is_offered_on_a_public_holiday_in_the_usual_hours(db_url: str) -> None:
    constitution_day = dt.datetime(2027, 5, 17, 10, 0, tzinfo=LOCAL_TZ)
    assert get_kommune().opening_hours.by_weekday.get(0)  # usually open on Mondays
    assert can_offer("socketio", now=constitution_day) is False
