"""Two Rasa servers on one PostgreSQL database and one Redis lock store serve the same conversations.

Each conversation's messages alternate between the servers while many conversations run at once,
and some messages of one conversation arrive at both servers at the same moment. Afterwards the
tracker store must hold every message once, in the order sent, each answered before the next.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
import sqlalchemy as sa

from bot.db import get_engine
from tests.kommune_facts import OPENS
from tests.library_db import prepare_database
from tests.live import Chat, free_port, start_actions, start_rasa, wait_for

REDIS_URL = "redis://127.0.0.1:6379/1"

TICKET_CONVERSATION = [
    ("hei", None),
    ("når er dere åpne?", OPENS),
    ("jeg vil snakke med en person", "Hva gjelder saken"),
    ("Jeg lurer på eiendomsskatten for huset mitt", "Hva heter du"),
    ("Kari Nordmann", "Hvordan kan vi nå deg"),
    ("912 34 567", "Er det greit"),
    ("ja", "SK-"),
    ("takk for hjelpen", None),
]


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping())
    except redis.exceptions.RedisError:
        return False


@pytest.fixture(scope="module")
def servers(model_path: Path, postgres_url: str | None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    if not postgres_url:
        pytest.skip("TEST_DATABASE_URL is not set (the scale-out test runs on PostgreSQL in CI)")
    if not _redis_up():
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    tmp = tmp_path_factory.mktemp("scale")
    prepare_database(postgres_url)
    action_port, port_a, port_b = free_port(), free_port(), free_port()
    processes = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LOCK_STORE_URL", REDIS_URL)
        try:
            actions = start_actions(action_port, postgres_url, tmp)
            processes.append(actions)
            rasa_a = start_rasa(port_a, action_port, postgres_url, model_path, tmp)
            processes.append(rasa_a)
            rasa_b = start_rasa(port_b, action_port, postgres_url, model_path, tmp)
            processes.append(rasa_b)
            wait_for(f"http://127.0.0.1:{action_port}/health", actions)
            wait_for(f"http://127.0.0.1:{port_a}/webhooks/rest/", rasa_a)
            wait_for(f"http://127.0.0.1:{port_b}/webhooks/rest/", rasa_b)
            yield {"ports": (port_a, port_b), "url": postgres_url, "logs": [p.log for p in processes]}
        finally:
            for process in processes:
                process.stop()


def _events(url: str, sender: str) -> list[dict]:
    with get_engine(url).connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :sender ORDER BY id"), {"sender": sender}
        )
        return [json.loads(row.data) for row in rows]


def _turns(events: list[dict]) -> list[tuple[str, list[dict]]]:
    """Each user message with the events that followed it, up to the next user message."""
    turns: list[tuple[str, list[dict]]] = []
    for event in events:
        if event["event"] == "user":
            turns.append((event.get("text") or "", []))
        elif turns:
            turns[-1][1].append(event)
    return turns


def _assert_each_message_answered_before_the_next(turns: list[tuple[str, list[dict]]]) -> None:
    for text, after in turns:
        kinds = [e["event"] for e in after]
        assert "bot" in kinds, f"{text!r} got no answer: {kinds}"
        last_action = [e.get("name") for e in after if e["event"] == "action"][-1]
        assert last_action == "action_listen", f"{text!r} was interrupted: {kinds}"


def _alternating_conversation(ports: tuple[int, int]) -> tuple[str, list[str]]:
    sender = f"scale-{uuid.uuid4().hex[:10]}"
    chats = [Chat(port, sender) for port in ports]
    for index, (text, expected) in enumerate(TICKET_CONVERSATION):
        answer = chats[index % 2].say(text)
        if expected:
            assert expected in answer, f"{text!r} -> {answer!r}"
    return sender, [text for text, _ in TICKET_CONVERSATION]


def test_conversations_alternating_between_two_servers_lose_nothing(servers: dict) -> None:
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda _: _alternating_conversation(servers["ports"]), range(20)))
    for sender, sent in results:
        turns = _turns(_events(servers["url"], sender))
        assert [text for text, _ in turns] == sent
        _assert_each_message_answered_before_the_next(turns)
    with get_engine(servers["url"]).connect() as connection:
        senders = [sender for sender, _ in results]
        tickets = connection.execute(
            sa.text("SELECT conversation_id FROM sk_tickets WHERE conversation_id IN :senders").bindparams(
                sa.bindparam("senders", expanding=True)
            ),
            {"senders": senders},
        ).all()
    assert sorted(row.conversation_id for row in tickets) == sorted(senders)


def _burst(ports: tuple[int, int]) -> tuple[str, list[str]]:
    """Four messages of one conversation sent at the same moment, two to each server."""
    sender = f"burst-{uuid.uuid4().hex[:10]}"
    Chat(ports[0], sender).say("hei")
    texts = ["når er dere åpne", "hvor er servicetorget", "hvordan søker jeg barnehageplass", "takk"]
    barrier = threading.Barrier(len(texts))

    def send(index: int) -> str:
        chat = Chat(ports[index % 2], sender)
        barrier.wait()
        return chat.say(texts[index])

    with ThreadPoolExecutor(max_workers=len(texts)) as pool:
        answers = list(pool.map(send, range(len(texts))))
    assert all(answers), answers
    return sender, ["hei", *texts]


def test_simultaneous_messages_to_both_servers_are_handled_one_at_a_time(servers: dict) -> None:
    with ThreadPoolExecutor(max_workers=10) as pool:
        results = list(pool.map(lambda _: _burst(servers["ports"]), range(10)))
    for sender, sent in results:
        turns = _turns(_events(servers["url"], sender))
        assert sorted(text for text, _ in turns) == sorted(sent)
        assert turns[0][0] == "hei"
        _assert_each_message_answered_before_the_next(turns)
    for log in servers["logs"]:
        assert "Traceback" not in log.read_text(encoding="utf-8", errors="replace")
