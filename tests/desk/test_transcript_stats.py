"""A ticket's transcript from Rasa's `events` table, and the office's statistics."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa
from rasa.shared.core.events import ActionExecuted

from bot.cases import queue, stats
from bot.cases.states import Status
from bot.cases.transcript import transcript
from bot.db import get_engine
from tests.desk.conftest import Events, make_ticket
from tests.library_db import load_library


def test_transcript_runs_up_to_the_handoff_and_its_answer(events: Events) -> None:
    ticket = make_ticket("a", conversation_id="chat-1")
    t0 = ticket.created_at - dt.timedelta(minutes=3)
    events.said("chat-1", "søpla er ikke hentet", t0)
    events.answered("chat-1", "Hva gjelder saken?", t0 + dt.timedelta(seconds=1))
    events.add("chat-1", ActionExecuted("action_listen"), t0 + dt.timedelta(seconds=2))
    events.said("chat-1", "/affirm", t0 + dt.timedelta(minutes=2), intent="affirm")
    events.answered("chat-1", "Er det greit?", t0 + dt.timedelta(minutes=2), buttons=[{"title": "Ja, send"}])
    events.answered("chat-1", f"Saken har nummer {ticket.reference}.", ticket.created_at + dt.timedelta(seconds=3))
    events.said("chat-1", "takk, og en ting til", ticket.created_at + dt.timedelta(minutes=1))
    events.said("chat-2", "en annen samtale", t0)
    lines = transcript("chat-1", until=ticket.created_at)
    assert [(line.speaker, line.text) for line in lines] == [
        ("citizen", "søpla er ikke hentet"),
        ("bot", "Hva gjelder saken?"),
        ("citizen", "(trykket på en knapp: affirm)"),
        ("bot", "Er det greit?"),
        ("bot", f"Saken har nummer {ticket.reference}."),
    ]
    assert lines[3].buttons == ("Ja, send",)
    assert transcript("no-such-conversation", until=ticket.created_at) == []


def test_transcript_is_empty_without_a_tracker_store(db_url: str) -> None:
    if sa.inspect(get_engine(db_url)).has_table("events"):
        pytest.skip("this database has Rasa's events table")
    assert transcript("chat-1") == []


def test_statistics_count_conversations_handoffs_times_and_misses(events: Events, db_url: str) -> None:
    load_library(db_url)  # statistics name a topic by its answer's title
    now = dt.datetime.now(dt.timezone.utc)
    for i in range(4):
        events.said(f"c{i}", "hei", now - dt.timedelta(minutes=30 - i))
        events.said(f"c{i}", "mer", now - dt.timedelta(minutes=20 - i))
    for sender, text, minutes in (
        ("c0", "Hvor kan jeg parkere båten min?", 5),
        ("c1", "hvor kan jeg parkere båten min?", 4),
        ("c2", "Hva er meningen med livet", 3),
    ):
        at = now - dt.timedelta(minutes=minutes)
        events.said(sender, text, at, intent="out_of_scope")
        events.answered(
            sender, "Det vet jeg dessverre ikke …", at + dt.timedelta(seconds=1), response="utter_dont_know"
        )
    # «Mente du …?» is no «I don't know»: not listed.
    events.said("c3", "parkering", now - dt.timedelta(minutes=2), intent="no_question")
    events.answered("c3", "Mente du …", now - dt.timedelta(minutes=2), response="utter_which_topic")
    # Safety answers: counted per conversation and day, never with their text.
    for sender, response in (("c0", "utter_emergency"), ("c0", "utter_emergency"), ("c1", "utter_suicide_risk")):
        events.said(sender, "…", now - dt.timedelta(minutes=1), intent="emergency")
        events.answered(sender, "Ring 113 …", now - dt.timedelta(minutes=1), response=response)
    events.answered("c2", "Ring legevakten …", now - dt.timedelta(minutes=1), response="utter_urgent_health")
    events.said("old", "hei", now - dt.timedelta(days=100))
    a = make_ticket("a", conversation_id="c0")
    b = make_ticket("b", conversation_id="c1", topic="faq/property_tax", channel="socketio")
    queue.reply(a.reference, "Svar", actor="kari")
    queue.change_status(a.reference, Status.CLOSED, actor="kari")
    figures = stats.compute("day", 14)
    assert figures.conversations == 4 and figures.tickets == 2
    assert figures.handoff_share == 0.5
    assert sum(bucket.conversations for bucket in figures.buckets) == 4
    assert sum(bucket.tickets for bucket in figures.buckets) == 2
    assert sorted(figures.per_topic) == [
        ("faq/property_tax", "Eiendomsskatt", 1),
        ("faq/waste", "Avfall og gjenvinning", 1),
    ]
    assert dict(figures.per_channel) == {"rest": 1, "socketio": 1}
    assert figures.answered == 1 and figures.closed == 1
    assert figures.median_first_response is not None and figures.median_first_response >= dt.timedelta(0)
    assert figures.median_close >= figures.median_first_response
    assert [(m.text.lower(), m.count) for m in figures.misunderstood] == [
        ("hvor kan jeg parkere båten min?", 2),
        ("hva er meningen med livet", 1),
    ]
    assert (figures.emergencies, figures.urgent_health) == (2, 1)
    assert sum(b.emergencies for b in figures.buckets) == 2 and sum(b.urgent_health for b in figures.buckets) == 1
    weekly = stats.compute("week", 12)
    assert len(weekly.buckets) == 12 and weekly.buckets[-1].label.startswith("uke ")
    assert weekly.conversations == 4 and b.reference
