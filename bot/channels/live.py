"""Live chat inside the Rasa server: a Rasa `InputChannel` that relays between staff and citizens.

It has no webhook of its own. When Rasa starts, it runs a background task that every
`LIVE_POLL_SECONDS` (1 s):
- ends chats nobody took in time, and chats whose staff member left (`bot.cases.live.expire`);
- pushes what staff wrote to the citizen through the channel the citizen uses (the widget's
  Socket.IO connection, or Messenger), and records it in the tracker as a bot message marked
  `sender: staff`, so the transcript keeps the whole chat;
- turns the chat's turns (taken, handed back, closed, no answer) into Rasa's external intents
  `EXTERNAL_live_chat_<kind>`, whose rules in data/rules.yml answer from domain.yml.

While a conversation has a waiting or active chat, `bot.channels.guard` calls
`record_citizen_message` instead of Rasa's dialogue: the message is stored, the bot stays silent.
The guard asks the database only about conversations in `open_conversations`, which each round
refreshes: profiling under load showed one query per message as a fifth of the message's time.
With several Rasa servers, only the one holding a widget's Socket.IO connection delivers to it;
each delivery is claimed by one conditional UPDATE, so nothing is sent twice.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Blueprint, Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json

from bot.cases import live
from bot.cases.models import utcnow
from bot.cases.vocabulary import Channel
from bot.settings import get_settings

logger = logging.getLogger(__name__)

# A delivery nobody could make (the citizen closed the page) is given up after this long.
GIVE_UP_AFTER = dt.timedelta(minutes=2)
EXTERNAL_INTENTS = {
    live.ACCEPTED: "EXTERNAL_live_chat_accepted",
    live.HANDED_BACK: "EXTERNAL_live_chat_handed_back",
    live.CLOSED: "EXTERNAL_live_chat_closed",
    live.STAFF_GONE: "EXTERNAL_live_chat_handed_back",
    live.NO_ANSWER: "EXTERNAL_live_chat_no_answer",
}

_relay: LiveChatRelay | None = None


def current_relay() -> LiveChatRelay | None:
    """The running relay, when credentials.yml switches live chat on and Rasa has started."""
    return _relay if _relay is not None and _relay.app is not None else None


class LiveChatRelay(InputChannel):
    """Relays live chats between the desk and the citizen's channel (see the module docstring)."""

    @classmethod
    def name(cls) -> str:
        return "livechat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls()

    def __init__(self) -> None:
        self.app: Sanic | None = None
        self._task: asyncio.Task | None = None
        # Conversations with a waiting or active chat, as of the last round; refreshed every
        # round so the guard need not ask the database about every message.
        self.open_conversations: frozenset[str] = frozenset()

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        global _relay
        _relay = self
        blueprint = Blueprint("livechat_relay", __name__)

        @blueprint.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return json({"status": "ok", "running": self._task is not None and not self._task.done()})

        @blueprint.listener("after_server_start")
        async def start(app: Sanic, _: Any) -> None:
            self.app = app
            self._task = asyncio.create_task(self._run())

        @blueprint.listener("before_server_stop")
        async def stop(app: Sanic, _: Any) -> None:
            if self._task is not None:
                self._task.cancel()

        return blueprint

    # --- the citizen writes during a chat ------------------------------------------------------

    async def record_citizen_message(self, message: UserMessage, chat: live.LiveChatView) -> None:
        """Store the citizen's message in the tracker without running the bot."""
        agent = self.app.ctx.agent  # type: ignore[union-attr]
        async with agent.lock_store.lock(message.sender_id):
            tracker = await agent.processor.get_tracker(message.sender_id)
            tracker.update(
                UserUttered(
                    message.text,
                    intent={},
                    input_channel=message.input_channel,
                    message_id=message.message_id,
                    metadata={**(message.metadata or {}), "live_chat": chat.id},
                )
            )
            await agent.processor.save_tracker(tracker)

    # --- the background task -------------------------------------------------------------------

    async def _run(self) -> None:
        while True:
            try:
                await self.tick()
            except asyncio.CancelledError:
                raise
            except Exception:  # a database hiccup must not stop the relay for good
                logger.exception("Live chat relay failed; trying again")
            await asyncio.sleep(get_settings().live_poll_seconds)

    async def tick(self) -> int:
        """One round: expire chats, then deliver what is pending. Returns how many were delivered."""
        await asyncio.to_thread(live.expire)
        self.open_conversations = await asyncio.to_thread(live.open_conversation_ids)
        delivered = 0
        for delivery in await asyncio.to_thread(live.pending_deliveries):
            output = self._output_channel(delivery.channel)
            reachable = output is not None and self._reaches(delivery)
            if not reachable:
                if utcnow() - delivery.created_at > GIVE_UP_AFTER:
                    await asyncio.to_thread(live.mark_delivered, delivery.id, failed=True)
                continue
            if not await asyncio.to_thread(live.mark_delivered, delivery.id):
                continue  # another server took it
            try:
                await self._deliver(delivery, output)  # type: ignore[arg-type]
                delivered += 1
            except Exception:
                logger.exception("Could not deliver live chat message %s", delivery.id)
        return delivered

    def _output_channel(self, channel: str) -> OutputChannel | None:
        for input_channel in getattr(self.app.ctx, "input_channels", None) or []:  # type: ignore[union-attr]
            if input_channel.name() == channel:
                return input_channel.get_output_channel()
        return None

    def _reaches(self, delivery: live.Delivery) -> bool:
        """A widget is reachable only from the server that holds its Socket.IO connection."""
        if delivery.channel != "socketio":
            return True
        for input_channel in getattr(self.app.ctx, "input_channels", None) or []:  # type: ignore[union-attr]
            sio = getattr(input_channel, "sio", None)
            if input_channel.name() == Channel.WIDGET.value and sio is not None:
                namespace = getattr(input_channel, "namespace", None) or "/"
                return delivery.conversation_id in sio.manager.rooms.get(namespace, {})
        return False

    async def _deliver(self, delivery: live.Delivery, output: OutputChannel) -> None:
        agent = self.app.ctx.agent  # type: ignore[union-attr]
        conversation_id = delivery.conversation_id
        async with agent.lock_store.lock(conversation_id):
            tracker = await agent.processor.get_tracker(conversation_id)
            if delivery.kind != live.TEXT:
                await agent.trigger_intent(EXTERNAL_INTENTS[delivery.kind], [], output, tracker)
                return
            text = delivery.body or ""
            name = delivery.author_name or ""
            metadata = {"sender": "staff", "sender_name": name}
            tracker.update(BotUttered(text, data={}, metadata=metadata))
            await agent.processor.save_tracker(tracker)
        payload = {"text": text, **metadata}
        sio = getattr(output, "sio", None)
        if sio is not None:
            await sio.emit(getattr(output, "bot_message_evt", "bot_uttered"), payload, room=conversation_id)
        else:
            await output.send_custom_json(conversation_id, payload)
