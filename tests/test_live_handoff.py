"""Live handoff end to end over the widget's Socket.IO channel, with real Rasa and action servers.

The staff side calls `bot.cases.live` directly here (the desk's pages over it are tested in
tests/desk/test_live_browser.py). The office is open around the clock in this test's kommune file,
and a citizen waits only a few seconds before a callback is offered.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import socketio

from bot.cases import live
from bot.cases.service import get_ticket
from bot.cases.transcript import ticket_transcript
from tests import test_messenger as messenger
from tests.fake_graph import FakeGraph
from tests.kommune_facts import open_around_the_clock
from tests.library_db import prepare_database
from tests.live import free_port, start_actions, start_rasa, wait_for

WAIT_SECONDS = 6


@pytest.fixture(scope="module")
def stack(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("handoff")
    kommune_file = open_around_the_clock(tmp)
    database = f"sqlite:///{tmp / 'handoff.db'}"
    prepare_database(database)
    ports = {"actions": free_port(), "rasa": free_port()}
    graph = FakeGraph().start()
    with pytest.MonkeyPatch.context() as env:
        env.setenv("FACEBOOK_VERIFY_TOKEN", messenger.VERIFY)
        env.setenv("FACEBOOK_APP_SECRET", messenger.SECRET)
        env.setenv("FACEBOOK_PAGE_ACCESS_TOKEN", messenger.TOKEN)
        env.setenv("FACEBOOK_GRAPH_URL", graph.url)
        env.setenv("KOMMUNE_FILE", str(kommune_file))
        env.setenv("LIVE_CHAT_WAIT_SECONDS", str(WAIT_SECONDS))
        env.setenv("LIVE_POLL_SECONDS", "0.3")
        processes = [
            start_actions(ports["actions"], database, tmp),
            start_rasa(ports["rasa"], ports["actions"], database, model_path, tmp),
        ]
        try:
            wait_for(f"http://127.0.0.1:{ports['actions']}/health", processes[0])
            wait_for(f"http://127.0.0.1:{ports['rasa']}/webhooks/livechat/", processes[1])
            yield {
                "port": ports["rasa"],
                "database": database,
                "base": f"http://127.0.0.1:{ports['rasa']}",
                "graph": graph,
            }
        finally:
            for process in processes:
                process.stop()
            graph.stop()


class Citizen:
    """A widget: one Socket.IO connection with a persistent session id."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.session_id: str | None = None  # the server issues it
        self.client = socketio.AsyncClient()
        self.inbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.confirmed: asyncio.Queue[str] = asyncio.Queue()
        self.client.on("bot_uttered", self._received)
        self.client.on("session_confirm", self.confirmed.put)

    async def _received(self, data: dict[str, Any]) -> None:
        await self.inbox.put(data)

    async def connect(self) -> None:
        # Long polling: the websocket transport of python-socketio needs a newer aiohttp than Rasa pins.
        await self.client.connect(f"http://127.0.0.1:{self.port}", transports=["polling"])
        await self.client.emit("session_request", {"session_id": self.session_id})
        self.session_id = await asyncio.wait_for(self.confirmed.get(), timeout=30)

    async def say(self, text: str) -> None:
        await self.client.emit("user_uttered", {"message": text, "session_id": self.session_id})

    async def expect(self, pattern: str, timeout: float = 30) -> dict[str, Any]:
        """The next message matching `pattern`; earlier ones are skipped."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no message matching {pattern!r}")
            message = await asyncio.wait_for(self.inbox.get(), timeout=left)
            if re.search(pattern, message.get("text") or ""):
                return message

    async def silence(self, seconds: float) -> list[dict[str, Any]]:
        await asyncio.sleep(seconds)
        heard = []
        while not self.inbox.empty():
            heard.append(self.inbox.get_nowait())
        return heard


async def _waiting_chat(database: str, conversation_id: str, timeout: float = 20) -> live.LiveChatView:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        chat = live.open_chat(conversation_id, url=database)
        if chat is not None:
            return chat
        await asyncio.sleep(0.2)
    raise AssertionError("the live chat never reached the desk's list")


def test_a_staff_member_takes_over_the_chat_and_hands_it_back(stack: dict[str, Any]) -> None:
    database = stack["database"]

    async def conversation() -> str:
        live.set_available("kari", True, url=database)
        citizen = Citizen(stack["port"])
        await citizen.connect()
        await citizen.say("når er dere åpne?")
        await citizen.expect(r"kl\. 00\.00")
        await citizen.say("jeg vil snakke med en person")
        offer = await citizen.expect(r"chatte med deg nå")
        assert [b["payload"] for b in offer.get("quick_replies") or offer.get("buttons") or []] == ["/affirm", "/deny"]
        await citizen.say("/affirm")
        await citizen.expect(r"Vent litt")
        chat = await _waiting_chat(database, citizen.session_id)
        assert chat.channel == "socketio"

        chat = live.accept(chat.id, actor="kari", url=database)
        await citizen.expect(r"Nå chatter du med en medarbeider")
        live.send_message(
            chat.id, "Hei, jeg heter Kari. Hva kan jeg hjelpe med?", actor="kari", actor_name="Kari", url=database
        )
        staff_message = await citizen.expect(r"jeg heter Kari")
        assert staff_message.get("sender") == "staff" and staff_message.get("sender_name") == "Kari"

        await citizen.say("Søppeldunken min er ødelagt, og fnr er 01019012480")
        heard = await citizen.silence(3)
        assert [m.get("text") for m in heard if "fødselsnummer" not in (m.get("text") or "")] == []

        live.hand_back(chat.id, actor="kari", url=database)
        await citizen.expect(r"chatboten deg igjen")
        await citizen.say("hvor leverer jeg hageavfall")
        await citizen.expect(r"gjenvinning|hageavfall|avfall", timeout=30)
        await citizen.client.disconnect()
        return chat.ticket_reference or ""

    reference = asyncio.run(conversation())
    ticket = get_ticket(reference, url=database)
    lines = ticket_transcript(ticket, url=database)
    said = [(line.speaker, line.text) for line in lines]
    assert ("staff", "Hei, jeg heter Kari. Hva kan jeg hjelpe med?") in said
    citizen_lines = [text for speaker, text in said if speaker == "citizen"]
    assert any(text.startswith("Søppeldunken min er ødelagt") for text in citizen_lines)
    assert not any("01019012480" in text for _, text in said)
    assert any("chatboten deg igjen" in text for speaker, text in said if speaker == "bot")


def test_nobody_answers_and_the_citizen_gets_a_callback_form(stack: dict[str, Any]) -> None:
    database = stack["database"]

    async def conversation() -> None:
        live.set_available("ola", True, url=database)
        citizen = Citizen(stack["port"])
        await citizen.connect()
        await citizen.say("kan jeg chatte med en person")
        await citizen.expect(r"chatte med deg nå")
        await citizen.say("ja")
        await citizen.expect(r"Vent litt")
        no_answer = await citizen.expect(r"ingen medarbeider kunne svare", timeout=WAIT_SECONDS + 20)
        assert [b["payload"] for b in no_answer.get("quick_replies") or no_answer.get("buttons") or []] == [
            "/affirm",
            "/deny",
        ]
        await citizen.say("/affirm")
        await citizen.expect(r"Hva gjelder saken")
        await citizen.client.disconnect()
        chat = live.list_open_chats(url=database)
        assert all(c.conversation_id != citizen.session_id for c in chat)

    asyncio.run(conversation())


def test_without_staff_the_citizen_gets_the_callback_form_at_once(stack: dict[str, Any]) -> None:
    database = stack["database"]
    for username in ("kari", "ola"):
        live.set_available(username, False, url=database)

    async def conversation() -> None:
        citizen = Citizen(stack["port"])
        await citizen.connect()
        await citizen.say("jeg vil snakke med en person")
        await citizen.expect(r"Hva gjelder saken")
        await citizen.client.disconnect()

    asyncio.run(conversation())


def test_a_live_chat_in_messenger(stack: dict[str, Any]) -> None:
    """The same handoff for a citizen on the municipality's Facebook page (fake Graph API)."""
    database = stack["database"]
    live.set_available("kari", True, url=database)
    citizen = messenger.Citizen(stack)
    citizen.say("når blir søpla hentet", expect="")
    offer = citizen.say("jeg vil snakke med en person", expect="chatte med deg nå")
    replies = citizen.last[-1].get("quick_replies") or []
    assert [r["payload"] for r in replies] == ["/affirm", "/deny"]
    citizen.tap(replies[0], expect="Vent litt")
    assert "chatte med deg nå" in offer
    chat = asyncio.run(_waiting_chat(database, citizen.psid))
    assert chat.channel == "facebook"

    graph: FakeGraph = stack["graph"]
    before = len(graph.messages_to(citizen.psid))
    chat = live.accept(chat.id, actor="kari", url=database)
    graph.wait_for_text(citizen.psid, "Nå chatter du med en medarbeider", after=before)
    live.send_message(chat.id, "Hei! Hva gjelder det?", actor="kari", actor_name="Kari", url=database)
    graph.wait_for_text(citizen.psid, "Hei! Hva gjelder det?", after=before)

    status, _ = messenger.post_webhook(
        stack["base"], messenger.webhook_body(messenger.text_event(citizen.psid, "Dunken min er knust"))
    )
    assert status == 200
    time.sleep(3)
    texts = graph.texts_to(citizen.psid)[before:]
    assert not any("forstod" in text or "Prøv å skrive" in text for text in texts)  # the bot stayed silent

    before = len(graph.messages_to(citizen.psid))
    live.close_chat(chat.id, actor="kari", url=database)
    graph.wait_for_text(citizen.psid, "avsluttet chatten", after=before)
    answer = citizen.say("når er dere åpne?", expect="kl.")
    assert "00.00" in answer
    lines = ticket_transcript(get_ticket(chat.ticket_reference, url=database), url=database)
    assert ("citizen", "Dunken min er knust") in [(line.speaker, line.text) for line in lines]
    assert ("staff", "Hei! Hva gjelder det?") in [(line.speaker, line.text) for line in lines]
