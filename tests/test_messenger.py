"""The Facebook Messenger channel (bot/channels/messenger.py).

Three layers: pure functions (signatures, splitting, quick replies, event parsing); the output
channel and the webhook in this process against a fake Graph API (tests/fake_graph.py); and a
live stack, real Rasa and action servers, with signed webhook posts and the fake Graph API.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from stdnum.no import fodselsnummer

from bot import cases
from bot.answers import review
from bot.channels.guard import notice
from bot.channels.messenger import (
    DEFAULT_GRAPH_URL,
    GuardedMessengerInput,
    IncomingMessage,
    MessengerConfig,
    MessengerOutput,
    incoming_messages,
    quick_replies_from_buttons,
    signature_valid,
    split_text,
)
from bot.db import get_engine
from tests.fake_graph import FakeGraph
from tests.kommune_facts import HOURS, OPENS
from tests.library_db import prepare_database
from tests.live import free_port, serve_in_loop, start_actions, start_rasa, stop_in_loop, wait_for

SECRET = "app-secret-for-tests"
VERIFY = "verify-token-for-tests"
TOKEN = "page-token-for-tests"
PAGE_ID = "1234567890"
ID_NUMBER = "01019012480"  # a valid fødselsnummer (python-stdnum accepts it)
# Several Sanic apps start in one process; test mode lets each rewrite Sanic's HTTP class afresh.
Sanic.test_mode = True


# --- helpers -------------------------------------------------------------------------------------


def sign(body: bytes, secret: str = SECRET, method: str = "sha256") -> str:
    return f"{method}=" + hmac.new(secret.encode(), body, getattr(hashlib, method)).hexdigest()


def webhook_body(*events: dict[str, Any]) -> dict[str, Any]:
    now = int(time.time() * 1000)
    return {"object": "page", "entry": [{"id": PAGE_ID, "time": now, "messaging": list(events)}]}


def _event(psid: str, **content: Any) -> dict[str, Any]:
    return {"sender": {"id": psid}, "recipient": {"id": PAGE_ID}, "timestamp": int(time.time() * 1000), **content}


def text_event(psid: str, text: str) -> dict[str, Any]:
    return _event(psid, message={"mid": f"m_{uuid.uuid4().hex}", "text": text})


def quick_reply_event(psid: str, title: str, payload: str) -> dict[str, Any]:
    return _event(psid, message={"mid": f"m_{uuid.uuid4().hex}", "text": title, "quick_reply": {"payload": payload}})


def postback_event(psid: str, title: str, payload: str) -> dict[str, Any]:
    return _event(psid, postback={"mid": f"m_{uuid.uuid4().hex}", "title": title, "payload": payload})


def attachment_event(psid: str) -> dict[str, Any]:
    attachment = {"type": "image", "payload": {"url": "https://example.org/bilde.jpg"}}
    return _event(psid, message={"mid": f"m_{uuid.uuid4().hex}", "attachments": [attachment]})


def http(method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None) -> tuple[int, str]:
    request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def post_webhook(base: str, payload: dict[str, Any] | bytes, headers: dict[str, str] | None = None) -> tuple[int, str]:
    """POST to the webhook; signed with SECRET unless `headers` are given."""
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    if headers is None:
        headers = {"X-Hub-Signature-256": sign(body)}
    return http("POST", f"{base}/webhooks/facebook/webhook", body, {"Content-Type": "application/json", **headers})


def fresh_psid() -> str:
    return str(10**15 + uuid.uuid4().int % 10**15)


# --- signatures ----------------------------------------------------------------------------------


def test_sha256_signature_is_checked() -> None:
    body = b'{"object":"page","entry":[]}'
    assert signature_valid(SECRET, body, sign(body), None)
    assert signature_valid(SECRET, body, sign(body).upper().replace("SHA256=", "sha256="), None)
    assert not signature_valid(SECRET, body, sign(body, "wrong secret"), None)
    assert not signature_valid(SECRET, body + b" ", sign(body), None)
    assert not signature_valid(SECRET, body, None, None)


def test_legacy_sha1_only_counts_when_the_sha256_header_is_absent() -> None:
    body = b'{"object":"page"}'
    assert signature_valid(SECRET, body, None, sign(body, method="sha1"))
    assert not signature_valid(SECRET, body, sign(body, "wrong"), sign(body, method="sha1"))
    assert not signature_valid(SECRET, body, None, sign(body, "wrong", method="sha1"))
    # A SHA-256 digest in the SHA-1 header (or the other way round) is not accepted.
    assert not signature_valid(SECRET, body, None, sign(body))
    assert not signature_valid(SECRET, body, sign(body, method="sha1"), None)


@pytest.mark.parametrize(
    "header", ["", "sha256", "sha256=", "md5=abc", "=abc", "sha256=zz", "sha256=æøå", "sha256=" + "a" * 64]
)
def test_malformed_signature_headers_are_refused_without_errors(header: str) -> None:
    assert not signature_valid(SECRET, b"{}", header, None)
    assert not signature_valid(SECRET, b"{}", None, header.replace("256", "1"))


def test_no_secret_accepts_nothing() -> None:
    assert not signature_valid("", b"{}", sign(b"{}", ""), None)


# --- splitting long texts ------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


def test_short_text_is_one_part() -> None:
    assert split_text("  Hei!\n\nHva lurer du på?  ") == ["Hei!\n\nHva lurer du på?"]
    assert split_text("   ") == []


def test_long_text_is_cut_between_paragraphs() -> None:
    first = "Første avsnitt. " * 70  # about 1100 characters
    second = "Andre avsnitt. " * 70
    parts = split_text(first.strip() + "\n\n" + second.strip())
    assert parts == [first.strip(), second.strip()]


def test_long_paragraph_is_cut_after_a_sentence() -> None:
    text = " ".join(f"Setning nummer {n} handler om avfall og gjenvinning." for n in range(80))
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(p) <= 2000 for p in parts)
    assert all(p.endswith(".") for p in parts)
    assert _words(" ".join(parts)) == _words(text)


def test_text_without_sentences_is_cut_between_words_and_a_giant_word_hard() -> None:
    text = " ".join(["ord"] * 1500)
    parts = split_text(text, limit=100)
    assert all(len(p) <= 100 for p in parts) and all(not p.startswith(" ") for p in parts)
    assert _words(" ".join(parts)) == _words(text)
    giant = "x" * 4500
    assert split_text(giant) == ["x" * 2000, "x" * 2000, "x" * 500]


def test_parts_keep_their_order_and_fit_messenger() -> None:
    text = "\n\n".join(
        f"Avsnitt {n}. " + "Dette er en lang setning om byggesak. " * (n * 7 % 40 + 1) for n in range(60)
    )
    parts = split_text(text)
    assert all(0 < len(p) <= 2000 for p in parts)
    assert _words(" ".join(parts)) == _words(text)


# --- buttons as quick replies --------------------------------------------------------------------


def test_rasa_buttons_become_quick_replies() -> None:
    buttons = [
        {"title": "Ja, send", "payload": "/affirm"},
        {"title": "Avfall og gjenvinning, hentedager", "payload": "/faq/waste"},
        {"title": "Bare tittel"},
    ]
    replies, links = quick_replies_from_buttons(buttons)
    assert links == []
    assert replies == [
        {"content_type": "text", "title": "Ja, send", "payload": "/affirm"},
        {"content_type": "text", "title": "Avfall og gjenvinni…", "payload": "/faq/waste"},
        {"content_type": "text", "title": "Bare tittel", "payload": "Bare tittel"},
    ]
    assert all(len(r["title"]) <= 20 for r in replies)


def test_at_most_13_quick_replies_and_links_go_to_the_text() -> None:
    buttons = [{"title": f"Valg {n}", "payload": f"/valg{n}"} for n in range(20)]
    buttons.append({"title": "Les mer", "url": "https://www.example.no/side", "type": "web_url"})
    buttons.append("not a button")
    replies, links = quick_replies_from_buttons(buttons)
    assert len(replies) == 13 and replies[-1]["payload"] == "/valg12"
    assert links == ["Les mer: https://www.example.no/side"]


# --- incoming events -----------------------------------------------------------------------------


def test_events_become_messages_and_the_rest_is_ignored() -> None:
    psid = "111"
    body = webhook_body(
        text_event(psid, "Når er dere åpne?"),
        quick_reply_event(psid, "Ja, send", "/affirm"),
        postback_event(psid, "Kom i gang", "/greet"),
        attachment_event(psid),
        _event(psid, message={"mid": "m_echo", "text": "svar fra siden", "is_echo": True}),
        _event(psid, delivery={"mids": ["m_1"], "watermark": 1}),
        _event(psid, read={"watermark": 1}),
        _event(psid, message={"mid": "m_like", "sticker_id": 369239263222822, "attachments": [{"type": "image"}]}),
        _event(psid, message={"mid": "m_empty", "text": "   "}),
        {"recipient": {"id": PAGE_ID}, "message": {"text": "uten avsender"}},
        "not an event",
    )
    messages = incoming_messages(body)
    assert [(m.sender_id, m.text, m.kind) for m in messages] == [
        (psid, "Når er dere åpne?", "text"),
        (psid, "/affirm", "quick_reply"),
        (psid, "/greet", "postback"),
        (psid, None, "attachment"),
    ]
    assert all(m.message_id for m in messages)


@pytest.mark.parametrize("body", [{}, {"entry": "x"}, {"entry": [1, {"messaging": "x"}, {"messaging": [None]}]}])
def test_odd_shapes_give_no_messages(body: dict[str, Any]) -> None:
    assert incoming_messages(body) == []


@pytest.mark.parametrize("body", [[], "text", 1, None])
def test_a_body_that_is_no_object_is_refused(body: Any) -> None:
    with pytest.raises(ValueError):
        incoming_messages(body)


def test_configuration_comes_from_the_environment() -> None:
    assert not MessengerConfig.from_env({}).configured
    assert MessengerConfig.from_env({}).graph_url == DEFAULT_GRAPH_URL == "https://graph.facebook.com/v18.0"
    config = MessengerConfig.from_env(
        {
            "FACEBOOK_VERIFY_TOKEN": VERIFY,
            "FACEBOOK_APP_SECRET": SECRET,
            "FACEBOOK_PAGE_ACCESS_TOKEN": TOKEN,
            "FACEBOOK_GRAPH_URL": "http://127.0.0.1:9/v18.0/",
        }
    )
    assert config.configured and config.graph_url == "http://127.0.0.1:9/v18.0"
    assert not MessengerConfig.from_env({"FACEBOOK_VERIFY_TOKEN": VERIFY, "FACEBOOK_APP_SECRET": SECRET}).configured


def test_channel_reads_the_environment_not_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("FACEBOOK_VERIFY_TOKEN", "FACEBOOK_APP_SECRET", "FACEBOOK_PAGE_ACCESS_TOKEN", "FACEBOOK_GRAPH_URL"):
        monkeypatch.delenv(name, raising=False)
    channel = GuardedMessengerInput.from_credentials(None)
    assert channel.name() == "facebook" and channel.url_prefix() == "facebook"
    assert not channel.config.configured
    monkeypatch.setenv("FACEBOOK_VERIFY_TOKEN", VERIFY)
    monkeypatch.setenv("FACEBOOK_APP_SECRET", SECRET)
    monkeypatch.setenv("FACEBOOK_PAGE_ACCESS_TOKEN", TOKEN)
    channel = GuardedMessengerInput.from_credentials({})
    assert channel.config.configured
    out = channel.get_output_channel()
    assert isinstance(out, MessengerOutput) and out.name() == "facebook"


# --- the output channel against the fake Graph API -----------------------------------------------


@pytest.fixture
def graph() -> Iterator[FakeGraph]:
    with FakeGraph() as fake:
        yield fake


@pytest.fixture
async def output(graph: FakeGraph) -> AsyncIterator[MessengerOutput]:
    out = MessengerOutput(graph.url, TOKEN)
    yield out
    await out.close()


async def test_a_text_is_sent_as_a_response_message(graph: FakeGraph, output: MessengerOutput) -> None:
    await output.send_response("42", {"text": "Hei!"})
    [call] = graph.calls
    assert call.path == "/v18.0/me/messages"
    assert call.query == {}  # the page token never in the URL, which logs keep ...
    assert call.authorization == f"Bearer {TOKEN}"  # ... but in the header
    assert call.body == {"recipient": {"id": "42"}, "messaging_type": "RESPONSE", "message": {"text": "Hei!"}}


async def test_buttons_go_as_quick_replies_on_the_last_part(graph: FakeGraph, output: MessengerOutput) -> None:
    long_text = "\n\n".join("Dette er et avsnitt om kommunale avgifter. " * 12 for _ in range(6))
    buttons = [{"title": "Ja, send", "payload": "/affirm"}, {"title": "Nei, ikke send", "payload": "/deny"}]
    await output.send_response("42", {"text": long_text, "buttons": buttons})
    messages = graph.messages_to("42")
    assert len(messages) == len(split_text(long_text)) > 1
    assert all("quick_replies" not in m for m in messages[:-1])
    assert [q["payload"] for q in messages[-1]["quick_replies"]] == ["/affirm", "/deny"]
    assert _words(" ".join(m["text"] for m in messages)) == _words(long_text)


async def test_a_library_answer_is_followed_by_the_thumbs_question_in_its_language(
    graph: FakeGraph, output: MessengerOutput
) -> None:
    topic = "faq/culture_school"
    await output.send_response("42", {"text": "Du søker om plass i kulturskolen på nettsiden.", "rated_answer": topic})
    await output.send_response("43", {"text": "You apply on our website.", "rated_answer": topic, "language": "en"})
    await output.send_response("44", {"text": "Mente du …?", "buttons": [{"title": "Kulturskolen", "payload": "x"}]})
    answer, question = graph.messages_to("42")
    assert "quick_replies" not in answer
    assert question["text"] == "Fikk du svar på det du lurte på?"
    votes = [(q["title"], json.loads(q["payload"].removeprefix("/feedback"))) for q in question["quick_replies"]]
    assert votes == [
        ("👍 Ja", {"feedback_vote": "up", "feedback_answer": topic}),
        ("👎 Nei", {"feedback_vote": "down", "feedback_answer": topic}),
    ]
    assert graph.messages_to("43")[1]["text"] == "Did you get an answer to your question?"
    assert len(graph.messages_to("44")) == 1  # not a library answer: nothing asked


async def test_quick_replies_and_images(graph: FakeGraph, output: MessengerOutput) -> None:
    await output.send_response("42", {"text": "Velg", "quick_replies": [{"title": "A", "payload": "/a"}]})
    await output.send_response("42", {"image": "https://example.org/kart.png"})
    first, second = graph.messages_to("42")
    assert first["quick_replies"] == [{"content_type": "text", "title": "A", "payload": "/a"}]
    assert second["attachment"]["payload"]["url"] == "https://example.org/kart.png"


async def test_a_staff_message_as_custom_json_is_sent_as_text(graph: FakeGraph, output: MessengerOutput) -> None:
    await output.send_custom_json("42", {"text": "Hei, dette er Kari på servicekontoret.", "sender": "staff"})
    await output.send_response("42", {"custom": {"text": "Er du der?", "sender": "staff", "sender_name": "Kari"}})
    await output.send_custom_json("42", {"no": "text"})
    await output.send_custom_json("42", ["a", "list"])
    assert graph.texts_to("42") == ["Hei, dette er Kari på servicekontoret.", "Er du der?"]


async def test_typing_indicator_is_switched_off_when_the_bot_stays_silent(graph: FakeGraph) -> None:
    """In a live chat the guard keeps the bot silent; the citizen must not see it typing on."""
    channel = GuardedMessengerInput(MessengerConfig(VERIFY, SECRET, TOKEN, graph.url))

    async def silent(message: UserMessage) -> None:
        pass

    await channel._handle_one(IncomingMessage("42", "hei"), silent)
    await channel.client.close()
    assert [c.body for c in graph.calls] == [
        {"recipient": {"id": "42"}, "sender_action": "typing_on"},
        {"recipient": {"id": "42"}, "sender_action": "typing_off"},
    ]


async def test_graph_api_errors_are_logged_not_raised(
    graph: FakeGraph, output: MessengerOutput, caplog: pytest.LogCaptureFixture
) -> None:
    graph.failing.add("blocked")
    with caplog.at_level(logging.ERROR, logger="bot.channels.messenger"):
        await output.send_text_message("blocked", "Hei")
        unreachable = MessengerOutput(f"http://127.0.0.1:{free_port()}/v18.0", TOKEN)
        await unreachable.send_text_message("42", "Hei")
        await unreachable.close()
    assert "No matching user found" in caplog.text and "HTTP 400" in caplog.text
    assert "Could not send to 42" in caplog.text
    assert TOKEN not in caplog.text


async def test_an_unconfigured_output_sends_nothing(caplog: pytest.LogCaptureFixture) -> None:
    out = GuardedMessengerInput(MessengerConfig()).get_output_channel()
    with caplog.at_level(logging.WARNING, logger="bot.channels.messenger"):
        await out.send_text_message("42", "Hei")
    assert "not configured" in caplog.text


# --- the webhook in this process, with a stand-in for Rasa ---------------------------------------


class FakeRasa:
    """Stands in for Rasa's `on_new_message`: records what it got and answers with buttons."""

    def __init__(self) -> None:
        self.received: list[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        if message.text == "krasj":
            raise RuntimeError("the dialogue failed")
        if message.text == "stille":
            return
        if message.text.startswith("treg"):
            await asyncio.sleep(0.3)
        buttons = [{"title": "Ja", "payload": "/affirm"}]
        await message.output_channel.send_response(
            message.sender_id, {"text": f"Svar: {message.text}", "buttons": buttons}
        )


async def _serve(channel: GuardedMessengerInput, rasa: FakeRasa) -> tuple[str, Any]:
    app = Sanic(f"messenger_test_{uuid.uuid4().hex[:8]}")
    app.blueprint(channel.blueprint(rasa), url_prefix="/webhooks/facebook")
    return await serve_in_loop(app)


async def _stop(server: Any) -> None:
    await stop_in_loop(server)


async def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a blocking HTTP helper without blocking the server that runs in this loop."""
    return await asyncio.to_thread(fn, *args, **kwargs)


@pytest.fixture
async def webhook(graph: FakeGraph) -> AsyncIterator[dict[str, Any]]:
    config = MessengerConfig(VERIFY, SECRET, TOKEN, graph.url)
    channel = GuardedMessengerInput(config)
    rasa = FakeRasa()
    base, server = await _serve(channel, rasa)
    yield {"base": base, "channel": channel, "rasa": rasa}
    await channel.wait_idle()
    await _stop(server)


async def test_unconfigured_webhook_answers_503() -> None:
    channel = GuardedMessengerInput(MessengerConfig())
    base, server = await _serve(channel, FakeRasa())
    try:
        url = f"{base}/webhooks/facebook/webhook"
        status, text = await _call(http, "GET", f"{url}?hub.mode=subscribe&hub.verify_token=&hub.challenge=1")
        assert status == 503 and "not configured" in json.loads(text)["error"]
        status, text = await _call(post_webhook, base, webhook_body(text_event("1", "hei")))
        assert status == 503 and json.loads(text)["error"]
    finally:
        await _stop(server)


async def test_verification(webhook: dict[str, Any]) -> None:
    url = f"{webhook['base']}/webhooks/facebook/webhook"
    ok = await _call(http, "GET", f"{url}?hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=1158201444")
    assert ok == (200, "1158201444")
    wrong = await _call(http, "GET", f"{url}?hub.mode=subscribe&hub.verify_token=feil&hub.challenge=1")
    assert wrong[0] == 403 and "1" not in wrong[1].replace("403", "")
    assert (await _call(http, "GET", f"{url}?hub.mode=unsubscribe&hub.verify_token={VERIFY}&hub.challenge=1"))[0] == 403


async def test_signed_messages_reach_rasa_through_the_guard(webhook: dict[str, Any], graph: FakeGraph) -> None:
    body = webhook_body(text_event("7", f"når er dere åpne? fnr {ID_NUMBER}"), quick_reply_event("8", "Ja", "/affirm"))
    status, text = await _call(post_webhook, webhook["base"], body)
    assert status == 200 and json.loads(text) == {"status": "EVENT_RECEIVED"}
    await webhook["channel"].wait_idle()
    received = {m.sender_id: m for m in webhook["rasa"].received}
    assert ID_NUMBER not in received["7"].text and "[fødselsnummer fjernet]" in received["7"].text
    assert received["7"].input_channel == "facebook" and received["7"].message_id.startswith("m_")
    assert received["8"].text == "/affirm"
    assert graph.texts_to("7")[0] == notice("id_number_masked")
    assert graph.messages_to("7")[-1]["quick_replies"] == [
        {"content_type": "text", "title": "Ja", "payload": "/affirm"}
    ]
    assert graph.to("7")[0].body["sender_action"] == "typing_on"
    assert graph.texts_to("8") == ["Svar: /affirm"]


async def test_the_legacy_sha1_signature_is_accepted(webhook: dict[str, Any]) -> None:
    body = json.dumps(webhook_body(text_event("9", "hei"))).encode()
    status, _ = await _call(post_webhook, webhook["base"], body, {"X-Hub-Signature": sign(body, method="sha1")})
    assert status == 200
    await webhook["channel"].wait_idle()
    assert [m.text for m in webhook["rasa"].received] == ["hei"]


async def test_unsigned_wrongly_signed_and_malformed_posts(webhook: dict[str, Any], graph: FakeGraph) -> None:
    base = webhook["base"]
    body = json.dumps(webhook_body(text_event("10", "hei"))).encode()
    refused = [
        await _call(post_webhook, base, body, {}),
        await _call(post_webhook, base, body, {"X-Hub-Signature-256": sign(body, "feil")}),
        await _call(
            post_webhook, base, body, {"X-Hub-Signature-256": "sha256=", "X-Hub-Signature": sign(body, method="sha1")}
        ),
        await _call(post_webhook, base, body + b" ", {"X-Hub-Signature-256": sign(body)}),
    ]
    assert [status for status, _ in refused] == [403] * 4
    assert all(json.loads(text)["error"] for _, text in refused)
    for malformed in (b"{not json", b"[1, 2]", b"\xff\xfe", b""):
        status, text = await _call(post_webhook, base, malformed, {"X-Hub-Signature-256": sign(malformed)})
        assert status == 400 and json.loads(text)["error"]
    await webhook["channel"].wait_idle()
    assert webhook["rasa"].received == [] and graph.calls == []


async def test_receipts_echoes_and_attachments(webhook: dict[str, Any], graph: FakeGraph) -> None:
    body = webhook_body(
        _event("11", delivery={"mids": ["m_1"], "watermark": 1}),
        _event("11", read={"watermark": 1}),
        _event("11", message={"mid": "m_echo", "text": "ekko", "is_echo": True}),
        attachment_event("12"),
    )
    assert (await _call(post_webhook, webhook["base"], body))[0] == 200
    await webhook["channel"].wait_idle()
    assert webhook["rasa"].received == []
    assert graph.to("11") == []
    assert graph.texts_to("12") == [notice("attachment_unsupported")]


async def test_failures_get_a_plain_answer_and_redeliveries_are_dropped(
    webhook: dict[str, Any], graph: FakeGraph
) -> None:
    failing = text_event("13", "krasj")
    for _ in range(2):  # Facebook redelivers the same message id
        assert (await _call(post_webhook, webhook["base"], webhook_body(failing)))[0] == 200
    assert (await _call(post_webhook, webhook["base"], webhook_body(text_event("14", "stille"))))[0] == 200
    await webhook["channel"].wait_idle()
    # Two citizens' messages are handled side by side: in either order.
    assert sorted(m.text for m in webhook["rasa"].received) == ["krasj", "stille"]
    assert graph.texts_to("13") == [notice("technical_problem")]
    assert graph.texts_to("14") == [notice("technical_problem")]


async def test_a_replayed_message_is_handled_once_also_after_a_restart(graph: FakeGraph) -> None:
    """The database remembers handled message ids: a new channel (a restart, another replica)
    drops a signed post it gets again."""
    body = webhook_body(text_event("21", "når er dere åpne"))
    handled = []
    for _ in range(2):  # two processes, one after the other
        channel = GuardedMessengerInput(MessengerConfig(VERIFY, SECRET, TOKEN, graph.url))
        rasa = FakeRasa()
        base, server = await _serve(channel, rasa)
        try:
            assert (await _call(post_webhook, base, body))[0] == 200
            await channel.wait_idle()
        finally:
            await _stop(server)
        handled.append([m.text for m in rasa.received])
    assert handled == [["når er dere åpne"], []]


async def test_a_flood_of_attachments_counts_against_the_rate_limit(
    graph: FakeGraph, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("RATE_LIMIT_MESSAGES", "3")
    channel = GuardedMessengerInput(MessengerConfig(VERIFY, SECRET, TOKEN, graph.url))
    base, server = await _serve(channel, FakeRasa())
    try:
        body = webhook_body(*[attachment_event("22") for _ in range(10)], text_event("22", "hei"))
        assert (await _call(post_webhook, base, body))[0] == 200
        await channel.wait_idle()
    finally:
        await _stop(server)
    texts = graph.texts_to("22")
    assert texts[:3] == [notice("attachment_unsupported")] * 3
    assert texts[3:] == [notice("rate_limited", "nb")]  # the text after them waits too


async def test_one_citizens_messages_keep_their_order(webhook: dict[str, Any], graph: FakeGraph) -> None:
    for text in ("treg 1", "2", "treg 3", "4"):
        assert (await _call(post_webhook, webhook["base"], webhook_body(text_event("15", text))))[0] == 200
    await webhook["channel"].wait_idle()
    assert graph.texts_to("15") == ["Svar: treg 1", "Svar: 2", "Svar: treg 3", "Svar: 4"]


async def test_a_graph_api_error_does_not_stop_the_channel(webhook: dict[str, Any], graph: FakeGraph) -> None:
    graph.failing.add("16")
    body = webhook_body(text_event("16", "hei"), text_event("17", "hallo"))
    assert (await _call(post_webhook, webhook["base"], body))[0] == 200
    await webhook["channel"].wait_idle()
    assert graph.texts_to("17") == ["Svar: hallo"]


# --- live: real Rasa and action servers ----------------------------------------------------------


@pytest.fixture(scope="module")
def live(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("messenger-live")
    database = f"sqlite:///{tmp / 'messenger.db'}"
    prepare_database(database)
    graph = FakeGraph().start()
    ports = {"actions": free_port(), "rasa": free_port()}
    processes = [start_actions(ports["actions"], database, tmp)]
    try:
        with pytest.MonkeyPatch.context() as env:  # start_rasa passes os.environ on
            env.setenv("FACEBOOK_VERIFY_TOKEN", VERIFY)
            env.setenv("FACEBOOK_APP_SECRET", SECRET)
            env.setenv("FACEBOOK_PAGE_ACCESS_TOKEN", TOKEN)
            env.setenv("FACEBOOK_GRAPH_URL", graph.url)
            processes.append(start_rasa(ports["rasa"], ports["actions"], database, model_path, tmp))
        wait_for(f"http://127.0.0.1:{ports['actions']}/health", processes[0])
        wait_for(f"http://127.0.0.1:{ports['rasa']}/webhooks/facebook/", processes[1])
        yield {"base": f"http://127.0.0.1:{ports['rasa']}", "graph": graph, "database": database}
    finally:
        for process in processes:
            process.stop()
        graph.stop()


class Citizen:
    """One person writing to the municipality's page in Messenger."""

    def __init__(self, live: dict[str, Any]) -> None:
        self.base = live["base"]
        self.graph: FakeGraph = live["graph"]
        self.psid = fresh_psid()
        self.last: list[dict[str, Any]] = []

    def _send(self, event: dict[str, Any], expect: str) -> str:
        before = len(self.graph.messages_to(self.psid))
        status, _ = post_webhook(self.base, webhook_body(event))
        assert status == 200
        self.graph.wait_for(self.psid, lambda ms: any(expect in m.get("text", "") for m in ms[before:]), timeout=60)
        # Let the rest of this turn's answers arrive, so they do not spill into the next turn.
        count, stable_since = -1, time.monotonic()
        while time.monotonic() - stable_since < 0.4:
            now = len(self.graph.messages_to(self.psid))
            if now != count:
                count, stable_since = now, time.monotonic()
            time.sleep(0.05)
        self.last = self.graph.messages_to(self.psid)[before:]
        return "\n".join(m.get("text", "") for m in self.last)

    def say(self, text: str, expect: str) -> str:
        return self._send(text_event(self.psid, text), expect)

    def tap(self, quick_reply: dict[str, Any], expect: str) -> str:
        return self._send(quick_reply_event(self.psid, quick_reply["title"], quick_reply["payload"]), expect)

    def tap_postback(self, title: str, payload: str, expect: str) -> str:
        return self._send(postback_event(self.psid, title, payload), expect)


def _stored_events(database: str, psid: str) -> list[str]:
    with get_engine(database).connect() as connection:
        query = sa.text("SELECT data FROM events WHERE sender_id = :s")
        return connection.execute(query, {"s": psid}).scalars().all()


def test_live_verification(live: dict[str, Any]) -> None:
    url = f"{live['base']}/webhooks/facebook/webhook"
    assert http("GET", f"{url}?hub.mode=subscribe&hub.verify_token={VERIFY}&hub.challenge=31415") == (200, "31415")
    assert http("GET", f"{url}?hub.mode=subscribe&hub.verify_token=feil&hub.challenge=31415")[0] == 403


def test_live_faq_answer_goes_to_the_psid(live: dict[str, Any]) -> None:
    citizen = Citizen(live)
    answer = citizen.say("Når er dere åpne?", expect=OPENS)
    assert HOURS["nb"] in answer and "{" not in answer
    calls = live["graph"].to(citizen.psid)
    assert calls[0].body == {"recipient": {"id": citizen.psid}, "sender_action": "typing_on"}
    answer_call = next(c for c in calls if c.text and OPENS in c.text)
    assert answer_call.body["messaging_type"] == "RESPONSE"
    assert answer_call.path.endswith("/me/messages") and answer_call.authorization == f"Bearer {TOKEN}"


def test_live_unsigned_and_wrongly_signed_posts_produce_nothing(live: dict[str, Any]) -> None:
    psid = fresh_psid()
    body = json.dumps(webhook_body(text_event(psid, "Når er dere åpne?"))).encode()
    assert post_webhook(live["base"], body, {})[0] == 403
    assert post_webhook(live["base"], body, {"X-Hub-Signature-256": sign(body, "feil hemmelighet")})[0] == 403
    assert post_webhook(live["base"], body, {"X-Hub-Signature": sign(body, "feil", method="sha1")})[0] == 403
    status, text = post_webhook(live["base"], b'{"object": "page", "entry": [')
    assert status == 400 and json.loads(text)["error"]
    time.sleep(2)
    assert live["graph"].to(psid) == []
    assert _stored_events(live["database"], psid) == []


def test_live_id_number_is_masked_before_rasa(live: dict[str, Any]) -> None:
    assert fodselsnummer.is_valid(ID_NUMBER)
    citizen = Citizen(live)
    answer = citizen.say(f"når har dere åpent? fnr {ID_NUMBER[:6]} {ID_NUMBER[6:]}", expect=OPENS)
    assert "fjernet et fødselsnummer" in citizen.last[0]["text"]
    assert "Ikke skriv fødselsnummer" in answer
    stored = _stored_events(live["database"], citizen.psid)
    # The digits as typed, not inside a longer number: a confidence such as 4.563881248031976e-06
    # holds «12480» too.
    typed = re.compile(rf"{ID_NUMBER}|(?<![\d.]){ID_NUMBER[:6]}(?!\d)|(?<![\d.]){ID_NUMBER[6:]}(?!\d)")
    assert stored and not any(typed.search(row) for row in stored)
    assert any('"text": "n\\u00e5r har dere \\u00e5pent? fnr [' in row for row in stored)  # stored, masked


def test_live_ticket_through_messenger_with_quick_replies(live: dict[str, Any]) -> None:
    citizen = Citizen(live)
    assert "Hva gjelder saken" in citizen.say("jeg vil snakke med en person", expect="Hva gjelder saken")
    citizen.say("Søppeldunken min er ikke tømt på to uker", expect="Hva heter du")
    citizen.say("Kari Nordmann", expect="Hvordan kan vi nå deg")
    confirm = citizen.say("kari.nordmann@example.no", expect="Er det greit")
    assert "kari.nordmann@example.no" in confirm
    quick_replies = citizen.last[-1]["quick_replies"]
    assert quick_replies == [
        {"content_type": "text", "title": "Ja, send", "payload": "/affirm"},
        {"content_type": "text", "title": "Endre", "payload": "/change_details"},
        {"content_type": "text", "title": "Nei, ikke send", "payload": "/deny"},
    ]
    done = citizen.tap(quick_replies[0], expect="SK-")
    reference = re.search(r"SK-\d{4}-\d{5}", done)
    assert reference, done
    ticket = cases.get_ticket(reference.group(), url=live["database"])
    assert ticket is not None
    assert (ticket.conversation_id, ticket.channel) == (citizen.psid, "facebook")
    assert ticket.contact_email == "kari.nordmann@example.no"


def test_live_thumbs_down_after_an_answer_thanks_and_reaches_the_review_list(live: dict[str, Any]) -> None:
    citizen = Citizen(live)
    question = "hvordan søker jeg om plass i kulturskolen?"
    citizen.say(question, expect="Fikk du svar på det du lurte på?")
    answer, asked = citizen.last[-2:]
    assert "kulturskole" in answer["text"].lower() and "quick_replies" not in answer
    down = next(q for q in asked["quick_replies"] if q["title"] == "👎 Nei")
    thanks = citizen.tap(down, expect="Takk for at du sa fra")
    assert "Vil du heller at en av oss kontakter deg?" in thanks
    assert [q["payload"] for q in citizen.last[-1]["quick_replies"]] == ["/human_handoff", "/deny"]
    [item] = [i for i in review.pending(url=live["database"]) if i.text == question]
    assert "👎" in item.why and "Kulturskolen" in item.why


def test_live_postback_and_attachment(live: dict[str, Any]) -> None:
    citizen = Citizen(live)
    assert "Hei!" in citizen.tap_postback("Kom i gang", "/greet", expect="chatboten")
    sent = len(live["graph"].messages_to(citizen.psid))
    assert post_webhook(live["base"], webhook_body(attachment_event(citizen.psid)))[0] == 200
    live["graph"].wait_for(citizen.psid, lambda ms: len(ms) > sent)
    assert live["graph"].texts_to(citizen.psid)[sent] == notice("attachment_unsupported")
