"""Wraps Rasa's `on_new_message` for every citizen channel.

Before Rasa sees a message: the text is cleaned (`bot.sanitize.clean_text`: no control
characters, NUL or lone surrogates; NFC), a sender over the rate limit (`rate_limit.py`, per
conversation and per client address) is asked to wait, an empty message gets a short prompt,
overlong text is refused and ID numbers are masked; in a live chat with staff the message is
stored without the bot answering.
An emergency, a suicide risk or an urgent health need (`bot.safety`) is never held back by the
rate limit, a live chat or the length cap: past the limit or the cap, the safety answer is given
and the rest of the message is not. After: when Rasa raised, a
custom action failed, or there was no answer at all (the action server or the database is
down), the citizen is told so plainly and given the phone number; nothing claims a ticket was made.
Each message is counted for the operator (`bot.operations.metrics`): channel, language, time to
answer, or held back by the rate limit.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import OutputChannel, UserMessage

from bot import action_failures
from bot.cases import CaseStoreError, live
from bot.channels import client
from bot.channels.client import CLIENT_ADDRESS
from bot.channels.live import current_relay
from bot.channels.rate_limit import RateLimiter
from bot.kommune import answer_language, get_kommune
from bot.nlg import ANSWER_LANGUAGE
from bot.nlu.language import detect
from bot.operations import metrics
from bot.pii import mask_data, mask_id_numbers
from bot.safety import Assessment, assess
from bot.sanitize import clean_text, has_visible_text
from bot.settings import get_settings
from bot.yaml_files import read_yaml

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
NOTICES_FILE = Path(__file__).with_name("notices.yml")
# Text longer than this many times the cap is refused as too long without being cleaned first.
_CLEAN_FACTOR = 4


@lru_cache(maxsize=1)
def _notices() -> dict[str, dict[str, str]]:
    return read_yaml(NOTICES_FILE)


def notice(key: str, language: str = "nb", **values: Any) -> str:
    """A channel notice in the citizen's language, filled with kommune.yml facts."""
    variants = _notices()[key]
    text = variants.get(language) or variants["nb"]
    return text.format(**get_kommune().placeholders(), **values)


class CountingOutputChannel(OutputChannel):
    """Forwards to the real output channel and counts what the bot sends.

    Once a custom action has failed (`failures` is not empty), nothing more is forwarded: what
    Rasa predicts after a lost action is no answer to the citizen.
    """

    def __init__(self, inner: OutputChannel, failures: list[str] | None = None) -> None:
        self.inner = inner
        self.sent = 0
        self.failures = failures if failures is not None else []
        self.language: str | None = None  # of the answers, as the NLG marks them

    def name(self) -> str:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        if self.failures:
            return
        self.sent += 1
        self.language = message.get(ANSWER_LANGUAGE) or self.language
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, item: str) -> Any:
        return getattr(self.inner, item)


def guarded(
    on_new_message: OnNewMessage, limiter: RateLimiter | None = None, address_limiter: RateLimiter | None = None
) -> OnNewMessage:
    """The channel's message handler: cleaning, a rate limit, a length cap, masking, a plain error answer.

    Each call makes its own rate limiters from the settings unless given: one per channel. One
    counts per conversation, the other per client address (`bot.channels.client`), so that a new
    conversation id per message does not escape the limit.
    """
    settings = get_settings()
    if limiter is None:
        limiter = RateLimiter(settings.rate_limit_messages, settings.rate_limit_seconds)
    if address_limiter is None:  # RATE_LIMIT_MESSAGES=0 switches both off
        per_address = settings.rate_limit_address_messages if settings.rate_limit_messages > 0 else 0
        address_limiter = RateLimiter(per_address, settings.rate_limit_seconds)

    async def handle(message: UserMessage) -> None:
        started = time.perf_counter()
        channel = message.input_channel if isinstance(message.input_channel, str) else "unknown"
        language = await answered(message)
        if language is not None:
            metrics.MESSAGES.labels(channel, language).inc()
            metrics.ANSWER_SECONDS.labels(channel).observe(time.perf_counter() - started)
        else:
            metrics.RATE_LIMITED.labels(channel).inc()

    async def answered(message: UserMessage) -> str | None:
        """The language the message was answered in («unknown» for a notice); None when rate-limited."""
        out = message.output_channel
        raw = message.text if isinstance(message.text, str) else ""
        limit = get_settings().max_message_chars
        text = clean_text(raw) if len(raw) <= limit * _CLEAN_FACTOR else raw
        safety_case = _SafetyCase(text[: limit * _CLEAN_FACTOR])
        address = CLIENT_ADDRESS.get()
        allowed = limiter.allow(message.sender_id)
        allowed = (address is None or address_limiter.allow(address)) and allowed
        if not allowed:
            found = safety_case()
            if found:  # the safety answer is never held back; the rest of the message waits
                await _answer(on_new_message, _with_text(message, f"/{found.kind.intent}"), text)
            await out.send_text_message(message.sender_id, notice("rate_limited", _language_of(text)))
            return None
        if len(text) > limit:
            found = safety_case()
            if found:  # the safety answer first; Rasa gets its intent, not the refused text
                await _answer(on_new_message, _with_text(message, f"/{found.kind.intent}"), text)
            await out.send_text_message(message.sender_id, notice("too_long", _language_of(text), max_chars=limit))
            return metrics.UNKNOWN
        if not has_visible_text(text):
            await out.send_text_message(message.sender_id, notice("empty_message", get_kommune().default_language))
            return metrics.UNKNOWN
        masked_text, was_masked = mask_id_numbers(text)
        masked = _with_text(message, masked_text)
        notice_first = was_masked and not safety_case()
        if notice_first:
            await out.send_text_message(message.sender_id, notice("id_number_masked", _language_of(text)))
        language = metrics.UNKNOWN  # in a live chat, the staff member answers
        if not await _kept_for_live_chat(masked):
            language = await _answer(on_new_message, masked, text) or metrics.UNKNOWN
        if was_masked and not notice_first:
            await out.send_text_message(message.sender_id, notice("id_number_masked", _language_of(text)))
        return language

    return handle


class _SafetyCase:
    """`bot.safety.assess` of a message, worked out once and only when a step needs it."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._done = False
        self._found: Assessment | None = None

    def __call__(self) -> Assessment | None:
        if not self._done:
            self._found, self._done = assess(self._text), True
        return self._found


def _with_text(message: UserMessage, text: str) -> UserMessage:
    """The message with another text; metadata and channel masked, since Rasa stores them.

    The metadata also carries the pseudonym of the client's address (`bot.channels.client`),
    for the action server's limit on failed status lookups; a client cannot set it itself.
    """
    metadata = mask_data(message.metadata)  # client-supplied (REST, Socket.IO); Rasa stores it
    if isinstance(metadata, dict):
        metadata.pop(client.METADATA_KEY, None)
    pseudonym = client.pseudonym(CLIENT_ADDRESS.get())
    if pseudonym:
        metadata = {**(metadata or {}), client.METADATA_KEY: pseudonym}
    return UserMessage(
        text,
        message.output_channel,
        message.sender_id,
        message.parse_data,
        mask_data(message.input_channel) if message.input_channel else message.input_channel,
        message.message_id,
        metadata,
    )


async def _answer(on_new_message: OnNewMessage, message: UserMessage, text: str) -> str | None:
    """Rasa answers; when it raised, a custom action failed or nothing came, a plain notice does.

    Returns the language of Rasa's answers, when it gave any."""
    out = message.output_channel
    with action_failures.watch() as failures:
        counting = CountingOutputChannel(out, failures)
        message.output_channel = counting
        try:
            await on_new_message(message)
            failed = counting.sent == 0 or bool(failures)
        except Exception:  # the citizen gets a plain answer whatever went wrong
            logger.exception("Handling a message from %s failed", message.input_channel)
            failed = True
        finally:
            message.output_channel = out
    if failed:
        await out.send_text_message(message.sender_id, notice("technical_problem", _language_of(text)))
    return counting.language


def _language_of(text: str) -> str:
    """The language of a notice: the message's own, when it is clear; else the municipality's."""
    guess = detect(text[:500])
    return answer_language(guess.language) if guess else get_kommune().default_language


async def _kept_for_live_chat(message: UserMessage) -> bool:
    """In a live chat the staff member answers: store the message and keep the bot silent.

    An emergency (or urgent health need) still gets the bot's safety answer at once.
    """
    relay = current_relay()
    if relay is None or message.sender_id not in relay.open_conversations or assess(message.text or ""):
        return False
    try:
        chat = await asyncio.to_thread(live.open_chat, message.sender_id)
    except CaseStoreError:
        logger.exception("Could not look up a live chat; the bot answers")
        return False
    if chat is None:
        return False
    try:
        await relay.record_citizen_message(message, chat)
    except Exception:  # the tracker store is down: say so, as for any other message
        logger.exception("Could not store a live chat message")
        text = notice("technical_problem", _language_of(message.text or ""))
        await message.output_channel.send_text_message(message.sender_id, text)
    return True
