"""REST channel (Rasa `InputChannel`) at /webhooks/rest/webhook, with ID masking and error answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from bot.channels.guard import guarded


class GuardedRestInput(RestInput):
    """Rasa's REST channel; messages pass `bot.channels.guard` first."""

    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        return super().blueprint(guarded(on_new_message))
