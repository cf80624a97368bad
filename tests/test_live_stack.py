"""End to end over the REST channel with real Rasa and action servers, on a fresh SQLite file."""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot import cases
from bot.answers import store
from bot.answers.document import AnswerDoc
from bot.answers.vocabulary import AnswerStatus
from bot.cases.models import utcnow
from bot.cases.retention import apply_retention
from bot.channels.client import pseudonym as client_pseudonym
from bot.db import get_engine
from tests.kommune_facts import HOURS, OPENS, PHONE, link
from tests.library_db import prepare_database
from tests.live import (
    Chat,
    eventually,
    fetch,
    free_port,
    oversized_request,
    rss_bytes,
    start_actions,
    start_rasa,
    wait_for,
)

REFRESH_SECONDS = 2  # stack A's Rasa server asks the answer library for changes this often


@pytest.fixture(scope="module")
def stacks(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Stack A works; stack B's action server cannot reach its database."""
    tmp = tmp_path_factory.mktemp("live")
    db_a = f"sqlite:///{tmp / 'a.db'}"
    db_b = f"sqlite:///{tmp / 'b.db'}"
    prepare_database(db_a)
    prepare_database(db_b)
    ports = {name: free_port() for name in ("actions_a", "rasa_a", "actions_b", "rasa_b")}
    processes = {
        "actions_a": start_actions(ports["actions_a"], db_a, tmp),
        "actions_b": start_actions(ports["actions_b"], "postgresql://nobody@127.0.0.1:1/none", tmp),
        "rasa_a": start_rasa(
            ports["rasa_a"], ports["actions_a"], db_a, model_path, tmp, ANSWER_REFRESH_SECONDS=str(REFRESH_SECONDS)
        ),
        "rasa_b": start_rasa(ports["rasa_b"], ports["actions_b"], db_b, model_path, tmp),
    }
    try:
        for name in ("actions_a", "actions_b"):
            wait_for(f"http://127.0.0.1:{ports[name]}/health", processes[name])
        for name in ("rasa_a", "rasa_b"):
            wait_for(f"http://127.0.0.1:{ports[name]}/webhooks/rest/", processes[name])
        yield {"ports": ports, "processes": processes, "db_a": db_a, "db_b": db_b}
    finally:
        for process in processes.values():
            process.stop()


def _chat(stacks: dict, which: str = "a") -> Chat:
    return Chat(stacks["ports"][f"rasa_{which}"], f"test-{uuid.uuid4().hex[:8]}")


def _file_ticket(chat: Chat, summary: str, contact: str) -> str:
    assert "Hva gjelder saken" in chat.say("jeg vil snakke med en person")
    assert "Hva heter du" in chat.say(summary)
    assert "Hvordan kan vi nå deg" in chat.say("Kari Nordmann")
    confirm = chat.say(contact)
    assert "Er det greit" in confirm
    assert [b["payload"] for b in chat.replies[-1]["buttons"]] == ["/affirm", "/change_details", "/deny"]
    return chat.say("ja")


def test_faq_answer_is_filled_from_kommune_yml(stacks: dict) -> None:
    answer = _chat(stacks).say("Når er dere åpne?")
    assert HOURS["nb"] in answer
    assert "{" not in answer


def test_emergency_numbers_come_first_and_the_question_beside_them_is_answered_after(stacks: dict) -> None:
    chat = _chat(stacks)
    chat.say("det brenner i garasjen, og forresten, når blir søpla hentet?")
    texts = [reply.get("text", "") for reply in chat.replies]
    assert texts[0].startswith("Ring 113 nå") and "110" in texts[0] and "116 117" in texts[0]
    assert len(texts) == 2 and "tømmekalenderen" in texts[1]


def test_an_emergency_inside_the_ticket_form_gets_the_numbers_before_the_next_question(stacks: dict) -> None:
    chat = _chat(stacks)
    chat.say("jeg vil snakke med en person")
    chat.say("pappa har falt og puster ikke")
    texts = [reply.get("text", "") for reply in chat.replies]
    assert texts[0].startswith("Ring 113 nå"), texts
    assert texts[-1] == "Hva heter du?"


def test_a_form_stops_asking_when_the_citizen_asks_questions_instead_and_sends_nothing(stacks: dict) -> None:
    chat = _chat(stacks)
    chat.say("jeg vil snakke med en person")
    assert chat.say("søpla er ikke hentet") == "Hva heter du?"
    assert chat.say("takk") == "Hva heter du?"  # a thanks is no name
    first = chat.say("når har dere åpent?")
    assert OPENS in first and first.endswith("Hva heter du?"), first
    second = chat.say("hvordan melder jeg flytting?")
    assert "Folkeregisteret" in second and "Jeg sender ikke saken du begynte på" in second, second
    assert "Hva heter du" not in second
    assert "Hva gjelder saken" in chat.say("snakk med en person")  # a new start, from the beginning
    with get_engine(stacks["db_a"]).connect() as connection:
        tickets = connection.execute(
            sa.text("SELECT count(*) FROM sk_tickets WHERE conversation_id = :c"), {"c": chat.sender}
        ).scalar_one()
    assert tickets == 0
    status = _chat(stacks)
    status.say("what is the status of my case?")
    status.say("when are you open?")
    assert "I will not check your case now" in status.say("how do I report a move?")


def test_an_unknown_question_gets_an_honest_answer_with_who_knows(stacks: dict) -> None:
    answer = _chat(stacks).say("kan jeg ha bikuber i hagen?")
    assert "Det vet jeg dessverre ikke" in answer
    assert link("sok") in answer and PHONE in answer and HOURS["nb"] in answer


def test_a_follow_up_stays_on_the_topic_just_answered(stacks: dict) -> None:
    chat = _chat(stacks)
    assert "skjenkebevilling" in chat.say("hvordan søker jeg om skjenkebevilling?")
    answer = chat.say("hva koster det?")
    assert "«Skjenkebevilling»" in answer and link("bevilling") in answer


def _strings(value: object) -> Iterator[str]:
    """Every string in a decoded JSON value (keys and values), depth first."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def test_ticket_flow_masks_id_numbers_and_gives_a_reference(stacks: dict) -> None:
    chat = _chat(stacks)
    chat.say("søpla mi er ikke hentet")
    assert "Hva gjelder saken" in chat.say("kan jeg snakke med et menneske")
    masked_reply = chat.say("Dunken er ikke tømt. Fnr 01019012480")
    assert "fjernet et fødselsnummer" in masked_reply
    assert "Hva heter du" in masked_reply
    assert "Hvordan kan vi nå deg" in chat.say("Kari Nordmann")
    assert "kjente jeg ikke igjen" in chat.say("ring meg i morgen")
    assert "Er det greit" in chat.say("+47 912 34 567")
    done = chat.say("ja")
    reference = re.search(r"SK-\d{4}-\d{5}", done)
    assert reference, done
    ticket = cases.get_ticket(reference.group(), url=stacks["db_a"])
    assert ticket is not None
    assert (ticket.conversation_id, ticket.channel, ticket.topic) == (chat.sender, "rest", "faq/waste")
    assert ticket.contact_phone == "+4791234567"
    assert "12480" not in ticket.summary
    with get_engine(stacks["db_a"]).connect() as connection:
        stored = (
            connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s"), {"s": chat.sender})
            .scalars()
            .all()
        )
    # The events' texts, not their numbers: a confidence such as 1.0401449184043745e-15 may hold
    # the same five digits by chance.
    texts = [text for row in stored for text in _strings(json.loads(row))]
    assert texts and not any("12480" in text for text in texts)
    assert any("nummer fjernet]" in text for text in texts)


@pytest.mark.parametrize("last_word", ["nei", "avbryt"])
def test_what_the_bot_says_about_storage_is_what_the_database_does(stacks: dict, last_word: str) -> None:
    """The consent question, «Nei» and «avbryt» name the retention period; the database keeps to it."""
    chat = _chat(stacks)
    assert "Hva gjelder saken" in chat.say("jeg vil snakke med en person")
    chat.say("Søppeldunken min er ikke tømt")
    if last_word == "nei":
        chat.say("Kari Nordmann")
        consent = chat.say("kari.nordmann@example.no")
        assert "til saken er ferdig, og så i 90 dager til" in consent
    else:
        chat.say("Kari Nordmann")
    told = chat.say(last_word)
    assert "Ingenting er sendt" in told or "sender vi ikke saken" in told
    assert "blir slettet etter 90 dager" in told  # kommune.yml: lagringstid_dager: 90
    with get_engine(stacks["db_a"]).connect() as connection:
        tickets = connection.execute(
            sa.text("SELECT COUNT(*) FROM sk_tickets WHERE conversation_id = :s"), {"s": chat.sender}
        ).scalar()
    assert tickets == 0  # nothing was sent
    assert _events_with(stacks, chat.sender, "Kari Nordmann") > 0  # what was written is kept ...
    now = utcnow()
    apply_retention(days=90, now=now + dt.timedelta(days=89), url=stacks["db_a"])
    assert _events_with(stacks, chat.sender, "Kari Nordmann") > 0  # ... for the 90 days it says ...
    apply_retention(days=90, now=now + dt.timedelta(days=91), url=stacks["db_a"])
    assert _events_with(stacks, chat.sender, "Kari Nordmann") == 0  # ... and not after


def _events_with(stacks: dict, sender: str, text: str) -> int:
    with get_engine(stacks["db_a"]).connect() as connection:
        rows = connection.execute(sa.text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender}).scalars()
        return sum(1 for row in rows if text in row)


def test_status_lookup_needs_reference_and_contact(stacks: dict) -> None:
    done = _file_ticket(_chat(stacks), "Spørsmål om eiendomsskatt", "kari@example.no")
    reference = re.search(r"SK-\d{4}-\d{5}", done).group()
    chat = _chat(stacks)
    assert "saksnummeret" in chat.say("hva er status på saken min")
    assert "telefonnummer eller hvilken e-post" in chat.say(reference)
    wrong = chat.say("ola@example.no")
    assert "fant ingen sak" in wrong
    chat2 = _chat(stacks)
    unknown = chat2.say("status SK-2026-99999")
    assert "telefonnummer eller hvilken e-post" in unknown
    assert chat2.say("kari@example.no") == wrong
    cases.transition(reference, cases.Status.IN_PROGRESS, actor="kari", url=stacks["db_a"])
    cases.transition(reference, cases.Status.CLOSED, actor="kari", url=stacks["db_a"])
    chat3 = _chat(stacks)
    chat3.say(f"status på {reference}")
    assert "avsluttet" in chat3.say("Kari@example.no")


def test_answers_follow_the_citizens_language(stacks: dict) -> None:
    nynorsk = _chat(stacks)
    assert HOURS["nn"] in nynorsk.say("kva tid har de opent i dag?")
    assert "Berre hyggeleg" in nynorsk.say("tusen takk")  # a short message keeps the language
    english = _chat(stacks)
    assert HOURS["en"] in english.say("hello, what are your opening hours please")
    assert "Greit, jeg svarer på bokmål" in english.say("på bokmål takk")
    assert HOURS["nb"] in english.say("når er dere åpne")


def test_another_language_gets_a_notice_and_an_interpreter_ticket(stacks: dict) -> None:
    chat = _chat(stacks)
    notice = chat.say("Dzień dobry, potrzebuję pomocy z podatkiem od nieruchomości")
    assert "tłumaczem" in notice and [b["payload"] for b in chat.replies[-1].get("buttons", [])] == [
        "/affirm",
        "/deny",
    ]
    assert "numer telefonu" in chat.say("/affirm")
    done = chat.say("mój numer to 912 34 567")
    found = re.search(r"SK-\d{4}-\d{5}", done)
    assert found and done.startswith("Dziękujemy"), done
    ticket = cases.get_ticket(found.group(), url=stacks["db_a"])
    assert (ticket.language, ticket.topic, ticket.contact_phone) == ("pl", "faq/interpreter", "+4791234567")


def test_database_down_is_said_plainly_and_no_ticket_is_claimed(stacks: dict) -> None:
    answer = _file_ticket(_chat(stacks, "b"), "Hull i veien", "912 34 567")
    assert "ikke lagret" in answer and PHONE in answer
    assert not re.search(r"SK-\d{4}-\d{5}", answer)


def test_action_server_down_is_said_plainly(stacks: dict) -> None:
    stacks["processes"]["actions_b"].stop()
    chat = _chat(stacks, "b")
    answer = chat.say("jeg vil snakke med en person")
    assert "feil hos oss" in answer and PHONE in answer
    assert not re.search(r"SK-\d{4}-\d{5}", answer)
    # The bot still answers what needs no action server.
    assert OPENS in chat.say("når har dere åpent")


def test_socketio_channel_answers_and_masks(stacks: dict) -> None:
    """The channel the web widget uses: Rasa's Socket.IO protocol, through our guard."""
    import asyncio

    import socketio

    async def talk() -> list[str]:
        client = socketio.AsyncClient()
        answers: list[str] = []
        got_answer = asyncio.Event()

        @client.on("bot_uttered")
        async def on_bot(data: dict) -> None:
            answers.append(data.get("text", ""))
            if OPENS in data.get("text", ""):
                got_answer.set()

        confirmed: asyncio.Queue[str] = asyncio.Queue()
        client.on("session_confirm", confirmed.put)
        # Long polling: the websocket transport of python-socketio needs a newer aiohttp than Rasa pins.
        await client.connect(f"http://127.0.0.1:{stacks['ports']['rasa_a']}", transports=["polling"])
        await client.emit("session_request", {"session_id": None})
        session_ids.append(await asyncio.wait_for(confirmed.get(), timeout=30))
        await client.emit("user_uttered", {"message": "når har dere åpent? fnr 01019012480"})
        await asyncio.wait_for(got_answer.wait(), timeout=30)
        await client.disconnect()
        return answers

    session_ids: list[str] = []
    answers = asyncio.run(talk())
    assert any("fjernet et fødselsnummer" in a for a in answers)
    assert any(HOURS["nb"] in a for a in answers)
    # The message carries the pseudonym of the client's address (for the status-lookup limit).

    def user_events() -> list[str]:
        with get_engine(stacks["db_a"]).connect() as connection:
            query = sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user'")
            return connection.execute(query, {"s": session_ids[0]}).scalars().all()

    metadata = [json.loads(row).get("metadata") or {} for row in eventually(user_events)]
    assert metadata and all(m.get("sk_client") == client_pseudonym("127.0.0.1") for m in metadata)


def test_a_socketio_client_cannot_enter_another_conversation(stacks: dict) -> None:
    """Ids are issued and signed by the server; a connection is bound to the one it was given."""
    import asyncio

    import socketio

    async def connect(asked: str | None) -> tuple[socketio.AsyncClient, str, list[str]]:
        client = socketio.AsyncClient()
        confirmed: asyncio.Queue[str] = asyncio.Queue()
        heard: list[str] = []
        client.on("session_confirm", confirmed.put)
        client.on("bot_uttered", lambda data: heard.append(data.get("text", "")))
        await client.connect(f"http://127.0.0.1:{stacks['ports']['rasa_a']}", transports=["polling"])
        await client.emit("session_request", {"session_id": asked})
        return client, await asyncio.wait_for(confirmed.get(), timeout=30), heard

    async def scenario() -> None:
        kari, kari_id, kari_heard = await connect(None)
        await kari.call("user_uttered", {"message": "Når er dere åpne?", "session_id": kari_id}, timeout=60)
        # Someone who knows or guesses the id, or a Messenger PSID, gets a conversation of their own.
        for asked in (kari_id[:-2] + "xx", "1234567890123456", kari_id.split(".")[0]):
            other, other_id, _ = await connect(asked)
            assert other_id != kari_id
            await other.disconnect()
        mallory, mallory_id, mallory_heard = await connect(kari_id + "x")
        heard_before = len(kari_heard)
        await mallory.call("user_uttered", {"message": "hei", "session_id": kari_id}, timeout=60)
        assert mallory_heard and len(kari_heard) == heard_before  # answered in Mallory's own room
        await mallory.disconnect()
        await kari.disconnect()
        # The widget after a reload gives its own signed id back and goes on with it.
        again, again_id, _ = await connect(kari_id)
        assert again_id == kari_id
        await again.disconnect()

    asyncio.run(scenario())
    with get_engine(stacks["db_a"]).connect() as connection:
        senders = connection.execute(sa.text("SELECT DISTINCT sender_id FROM events")).scalars().all()
    assert "1234567890123456" not in senders


CANOE = AnswerDoc(
    key="canoe_loan",
    theme="Kultur og fritid",
    title={"nb": "Låne kano", "nn": "Låne kano", "en": "Borrowing a canoe"},
    text={
        "nb": "Du kan låne kano gratis i Kanoboden ved badeplassen. Ring oss på {telefon} for å bestille.",
        "nn": "Du kan låne kano gratis i Kanoboden ved badeplassen. Ring oss på {telefon} for å bestille.",
        "en": "You can borrow a canoe for free at Kanoboden by the beach. Call us on {telefon} to book.",
    },
    examples={
        "nb": [
            "kan jeg låne kano av kommunen",
            "hvor låner man kano",
            "utlån av kano i sommer",
            "vi vil padle kano, kan vi låne en",
            "koster det noe å låne kano",
            "kano utlån",
            "hvordan bestiller jeg kano",
            "har kommunen kanoer til utlån",
        ],
        "nn": [f"kan eg låne kano {i}" for i in range(8)],
        "en": [f"can I borrow a canoe {i}" for i in range(8)],
    },
    sources=["https://www.friluftsliv.no/"],
)


def test_an_answer_staff_publish_reaches_the_running_bot_within_a_minute_and_an_archived_one_is_gone(
    stacks: dict,
) -> None:
    """No restart and no retraining: the Rasa server picks up the library's published answers."""
    db = stacks["db_a"]
    question, boat_question = "Kan vi låne en kano hos kommunen i sommerferien?", "hvordan får jeg båtplass?"
    assert "Kanoboden" not in _chat(stacks).say(question)
    boat_text = "Ofte må du stå på venteliste"
    assert boat_text in _chat(stacks).say(boat_question)

    store.create(CANOE, "redaktor", url=db)
    store.set_status("boat_berth", AnswerStatus.ARCHIVED, store.get("boat_berth", url=db).version, "redaktor", url=db)
    answers: list[str] = []
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and "Kanoboden" not in (answers or [""])[-1]:
        time.sleep(1)
        answers.append(_chat(stacks).say(question))
    assert all(answers), "the server kept answering while it loaded the change"
    assert "Kanoboden" in answers[-1] and PHONE in answers[-1]
    assert boat_text not in _chat(stacks).say(boat_question)


@pytest.mark.parametrize("chunked", [False, True], ids=["content-length", "chunked"])
def test_a_50_mb_body_is_refused_before_it_is_read(stacks: dict, chunked: bool) -> None:
    """Every route of the Rasa server: 413 from the Content-Length, or as soon as a chunked body passes 1 MB."""
    process = stacks["processes"]["rasa_a"]
    before = rss_bytes(process)
    for path in ("/webhooks/rest/webhook", "/webhooks/facebook/webhook", "/socket.io/?EIO=4&transport=polling"):
        status, sent = oversized_request(stacks["ports"]["rasa_a"], path, chunked=chunked)
        assert sent < 20_000_000, (path, sent)  # of 50 MB; what the kernel's socket buffers took counts too
        if not chunked:
            assert " 413 " in status, (path, status)
    assert rss_bytes(process) - before < 20_000_000
    assert HOURS["nb"] in _chat(stacks).say("Når er dere åpne?")  # and it still answers


def _scrape(port: int) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    from prometheus_client.parser import text_string_to_metric_families

    status, text = fetch(f"http://127.0.0.1:{port}/metrics")
    assert status == 200, text
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def test_the_rasa_servers_metrics_move_with_the_conversation(stacks: dict) -> None:
    port = stacks["ports"]["rasa_a"]
    messages = ("servicekontor_messages_total", (("channel", "rest"), ("language", "nb")))
    latency = ("servicekontor_answer_seconds_count", (("channel", "rest"),))
    emergency = ("servicekontor_answers_total", (("kind", "emergency"), ("language", "nb")))
    topic = ("servicekontor_answers_total", (("kind", "topic"), ("language", "nb")))
    before = _scrape(port)
    chat = _chat(stacks)
    chat.say("Når er dere åpne?")
    chat.say("det brenner i garasjen")
    after = _scrape(port)
    assert after[messages] == before.get(messages, 0) + 2
    assert after[latency] == before.get(latency, 0) + 2
    assert after[emergency] == before.get(emergency, 0) + 1
    assert after[topic] == before.get(topic, 0) + 1


def test_the_rasa_server_and_the_action_server_report_their_health(stacks: dict) -> None:
    ready = json.loads(fetch(f"http://127.0.0.1:{stacks['ports']['rasa_a']}/health/ready")[1])
    assert ready["status"] == "ok" and ready["checks"]["model"]["ok"], ready
    actions = stacks["ports"]["actions_a"]
    assert fetch(f"http://127.0.0.1:{actions}/health/live")[0] == 200
    assert fetch(f"http://127.0.0.1:{actions}/health/ready")[0] == 200
    assert "servicekontor_tickets_created_total" in fetch(f"http://127.0.0.1:{actions}/metrics")[1]
    # Not ready while the database is down: tests/test_faults.py, for all three processes.
    # The routes are open; the actions still need the token.
    assert fetch(f"http://127.0.0.1:{actions}/webhook")[0] in (401, 405)
    assert fetch(f"http://127.0.0.1:{stacks['ports']['rasa_a']}/metrics", {"X-Forwarded-For": "203.0.113.9"})[0] == 403
