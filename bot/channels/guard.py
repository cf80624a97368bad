"""Wraps Rasa's `on_new_message` for every citizen channel.

Before Rasa sees a message: ID numbers are masked and overlong text is refused. After: when
Rasa raised, or produced no answer at all (the action server or the database is down), the
citizen is told so plainly and given the phone number; nothing claims a ticket was made.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from rasa.core.channels.channel import OutputChannel, UserMessage

from bot.kommune import get_kommune
from bot.pii import mask_id_numbers
from bot.settings import get_settings

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]
NOTICES_FILE = Path(__file__).with_name("notices.yml")


@lru_cache(maxsize=1)
def _notices() -> dict[str, dict[str, str]]:
    return yaml.safe_load(NOTICES_FILE.read_text(encoding="utf-8"))


def notice(key: str, language: str = "nb", **values: Any) -> str:
    """A channel notice in the citizen's language, filled with kommune.yml facts."""
    variants = _notices()[key]
    text = variants.get(language) or variants["nb"]
    return text.format(**get_kommune().placeholders(), **values)


class CountingOutputChannel(OutputChannel):
    """Forwards everything to the real output channel and counts what the bot sends."""

    def __init__(self, inner: OutputChannel) -> None:
        self.inner = inner
        self.sent = 0

    def name(self) -> str:  # type: ignore[override]
        return self.inner.name()

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.sent += 1
        await self.inner.send_response(recipient_id, message)

    def __getattr__(self, item: str) -> Any:
        return getattr(self.inner, item)


def guarded(on_new_message: OnNewMessage) -> OnNewMessage:
    """The channel's message handler with masking, a length cap and a plain error answer."""

    async def handle(message: UserMessage) -> None:
        out = message.output_channel
        text = message.text or ""
        limit = get_settings().max_message_chars
        if len(text) > limit:
            await out.send_text_message(message.sender_id, notice("too_long", max_chars=limit))
            return
        masked_text, was_masked = mask_id_numbers(text)
        if was_masked:
            await out.send_text_message(message.sender_id, notice("id_number_masked"))
        counting = CountingOutputChannel(out)
        masked = UserMessage(
            masked_text,
            counting,
            message.sender_id,
            message.parse_data,
            message.input_channel,
            message.message_id,
            message.metadata,
        )
        try:
            await on_new_message(masked)
            failed = counting.sent == 0
        except Exception:  # the citizen gets a plain answer whatever went wrong
            logger.exception("Handling a message from %s failed", message.input_channel)
            failed = True
        if failed:
            await out.send_text_message(message.sender_id, notice("technical_problem"))

    return handle
