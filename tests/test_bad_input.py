"""Bad input at the citizen channels, in this process with a stand-in for Rasa.

The text hygiene (`bot.sanitize`), the guard's answers to empty and overlong messages, the REST
channel's checks (malformed JSON, invalid UTF-8, wrong types: a JSON 4xx, never a 500), odd
Socket.IO payloads and Messenger bodies. The same list against real Rasa and action servers:
tests/test_bad_input_live.py.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from sanic import Sanic

from bot.channels import conversation_ids
from bot.channels.guard import guarded, notice
from bot.channels.messenger import GuardedMessengerInput, MessengerConfig
from bot.channels.rate_limit import RateLimiter
from bot.channels.rest import MAX_BODY_BYTES, GuardedRestInput
from bot.channels.socketio import GuardedSocketIOInput, clean_message_payload
from bot.pii import MASK, SENDER_PREFIX
from bot.sanitize import clean_sender_id, clean_text, has_visible_text
from tests.live import serve_in_loop, stop_in_loop

# Several Sanic apps start in one process; test mode lets each rewrite Sanic's HTTP class afresh.
Sanic.test_mode = True

ID_NUMBER = "01019012480"  # a valid fødselsnummer
FULLWIDTH_ID = "".join(chr(0xFF10 + int(d)) for d in ID_NUMBER)
ARABIC_INDIC_ID = "".join(chr(0x0660 + int(d)) for d in ID_NUMBER)
HTML = '<script>alert("x")</script><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE sk_tickets; --"
SECRET = "app-secret-for-tests"


class FakeRasa:
    """Stands in for Rasa's `on_new_message`: records the messages and answers each one."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []

    @property
    def texts(self) -> list[str]:
        return [m.text for m in self.received]

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        await message.output_channel.send_response(message.sender_id, {"text": f"Svar: {message.text}"})


def unlimited() -> RateLimiter:
    return RateLimiter(0, 0)


async def say(text: Any, sender: str = "innbygger") -> tuple[FakeRasa, list[str]]:
    """One message through the guard; what Rasa got and what the citizen was told."""
    rasa = FakeRasa()
    out = CollectingOutputChannel()
    message = UserMessage(text if isinstance(text, str) else None, out, sender, input_channel="rest")
    message.text = text  # unstripped, or even no text: what a careless channel could hand over
    await guarded(rasa, unlimited())(message)
    return rasa, [m.get("text", "") for m in out.messages]


# --- bot.sanitize -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,clean",
    [
        ("hei\x00 der", "hei der"),
        ("\x00\x00", ""),
        ("linje 1\r\nlinje 2\rlinje 3\u2028linje 4", "linje 1\nlinje 2\nlinje 3\nlinje 4"),
        ("kolonne\tkolonne", "kolonne\tkolonne"),
        ("bell\x07 escape\x1b[31m rød\x7f", "bell escape[31m rød"),
        ("c1\x85kontroll\x9b", "c1\nkontroll"),
        ("vertikal\x0bfane\x0cside", "vertikal fane side"),
        ("halv emoji \ud83d", "halv emoji"),
        ("\ufeffstartet med BOM", "startet med BOM"),
        ("snudd \u202etekst\u202c her", "snudd tekst her"),
        ("e\u0301 og a\u030a", "é og å"),  # NFD as some keyboards send it
        (f"fnr {FULLWIDTH_ID}", f"fnr {ID_NUMBER}"),
        ("٩١٢ ٣٤ ٥٦٧", "912 34 567"),
        ("👍🏽 👨\u200d👩\u200d👧 🇳🇴", "👍🏽 👨\u200d👩\u200d👧 🇳🇴"),  # emoji sequences stay whole
        (HTML, HTML),  # markup is text, escaped where it is shown
        (SQL, SQL),  # so is SQL: every query is parameterised
        ("  mellomrom  \n", "mellomrom"),
        (None, ""),
    ],
)
def test_clean_text(typed: str | None, clean: str) -> None:
    assert clean_text(typed) == clean
    assert clean_text(clean) == clean


@pytest.mark.parametrize("text,visible", [("", False), (" \n\t", False), ("\u200b\u2060", False), ("👍", True)])
def test_visible_text(text: str, visible: bool) -> None:
    assert has_visible_text(text) is visible


@pytest.mark.parametrize(
    "value,sender",
    [
        ("abc-123", "abc-123"),
        (" 42 ", "42"),
        (1234567890123, "1234567890123"),
        ("a" * 128, "a" * 128),
        ("a" * 129, None),
        ("", None),
        ("   ", None),
        ("a\x00b", None),
        ("linje\nskift", None),
        ("\ud800", None),
        (True, None),
        (None, None),
        (["a"], None),
        ({"id": "a"}, None),
        (1.5, None),
    ],
)
def test_clean_sender_id(value: Any, sender: str | None) -> None:
    assert clean_sender_id(value) == sender


# --- the guard ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00", "\x01\x02\x1b", "\u200b", "\ud83d", None, 42])
async def test_empty_messages_get_a_prompt_and_rasa_is_not_called(text: Any) -> None:
    rasa, told = await say(text)
    assert rasa.received == []
    assert told == [notice("empty_message")]
    assert "Skriv spørsmålet ditt" in told[0]


async def test_control_characters_never_reach_rasa() -> None:
    rasa, told = await say("når\x00 er dere\x07 åpne?\r\nhilsen\x1b Kari")
    assert rasa.texts == ["når er dere åpne?\nhilsen Kari"]
    assert told == ["Svar: når er dere åpne?\nhilsen Kari"]


@pytest.mark.parametrize("id_number", [ID_NUMBER, FULLWIDTH_ID, ARABIC_INDIC_ID])
async def test_id_numbers_in_any_digits_are_masked(id_number: str) -> None:
    rasa, told = await say(f"mitt nummer er {id_number}, kan dere ringe meg?")
    assert rasa.texts == [f"mitt nummer er {MASK}, kan dere ringe meg?"]
    assert told[0] == notice("id_number_masked")


async def test_ten_thousand_characters_are_refused_politely() -> None:
    rasa, told = await say("Hei. " + "a" * 10_000)
    assert rasa.received == []
    assert told == [notice("too_long", max_chars=2000)]
    rasa, told = await say("\x00" * 2500 + "hei")  # cleaned first: short enough
    assert rasa.texts == ["hei"]


@pytest.mark.parametrize("text", ["👍", "🙂🙂🙂", HTML, SQL, "a" * 2000, "/affirm", '/inform{"x": "y"}'])
async def test_odd_but_valid_text_reaches_rasa_unchanged(text: str) -> None:
    rasa, told = await say(text)
    assert rasa.texts == [text]
    assert told == [f"Svar: {text}"]


# --- the REST channel ---------------------------------------------------------------------------


async def _serve(blueprint: Any, prefix: str) -> tuple[str, Any]:
    app = Sanic(f"bad_input_{uuid.uuid4().hex[:8]}")
    app.blueprint(blueprint, url_prefix=prefix)
    return await serve_in_loop(app)


async def _stop(server: Any) -> None:
    await stop_in_loop(server)


@pytest.fixture
async def rest() -> AsyncIterator[dict[str, Any]]:
    rasa = FakeRasa()
    base, server = await _serve(GuardedRestInput().blueprint(rasa), "/webhooks/rest")
    yield {"url": f"{base}/webhooks/rest/webhook", "rasa": rasa}
    await _stop(server)


async def post(url: str, body: bytes, headers: dict[str, str] | None = None) -> tuple[int, str, Any]:
    async with aiohttp.ClientSession() as session:
        async with session.post(url, data=body, headers=headers or {"Content-Type": "application/json"}) as answer:
            text = await answer.text()
            return answer.status, answer.headers.get("Content-Type", ""), json.loads(text)


def body(**fields: Any) -> bytes:
    return json.dumps(fields).encode()


# (name, body, status, a word the Norwegian explanation must contain)
REFUSED = [
    ("malformed JSON", b'{"sender": "a", "message": "hei"', 400, "gyldig JSON"),
    ("not JSON at all", b"sender=a&message=hei", 400, "gyldig JSON"),
    ("empty body", b"", 400, "gyldig JSON"),
    ("invalid UTF-8", b'{"sender": "a", "message": "\xff\xfe hei \xc3"}', 400, "UTF-8"),
    ("Latin-1, not UTF-8", '{"sender": "a", "message": "blåbær"}'.encode("latin-1"), 400, "UTF-8"),
    ("a JSON list", b'[{"sender": "a", "message": "hei"}]', 400, "JSON-objekt"),
    ("a JSON string", b'"hei"', 400, "JSON-objekt"),
    ("deeply nested", b'{"sender": "a", "message": "hei", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", 400, "JSON"),
    ("missing sender", body(message="hei"), 400, "«sender» mangler"),
    ("null sender", body(sender=None, message="hei"), 400, "«sender» mangler"),
    ("empty sender", body(sender="", message="hei"), 400, "«sender» må"),
    ("sender object", body(sender={"id": 1}, message="hei"), 400, "«sender» må"),
    ("sender true", body(sender=True, message="hei"), 400, "«sender» må"),
    ("sender with NUL", body(sender="a\x00b", message="hei"), 400, "«sender» må"),
    ("sender too long", body(sender="a" * 500, message="hei"), 400, "«sender» må"),
    ("missing message", body(sender="a"), 400, "«message» mangler"),
    ("null message", body(sender="a", message=None), 400, "«message» mangler"),
    ("number message", body(sender="a", message=123), 400, "«message» må være tekst"),
    ("list message", body(sender="a", message=["hei"]), 400, "«message» må være tekst"),
    ("object message", body(sender="a", message={"text": "hei"}), 400, "«message» må være tekst"),
    ("metadata string", body(sender="a", message="hei", metadata="x"), 400, "«metadata»"),
    ("metadata huge", body(sender="a", message="hei", metadata={"x": "y" * 20_000}), 400, "«metadata» er for stort"),
    ("body too large", body(sender="a", message="a" * (MAX_BODY_BYTES + 1)), 413, "for stor"),
]


@pytest.mark.parametrize("name,payload,status,explanation", REFUSED, ids=[r[0] for r in REFUSED])
async def test_bad_rest_requests_get_a_json_4xx_in_norwegian(
    rest: dict[str, Any], name: str, payload: bytes, status: int, explanation: str
) -> None:
    got, content_type, answer = await post(rest["url"], payload)
    assert (got, content_type) == (status, "application/json")
    assert set(answer) == {"error"} and explanation in answer["error"]
    assert rest["rasa"].received == []


# (name, message, what Rasa sees or None, what the citizen is told)
ANSWERED = [
    ("empty text", "", None, "Skriv spørsmålet ditt"),
    ("only spaces", "   \n ", None, "Skriv spørsmålet ditt"),
    ("only control characters", "\x00\x01\x1b", None, "Skriv spørsmålet ditt"),
    ("lone surrogate", "\ud83d", None, "Skriv spørsmålet ditt"),
    ("10,000 characters", "x" * 10_000, None, "for lang"),
    ("NUL inside", "hei\x00 der", "hei der", "Svar: hei der"),
    ("emoji only", "🙂👍", "🙂👍", "Svar: 🙂👍"),
    ("HTML", HTML, HTML, "Svar: <script>"),
    ("SQL", SQL, SQL, "Svar: '; DROP"),
]


@pytest.mark.parametrize("name,message,seen,told", ANSWERED, ids=[a[0] for a in ANSWERED])
async def test_odd_messages_get_a_polite_200(
    rest: dict[str, Any], name: str, message: str, seen: str | None, told: str
) -> None:
    payload = json.dumps({"sender": "kari", "message": message}).encode()  # \ud83d stays escaped
    status, _, answer = await post(rest["url"], payload)
    assert status == 200
    assert rest["rasa"].texts == ([seen] if seen else [])
    assert len(answer) == 1 and told in answer[0]["text"] and answer[0]["recipient_id"] == "kari"


async def test_a_client_cannot_choose_another_channel(rest: dict[str, Any]) -> None:
    payload = body(sender=1234, message="hei", input_channel="facebook", metadata={"side": "forsiden"})
    status, _, _ = await post(rest["url"], payload, {})  # curl sends no Content-Type: still JSON
    assert status == 200
    [message] = rest["rasa"].received
    assert (message.sender_id, message.input_channel, message.metadata) == ("1234", "rest", {"side": "forsiden"})


async def test_a_client_cannot_set_the_address_pseudonym_itself(rest: dict[str, Any]) -> None:
    status, _, _ = await post(rest["url"], body(sender="kari", message="hei", metadata={"sk_client": "falsk"}))
    [message] = rest["rasa"].received
    assert status == 200 and "sk_client" not in message.metadata


async def test_a_sender_id_that_is_an_id_number_is_never_stored(rest: dict[str, Any]) -> None:
    status, _, answer = await post(rest["url"], body(sender="01019012480", message="hei"))
    [message] = rest["rasa"].received
    assert status == 200 and message.sender_id.startswith(SENDER_PREFIX) and "12480" not in message.sender_id
    assert answer[0]["recipient_id"] == message.sender_id
    assert conversation_ids.verified("010190 12480") is None  # the web chat never takes it as an id


async def test_the_rest_channel_answers_only_this_machine_or_the_secret(
    rest: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """It takes the conversation id from the caller, so it is for trusted back ends only."""
    hello = body(sender="kari", message="hei")
    json_type = {"Content-Type": "application/json"}
    assert (await post(rest["url"], hello))[0] == 200  # this machine, directly
    status, _, answer = await post(rest["url"], hello, {**json_type, "X-Forwarded-For": "203.0.113.9"})
    assert status == 403 and "REST_SECRET" in answer["error"]  # through a proxy: someone else
    monkeypatch.setenv("REST_SECRET", "portal-hemmelighet")
    status, _, answer = await post(rest["url"], hello)
    assert status == 401 and "REST_SECRET" in answer["error"]
    wrong = {**json_type, "Authorization": "Bearer gjetting"}
    assert (await post(rest["url"], hello, wrong))[0] == 401
    right = {**json_type, "Authorization": "Bearer portal-hemmelighet", "X-Forwarded-For": "203.0.113.9"}
    assert (await post(rest["url"], hello, right))[0] == 200
    assert [m.text for m in rest["rasa"].received] == ["hei", "hei"]


async def test_streaming_still_works_and_is_guarded(rest: dict[str, Any]) -> None:
    async with aiohttp.ClientSession() as session:
        async with session.post(rest["url"] + "?stream=true", data=body(sender="s", message="hei\x00!")) as answer:
            lines = (await answer.text()).splitlines()
    assert answer.status == 200 and [json.loads(line)["text"] for line in lines] == ["Svar: hei!"]


async def test_a_failing_guard_still_answers_200_with_the_phone_number(monkeypatch: pytest.MonkeyPatch) -> None:
    async def broken(message: UserMessage) -> None:
        raise RuntimeError("the guard itself failed")

    monkeypatch.setattr("bot.channels.rest.guarded", lambda handler: broken)
    base, server = await _serve(GuardedRestInput().blueprint(FakeRasa()), "/webhooks/rest")
    try:
        status, _, answer = await post(f"{base}/webhooks/rest/webhook", body(sender="a", message="hei"))
    finally:
        await _stop(server)
    assert status == 200 and answer[0]["text"] == notice("technical_problem")


# --- Socket.IO ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args,expected",
    [
        ((), None),
        ((None,), None),
        (("hei",), None),
        ((["hei"],), None),
        (({"message": "hei"},), None),  # no session id: no conversation to answer
        (({"message": "hei", "session_id": ""},), None),
        (({"message": "hei", "session_id": "a\x00"},), None),
        (({"message": "hei", "session_id": "x" * 500},), None),
        (({"message": "hei", "session_id": {"a": 1}},), None),
        (({"message": "hei", "session_id": "s1"},), {"message": "hei", "session_id": "s1", "metadata": {}}),
        (({"message": 5, "session_id": "s1"},), {"message": "", "session_id": "s1", "metadata": {}}),
        (({"message": ["a"], "session_id": "s1"},), {"message": "", "session_id": "s1", "metadata": {}}),
        (({"session_id": "s1", "metadata": "{ikke json"},), {"message": "", "session_id": "s1", "metadata": {}}),
        (({"session_id": "s1", "metadata": '{"a": 1}'},), {"message": "", "session_id": "s1", "metadata": {"a": 1}}),
        (({"session_id": "s1", "metadata": "[1]"},), {"message": "", "session_id": "s1", "metadata": {}}),
        (({"session_id": "s1", "metadata": {"a": "b" * 9000}},), {"message": "", "session_id": "s1", "metadata": {}}),
        (({"message": "hei", "session_id": "s1"}, "ekstra"), {"message": "hei", "session_id": "s1", "metadata": {}}),
    ],
)
def test_socketio_payloads_are_checked(args: tuple[Any, ...], expected: dict[str, Any] | None) -> None:
    assert clean_message_payload(args, True, "metadata") == expected


async def test_odd_socketio_events_never_raise_and_store_nothing(caplog: pytest.LogCaptureFixture) -> None:
    channel = GuardedSocketIOInput(session_persistence=True)
    rasa = FakeRasa()
    channel.blueprint(rasa)
    sio = channel.sio
    emitted: list[tuple[str, Any, Any]] = []

    async def emit(event: str, data: Any = None, room: Any = None, **kwargs: Any) -> None:
        emitted.append((event, data, room))

    sio.emit = emit  # type: ignore[method-assign]
    sio.enter_room = lambda sid, room, namespace=None: None  # type: ignore[method-assign]
    sio.leave_room = lambda sid, room, namespace=None: None  # type: ignore[method-assign]
    handlers = sio.handlers["/"]
    await handlers["user_uttered"]("sid-1", {"message": "hei", "session_id": "s1"})  # before a session
    assert rasa.texts == [] and emitted == []
    await handlers["session_request"]("sid-1", {})
    [(_, issued, _)] = emitted
    assert conversation_ids.verified(issued) == issued
    emitted.clear()
    for args in [(), (None,), ("hei",), ([1, 2],), ({"message": {"x": 1}, "session_id": "s1"},)]:
        await handlers["user_uttered"]("sid-1", *args)
    # A message that names another conversation still goes to the one this connection was given.
    await handlers["user_uttered"]("sid-1", {"message": "hei\x00 der", "session_id": "s2", "metadata": "{x"})
    assert rasa.texts == ["hei der"] and rasa.received[0].sender_id == issued and rasa.received[0].metadata == {}
    bot_texts = [(room, data["text"]) for event, data, room in emitted if event == "bot_uttered"]
    assert bot_texts == [(issued, notice("empty_message")), (issued, "Svar: hei der")]

    emitted.clear()
    odd = [(), ("x",), ({"session_id": "a\x00b"},), ({"session_id": ["x"]},), ({"session_id": "ok-1"},)]
    for args in [*odd, ({"session_id": "1234567890123456"},), ({"session_id": issued},)]:
        await handlers["session_request"]("sid-2", *args)
    confirmed = [data for event, data, _ in emitted if event == "session_confirm"]
    assert len(confirmed) == 7 and confirmed[-1] == issued  # only an id this server issued comes back
    fresh = confirmed[:-1]
    assert len(set(fresh)) == 6 and all(conversation_ids.verified(c) == c for c in fresh)
    assert "Traceback" not in caplog.text


# --- Messenger ----------------------------------------------------------------------------------


def _signed(payload: bytes) -> dict[str, str]:
    digest = hmac.new(SECRET.encode(), payload, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}", "Content-Type": "application/json"}


def _messenger_body(*events: tuple[Any, Any]) -> bytes:
    messaging = [
        {
            "sender": {"id": sender},
            "recipient": {"id": "page"},
            "timestamp": 1,
            "message": {"mid": f"m_{i}", "text": text},
        }
        for i, (sender, text) in enumerate(events)
    ]
    return json.dumps({"object": "page", "entry": [{"id": "page", "time": 1, "messaging": messaging}]}).encode()


async def test_messenger_bodies_after_the_signature_check() -> None:
    channel = GuardedMessengerInput(MessengerConfig("verify", SECRET, "token", "http://127.0.0.1:9/v18.0"))
    rasa = FakeRasa()
    base, server = await _serve(channel.blueprint(rasa), "/webhooks/facebook")
    url = f"{base}/webhooks/facebook/webhook"
    try:
        for payload in [b"{ikke json", b"\xff\xfe", b"[1, 2]", b"[" * 50_000 + b"]" * 50_000]:
            status, _, answer = await post(url, payload, _signed(payload))
            assert status == 400 and "JSON-objekt" in answer["error"], payload[:20]
        unsigned = _messenger_body(("7", "hei"))
        assert (await post(url, unsigned))[0] == 403
        payload = _messenger_body(
            ("7", "hei\x00 der\x1b"), ("a\x00b", "fra en rar avsender"), ({"x": 1}, "hei"), ("8", 5)
        )
        assert (await post(url, payload, _signed(payload)))[0] == 200
        await channel.wait_idle()
    finally:
        await _stop(server)
    assert [(m.sender_id, m.text) for m in rasa.received] == [("7", "hei der")]
