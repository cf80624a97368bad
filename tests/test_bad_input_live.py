"""The whole bad-input list against real Rasa and action servers over REST, then the desk.

One stack per module (starting Rasa costs about 20 s), on PostgreSQL when TEST_DATABASE_URL is
set (the stricter database: its text cannot hold NUL), else on a SQLite file. Every answer is
a 200 with polite text or a 4xx with a JSON error, never a 500; nothing shows up as a traceback
in the servers' logs; the rate limit answers in a live server; and the desk shows a ticket
whose conversation held the hostile text with that text escaped.
"""

from __future__ import annotations

import json
import re
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import socketio
import sqlalchemy as sa
from sanic import Sanic

from bot import accounts, cases
from bot.channels import conversation_ids
from bot.channels.guard import notice
from bot.db import get_engine
from bot.desk import create_app
from tests.kommune_facts import OPENS
from tests.library_db import prepare_database
from tests.live import Chat, free_port, serve_in_loop, start_actions, start_rasa, stop_in_loop, wait_for

Sanic.test_mode = True
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "Robert'); DROP TABLE sk_tickets; --"
PASSWORD = "riktig-hest-batteri"


@pytest.fixture(scope="module")
def stack(
    model_path: Path, tmp_path_factory: pytest.TempPathFactory, postgres_url: str | None
) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("bad-input")
    database_url = postgres_url or f"sqlite:///{tmp / 'bad-input.db'}"
    prepare_database(database_url)
    ports = {"actions": free_port(), "rasa": free_port()}
    processes = [
        start_actions(ports["actions"], database_url, tmp),
        start_rasa(ports["rasa"], ports["actions"], database_url, model_path, tmp),
    ]
    try:
        wait_for(f"http://127.0.0.1:{ports['actions']}/health", processes[0])
        wait_for(f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/", processes[1])
        yield {"port": ports["rasa"], "database_url": database_url, "processes": processes}
    finally:
        for process in processes:
            process.stop()


def post(port: int, body: bytes) -> tuple[int, Any]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, json.loads(answer.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def message(text: str, sender: str | None = None) -> bytes:
    return json.dumps({"sender": sender or f"bad-{uuid.uuid4().hex[:8]}", "message": text}).encode()


BAD_MESSAGES = [
    "",
    "   \n\t ",
    "\x00",
    "hei\x00 når er dere åpne?",
    "\x01\x02\x03\x1b[2J\x7f",
    "🙂",
    "👍🏽👍🏽👍🏽",
    "\ud83d",  # half an emoji
    "x" * 10_000,
    "Hei! " * 2_000,
    HTML,
    SQL,
    "1 OR 1=1; SELECT * FROM sk_staff",
    "{{7*7}} ${7*7} {telefon}",
    "\u202eåpningstider\u202c",
    "når er dere åpne? fnr ０１０１９０１２４８０",
    "/restart",
    '/inform{"contact_method": "\\u0000"}',
    "a\r\nb\rc\u2028d",
]
BAD_BODIES = [
    b"",
    b"{",
    b'{"sender": "a", "message": "hei"',
    b"sender=a&message=hei",
    b'{"sender": "a", "message": "bl\xe5b\xe6r"}',  # Latin-1, not UTF-8
    b"\xff\xfe\x00\x00",
    b"[1, 2, 3]",
    b"null",
    b'{"message": "hei"}',
    b'{"sender": null, "message": "hei"}',
    b'{"sender": {"id": 1}, "message": "hei"}',
    b'{"sender": "a\\u0000b", "message": "hei"}',
    b'{"sender": "a", "message": 42}',
    b'{"sender": "a", "message": ["hei"]}',
    b'{"sender": "a", "message": null}',
    b'{"sender": "a", "message": "hei", "metadata": "x"}',
    b"[" * 100_000,
]


def _assert_polite(texts: list[str]) -> None:
    assert texts and all(isinstance(t, str) and t.strip() for t in texts), texts
    for text in texts:
        assert "Traceback" not in text and "Exception" not in text, text


def test_every_bad_input_gets_a_polite_answer_or_a_json_4xx(stack: dict[str, Any]) -> None:
    port = stack["port"]
    for text in BAD_MESSAGES:
        status, answer = post(port, message(text))
        assert status == 200, (text[:40], status, answer)
        _assert_polite([m.get("text", "") for m in answer])
    for body in BAD_BODIES:
        status, answer = post(port, body)
        assert 400 <= status < 500 and isinstance(answer["error"], str) and answer["error"], (body[:40], status)
    # What the guard answers itself, exactly.
    assert post(port, message(""))[1][0]["text"] == notice("empty_message")
    assert post(port, message("x" * 10_000))[1][0]["text"] == notice("too_long", max_chars=2000)
    masked = [m["text"] for m in post(port, message("når er dere åpne? fnr ０１０１９０１２４８０"))[1]]
    assert masked[0] == notice("id_number_masked") and OPENS in masked[1]
    for process in stack["processes"]:
        log = process.log.read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in log, log[-3000:]


def test_the_rate_limit_answers_in_a_live_server(stack: dict[str, Any]) -> None:
    chat = Chat(stack["port"], f"rask-{uuid.uuid4().hex[:8]}")
    answers = [chat.say("hei") for _ in range(20)]
    assert notice("rate_limited") not in answers
    assert chat.say("når er dere åpne?") == notice("rate_limited")
    assert "113" in chat.say("det brenner i naboens hus")  # an emergency is never held back


async def test_the_desk_shows_the_hostile_conversation_escaped(
    stack: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = Chat(stack["port"], f"fiendtlig-{uuid.uuid4().hex[:8]}")
    for text in [HTML, SQL, "hei\x00 der\x1b", "🙂"]:
        assert chat.say(text)
    assert "Hva gjelder saken" in chat.say("jeg vil snakke med en person")
    assert "Hva heter du" in chat.say(f"Søppeldunken er ikke tømt {HTML}")
    assert "Hvordan kan vi nå deg" in chat.say(f"Kari {HTML}")
    assert "Er det greit" in chat.say("912 34 567")
    reference = re.search(r"SK-\d{4}-\d{5}", chat.say("ja"))
    assert reference
    ticket = cases.get_ticket(reference.group(), url=stack["database_url"])
    assert ticket is not None and HTML in ticket.summary and "\x00" not in ticket.summary

    monkeypatch.setenv("DATABASE_URL", stack["database_url"])
    username = f"vakt{uuid.uuid4().hex[:6]}"
    accounts.create_user(username, "Vakt Saksbehandler", PASSWORD, "agent")
    app = create_app()
    base, server = await serve_in_loop(app)
    try:
        jar = aiohttp.CookieJar(unsafe=True)
        async with aiohttp.ClientSession(cookie_jar=jar) as session:
            async with session.get(f"{base}/login") as login_page:
                csrf = re.search(r'name="csrf" value="([^"]+)"', await login_page.text()).group(1)
            form = {"brukernavn": username, "passord": PASSWORD, "neste": "/", "csrf": csrf}
            async with session.post(f"{base}/login", data=form, allow_redirects=False) as logged_in:
                assert logged_in.status == 303
            async with session.get(f"{base}/sak/{ticket.reference}") as page:
                status, text = page.status, await page.text()
    finally:
        await stop_in_loop(server)
    assert status == 200
    assert "<script>alert" not in text and "<img src=x" not in text
    assert text.count("&lt;script&gt;") >= 3  # the transcript, the summary and the name
    assert "hei der" in text and "\x00" not in text
    assert "DROP TABLE sk_tickets" in text.replace("&#39;", "'")


async def test_odd_socketio_payloads_in_a_live_server(stack: dict[str, Any]) -> None:
    """The widget's channel: odd payloads are dropped or answered, and only clean text is stored."""
    client = socketio.AsyncClient()
    confirmed: list[str] = []
    said: list[str] = []
    client.on("session_confirm", lambda session_id: confirmed.append(session_id))
    client.on("bot_uttered", lambda data: said.append(data.get("text", "")))
    await client.connect(f"http://127.0.0.1:{stack['port']}", transports=["polling"], socketio_path="/socket.io")
    try:
        await client.call("session_request", {"session_id": "a\x00b"}, timeout=30)
        # A fresh id the server issued instead
        assert len(confirmed) == 1 and conversation_ids.verified(confirmed[0]) == confirmed[0]
        session_id = confirmed[0]
        for odd in ["hei", [1, 2], None]:
            await client.call("user_uttered", odd, timeout=30)
        assert said == []  # not a message: dropped
        await client.call("user_uttered", {"message": 5, "session_id": ["x"]}, timeout=30)
        # The session id a message names counts for nothing: the connection's own is used.
        await client.call(
            "user_uttered", {"message": "når er\x00 dere åpne?\x1b", "session_id": "en-annens-samtale"}, timeout=60
        )
    finally:
        await client.disconnect()
    assert said[0] == notice("empty_message") and OPENS in said[-2]
    assert said[-1] == notice("feedback_question")  # after an answer from the library
    with get_engine(stack["database_url"]).connect() as connection:
        rows = connection.execute(
            sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user'"), {"s": session_id}
        )
        texts = [json.loads(row.data)["text"] for row in rows]
    assert texts == ["når er dere åpne?"]
    for process in stack["processes"]:
        assert "Traceback" not in process.log.read_text(encoding="utf-8", errors="replace")
