"""The per-sender rate limit (bot/channels/rate_limit.py) and how the guard uses it.

A fake clock moves time: the tests never wait and never measure wall-clock time.
"""

from __future__ import annotations

import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

from bot.channels.client import CLIENT_ADDRESS
from bot.channels.guard import guarded, notice
from bot.channels.rate_limit import RateLimiter
from bot.kommune import get_kommune
from bot.settings import get_settings


class FakeRasa:
    """Stands in for Rasa's `on_new_message`: records the texts and answers each one."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    async def __call__(self, message: UserMessage) -> None:
        self.texts.append(message.text)
        await message.output_channel.send_response(message.sender_id, {"text": f"Svar: {message.text}"})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_sender_gets_limit_messages_per_window() -> None:
    clock = Clock()
    limiter = RateLimiter(3, 10, clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b")  # every sender counts alone
    clock.now += 9.9
    assert not limiter.allow("a")
    clock.now += 0.2  # the first three messages have left the window
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]


def test_the_window_slides_and_refused_messages_do_not_count() -> None:
    clock = Clock()
    limiter = RateLimiter(2, 10, clock)
    assert limiter.allow("a")  # t = 0
    clock.now += 6
    assert limiter.allow("a")  # t = 6
    for _ in range(50):  # refused while waiting: not counted
        assert not limiter.allow("a")
    clock.now += 4.5  # t = 10.5: the message from t = 0 is out, the one from t = 6 still in
    assert limiter.allow("a")
    assert not limiter.allow("a")
    clock.now += 6  # t = 16.5: the one from t = 6 is out
    assert limiter.allow("a")


def test_idle_senders_are_forgotten() -> None:
    clock = Clock()
    limiter = RateLimiter(5, 60, clock)
    for number in range(1000):
        limiter.allow(f"sender-{number}")
    assert len(limiter) == 1000
    clock.now += 30
    limiter.allow("late")
    assert len(limiter) == 1001  # still inside the window
    clock.now += 30.5
    limiter.allow("later")
    assert len(limiter) == 2  # "late", "later"


def test_memory_is_capped_and_the_longest_idle_go_first() -> None:
    clock = Clock()
    limiter = RateLimiter(1, 60, clock, max_senders=100)
    for number in range(250):
        clock.now += 0.01
        assert limiter.allow(f"s{number}")
    assert len(limiter) == 100
    assert limiter.allow("s0")  # forgotten, so counted afresh
    assert not limiter.allow("s249")  # kept


def test_a_sender_keeps_at_most_limit_timestamps() -> None:
    limiter = RateLimiter(3, 60, Clock())
    for _ in range(100):
        limiter.allow("a")
    assert all(len(stamps) <= 3 for stamps in limiter._senders.values())


@pytest.mark.parametrize("limit,window", [(0, 60), (20, 0)])
def test_zero_switches_the_limit_off(limit: int, window: float) -> None:
    limiter = RateLimiter(limit, window, Clock())
    assert all(limiter.allow("a") for _ in range(1000))


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("RATE_LIMIT_MESSAGES", raising=False)
    monkeypatch.delenv("RATE_LIMIT_SECONDS", raising=False)
    assert (get_settings().rate_limit_messages, get_settings().rate_limit_seconds) == (20, 60.0)
    monkeypatch.setenv("RATE_LIMIT_MESSAGES", "5")
    monkeypatch.setenv("RATE_LIMIT_SECONDS", "2.5")
    assert (get_settings().rate_limit_messages, get_settings().rate_limit_seconds) == (5, 2.5)


# --- in the guard -------------------------------------------------------------------------------


async def _send(handler: object, text: str, sender: str = "kari") -> list[str]:
    out = CollectingOutputChannel()
    await handler(UserMessage(text, out, sender, input_channel="rest"))  # type: ignore[operator]
    return [m["text"] for m in out.messages]


async def test_over_the_limit_the_citizen_is_asked_to_wait_and_rasa_is_not_called() -> None:
    clock = Clock()
    rasa = FakeRasa()
    handler = guarded(rasa, RateLimiter(3, 60, clock))
    for number in range(3):
        assert await _send(handler, f"melding {number}") == [f"Svar: melding {number}"]
    told = await _send(handler, "når er dere åpne?")
    assert told == [notice("rate_limited", "nb")]
    assert get_kommune().phone in told[0] and "Vent litt" in told[0]
    assert rasa.texts == ["melding 0", "melding 1", "melding 2"]
    assert await _send(handler, "hei", sender="ola") == ["Svar: hei"]  # others are not held back
    clock.now += 61
    assert await _send(handler, "når er dere åpne?") == ["Svar: når er dere åpne?"]


async def test_the_notice_is_in_the_citizens_language() -> None:
    handler = guarded(FakeRasa(), RateLimiter(1, 60, Clock()))
    await _send(handler, "hello")
    told = await _send(handler, "When are you open? I need to talk to someone about my taxes.")
    assert told == [notice("rate_limited", "en")] and "wait a little" in told[0]


async def test_an_emergency_is_never_held_back_but_carries_nothing_else_past_the_limit() -> None:
    rasa = FakeRasa()
    handler = guarded(rasa, RateLimiter(1, 60, Clock()))
    await _send(handler, "hei")
    told = await _send(handler, "det brenner i garasjen, og når tømmes søpla?")
    # The safety answer (Rasa gets its intent, not the text), then the notice: the rest waits.
    assert told == ["Svar: /emergency", notice("rate_limited", "nb")]
    assert rasa.texts[-1] == "/emergency"
    assert await _send(handler, "hei igjen") == [notice("rate_limited", "nb")]


async def test_a_new_conversation_id_per_message_does_not_escape_the_limit() -> None:
    rasa = FakeRasa()
    clock = Clock()
    handler = guarded(rasa, RateLimiter(1, 60, clock), RateLimiter(3, 60, clock))
    token = CLIENT_ADDRESS.set("203.0.113.9")
    try:
        answers = [await _send(handler, "når er dere åpne", sender=f"ny-{n}") for n in range(5)]
    finally:
        CLIENT_ADDRESS.reset(token)
    assert answers[:3] == [["Svar: når er dere åpne"]] * 3
    assert answers[3:] == [[notice("rate_limited", "nb")]] * 2
    # Another address is counted on its own.
    token = CLIENT_ADDRESS.set("198.51.100.7")
    try:
        assert await _send(handler, "når er dere åpne", sender="ny-x") == ["Svar: når er dere åpne"]
    finally:
        CLIENT_ADDRESS.reset(token)


async def test_each_channel_counts_with_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RATE_LIMIT_MESSAGES", "2")
    rest, widget = guarded(FakeRasa()), guarded(FakeRasa())
    assert await _send(rest, "en") == ["Svar: en"]
    assert await _send(rest, "to") == ["Svar: to"]
    assert await _send(rest, "tre") == [notice("rate_limited", "nb")]
    assert await _send(widget, "en") == ["Svar: en"]
