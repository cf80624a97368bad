"""Socket.IO channel (Rasa `InputChannel`) for the web chat widget, with ID masking and error answers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint

from bot.channels.guard import guarded


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel; messages pass `bot.channels.guard` first."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        return super().blueprint(guarded(on_new_message))
