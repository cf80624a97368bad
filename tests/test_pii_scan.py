"""No national ID number survives anywhere: a seeded corpus through a real stack, then a scan.

A real Rasa server (`--debug`, also logging to a file), action server and desk (access log on)
start on a fresh database: SQLite, and PostgreSQL too when TEST_DATABASE_URL is set. Citizens
type valid fødselsnummer and D-nummer, generated here with their check digits, in many
spellings: in the REST chat (questions, the ticket form's answers, the status flow, metadata,
an overlong message, a malformed request), in the website widget during a live chat, and on
Messenger. Staff write them in notes, replies, status comments, searches, a login name, the JSON
API and the live chat. When everything has stopped, every column of every table and every log
file is searched for each number's 11 digits with any few non-digits between them; the pattern
is built here, independently of bot/pii.py. Nothing may be found, and the same scanner is shown
to find a number planted on purpose.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import os
import re
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
import pytest
import sqlalchemy as sa
from stdnum.no import fodselsnummer

from bot import accounts
from bot.db import get_engine
from tests import test_messenger as messenger
from tests.desk.conftest import PASSWORD, Client
from tests.fake_graph import FakeGraph
from tests.kommune_facts import open_around_the_clock
from tests.library_db import prepare_database
from tests.live import RASA, ROOT, Process, free_port, rasa_env, start_desk, wait_for
from tests.test_live_handoff import Citizen

MASKED = "dselsnummer fjernet]"  # the end of bot.pii.MASK, also when JSON escapes the «ø»
REFERENCE = re.compile(r"SK-\d{4}-\d{5}")


# --- the seeded numbers and how citizens and staff write them ----------------------------------


def _with_check_digits(first_nine: str) -> str | None:
    """The 11-digit number with both mod-11 check digits, or None when a check digit would be 10."""
    digits = [int(d) for d in first_nine]
    for weights in ((3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)):
        check = (11 - sum(d * w for d, w in zip(digits, weights, strict=True)) % 11) % 11
        if check == 10:
            return None
        digits.append(check)
    return "".join(map(str, digits))


def seeded_numbers(count: int) -> list[str]:
    """Valid, distinct numbers born 1950–1989; every second one a D-nummer (day + 40)."""
    numbers: list[str] = []
    birth = dt.date(1950, 1, 3)
    while len(numbers) < count:
        d_number = len(numbers) % 2 == 1
        date = f"{birth.day + (40 if d_number else 0):02d}{birth.month:02d}{birth.year % 100:02d}"
        for individual in range(100 + 11 * len(numbers), 500):  # 100–499: born in the 1900s
            number = _with_check_digits(f"{date}{individual:03d}")
            if number:
                numbers.append(number)
                break
        birth += dt.timedelta(days=389)
    return numbers


NUMBERS = seeded_numbers(24)

SPELLINGS = [
    lambda n: n,  # 01019012480
    lambda n: f"{n[:6]} {n[6:]}",  # 010190 12480
    lambda n: f"{n[:6]}.{n[6:]}",  # 010190.12480
    lambda n: f"{n[:2]}.{n[2:4]}.{n[4:6]} {n[6:9]} {n[9:]}",  # 01.01.90 124 80
    lambda n: f"{n[:6]}-{n[6:]}",  # 010190-12480
    lambda n: f"{n[:2]}-{n[2:4]}-{n[4:6]}-{n[6:9]}-{n[9:]}",  # 01-01-90-124-80
    lambda n: f"{n[:6]} - {n[6:]}",  # 010190 - 12480
    lambda n: " ".join(n[i : i + 2] for i in range(0, 11, 2)),  # 01 01 90 12 48 0
]


def spelled(index: int) -> str:
    """Seeded number `index`, in the spelling its index picks."""
    return SPELLINGS[index % len(SPELLINGS)](NUMBERS[index])


def scanner(numbers: list[str]) -> re.Pattern[str]:
    """Each number's digits in order, with up to four non-digits between any two of them."""
    return re.compile("|".join("[^0-9]{0,4}".join(number) for number in numbers))


SCANNER = scanner(NUMBERS)


def findings(text: str, where: str) -> list[str]:
    return [f"{where}: …{text[max(0, m.start() - 60) : m.end() + 20]!r}" for m in SCANNER.finditer(text)]


# --- the stack ---------------------------------------------------------------------------------


@dataclass
class Stack:
    database: str
    tmp: Path
    ports: dict[str, int]
    graph: FakeGraph
    processes: list[Process] = field(default_factory=list)
    said: list[str] = field(default_factory=list)  # every text sent, as sent
    references: list[str] = field(default_factory=list)

    @property
    def rasa(self) -> str:
        return f"http://127.0.0.1:{self.ports['rasa']}"

    @property
    def desk(self) -> str:
        return f"http://127.0.0.1:{self.ports['desk']}"

    def stop(self) -> None:
        for process in self.processes:
            process.stop()


def _start(stack: Stack, model: Path) -> None:
    env = {"DATABASE_URL": stack.database, "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{stack.ports['actions']}/webhook"}
    actions_log = stack.tmp / "actions.log"
    stack.processes.append(
        Process(
            "actions",
            subprocess.Popen(
                [*RASA, "run", "actions", "--actions", "actions", "--port", str(stack.ports["actions"]), "--debug"],
                cwd=ROOT,
                env=rasa_env(**env),
                stdout=actions_log.open("w"),
                stderr=subprocess.STDOUT,
            ),
            actions_log,
        )
    )
    rasa_log = stack.tmp / "rasa.log"
    command = [*RASA, "run", "--model", str(model), "--port", str(stack.ports["rasa"]), "--debug"]
    command += ["--log-file", str(stack.tmp / "rasa-debug.log")]
    command += ["--credentials", "credentials.yml", "--endpoints", str(ROOT / "endpoints.yml")]
    stack.processes.append(
        Process(
            "rasa",
            subprocess.Popen(
                command, cwd=ROOT, env=rasa_env(**env), stdout=rasa_log.open("w"), stderr=subprocess.STDOUT
            ),
            rasa_log,
        )
    )
    stack.processes.append(start_desk(stack.ports["desk"], stack.database, stack.tmp, DESK_ACCESS_LOG="1"))
    wait_for(f"http://127.0.0.1:{stack.ports['actions']}/health", stack.processes[0])
    wait_for(f"{stack.rasa}/webhooks/livechat/", stack.processes[1])
    wait_for(f"{stack.desk}/login", stack.processes[2])


def _fresh_postgres(server: str) -> tuple[str, sa.engine.Engine, str]:
    name = f"sk_scan_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)
    return url, admin, name


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def played(
    request: pytest.FixtureRequest, model_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """A stack that has played the whole corpus and has stopped, so every log is complete."""
    tmp = tmp_path_factory.mktemp(f"scan-{request.param}")
    dropped: tuple[sa.engine.Engine, str] | None = None
    if request.param == "postgresql":
        server = os.environ.get("TEST_DATABASE_URL")
        if not server:
            pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests run in CI)")
        database, admin, name = _fresh_postgres(server)
        dropped = (admin, name)
    else:
        database = f"sqlite:///{tmp / 'scan.db'}"
    prepare_database(database)
    accounts.create_user("kari", "Kari Saksbehandler", PASSWORD, "agent", url=database)
    graph = FakeGraph().start()
    ports = {name: free_port() for name in ("actions", "rasa", "desk")}
    stack = Stack(database, tmp, ports, graph)
    with pytest.MonkeyPatch.context() as env:
        env.setenv("DATABASE_URL", database)
        env.setenv("KOMMUNE_FILE", str(open_around_the_clock(tmp)))
        env.setenv("LIVE_POLL_SECONDS", "0.3")
        env.setenv("FACEBOOK_VERIFY_TOKEN", messenger.VERIFY)
        env.setenv("FACEBOOK_APP_SECRET", messenger.SECRET)
        env.setenv("FACEBOOK_PAGE_ACCESS_TOKEN", messenger.TOKEN)
        env.setenv("FACEBOOK_GRAPH_URL", graph.url)
        try:
            _start(stack, model_path)
            play_citizens(stack)
            asyncio.run(play_staff_and_widget(stack))
            play_messenger(stack)
        finally:
            stack.stop()
            graph.stop()
        try:
            yield stack
        finally:
            get_engine(database).dispose()
            if dropped:
                admin, name = dropped
                with admin.connect() as connection:
                    connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


# --- the corpus --------------------------------------------------------------------------------


class RestCitizen:
    """One citizen on the REST channel, with optional metadata."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.sender = f"scan-{uuid.uuid4().hex[:10]}"

    def post(self, payload: dict[str, Any]) -> tuple[int, Any]:
        body = json.dumps(payload).encode()
        request = urllib.request.Request(
            f"{self.stack.rasa}/webhooks/rest/webhook", data=body, headers={"Content-Type": "application/json"}
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return response.status, json.loads(response.read())
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def say(self, text: str, **extra: Any) -> str:
        self.stack.said.append(text)
        status, replies = self.post({"sender": self.sender, "message": text, **extra})
        assert status == 200, replies
        answer = "\n".join(r.get("text") or "" for r in replies)
        assert "teknisk" not in answer.lower(), answer  # the stack works: no technical-problem notice
        return answer


def play_citizens(stack: Stack) -> None:
    # Questions with numbers inside sentences, and a number alone.
    faq = RestCitizen(stack)
    assert "fjernet et fødselsnummer" in faq.say(f"Når er dere åpne? Fødselsnummeret mitt er {spelled(0)}")
    faq.say(f"personnummer {spelled(1)}, hva koster eiendomsskatt?")
    faq.say(spelled(2))
    faq.say(
        f"Søpla er ikke hentet hos meg ({spelled(3)})", metadata={"fnr": NUMBERS[4], "side": f"/skjema?id={spelled(4)}"}
    )
    # Refused before Rasa: an overlong message, and a request whose message is no text.
    stack.said.append(spelled(5))
    status, _ = faq.post({"sender": faq.sender, "message": f"{spelled(5)} " + "bla " * 1200})
    assert status == 200
    stack.said += [NUMBERS[4], spelled(6)]  # in the metadata above; in a message that is no text
    status, _ = faq.post({"sender": faq.sender, "message": [spelled(6)]})
    assert status == 400

    # The ticket form: the number in what it is about, in the name and as the contact.
    form = RestCitizen(stack)
    assert "Hva gjelder saken" in form.say("jeg vil snakke med en person")
    assert "Hva heter du" in form.say(f"Dunken er ikke tømt. Fnr {spelled(7)}")
    assert "Hvordan kan vi nå deg" in form.say(f"Kari Nordmann {spelled(8)}")
    assert "kjente jeg ikke igjen" in form.say(spelled(9))
    assert "Er det greit" in form.say("kari@example.no")
    done = form.say("ja")
    found = REFERENCE.search(done)
    assert found, done
    stack.references.append(found.group())
    # A second ticket, with a phone number, for the desk's call-back reply.
    phone = RestCitizen(stack)
    phone.say("kan jeg snakke med et menneske")
    phone.say(f"Jeg trenger hjelp med byggesak {spelled(10)}")
    phone.say("Ola Nordmann")
    phone.say("912 34 567")
    found = REFERENCE.search(phone.say("ja"))
    assert found
    stack.references.append(found.group())

    # The status flow: the number with the reference, and as the contact.
    status_citizen = RestCitizen(stack)
    assert "saksnummeret" in status_citizen.say("hva er status på saken min")
    asked = status_citizen.say(f"{stack.references[0]}, og fødselsnummeret er {spelled(11)}")
    assert "telefonnummer eller hvilken e-post" in asked, asked
    status_citizen.say(spelled(12))
    status_citizen.say("kari@example.no")


async def _staff_client(stack: Stack) -> Client:
    session = aiohttp.ClientSession(
        cookie_jar=aiohttp.CookieJar(unsafe=True), connector=aiohttp.TCPConnector(force_close=True)
    )
    return Client(stack.desk, session)


async def play_staff_and_widget(stack: Stack) -> None:
    reference, phone_reference = stack.references
    stranger = await _staff_client(stack)
    kari = await _staff_client(stack)
    try:
        stack.said.append(spelled(13))
        refused = await stranger.login(spelled(13))
        assert refused.status == 401
        assert (await kari.login("kari")).status == 303
        await kari.get("/")

        search = await kari.get(f"/?status=all&q={spelled(14)}")
        assert search.status == 200
        assert (await kari.get(f"/sak/{NUMBERS[15]}")).status == 404
        stack.said += [spelled(14), NUMBERS[15]]

        await kari.get(f"/sak/{reference}")
        for path, form in (
            (f"/sak/{reference}/notat", {"notat": f"Innbyggeren oppga fnr {spelled(16)} på telefonen"}),
            (f"/sak/{reference}/svar", {"svar": f"Hei! Ikke send oss {spelled(17)} i e-post.", "status": ""}),
            (f"/sak/{reference}/status", {"status": "waiting_for_citizen", "kommentar": f"venter, {spelled(18)}"}),
            (f"/sak/{phone_reference}/svar", {"svar": f"Ringte om {spelled(19)}", "status": "resolved"}),
        ):
            answer = await kari.post(path, form)
            assert answer.status == 303, (path, answer.status, answer.text[:300])
            stack.said += [v for v in form.values() if v]
            await kari.get(answer.location.split("?")[0])

        token = await asyncio.to_thread(accounts.create_api_token, "kari", "saksystem", url=stack.database)
        headers = {"Authorization": f"Bearer {token}"}
        async with aiohttp.ClientSession() as api:
            note = {"text": f"Fra saksystemet: {spelled(20)}"}
            async with api.post(f"{stack.desk}/api/v1/tickets/{reference}/notes", json=note, headers=headers) as r:
                assert r.status == 201, await r.text()
            reply = {"text": f"Svar via API {spelled(21)}", "status": "in_progress"}
            async with api.post(f"{stack.desk}/api/v1/tickets/{reference}/replies", json=reply, headers=headers) as r:
                assert r.status == 201, await r.text()
            stack.said += [note["text"], reply["text"]]

        await live_chat(stack, kari)
    finally:
        for client in (stranger, kari):
            await client.session.close()


async def live_chat(stack: Stack, kari: Client) -> None:
    """The widget: a live chat where the staff member and the citizen both write a number."""
    await kari.get("/chat")
    assert (await kari.post("/chat/tilgjengelig", {"tilgjengelig": "ja"})).status == 303
    citizen = Citizen(stack.ports["rasa"])
    await citizen.connect()
    try:
        await citizen.say("jeg vil snakke med en person")
        await citizen.expect(r"chatte med deg nå")
        await citizen.say("/affirm")
        await citizen.expect(r"Vent litt")
        chat_id = await _waiting_chat_id(kari)
        taken = await kari.post(f"/chat/{chat_id}/ta", {})
        assert taken.status == 303, taken.text[:300]
        await kari.get(taken.location.split("#")[0])
        staff_text = f"Hei! Er {spelled(22)} ditt nummer?"
        sent = await kari.post(f"/chat/{chat_id}/send", {"melding": staff_text})
        assert sent.status == 303, sent.text[:300]
        heard = await citizen.expect(r"ditt nummer")
        assert "fjernet]" in heard["text"] and not SCANNER.search(heard["text"])
        citizen_text = f"Ja, det er {spelled(23)}"
        await citizen.say(citizen_text)
        await citizen.silence(2)
        await kari.get(taken.location.split("#")[0])
        assert (await kari.post(f"/chat/{chat_id}/avslutt", {})).status == 303
        await citizen.expect(r".", timeout=15)
        stack.said += [staff_text, citizen_text]
    finally:
        await citizen.client.disconnect()


async def _waiting_chat_id(kari: Client, timeout: float = 20) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = await kari.get("/chat/liste")
        found = re.search(r"/chat/(\d+)/ta", rows.json()["html"])
        if found:
            return int(found.group(1))
        await asyncio.sleep(0.3)
    raise AssertionError("the live chat never reached the desk")


def play_messenger(stack: Stack) -> None:
    psid = messenger.fresh_psid()
    text = f"Hei, fødselsnummeret mitt er {spelled(0)}. Når er dere åpne?"
    stack.said.append(text)
    status, _ = messenger.post_webhook(stack.rasa, messenger.webhook_body(messenger.text_event(psid, text)))
    assert status == 200
    deadline = time.monotonic() + 60
    answers: list[str] = []
    while time.monotonic() < deadline:
        answers = [call.text or "" for call in stack.graph.calls if call.recipient == psid]
        # The masking notice, then the bot's answer: which answer is the NLU's business, not this test's.
        if any("fjernet et fødselsnummer" in text for text in answers) and len(answers) >= 2:
            return
        time.sleep(0.3)
    raise AssertionError(f"Messenger got no answer: {answers}")


# --- the scan ----------------------------------------------------------------------------------


def dump_database(url: str) -> dict[str, str]:
    """Every value of every column of every table, as text, per table."""
    engine = get_engine(url)
    tables: dict[str, str] = {}
    with engine.connect() as connection:
        for table in sa.inspect(connection).get_table_names():
            rows = connection.execute(sa.text(f'SELECT * FROM "{table}"')).all()
            tables[table] = "\n".join("\t".join(str(value) for value in row) for row in rows)
    return tables


def read_logs(tmp: Path) -> dict[str, str]:
    return {path.name: path.read_text(encoding="utf-8", errors="replace") for path in sorted(tmp.glob("*.log"))}


def test_the_seeded_numbers_are_valid_and_every_spelling_is_found() -> None:
    assert len(set(NUMBERS)) == len(NUMBERS)
    assert all(fodselsnummer.is_valid(number) for number in NUMBERS)
    assert sum(int(number[0]) >= 4 for number in NUMBERS) == len(NUMBERS) // 2  # half are D-nummer
    for index in range(len(NUMBERS)):
        for spelling in SPELLINGS:
            assert SCANNER.search(f"tekst {spelling(NUMBERS[index])} mer"), spelling(NUMBERS[index])


def test_the_database_holds_no_id_number(played: Stack) -> None:
    found = [hit for table, text in dump_database(played.database).items() for hit in findings(text, table)]
    assert found == []


def test_the_logs_hold_no_id_number(played: Stack) -> None:
    logs = read_logs(played.tmp)
    assert {"rasa.log", "rasa-debug.log", "actions.log"} <= set(logs)
    found = [hit for name, text in logs.items() for hit in findings(text, name)]
    assert found == []


def test_the_corpus_reached_every_store_and_log(played: Stack) -> None:
    """The scan would see a number: the masked texts are where the numbers would have been."""
    played_numbers = {number for number in NUMBERS if any(scanner([number]).search(t) for t in played.said)}
    assert played_numbers == set(NUMBERS)  # every seeded number was typed somewhere
    tables = dump_database(played.database)
    for table in ("events", "sk_tickets", "sk_ticket_events", "sk_outbox", "sk_live_deliveries"):
        assert MASKED in tables[table].replace("\\u00f8", "ø"), table
    tickets = tables["sk_tickets"]
    assert "Kari Nordmann [f" in tickets and "Dunken er ikke tømt. Fnr [f" in tickets
    logs = read_logs(played.tmp)
    assert MASKED in logs["rasa-debug.log"]  # Rasa's debug log shows every message, masked
    assert "Received request to run 'validate_ticket_form'" in logs["actions.log"]  # debug level
    desk_log = logs[next(name for name in logs if name.startswith("desk-"))]
    assert "/?status=all&q=[fødselsnummer fjernet]" in desk_log  # the access log, masked


def test_the_scanner_finds_a_number_planted_on_purpose(played: Stack) -> None:
    planted = spelled(3)
    with get_engine(played.database).begin() as connection:
        ticket_id = connection.execute(sa.text("SELECT MIN(id) FROM sk_tickets")).scalar_one()
        connection.execute(
            sa.text(
                "INSERT INTO sk_ticket_events (ticket_id, at, actor, kind, detail) VALUES (:t, :at, 'test', 'note', :d)"
            ),
            {"t": ticket_id, "at": dt.datetime.now(dt.timezone.utc), "d": f"plantet: {planted}"},
        )
    try:
        found = [hit for table, text in dump_database(played.database).items() for hit in findings(text, table)]
        assert len(found) == 1 and "sk_ticket_events" in found[0]
    finally:
        with get_engine(played.database).begin() as connection:
            connection.execute(sa.text("DELETE FROM sk_ticket_events WHERE actor = 'test'"))
    log = played.tmp / "rasa-debug.log"
    text = log.read_text(encoding="utf-8", errors="replace")
    assert findings(text + f"\nDEBUG Received user message '{spelled(8)}'\n", "rasa-debug.log")
