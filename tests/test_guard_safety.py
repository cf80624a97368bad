"""The channels' guard and the safety layer: the safety answer comes first, whatever else happens.

Rasa is stood in for by a recorder; the safety layer itself (bot.safety) is real.
"""

from __future__ import annotations

import pytest
from rasa.core.channels.channel import UserMessage

from bot.channels import guard
from bot.channels.guard import guarded, notice
from bot.channels.rate_limit import RateLimiter
from tests.test_rate_limit import FakeRasa, _send


async def test_urgent_health_passes_the_rate_limit_too() -> None:
    handler = guarded(FakeRasa(), RateLimiter(1, 60))
    await _send(handler, "hei")
    assert await _send(handler, "ungen har 40 i feber og fastlegen er stengt") == [
        "Svar: /urgent_health",
        notice("rate_limited", "nb"),
    ]
    assert await _send(handler, "hei igjen") == [notice("rate_limited", "nb")]


async def test_an_overlong_emergency_gets_the_safety_answer_before_the_length_notice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "200")
    rasa = FakeRasa()
    text = "Hei. " + "Jeg skriver mye om mye rart her. " * 10 + "Nå puster ikke pappa lenger!"
    answers = await _send(guarded(rasa), text)
    assert rasa.texts == ["/emergency"]  # Rasa gets the intent, never the refused text
    assert answers == ["Svar: /emergency", notice("too_long", "nb", max_chars=200)]


async def test_an_overlong_ordinary_message_is_only_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "200")
    rasa = FakeRasa()
    answers = await _send(guarded(rasa), "Jeg lurer på søppeltømmingen. " * 20)
    assert rasa.texts == [] and answers == [notice("too_long", "nb", max_chars=200)]


async def test_an_emergency_with_an_id_number_gets_the_answer_before_the_masking_notice() -> None:
    answers = await _send(guarded(FakeRasa()), "det brenner hos meg, fødselsnummer 01019012480")
    assert answers[0].startswith("Svar: det brenner hos meg") and "01019012480" not in answers[0]
    assert answers[1] == notice("id_number_masked", "nb")
    ordinary = await _send(guarded(FakeRasa()), "når tømmes søpla, fødselsnummer 01019012480")
    assert ordinary[0] == notice("id_number_masked", "nb")  # an ordinary message: the notice first, as before


class _Relay:
    def __init__(self, conversation: str) -> None:
        self.open_conversations = frozenset({conversation})
        self.recorded: list[str] = []

    async def record_citizen_message(self, message: UserMessage, chat: object) -> None:
        self.recorded.append(message.text or "")


async def test_in_a_live_chat_the_bot_answers_only_the_safety_message(monkeypatch: pytest.MonkeyPatch) -> None:
    relay = _Relay("kari")
    monkeypatch.setattr(guard, "current_relay", lambda: relay)
    monkeypatch.setattr(guard.live, "open_chat", lambda conversation_id: object())
    rasa = FakeRasa()
    handler = guarded(rasa)
    assert await _send(handler, "når er dere åpne?") == []  # for the staff member, not the bot
    assert relay.recorded == ["når er dere åpne?"]
    assert await _send(handler, "mamma har vondt i brystet og er kald og klam") == [
        "Svar: mamma har vondt i brystet og er kald og klam"
    ]
