"""Facebook Messenger channel: a Rasa `InputChannel` and `OutputChannel`, at /webhooks/facebook/webhook.

Replaces Rasa's own `rasa.core.channels.facebook`, which sends with a blocking HTTP client,
answers Facebook only after the whole dialogue turn and trusts the legacy SHA-1 signature.
Here:

- the webhook checks `X-Hub-Signature-256` (the SHA-1 `X-Hub-Signature` only when the first is
  absent) with `hmac.compare_digest`; unsigned or wrongly signed posts get 403 and reach nobody;
- valid posts get 200 at once and are handled afterwards, in order per citizen; a message id
  already handled (Facebook's redelivery, or a replayed post) is dropped, also after a restart
  or on another replica (`bot.channels.seen_messages`);
- every citizen message passes `bot.channels.guard.guarded` (cleaning, rate limit, ID masking,
  length cap, a plain answer when something is down), like the REST and Socket.IO channels; an
  attachment the bot cannot read counts against the same rate limit;
- a signed body that is not a JSON object gets 400 with a short Norwegian `{"error": ...}`;
  a sender id that is not a short printable text is ignored (`bot.sanitize.clean_sender_id`);
- answers go to the Graph Send API with aiohttp, the page token in the Authorization header
  (never in the URL, which logs keep); buttons become quick replies and long texts are
  split at Messenger's 2000-character limit. Graph API errors are logged, never raised.

Configuration comes from the environment (FACEBOOK_VERIFY_TOKEN, FACEBOOK_APP_SECRET,
FACEBOOK_PAGE_ACCESS_TOKEN, FACEBOOK_GRAPH_URL), read when Rasa loads credentials.yml. Without
it, Rasa still starts and the webhook answers 503.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.channels import feedback, seen_messages
from bot.channels.guard import guarded, notice
from bot.channels.rate_limit import RateLimiter
from bot.sanitize import clean_sender_id
from bot.settings import get_settings

logger = logging.getLogger(__name__)

CHANNEL_NAME = "facebook"
DEFAULT_GRAPH_URL = "https://graph.facebook.com/v18.0"
# Limits of the Messenger Send API.
MAX_TEXT_CHARS = 2000
MAX_QUICK_REPLIES = 13
MAX_QUICK_REPLY_TITLE = 20
MAX_QUICK_REPLY_PAYLOAD = 1000
GRAPH_TIMEOUT_SECONDS = 10
# Message ids remembered to drop Facebook's redeliveries of the same message.
REMEMBERED_MESSAGE_IDS = 2000

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


# --- configuration -------------------------------------------------------------------------


@dataclass(frozen=True)
class MessengerConfig:
    """The page's secrets and the Graph API's address."""

    verify_token: str = ""
    app_secret: str = ""
    page_access_token: str = ""
    graph_url: str = DEFAULT_GRAPH_URL

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> MessengerConfig:
        env = os.environ if environ is None else environ
        return cls(
            verify_token=(env.get("FACEBOOK_VERIFY_TOKEN") or "").strip(),
            app_secret=(env.get("FACEBOOK_APP_SECRET") or "").strip(),
            page_access_token=(env.get("FACEBOOK_PAGE_ACCESS_TOKEN") or "").strip(),
            graph_url=(env.get("FACEBOOK_GRAPH_URL") or "").strip().rstrip("/") or DEFAULT_GRAPH_URL,
        )

    @property
    def configured(self) -> bool:
        return bool(self.verify_token and self.app_secret and self.page_access_token)


# --- webhook signatures ----------------------------------------------------------------------


def _signature_matches(header: str, method: str, app_secret: str, body: bytes) -> bool:
    name, separator, given = header.strip().partition("=")
    if not separator or name.strip().lower() != method or not app_secret:
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, getattr(hashlib, method)).hexdigest()
    return hmac.compare_digest(expected.encode("ascii"), given.strip().lower().encode("utf-8", "replace"))


def signature_valid(app_secret: str, body: bytes, signature_256: str | None, signature_sha1: str | None) -> bool:
    """Whether Facebook signed `body` with the app secret.

    `X-Hub-Signature-256` ("sha256=<hex>") decides when present; the legacy SHA-1
    `X-Hub-Signature` is accepted only when the SHA-256 header is absent.
    """
    if signature_256 is not None:
        return _signature_matches(signature_256, "sha256", app_secret, body)
    if signature_sha1 is not None:
        return _signature_matches(signature_sha1, "sha1", app_secret, body)
    return False


# --- incoming events ---------------------------------------------------------------------------


@dataclass(frozen=True)
class IncomingMessage:
    """One thing a citizen did in Messenger that the bot should answer."""

    sender_id: str  # the page-scoped id (PSID)
    text: str | None  # None: only attachments, which the bot cannot read
    message_id: str | None = None
    kind: str = "text"  # text, quick_reply, postback or attachment


def _sender_id(event: Mapping[str, Any]) -> str | None:
    sender = event.get("sender")
    return clean_sender_id(sender.get("id")) if isinstance(sender, Mapping) else None


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def incoming_message(event: Any) -> IncomingMessage | None:
    """The citizen's message in one `messaging` event, or None for what needs no answer.

    Quick-reply payloads win over the quick reply's visible text; postbacks give their payload
    (or title). Echoes of the page's own messages, delivery and read receipts, reactions and
    stickers (such as the thumbs-up) are ignored.
    """
    if not isinstance(event, Mapping):
        return None
    sender_id = _sender_id(event)
    if sender_id is None:
        return None
    message = event.get("message")
    if isinstance(message, Mapping):
        if message.get("is_echo"):
            return None
        mid = message.get("mid") if isinstance(message.get("mid"), str) else None
        quick_reply = message.get("quick_reply")
        payload = _text(quick_reply.get("payload")) if isinstance(quick_reply, Mapping) else None
        if payload:
            return IncomingMessage(sender_id, payload, mid, "quick_reply")
        text = _text(message.get("text"))
        if text:
            return IncomingMessage(sender_id, text, mid, "text")
        if message.get("sticker_id"):
            return None
        if message.get("attachments"):
            return IncomingMessage(sender_id, None, mid, "attachment")
        return None
    postback = event.get("postback")
    if isinstance(postback, Mapping):
        text = _text(postback.get("payload")) or _text(postback.get("title"))
        mid = postback.get("mid") if isinstance(postback.get("mid"), str) else None
        return IncomingMessage(sender_id, text, mid, "postback") if text else None
    return None


def incoming_messages(payload: Any) -> list[IncomingMessage]:
    """Every message to answer in one webhook body, in order. Raises ValueError if it is no object."""
    if not isinstance(payload, Mapping):
        raise ValueError("the webhook body is not a JSON object")
    found: list[IncomingMessage] = []
    entries = payload.get("entry")
    for entry in entries if isinstance(entries, list) else []:
        events = entry.get("messaging") if isinstance(entry, Mapping) else None
        for event in events if isinstance(events, list) else []:
            message = incoming_message(event)
            if message is not None:
                found.append(message)
    return found


# --- outgoing messages -------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"[.!?…:;][\"'»”’)\]]*\s")
_WHITESPACE = re.compile(r"\s")


def _cut_point(text: str, limit: int) -> int:
    """Where to cut `text` so that `text[:cut].rstrip()` fits `limit`, at the best boundary."""
    window = text[: limit + 1]  # whitespace right after the limit is a boundary too
    least = limit // 2  # prefer a later word boundary to a very short paragraph or sentence
    paragraph = window.rfind("\n\n")
    if paragraph >= least:
        return paragraph
    sentences = [m.end() for m in _SENTENCE_END.finditer(window)]
    if sentences and sentences[-1] >= least:
        return sentences[-1]
    words = [m.start() for m in _WHITESPACE.finditer(window)]
    if words and words[-1] > 0:
        return words[-1]
    return limit


def split_text(text: str, limit: int = MAX_TEXT_CHARS) -> list[str]:
    """`text` in parts of at most `limit` characters, cut at paragraphs, sentences or words."""
    rest = text.strip()
    parts: list[str] = []
    while len(rest) > limit:
        cut = _cut_point(rest, limit)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if head:
            parts.append(head)
    if rest:
        parts.append(rest)
    return parts


def _short_title(title: str) -> str:
    if len(title) <= MAX_QUICK_REPLY_TITLE:
        return title
    return title[: MAX_QUICK_REPLY_TITLE - 1].rstrip() + "…"


def quick_replies_from_buttons(buttons: Iterable[Any]) -> tuple[list[dict[str, str]], list[str]]:
    """Rasa buttons (or Messenger quick replies) as Messenger text quick replies.

    Returns the quick replies (title cut to 20 characters, at most 13) and, as lines to add to
    the text, the link buttons, which a quick reply cannot carry.
    """
    replies: list[dict[str, str]] = []
    links: list[str] = []
    for button in buttons or []:
        if not isinstance(button, Mapping):
            continue
        title = str(button.get("title") or "").strip()
        payload = str(button.get("payload") or "").strip()
        url = str(button.get("url") or "").strip()
        if url and not payload:
            links.append(f"{title}: {url}" if title else url)
            continue
        payload = payload or title
        if not title or not payload:
            continue
        if len(payload) > MAX_QUICK_REPLY_PAYLOAD:
            logger.warning("A button payload is longer than Messenger allows; it was cut: %.60s…", payload)
        replies.append(
            {"content_type": "text", "title": _short_title(title), "payload": payload[:MAX_QUICK_REPLY_PAYLOAD]}
        )
    if len(replies) > MAX_QUICK_REPLIES:
        logger.warning(
            "Messenger shows at most %d quick replies; %d were left out",
            MAX_QUICK_REPLIES,
            len(replies) - MAX_QUICK_REPLIES,
        )
        replies = replies[:MAX_QUICK_REPLIES]
    return replies, links


class GraphClient:
    """One aiohttp session per event loop, shared by the sends of a channel."""

    def __init__(self) -> None:
        self._session: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        if self._session is None or self._session.closed or self._loop is not loop:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=GRAPH_TIMEOUT_SECONDS))
            self._loop = loop
        return self._session

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()
        self._session = None


def _graph_error(body: str) -> str:
    try:
        error = json.loads(body).get("error") or {}
        return f"{error.get('message', '')} (type {error.get('type')}, code {error.get('code')})"
    except (ValueError, AttributeError):
        return body[:300]


class MessengerOutput(OutputChannel):
    """Sends the bot's answers (and staff messages) to a citizen through the Graph Send API."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    def __init__(self, graph_url: str, page_access_token: str, client: GraphClient | None = None) -> None:
        self.graph_url = (graph_url or DEFAULT_GRAPH_URL).rstrip("/")
        self.page_access_token = page_access_token
        self.client = client or GraphClient()
        self.messages_sent = 0

    async def close(self) -> None:
        await self.client.close()

    def _redact(self, text: str) -> str:
        return text.replace(self.page_access_token, "***") if self.page_access_token else text

    async def _post(self, body: dict[str, Any]) -> bool:
        """POST one Send API request; log and return False on any failure."""
        recipient = body.get("recipient", {}).get("id")
        if not self.page_access_token:
            logger.warning("Messenger is not configured (FACEBOOK_PAGE_ACCESS_TOKEN); nothing sent to %s", recipient)
            return False
        try:
            # The token in a header, not the URL: URLs end up in proxies' and servers' logs.
            headers = {"Authorization": f"Bearer {self.page_access_token}"}
            url = f"{self.graph_url}/me/messages"
            async with self.client.session().post(url, headers=headers, json=body) as answer:
                if answer.status < 400:
                    return True
                detail = _graph_error(await answer.text())
                logger.error("The Graph API refused a message to %s: HTTP %s %s", recipient, answer.status, detail)
        except (aiohttp.ClientError, asyncio.TimeoutError, OSError) as error:
            logger.error(
                "Could not send to %s through the Graph API: %s %s",
                recipient,
                type(error).__name__,
                self._redact(str(error)),
            )
        return False

    async def send_action(self, recipient_id: str, sender_action: str) -> None:
        """A sender action such as "typing_on" or "mark_seen"."""
        await self._post({"recipient": {"id": recipient_id}, "sender_action": sender_action})

    async def _send_message(self, recipient_id: str, message: dict[str, Any]) -> None:
        self.messages_sent += 1
        await self._post({"recipient": {"id": recipient_id}, "messaging_type": "RESPONSE", "message": message})

    async def _send_text(self, recipient_id: str, text: str, buttons: Iterable[Any] = ()) -> None:
        quick_replies, links = quick_replies_from_buttons(buttons)
        if links:
            text = "\n\n".join([text.strip(), *links])
        parts = split_text(text or "")
        if not parts:
            if quick_replies:
                logger.warning("Quick replies without text cannot be sent to Messenger; left out")
            return
        for number, part in enumerate(parts, start=1):
            message: dict[str, Any] = {"text": part}
            if quick_replies and number == len(parts):
                message["quick_replies"] = quick_replies
            await self._send_message(recipient_id, message)

    async def send_response(self, recipient_id: str, message: dict[str, Any]) -> None:
        """Rasa's sending, then 👍 / 👎 after a library answer (bot/channels/feedback.py)."""
        question = feedback.question_after(message)
        await super().send_response(recipient_id, message)
        if question:
            await self._send_text(recipient_id, question["text"], question["buttons"])

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send_text(recipient_id, text)

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send_text(recipient_id, text, buttons)

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send_text(recipient_id, text, quick_replies)

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self._send_message(
            recipient_id, {"attachment": {"type": "image", "payload": {"url": image, "is_reusable": True}}}
        )

    async def send_custom_json(self, recipient_id: str, json_message: Any, **kwargs: Any) -> None:
        """Custom payloads with a "text" (and optional "quick_replies" or "buttons") are sent as text.

        This is how staff messages in a live handoff arrive:
        `{"text": ..., "sender": "staff", "sender_name": ...}`. Anything else is logged and dropped,
        so a citizen never sees raw JSON.
        """
        if isinstance(json_message, Mapping) and isinstance(json_message.get("text"), str):
            buttons = json_message.get("quick_replies") or json_message.get("buttons") or []
            await self._send_text(recipient_id, json_message["text"], buttons if isinstance(buttons, list) else [])
            return
        logger.warning("A custom payload without text cannot be shown in Messenger; not sent to %s", recipient_id)


# --- the input channel -------------------------------------------------------------------------


class GuardedMessengerInput(InputChannel):
    """Facebook Messenger webhook; citizens' messages pass `bot.channels.guard` first."""

    @classmethod
    def name(cls) -> str:
        return CHANNEL_NAME

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        """The settings come from the environment, not credentials.yml, so Rasa starts without them."""
        return cls(MessengerConfig.from_env())

    def __init__(self, config: MessengerConfig | None = None) -> None:
        self.config = config or MessengerConfig()
        self.client = GraphClient()
        self._tasks: set[asyncio.Task[None]] = set()
        self._locks: dict[str, asyncio.Lock] = {}
        self._pending: dict[str, int] = {}
        self._seen: OrderedDict[str, None] = OrderedDict()
        settings = get_settings()
        self._limiter = RateLimiter(settings.rate_limit_messages, settings.rate_limit_seconds)

    def get_output_channel(self) -> MessengerOutput:
        """Sends to citizens outside a request (e.g. staff messages); logs instead when not configured."""
        return MessengerOutput(self.config.graph_url, self.config.page_access_token, self.client)

    async def wait_idle(self) -> None:
        """Wait until every accepted message has been handled (for tests and shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def _seen_here(self, message_id: str) -> bool:
        if message_id in self._seen:
            return True
        self._seen[message_id] = None
        while len(self._seen) > REMEMBERED_MESSAGE_IDS:
            self._seen.popitem(last=False)
        return False

    async def _is_redelivery(self, message_id: str | None) -> bool:
        """Whether this message id was handled before: here, or (the database remembers it) by
        another replica or before a restart. A replayed signed webhook is handled only once."""
        if not message_id:
            return False
        if self._seen_here(message_id):
            return True
        return not await asyncio.to_thread(seen_messages.first_time, CHANNEL_NAME, message_id)

    async def _handle_one(self, message: IncomingMessage, handle: OnNewMessage) -> None:
        out = self.get_output_channel()
        if message.text is None:  # counted by the rate limit like text, or a flood gets a notice each
            if self._limiter.allow(message.sender_id):
                await out.send_text_message(message.sender_id, notice("attachment_unsupported"))
            return
        await out.send_action(message.sender_id, "typing_on")
        await handle(
            UserMessage(
                message.text,
                out,
                message.sender_id,
                input_channel=CHANNEL_NAME,
                message_id=message.message_id,
            )
        )
        if not out.messages_sent:  # the bot stays silent (a staff member has the chat)
            await out.send_action(message.sender_id, "typing_off")

    async def _process(self, messages: list[IncomingMessage], handle: OnNewMessage) -> None:
        """Handle messages in order; one citizen's messages never overtake each other."""
        for message in messages:
            sender = message.sender_id
            lock = self._locks.setdefault(sender, asyncio.Lock())
            self._pending[sender] = self._pending.get(sender, 0) + 1
            try:
                async with lock:
                    await self._handle_one(message, handle)
            except Exception:  # a failure for one message must not stop the others
                logger.exception("Handling a Messenger message from %s failed", sender)
            finally:
                self._pending[sender] -= 1
                if not self._pending[sender]:
                    del self._pending[sender]
                    self._locks.pop(sender, None)

    def _schedule(self, messages: list[IncomingMessage], handle: OnNewMessage) -> None:
        task = asyncio.get_running_loop().create_task(self._process(messages, handle))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        handle = guarded(on_new_message, self._limiter)
        config = self.config
        webhook = Blueprint("guarded_facebook_webhook", __name__)
        if not config.configured:
            logger.info(
                "Facebook Messenger is not configured (FACEBOOK_VERIFY_TOKEN, FACEBOOK_APP_SECRET, "
                "FACEBOOK_PAGE_ACCESS_TOKEN); /webhooks/facebook/webhook answers 503."
            )

        def not_configured() -> HTTPResponse:
            return response.json({"error": "Facebook Messenger is not configured on this server"}, status=503)

        @webhook.listener("after_server_stop")
        async def close_client(*_: Any) -> None:
            await self.client.close()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok" if config.configured else "not configured"})

        @webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not config.configured:
                return not_configured()
            token = request.args.get("hub.verify_token") or ""
            challenge = request.args.get("hub.challenge")
            if request.args.get("hub.mode") != "subscribe" or not hmac.compare_digest(
                token.encode("utf-8"), config.verify_token.encode("utf-8")
            ):
                logger.warning("Facebook webhook verification with a wrong verify token or mode")
                return response.json({"error": "verification failed"}, status=403)
            if not challenge:
                return response.json({"error": "hub.challenge is missing"}, status=400)
            return response.text(challenge)

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not config.configured:
                return not_configured()
            body = request.body or b""
            if not signature_valid(
                config.app_secret,
                body,
                request.headers.get("X-Hub-Signature-256"),
                request.headers.get("X-Hub-Signature"),
            ):
                logger.warning("A Facebook webhook post without a valid signature was refused")
                return response.json({"error": "invalid signature"}, status=403)
            try:
                messages = incoming_messages(json.loads(body))
            except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
                return response.json({"error": "Forespørselen må være et JSON-objekt."}, status=400)
            fresh = [m for m in messages if not await self._is_redelivery(m.message_id)]
            if fresh:
                self._schedule(fresh, handle)
            return response.json({"status": "EVENT_RECEIVED"})

        return webhook
