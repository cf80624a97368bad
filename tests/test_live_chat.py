"""Live chat rules in `bot.cases.live`, on SQLite and (in CI) PostgreSQL."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import pytest

from bot import cases
from bot.cases import Status, live
from bot.cases.queue import ticket_detail

OSLO = ZoneInfo("Europe/Oslo")
MONDAY_MORNING = dt.datetime(2026, 11, 23, 10, 0, tzinfo=OSLO)
SUNDAY = dt.datetime(2026, 11, 22, 12, 0, tzinfo=OSLO)


def _waiting(conversation: str = "widget-1", channel: str = "socketio") -> live.LiveChatView:
    return live.request_chat(conversation, channel, "nb", "faq/waste")


def test_a_live_chat_is_offered_only_in_opening_hours_with_someone_present(db_url: str) -> None:
    assert not live.can_offer("socketio", now=MONDAY_MORNING)  # nobody has switched on
    live.set_available("kari", True, now=MONDAY_MORNING)
    assert live.can_offer("socketio", now=MONDAY_MORNING)
    assert live.can_offer("facebook", now=MONDAY_MORNING)
    assert not live.can_offer("rest", now=MONDAY_MORNING)  # REST cannot receive a staff message
    assert not live.can_offer("socketio", now=SUNDAY)  # closed on Sundays in kommune.yml
    later = MONDAY_MORNING + dt.timedelta(minutes=5)
    assert not live.can_offer("socketio", now=later)  # the desk page stopped polling
    live.touch_presence("kari", now=later)
    assert live.can_offer("socketio", now=later)
    live.set_available("kari", False, now=later)
    assert not live.can_offer("socketio", now=later)


def test_asking_twice_keeps_one_waiting_chat(db_url: str) -> None:
    first = _waiting()
    second = _waiting()
    assert first.id == second.id and first.status == live.WAITING
    assert live.open_chat("widget-1") == first
    assert live.open_chat("someone-else") is None


def test_taking_a_chat_makes_an_in_progress_ticket_held_by_the_taker(db_url: str) -> None:
    chat = live.accept(_waiting().id, actor="kari")
    assert chat.status == live.ACTIVE and chat.accepted_by == "kari" and chat.ticket_reference
    detail = ticket_detail(chat.ticket_reference)
    assert detail.ticket.status is Status.IN_PROGRESS
    assert detail.ticket.assignee == "kari"
    assert (detail.ticket.channel, detail.ticket.topic, detail.ticket.conversation_id) == (
        "socketio",
        "faq/waste",
        "widget-1",
    )
    assert [e.kind for e in detail.events][:2] == ["created", "claim"]
    assert [d.kind for d in live.pending_deliveries()] == [live.ACCEPTED]
    assert live.accept(chat.id, actor="kari").ticket_reference == chat.ticket_reference  # a double click


def test_two_staff_taking_the_same_chat_at_once_get_one_winner(db_url: str) -> None:
    chat_id = _waiting().id

    def take(actor: str) -> str:
        try:
            return live.accept(chat_id, actor=actor).accepted_by or ""
        except live.LiveChatTaken as taken:
            return f"taken: {taken}"

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(take, [f"staff{i}" for i in range(6)]))
    winners = [r for r in results if not r.startswith("taken")]
    assert len(winners) == 1
    assert all(winners[0] in r for r in results if r.startswith("taken"))
    assert len(live.list_open_chats()) == 1


def test_only_the_holder_writes_and_id_numbers_are_masked(db_url: str) -> None:
    chat = live.accept(_waiting().id, actor="kari")
    with pytest.raises(live.LiveChatError):
        live.send_message(chat.id, "Hei", actor="ola", actor_name="Ola")
    with pytest.raises(live.LiveChatError):
        live.send_message(chat.id, "   ", actor="kari", actor_name="Kari")
    live.send_message(chat.id, "Er 01019012480 ditt nummer? Hei, jeg heter Kari.", actor="kari", actor_name="Kari")
    text = [d for d in live.chat_deliveries(chat.id)][0]
    assert "01019012480" not in (text.body or "")
    assert text.author_name == "Kari" and text.delivered_at is None


def test_a_delivery_is_claimed_once(db_url: str) -> None:
    chat = live.accept(_waiting().id, actor="kari")
    delivery_id = live.send_message(chat.id, "Hei!", actor="kari", actor_name="Kari")
    with ThreadPoolExecutor(max_workers=4) as pool:
        claims = list(pool.map(lambda _: live.mark_delivered(delivery_id), range(4)))
    assert claims.count(True) == 1
    assert delivery_id not in [d.id for d in live.pending_deliveries()]


def test_handing_back_ends_the_chat_and_keeps_the_ticket_open(db_url: str) -> None:
    chat = live.accept(_waiting().id, actor="kari")
    ended = live.hand_back(chat.id, actor="kari")
    assert ended.status == live.ENDED and ended.end_reason == live.HANDED_BACK
    assert live.open_chat("widget-1") is None
    assert cases.get_ticket(chat.ticket_reference).status is Status.IN_PROGRESS
    assert live.pending_deliveries()[-1].kind == live.HANDED_BACK
    with pytest.raises(live.LiveChatError):
        live.send_message(chat.id, "Hallo?", actor="kari", actor_name="Kari")
    kinds = [e.kind for e in ticket_detail(chat.ticket_reference).events]
    assert kinds[-1] == "live_chat"


def test_closing_the_chat_resolves_the_ticket(db_url: str) -> None:
    chat = live.accept(_waiting().id, actor="kari")
    live.close_chat(chat.id, actor="kari")
    assert cases.get_ticket(chat.ticket_reference).status is Status.RESOLVED
    assert live.pending_deliveries()[-1].kind == live.CLOSED


def test_unanswered_chats_and_abandoned_chats_end_once(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVE_CHAT_WAIT_SECONDS", "60")
    monkeypatch.setenv("LIVE_PRESENCE_SECONDS", "60")
    unanswered = _waiting("widget-a")
    taken = live.accept(_waiting("widget-b").id, actor="kari")
    assert live.expire() == 0  # both are fresh
    later = cases.models.utcnow() + dt.timedelta(minutes=5)
    assert live.expire(now=later) == 2
    assert live.expire(now=later) == 0  # idempotent
    assert live.get_chat(unanswered.id).end_reason == live.NO_ANSWER
    assert live.get_chat(taken.id).end_reason == live.STAFF_GONE
    kinds = {d.chat_id: d.kind for d in live.pending_deliveries() if d.kind != live.ACCEPTED}
    assert kinds == {unanswered.id: live.NO_ANSWER, taken.id: live.STAFF_GONE}
    assert cases.get_ticket(taken.ticket_reference).status is Status.IN_PROGRESS
