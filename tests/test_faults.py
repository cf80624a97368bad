"""Faults with real processes: the action server, PostgreSQL and Rasa stopped and started mid-conversation.

The citizen must get a plain answer with the office's phone number and no claimed ticket while
something is down (never an HTTP error, never an unrelated answer), and once it is back the
conversation goes on from the SQL tracker store where it was, and makes its ticket exactly once.
The database is a private PostgreSQL server (`tests.live.PostgresServer`), so stopping it does not
disturb other tests.
"""

from __future__ import annotations

import json
import os
import re
import signal
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError, ProgrammingError

from bot.db import get_engine, retrying
from tests.kommune_facts import OPENS, PHONE
from tests.library_db import prepare_database
from tests.live import (
    PostgresServer,
    Process,
    Reply,
    fetch,
    free_port,
    send,
    start_actions,
    start_desk,
    start_rasa,
    wait_for,
)

REFERENCE = re.compile(r"SK-\d{4}-\d{5}")
START = "jeg vil snakke med en person"


# --- bot.db.retrying, without processes ----------------------------------------------------------


def _lost_connection() -> OperationalError:
    return OperationalError("SELECT 1", {}, Exception("server closed the connection unexpectedly"))


def test_retrying_tries_again_after_a_lost_connection() -> None:
    calls = []

    def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _lost_connection()
        return "ok"

    assert retrying(flaky, seconds=10) == "ok"
    assert len(calls) == 3


def test_retrying_gives_up_and_never_repeats_a_bad_statement() -> None:
    calls = []

    def bad() -> None:
        calls.append(1)
        raise ProgrammingError("SELEC 1", {}, Exception("syntax error"))

    with pytest.raises(ProgrammingError):
        retrying(bad, seconds=10)
    assert len(calls) == 1

    def down() -> None:
        raise _lost_connection()

    with pytest.raises(OperationalError):
        retrying(down, seconds=0.5)


# --- the live stack -------------------------------------------------------------------------------


@dataclass
class Stack:
    server: PostgresServer
    url: str
    model: Path
    tmp: Path
    action_port: int
    rasa_port: int
    actions: Process
    rasa: Process

    def start_actions(self, database_url: str | None = None) -> None:
        self.actions = start_actions(self.action_port, database_url or self.url, self.tmp)
        wait_for(f"http://127.0.0.1:{self.action_port}/health", self.actions)

    def start_rasa(self) -> None:
        self.rasa = start_rasa(self.rasa_port, self.action_port, self.url, self.model, self.tmp)
        wait_for(f"http://127.0.0.1:{self.rasa_port}/webhooks/rest/", self.rasa)

    def say(self, sender: str, text: str) -> str:
        """The bot's answer; an HTTP error fails the test."""
        reply: Reply = send(self.rasa_port, sender, text)
        assert reply.status == 200, f"HTTP {reply.status} for {text!r}:\n{self.rasa.log.read_text()[-3000:]}"
        return reply.text

    def tickets(self, sender: str, url: str | None = None) -> list[sa.Row]:
        with get_engine(url or self.url).connect() as connection:
            query = sa.text("SELECT reference, summary, contact_phone FROM sk_tickets WHERE conversation_id = :c")
            return list(connection.execute(query, {"c": sender}))


def _new_sender(label: str) -> str:
    return f"fault-{label}-{uuid.uuid4().hex[:8]}"


def _to_consent(stack: Stack, sender: str, summary: str) -> None:
    """The shortest ticket form dialogue, up to the consent question."""
    assert "Hva gjelder saken" in stack.say(sender, START)
    assert "Hva heter du" in stack.say(sender, summary)
    assert "Hvordan kan vi nå deg" in stack.say(sender, "Kari Nordmann")
    assert "Er det greit" in stack.say(sender, "912 34 567")


def _technical_problem(answer: str) -> None:
    """The plain answer while something is down: the phone number, and no ticket claimed."""
    assert PHONE in answer and "feil hos oss" in answer, answer
    assert not REFERENCE.search(answer), answer


def _reference(answer: str) -> str:
    found = REFERENCE.search(answer)
    assert found, answer
    return found.group()


@pytest.fixture(scope="module")
def stack(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """Rasa and the action server on a fresh database of a private PostgreSQL server."""
    if not os.environ.get("TEST_DATABASE_URL"):
        pytest.skip("TEST_DATABASE_URL is not set (the PostgreSQL fault tests run in CI)")
    server = PostgresServer.create()
    if server is None:
        pytest.skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed here")
    tmp = tmp_path_factory.mktemp("faults")
    running: list[Stack] = []
    try:
        server.start()
        url = server.create_database("faults")
        prepare_database(url)
        action_port, rasa_port = free_port(), free_port()
        with pytest.MonkeyPatch.context() as patch:
            patch.delenv("LOCK_STORE_URL", raising=False)
            actions = start_actions(action_port, url, tmp)
            rasa = start_rasa(rasa_port, action_port, url, model_path, tmp)
        built = Stack(server, url, model_path, tmp, action_port, rasa_port, actions, rasa)
        running.append(built)
        wait_for(f"http://127.0.0.1:{action_port}/health", actions)
        wait_for(f"http://127.0.0.1:{rasa_port}/webhooks/rest/", rasa)
        yield built
    finally:
        for built in running:
            built.rasa.stop()
            built.actions.stop()
        if server.is_running():
            get_engine(server.url("faults")).dispose()
        server.destroy()


def test_action_server_down_mid_form_then_back(stack: Stack) -> None:
    typing = _new_sender("actions-typing")  # stopped while giving the contact
    consenting = _new_sender("actions-consent")  # stopped at «ja, send»
    assert "Hva gjelder saken" in stack.say(typing, START)
    assert "Hva heter du" in stack.say(typing, "Gatelyset er i stykker")
    assert "Hvordan kan vi nå deg" in stack.say(typing, "Kari Nordmann")
    _to_consent(stack, consenting, "Hull i veien")
    stack.actions.stop()
    try:
        _technical_problem(stack.say(typing, "912 34 567"))
        _technical_problem(stack.say(consenting, "ja"))
        _technical_problem(stack.say(consenting, "ja"))  # and again: nothing half done in between
    finally:
        stack.start_actions()
    assert stack.tickets(typing) == [] and stack.tickets(consenting) == []

    confirm = stack.say(typing, "912 34 567")
    assert "Er det greit" in confirm and "Gatelyset er i stykker" in confirm  # the earlier answers were kept
    reference = _reference(stack.say(typing, "ja"))
    assert [t.reference for t in stack.tickets(typing)] == [reference]

    reference = _reference(stack.say(consenting, "ja"))
    assert [(t.reference, t.summary) for t in stack.tickets(consenting)] == [(reference, "Hull i veien")]


def test_database_down_then_back_continues_the_conversation(stack: Stack) -> None:
    naming = _new_sender("db-name")
    consenting = _new_sender("db-consent")
    assert "Hva gjelder saken" in stack.say(naming, START)
    assert "Hva heter du" in stack.say(naming, "Søppeldunken ble ikke tømt")
    _to_consent(stack, consenting, "Vannlekkasje i kjelleren")
    stack.server.stop()
    try:
        _technical_problem(stack.say(naming, "Ola Nordmann"))
        # Not an unrelated answer from an empty conversation: the same plain answer for anything.
        _technical_problem(stack.say(naming, "når har dere åpent?"))
        _technical_problem(stack.say(consenting, "ja"))
        _technical_problem(stack.say(_new_sender("db-new"), "hei"))
    finally:
        stack.server.start()
    assert stack.tickets(consenting) == []

    # The conversations go on from the tracker store where they were, slots kept.
    assert "Hvordan kan vi nå deg" in stack.say(naming, "Ola Nordmann")
    confirm = stack.say(naming, "ola@example.no")
    assert "Søppeldunken ble ikke tømt" in confirm and "Ola Nordmann" in confirm
    reference = _reference(stack.say(naming, "ja"))
    assert [t.reference for t in stack.tickets(naming)] == [reference]
    reference = _reference(stack.say(consenting, "ja"))
    assert [(t.reference, t.summary) for t in stack.tickets(consenting)] == [(reference, "Vannlekkasje i kjelleren")]
    assert OPENS in stack.say(_new_sender("db-after"), "når har dere åpent?")


def test_restart_between_messages_is_not_seen_by_citizens(stack: Stack) -> None:
    """Every pooled connection of Rasa and the action server is dead after a restart."""
    senders = [_new_sender(f"restart-{n}") for n in range(8)]
    with ThreadPoolExecutor(len(senders)) as pool:
        list(pool.map(lambda s: _to_consent(stack, s, "Brøytebilen har ødelagt gjerdet"), senders))
        stack.server.restart()
        answers = list(pool.map(lambda s: stack.say(s, "ja"), senders))
    references = [_reference(answer) for answer in answers]
    assert len(set(references)) == len(senders)
    for sender, reference in zip(senders, references, strict=True):
        assert [t.reference for t in stack.tickets(sender)] == [reference]


def test_case_store_down_at_submit_then_a_second_try_makes_one_ticket(stack: Stack) -> None:
    """The tracker store answers but the ticket cannot be stored: «not saved»; asking again works."""
    cases_server = PostgresServer.create()
    assert cases_server is not None
    sender = _new_sender("cases")
    try:
        cases_server.start()
        cases_url = cases_server.create_database("cases")
        prepare_database(cases_url)
        stack.actions.stop()
        stack.start_actions(cases_url)
        _to_consent(stack, sender, "Spørsmål om fakturaen for vann")
        cases_server.stop()
        try:
            answer = stack.say(sender, "ja")
        finally:
            cases_server.start()
        assert "ikke lagret" in answer and PHONE in answer and not REFERENCE.search(answer), answer
        assert stack.tickets(sender, cases_url) == []
        again = stack.say(sender, START)
        assert "Er det greit" in again and "Spørsmål om fakturaen for vann" in again  # shown again, consent asked again
        reference = _reference(stack.say(sender, "ja"))
        assert [t.reference for t in stack.tickets(sender, cases_url)] == [reference]
    finally:
        stack.actions.stop()
        stack.start_actions()
        if cases_server.is_running():
            get_engine(cases_server.url("cases")).dispose()
        cases_server.destroy()


def test_rasa_killed_mid_form_continues_where_it_was(stack: Stack) -> None:
    sender = _new_sender("rasa")
    assert "Hva gjelder saken" in stack.say(sender, START)
    assert "Hva heter du" in stack.say(sender, "Busskuret er knust")
    stack.rasa.popen.send_signal(signal.SIGKILL)
    stack.rasa.popen.wait(timeout=30)
    stack.start_rasa()
    assert "Hvordan kan vi nå deg" in stack.say(sender, "Kari Nordmann")
    confirm = stack.say(sender, "912 34 567")
    assert "Busskuret er knust" in confirm and "Kari Nordmann" in confirm
    reference = _reference(stack.say(sender, "ja"))
    assert [t.reference for t in stack.tickets(sender)] == [reference]


def _readiness(port: int) -> tuple[int, dict]:
    status, body = fetch(f"http://127.0.0.1:{port}/health/ready")
    return status, json.loads(body)


def test_readiness_follows_the_database(stack: Stack) -> None:
    """Each process says «not ready» while PostgreSQL is down, and «ready» again once it is back."""
    desk_port = free_port()
    desk = start_desk(desk_port, stack.url, stack.tmp)
    try:
        wait_for(f"http://127.0.0.1:{desk_port}/health/live", desk)
        ports = {"rasa": stack.rasa_port, "actions": stack.action_port, "desk": desk_port}
        for name, port in ports.items():
            status, body = _readiness(port)
            assert status == 200 and body["status"] == "ok", (name, body)
            assert {"database", "migrations", "answers"} <= set(body["checks"]), (name, body)
        assert _readiness(stack.rasa_port)[1]["checks"]["model"]["ok"] is True

        stack.server.stop()
        try:
            for name, port in ports.items():
                status, body = _readiness(port)
                assert status == 503 and body["status"] == "fail", (name, body)
                assert body["checks"]["database"]["ok"] is False, (name, body)
                assert fetch(f"http://127.0.0.1:{port}/health/live")[0] == 200, name
        finally:
            stack.server.start()
        for name, port in ports.items():
            # The first query after the restart may meet a pooled connection the server closed.
            deadline = time.monotonic() + 30
            while (found := _readiness(port))[0] != 200 and time.monotonic() < deadline:
                time.sleep(0.5)
            assert found[0] == 200, (name, found[1])
    finally:
        desk.stop()
