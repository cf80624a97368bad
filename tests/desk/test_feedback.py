"""The citizens' 👍 / 👎 on topic answers: the votes in the statistics, a 👎 on the review list."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

from bot import accounts
from bot.answers import feedback, review
from bot.cases.models import utcnow
from bot.cases.retention import apply_retention
from tests.desk.conftest import Desk, Events

pytestmark = pytest.mark.asyncio


def _text(page: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _answered(events: Events, sender: str, question: str, key: str, at: dt.datetime, language: str = "nb") -> None:
    """The citizen asked, and the bot gave the library's answer `key` (as bot/nlg.py marks it)."""
    events.add(sender, SlotSet("language", language), at)
    events.said(sender, question, at)
    topic = f"faq/{key}"
    metadata = {"utter_action": "utter_faq", "topic_key": topic, "rated_answer": topic}
    events.add(sender, BotUttered("…", {}, metadata), at + dt.timedelta(seconds=1))


def _voted(events: Events, sender: str, vote: str, key: str | None, at: dt.datetime) -> None:
    """A tap on 👍 / 👎 (with the answer in the payload), or the vote typed (`key` None)."""
    entities = [{"entity": "feedback_vote", "value": vote}]
    if key:
        entities.append({"entity": "feedback_answer", "value": f"faq/{key}"})
    values = {e["entity"]: e["value"] for e in entities}
    text = f"/feedback{json.dumps(values)}" if key else ("👍" if vote == "up" else "👎")
    events.add(sender, UserUttered(text, {"name": "feedback", "confidence": 1.0}, entities), at)


async def test_a_thumbs_down_puts_the_question_on_the_review_list_and_a_thumbs_up_does_not(
    desk: Desk, events: Events, editor: accounts.StaffView
) -> None:
    now = utcnow()
    _answered(events, "c1", "hvor legger jeg snekka mi", "boat_berth", now - dt.timedelta(minutes=9))
    _voted(events, "c1", "down", "boat_berth", now - dt.timedelta(minutes=8))
    _answered(events, "c2", "hva koster båtplass", "boat_berth", now - dt.timedelta(minutes=7))
    _voted(events, "c2", "up", "boat_berth", now - dt.timedelta(minutes=6))
    # Changed their mind: the latest vote counts.
    _answered(events, "c3", "når begynner kulturskolen", "culture_school", now - dt.timedelta(minutes=5))
    _voted(events, "c3", "down", "culture_school", now - dt.timedelta(minutes=4))
    _voted(events, "c3", "up", "culture_school", now - dt.timedelta(minutes=3))
    # A vote on an answer this conversation never got does not count.
    _answered(events, "c5", "når er biblioteket åpent", "library", now - dt.timedelta(minutes=2))
    _voted(events, "c5", "down", "culture_school", now - dt.timedelta(minutes=1))
    # Typed, in English: about the answer just given.
    _answered(events, "c4", "where do I keep my boat", "boat_berth", now - dt.timedelta(minutes=2), language="en")
    _voted(events, "c4", "down", None, now - dt.timedelta(minutes=1))

    items = {item.text: item for item in review.pending()}
    assert set(items) == {"hvor legger jeg snekka mi", "where do I keep my boat"}
    assert "👎" in items["hvor legger jeg snekka mi"].why and "«Båtplass»" in items["hvor legger jeg snekka mi"].why
    assert items["where do I keep my boat"].language == "en"

    client = await desk.login("rita")
    shown = _text((await client.get("/svar/gjennomgang")).text)
    assert "hvor legger jeg snekka mi" in shown and "Innbyggeren svarte «Nei» (👎) etter svaret «Båtplass»" in shown
    assert "hva koster båtplass" not in shown and "når begynner kulturskolen" not in shown


async def test_a_vote_on_an_earlier_answer_puts_that_answers_question_on_the_list(
    desk: Desk, events: Events, editor: accounts.StaffView
) -> None:
    now = utcnow() - dt.timedelta(minutes=10)
    _answered(events, "c1", "hvor legger jeg snekka mi", "boat_berth", now)
    _answered(events, "c1", "når begynner kulturskolen", "culture_school", now + dt.timedelta(minutes=1))
    _voted(events, "c1", "down", "boat_berth", now + dt.timedelta(minutes=2))
    [item] = review.pending()
    assert item.text == "hvor legger jeg snekka mi" and "«Båtplass»" in item.why


async def test_the_statistics_show_the_share_of_thumbs_up_per_answer_and_theme(
    desk: Desk, events: Events, editor: accounts.StaffView
) -> None:
    now = utcnow() - dt.timedelta(minutes=30)
    for number, vote in enumerate(["up", "up", "up", "down"]):
        _answered(events, f"b{number}", "båtplass", "boat_berth", now + dt.timedelta(minutes=number))
        _voted(events, f"b{number}", vote, "boat_berth", now + dt.timedelta(minutes=number, seconds=5))
    _answered(events, "k1", "kulturskole", "culture_school", now)
    _voted(events, "k1", "down", "culture_school", now + dt.timedelta(seconds=5))
    _answered(events, "k1", "kulturskole pris", "culture_school", now + dt.timedelta(minutes=1))
    _voted(events, "k1", "down", "culture_school", now + dt.timedelta(minutes=1, seconds=5))  # the same vote again

    shares = feedback.shares(now - dt.timedelta(hours=1), utcnow())
    per_answer = {s.key: (s.up, s.down) for s in shares.per_answer}
    assert per_answer == {"boat_berth": (3, 1), "culture_school": (0, 1)}
    assert shares.per_answer[0].key == "culture_school"  # the answer with 👎 and no 👍 first
    [theme] = shares.per_theme
    assert (theme.name, theme.up, theme.down, round(theme.share, 2)) == ("Kultur og fritid", 3, 2, 0.6)

    admin = await desk.login("admin")
    shown = _text((await admin.get("/admin/statistikk")).text)
    assert "Kultur og fritid 3 2 60 %" in shown
    assert "Båtplass 3 1 75 %" in shown and "Kulturskolen 0 1 0 %" in shown

    # The same for the municipality's own dashboards, through the JSON API.
    response = await desk.api(accounts.create_api_token("admin"), "GET", "/api/v1/admin/stats")
    ratings = response.json()["ratings"]
    assert ratings["per_theme"] == [{"name": "Kultur og fritid", "up": 3, "down": 2, "share_up": 0.6}]
    assert ratings["per_answer"][1] == {
        "answer": "boat_berth",
        "name": "Båtplass",
        "up": 3,
        "down": 1,
        "share_up": 0.75,
    }


async def test_votes_leave_with_the_conversation_after_the_retention_period(
    desk: Desk, events: Events, editor: accounts.StaffView
) -> None:
    old = utcnow() - dt.timedelta(days=400)
    _answered(events, "old", "hvor legger jeg snekka mi", "boat_berth", old)
    _voted(events, "old", "down", "boat_berth", old + dt.timedelta(seconds=5))
    assert feedback.shares(old - dt.timedelta(days=1), utcnow()).votes == 1
    apply_retention()
    assert feedback.shares(old - dt.timedelta(days=1), utcnow()).votes == 0
    assert review.pending() == []
