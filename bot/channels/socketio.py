"""Socket.IO channel (Rasa `InputChannel`) for the web chat widget, with input checks, ID masking and error answers.

Rasa's handlers trust the payload: a `user_uttered` event that is not an object, has no or two
arguments, carries a number or a list as "message", or metadata that is not JSON raises inside
python-socketio (logged as an unhandled task error; the citizen gets nothing), and any string
becomes a conversation id. Here every payload is checked first (`clean_message_payload`):
- a payload that is not an object, or one from a connection that has not asked for a session
  yet, is dropped with a warning: there is no conversation to answer;
- a "message" that is not text counts as empty, so the guard asks the citizen to write a question;
- metadata that is not an object (or JSON text of one), or is large, is left out.
The server issues the conversation ids (`bot.channels.conversation_ids`): a `session_request`
gets back the signed id it names if this server issued it, else a new one, and the connection
is bound to it; a message's own "session_id" is ignored. So nobody can join or write into
another conversation (a guessed id, a Messenger PSID) by naming it. Messages then pass
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

from bot.channels import client, conversation_ids, feedback
from bot.channels.client import CLIENT_ADDRESS
from bot.channels.guard import OnNewMessage, guarded
from bot.nlg import ANSWER_LANGUAGE
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


def clean_message_payload(args: tuple[Any, ...], session_persistence: bool, metadata_key: str) -> dict[str, Any] | None:
    """The `user_uttered` payload as Rasa's handler expects it, or None to drop it (module docstring)."""
    data = args[0] if args else None
    if not isinstance(data, dict):
        return None
    session_id = clean_sender_id(data.get("session_id"))
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
        namespace = self.namespace or "/"
        handlers = sio.handlers[namespace]
        rasa_message = handlers[self.user_message_evt]
        rasa_session_request = handlers["session_request"]
        rasa_disconnect = handlers.get("disconnect")
        # Each connection's conversation, bound when it asked for a session: the id the server
        # issued (or a signed one it issued before), never one the client names in a message.
        bound: dict[str, str] = {}

        async def handle_message(sid: str, *args: Any) -> None:
            data = clean_message_payload(args, False, self.metadata_key)
            session_id = bound.get(sid) if self.session_persistence else sid
            if data is None or session_id is None:
                logger.warning("A Socket.IO message without a usable payload or session was dropped (%s)", sid)
                return
            data["session_id"] = session_id
            environ = sio.get_environ(sid, namespace) or {}
            CLIENT_ADDRESS.set(client.from_request(environ["sanic.request"]) if "sanic.request" in environ else None)
            try:
                await rasa_message(sid, data)
            except Exception:  # the guard answers the citizen; this keeps python-socketio quiet
                logger.exception("Handling a Socket.IO message from %s failed", sid)

        async def session_request(sid: str, *args: Any) -> None:
            data = args[0] if args else None
            asked = data.get("session_id") if isinstance(data, dict) else None
            session_id = conversation_ids.verified(asked) or conversation_ids.issue()
            previous = bound.get(sid)
            if previous and previous != session_id:
                sio.leave_room(sid, previous, namespace=namespace)
            bound[sid] = session_id
            await rasa_session_request(sid, {"session_id": session_id})

        async def disconnect(sid: str, *args: Any) -> None:
            bound.pop(sid, None)
            if rasa_disconnect is not None:
                await rasa_disconnect(sid, *args)

        sio.on(self.user_message_evt, handle_message, namespace=self.namespace)
        sio.on("session_request", session_request, namespace=self.namespace)
        sio.on("disconnect", disconnect, namespace=self.namespace)
        return blueprint
