"""REST channel (Rasa `InputChannel`) at /webhooks/rest/webhook, with input checks, ID masking and error answers.

Rasa's own `RestInput` answers a body that is not JSON with Sanic's HTML error page, lets a
missing "sender" fall into one shared conversation called "default", and crashes quietly on a
"message" that is not text. Here the body is read and checked first (`parse_body`); anything
wrong gets a 4xx with a short Norwegian explanation as JSON, `{"error": "..."}`, and never
reaches Rasa:

- the channel is for trusted back ends (a portal that knows who is logged in), since it takes the
  conversation id from the caller: with REST_SECRET set, a request without
  `Authorization: Bearer <REST_SECRET>` gets 401; without it, only this machine may call (not
  through a proxy), others get 403. The citizens' browsers use the Socket.IO channel. Since its
  caller relays many citizens, nothing here is counted per client address;
- a body over `MAX_BODY_BYTES`: 413;
- not UTF-8, not JSON, or not a JSON object: 400;
- "sender" missing, or not a short printable text (or number): 400;
- "message" missing or not text: 400 (an empty text is fine: the guard asks for a question);
- "metadata" not an object, or large: 400.

The conversation's input channel is always "rest": a client cannot pass itself off as
Messenger or the widget (the live chat sends staff messages through the channel it names).
Valid messages pass `bot.channels.guard` like every other channel; `?stream=true` works as in Rasa.
"""

from __future__ import annotations

import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import rasa.utils.endpoints
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse, ResponseStream

from bot.channels.guard import guarded, notice
from bot.pii import pseudonymous_sender
from bot.proxies import is_local_caller
from bot.sanitize import MAX_SENDER_CHARS, clean_sender_id
from bot.settings import get_settings

logger = logging.getLogger(__name__)

CHANNEL_NAME = "rest"
# A 2000-character message written as JSON \u escapes is 12 kB; this leaves room for a
# 10,000-character one (refused politely by the guard) and small metadata.
MAX_BODY_BYTES = 256 * 1024
MAX_METADATA_BYTES = 8 * 1024
EXAMPLE = '{"sender": "a", "message": "Når er dere åpne?"}'


class BadRequest(ValueError):
    """A request the channel refuses, with the HTTP status and a Norwegian explanation."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass(frozen=True)
class RestMessage:
    """A checked request: who wrote, what, and any metadata."""

    sender: str
    text: str
    metadata: dict[str, Any] | None = None


def parse_body(body: bytes | None) -> RestMessage:
    """The message in a request body, or `BadRequest` saying what is wrong with it."""
    body = body or b""
    if len(body) > MAX_BODY_BYTES:
        raise BadRequest(413, f"Forespørselen er for stor. Høyst {MAX_BODY_BYTES // 1024} kB er lov.")
    try:
        decoded = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BadRequest(400, "Forespørselen må være tekst i UTF-8.") from None
    try:
        payload = json.loads(decoded)
    except (ValueError, RecursionError):
        raise BadRequest(400, f"Forespørselen må være gyldig JSON, for eksempel {EXAMPLE}") from None
    if not isinstance(payload, dict):
        raise BadRequest(400, f"Forespørselen må være et JSON-objekt, for eksempel {EXAMPLE}")
    if payload.get("sender") is None:
        raise BadRequest(400, "Feltet «sender» mangler. Det skal si hvem som skriver.")
    sender = clean_sender_id(payload["sender"])
    if sender is None:
        raise BadRequest(
            400, f"Feltet «sender» må være en kort tekst, høyst {MAX_SENDER_CHARS} tegn, uten kontrolltegn."
        )
    if "message" not in payload or payload["message"] is None:
        raise BadRequest(400, "Feltet «message» mangler. Det skal inneholde meldingen.")
    text = payload["message"]
    if not isinstance(text, str):
        raise BadRequest(400, "Feltet «message» må være tekst.")
    metadata = payload.get("metadata")
    if metadata is not None:
        if not isinstance(metadata, dict):
            raise BadRequest(400, "Feltet «metadata» må være et JSON-objekt.")
        if len(json.dumps(metadata)) > MAX_METADATA_BYTES:
            raise BadRequest(400, f"Feltet «metadata» er for stort. Høyst {MAX_METADATA_BYTES // 1024} kB er lov.")
    return RestMessage(pseudonymous_sender(sender), text, metadata or None)


def error_response(error: BadRequest) -> HTTPResponse:
    return response.json({"error": error.message}, status=error.status)


def _refused_caller(request: Request) -> BadRequest | None:
    """The REST channel is for trusted back ends: with REST_SECRET set, only a caller that sends
    it (`Authorization: Bearer …`); without it, only this machine, not through a proxy."""
    secret = get_settings().rest_secret
    if secret:
        given = (request.headers.get("Authorization") or "").encode("utf-8", "replace")
        if hmac.compare_digest(given, f"Bearer {secret}".encode()):
            return None
        return BadRequest(401, "REST-kanalen krever nøkkelen i REST_SECRET: Authorization: Bearer <nøkkel>.")
    if is_local_caller(request.ip or "", request.headers):
        return None
    return BadRequest(403, "REST-kanalen svarer bare denne maskinen. Sett REST_SECRET for andre tjenester.")


class GuardedRestInput(RestInput):
    """Rasa's REST channel; bodies are checked, and messages pass `bot.channels.guard` first."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        handle = guarded(on_new_message)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> ResponseStream | HTTPResponse:
            refused = _refused_caller(request)
            if refused is not None:
                logger.warning("REST request refused (%s): %s", refused.status, refused.message)
                return error_response(refused)
            try:
                message = parse_body(request.body)
            except BadRequest as error:
                logger.info("REST request refused (%s): %s", error.status, error.message)
                return error_response(error)
            if rasa.utils.endpoints.bool_arg(request, "stream", default=False):
                return response.stream(
                    self.stream_response(handle, message.text, message.sender, CHANNEL_NAME, message.metadata),
                    content_type="text/event-stream",
                )
            collector = CollectingOutputChannel()
            try:
                await handle(
                    UserMessage(
                        message.text, collector, message.sender, input_channel=CHANNEL_NAME, metadata=message.metadata
                    )
                )
            except Exception:  # the guard answers failures itself; this is the last line
                logger.exception("Handling a REST message from %s failed", message.sender)
                if not collector.messages:
                    collector.messages.append({"recipient_id": message.sender, "text": notice("technical_problem")})
            return response.json(collector.messages)

        return webhook
