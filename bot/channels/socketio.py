"""Socket.IO channel (Rasa `InputChannel`) for the web chat widget, with input checks, ID masking and error answers.

Rasa's handlers trust the payload: a `user_uttered` event that is not an object, has no or two
arguments, carries a number or a list as "message", or metadata that is not JSON raises inside
python-socketio (logged as an unhandled task error; the citizen gets nothing), and any string
becomes a conversation id. Here every payload is checked first (`clean_message_payload`):
- a payload that is not an object, or (with session persistence) has no usable "session_id"
  (`bot.sanitize.clean_sender_id`), is dropped with a warning: there is no conversation to answer;
- a "message" that is not text counts as empty, so the guard asks the citizen to write a question;
- metadata that is not an object (or JSON text of one), or is large, is left out.
A `session_request` with an unusable "session_id" gets a fresh one. Messages then pass
`bot.channels.guard` like every other channel.

Every `bot_uttered` carries `lang` (nb, nn or en) once the bot has answered in a language, so the
widget's own texts («Snakk med en person», the notice line) follow the conversation's language.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.socketio import SocketIOInput, SocketIOOutput
from sanic import Blueprint

from bot.channels import client, feedback
from bot.channels.client import CLIENT_ADDRESS
from bot.channels.guard import OnNewMessage, guarded
from bot.nlg import ANSWER_LANGUAGE
from bot.pii import pseudonymous_sender
from bot.sanitize import clean_sender_id

logger = logging.getLogger(__name__)

MAX_METADATA_CHARS = 8 * 1024


def _metadata(value: Any) -> dict[str, Any]:
    if isinstance(value, str) and len(value) <= MAX_METADATA_CHARS:
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            return {}
    if not isinstance(value, dict):
        return {}
    try:
        return value if len(json.dumps(value)) <= MAX_METADATA_CHARS else {}
    except (TypeError, ValueError, RecursionError):
        return {}


def _conversation_id(value: Any) -> str | None:
    sender = clean_sender_id(value)
    return pseudonymous_sender(sender) if sender is not None else None


def clean_message_payload(args: tuple[Any, ...], session_persistence: bool, metadata_key: str) -> dict[str, Any] | None:
    """The `user_uttered` payload as Rasa's handler expects it, or None to drop it (module docstring)."""
    data = args[0] if args else None
    if not isinstance(data, dict):
        return None
    session_id = _conversation_id(data.get("session_id"))
    if session_persistence and session_id is None:
        return None
    text = data.get("message")
    return {
        "message": text if isinstance(text, str) else "",
        "session_id": session_id,
        metadata_key: _metadata(data.get(metadata_key)),
    }


class LanguageSocketIOOutput(SocketIOOutput):
    """Rasa's Socket.IO output, with the language of the answers (`lang`) on each message it emits,
    and 👍 / 👎 after a library answer (bot/channels/feedback.py)."""

    language: str | None = None

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.language = message.get(ANSWER_LANGUAGE) or self.language
        question = feedback.question_after(message)
        await super().send_response(recipient_id, message)
        if question:
            await super().send_response(recipient_id, question)

    async def _send_message(self, socket_id: str, response: Any) -> None:
        if self.language and isinstance(response, dict):
            response = {**response, "lang": self.language}
        await super()._send_message(socket_id, response)


def _with_language_output(on_new_message: OnNewMessage) -> OnNewMessage:
    async def handle(message: UserMessage) -> None:
        out = message.output_channel
        if type(out) is SocketIOOutput:
            message.output_channel = LanguageSocketIOOutput(out.sio, out.bot_message_evt)
        await on_new_message(message)

    return handle


class GuardedSocketIOInput(SocketIOInput):
    """Rasa's socket.io channel; payloads are checked, and messages pass `bot.channels.guard` first."""

    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        blueprint = super().blueprint(_with_language_output(guarded(on_new_message)))
        sio = self.sio
        if sio is None:  # SocketIOInput.blueprint sets it
            raise RuntimeError("Rasa's Socket.IO channel made no server")
        handlers = sio.handlers[self.namespace or "/"]
        rasa_message = handlers[self.user_message_evt]
        rasa_session_request = handlers["session_request"]

        async def handle_message(sid: str, *args: Any) -> None:
            data = clean_message_payload(args, self.session_persistence, self.metadata_key)
            if data is None:
                logger.warning("A Socket.IO message without a usable payload or session_id was dropped (%s)", sid)
                return
            environ = sio.get_environ(sid, self.namespace or "/") or {}
            CLIENT_ADDRESS.set(client.from_request(environ["sanic.request"]) if "sanic.request" in environ else None)
            try:
                await rasa_message(sid, data)
            except Exception:  # the guard answers the citizen; this keeps python-socketio quiet
                logger.exception("Handling a Socket.IO message from %s failed", sid)

        async def session_request(sid: str, *args: Any) -> None:
            data = args[0] if args else None
            session_id = _conversation_id(data.get("session_id")) if isinstance(data, dict) else None
            await rasa_session_request(sid, {"session_id": session_id})

        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        sio.on("session_request", session_request, namespace=self.namespace)
        return blueprint
