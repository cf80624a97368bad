"""Retention (bot/cases/retention.py): old closed tickets anonymised, old conversations deleted.

Runs on SQLite and on PostgreSQL (`db_url`). Rasa's `events` table is made from Rasa's own
model of it, and rows are written as Rasa's SQL tracker store writes them.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml
from rasa.core.tracker_store import SQLTrackerStore

from bot import cases
from bot.cases import live, queue
from bot.cases.__main__ import main
from bot.cases.models import utcnow
from bot.cases.retention import ANONYMISED_NAME, apply_retention
from bot.cases.states import Status
from bot.db import get_engine
from bot.kommune import Kommune, get_kommune
from bot.settings import get_settings
from tests.desk.conftest import Desk, desk, staff  # noqa: F401  (fixtures for the desk test)

ROOT = Path(__file__).resolve().parent.parent
NOW = utcnow()
OLD = NOW - dt.timedelta(days=120)
RECENT = NOW - dt.timedelta(days=10)
DAYS = 90


@pytest.fixture
def db(db_url: str) -> str:
    """The case-queue database with Rasa's events table, empty."""
    engine = get_engine(db_url)
    SQLTrackerStore.SQLEvent.__table__.create(engine, checkfirst=True)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events"))
    return db_url


def add_events(url: str, sender: str, at: dt.datetime, texts: list[str]) -> None:
    """A conversation as Rasa stores it: the citizen's messages and the bot's answers."""
    rows = []
    for i, text in enumerate(texts):
        stamp = at.timestamp() + i
        kind = "user" if i % 2 == 0 else "bot"
        data = {"event": kind, "timestamp": stamp, "text": text}
        rows.append(
            {"sender_id": sender, "type_name": kind, "timestamp": stamp, "intent_name": None, "data": json.dumps(data)}
        )
    with get_engine(url).begin() as connection:
        connection.execute(
            sa.text(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) "
                "VALUES (:sender_id, :type_name, :timestamp, :intent_name, :data)"
            ),
            rows,
        )


def event_count(url: str, sender: str) -> int:
    with get_engine(url).connect() as connection:
        return connection.execute(sa.text("SELECT COUNT(*) FROM events WHERE sender_id = :s"), {"s": sender}).scalar()


def new_ticket(key: str, contact: str = "kari@example.no", **values: str) -> cases.TicketView:
    fields = dict(
        idempotency_key=key,
        conversation_id=f"conv-{key}",
        channel="socketio",
        topic="faq/waste",
        summary=f"Dunken er ikke tømt ({key})",
        language="nb",
        contact_name="Kari Nordmann",
        contact=contact,
    )
    fields.update(values)
    return cases.create_ticket(cases.NewTicket(**fields))  # type: ignore[arg-type]


def backdate(url: str, reference: str, when: dt.datetime) -> None:
    """As if everything on the ticket happened at `when`."""
    with get_engine(url).begin() as connection:
        ticket_id = connection.execute(
            sa.text("SELECT id FROM sk_tickets WHERE reference = :r"), {"r": reference}
        ).scalar_one()
        connection.execute(
            sa.text("UPDATE sk_tickets SET created_at = :t, updated_at = :t, consent_at = :t WHERE id = :i"),
            {"t": when, "i": ticket_id},
        )
        connection.execute(
            sa.text("UPDATE sk_ticket_events SET at = :t WHERE ticket_id = :i"), {"t": when, "i": ticket_id}
        )


def closed_ticket(url: str, key: str, when: dt.datetime, *, status: Status = Status.CLOSED) -> cases.TicketView:
    """A ticket with a note, an e-mailed reply and a status comment, closed at `when`."""
    ticket = new_ticket(key)
    queue.claim(ticket.reference, actor="kari")
    queue.add_note(ticket.reference, "Ringte Kari, hun bor i Storgata 1", actor="kari")
    queue.reply(ticket.reference, "Hei Kari, dunken tømmes i morgen.", actor="kari")
    queue.change_status(ticket.reference, status, actor="kari", detail="Kari er fornøyd")
    backdate(url, ticket.reference, when)
    add_events(
        url, ticket.conversation_id, when - dt.timedelta(minutes=5), ["søpla er ikke hentet", "Hva gjelder saken?"]
    )
    return ticket


def ticket_row(url: str, reference: str) -> dict[str, Any]:
    with get_engine(url).connect() as connection:
        row = connection.execute(sa.text("SELECT * FROM sk_tickets WHERE reference = :r"), {"r": reference}).mappings()
        return dict(row.one())


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, to compare before and after."""
    engine = get_engine(url)
    tables = sorted(t for t in sa.inspect(engine).get_table_names() if t != "sk_alembic_version")
    with engine.connect() as connection:
        return {
            table: sorted(tuple(map(str, row)) for row in connection.execute(sa.text(f"SELECT * FROM {table}")))
            for table in tables
        }


def test_an_old_closed_ticket_is_anonymised_and_its_conversation_deleted(db: str) -> None:
    ticket = closed_ticket(db, "old", OLD)
    before = ticket_row(db, ticket.reference)
    assert queue.ticket_detail(ticket.reference).outbox  # the reply waits in the outbox

    report = apply_retention(days=DAYS, now=NOW)

    assert (report.tickets, report.events, report.failed) == (1, 2, [])
    after = ticket_row(db, ticket.reference)
    for kept in ("reference", "topic", "channel", "language", "status", "assignee", "created_at", "consent_at"):
        assert after[kept] == before[kept], kept
    assert after["anonymised_at"] is not None
    assert after["contact_name"] == ANONYMISED_NAME
    assert after["contact_phone"] is None and after["contact_email"] is None
    assert "Dunken" not in after["summary"] and after["conversation_id"] == ""
    detail = queue.ticket_detail(ticket.reference)
    assert detail.outbox == []
    assert [e.kind for e in detail.events][-1] == "anonymised"
    assert all(e.detail is None for e in detail.events[:-1])
    assert [e.kind for e in detail.events][:-1] == [
        "created",
        "claim",
        "status",
        "note",
        "reply",
        "status",
    ]  # the history's kinds and times stay for the statistics
    text = json.dumps(dump(db), ensure_ascii=False)
    for personal in ("Kari Nordmann", "kari@example.no", "Storgata", "fornøyd", "dunken tømmes", "søpla er ikke"):
        assert personal not in text, personal
    assert event_count(db, ticket.conversation_id) == 0


def test_recent_closed_and_open_tickets_are_untouched(db: str) -> None:
    recent = closed_ticket(db, "recent", RECENT)
    resolved_old = closed_ticket(db, "resolved", OLD, status=Status.RESOLVED)
    waiting = new_ticket("waiting")
    queue.claim(waiting.reference, actor="kari")
    cases.transition(waiting.reference, Status.WAITING, actor="kari")
    backdate(db, waiting.reference, NOW - dt.timedelta(days=400))
    add_events(db, waiting.conversation_id, NOW - dt.timedelta(days=400), ["hei", "Hei!"])
    untouched = {ref: ticket_row(db, ref) for ref in (recent.reference, waiting.reference)}

    report = apply_retention(days=DAYS, now=NOW)

    assert report.tickets == 1  # the old resolved one
    assert ticket_row(db, resolved_old.reference)["anonymised_at"] is not None
    for reference, row in untouched.items():
        assert ticket_row(db, reference) == row
    assert event_count(db, recent.conversation_id) == 2
    assert event_count(db, waiting.conversation_id) == 2
    assert queue.ticket_detail(recent.reference).outbox


def test_events_past_the_period_go_from_every_conversation_without_a_ticket(db: str) -> None:
    add_events(db, "dormant", OLD, ["når er dere åpne", "08-15.30", "takk", "Bare hyggelig"])
    add_events(db, "recent", RECENT, ["hei", "Hei!"])
    # Started long ago, and the citizen came back last week: the old messages go all the same,
    # or a citizen who writes now and then would be kept for ever.
    add_events(db, "returning", OLD, ["mitt navn er Kari Nordmann", "Hei!"])
    add_events(db, "returning", RECENT, ["hei igjen", "Hei!"])

    report = apply_retention(days=DAYS, now=NOW)

    assert (report.tickets, report.conversations, report.events) == (0, 2, 6)
    assert event_count(db, "dormant") == 0
    assert event_count(db, "recent") == 2
    assert event_count(db, "returning") == 2
    assert "Kari Nordmann" not in json.dumps(dump(db), ensure_ascii=False)


def test_a_conversation_another_kept_ticket_needs_is_kept(db: str) -> None:
    old = closed_ticket(db, "first", OLD)
    second = new_ticket("second", conversation_id=old.conversation_id)

    report = apply_retention(days=DAYS, now=NOW)

    assert (report.tickets, report.events) == (1, 0)
    assert event_count(db, old.conversation_id) == 2
    assert ticket_row(db, second.reference)["anonymised_at"] is None


def test_a_live_chat_ticket_loses_its_chat(db: str) -> None:
    chat = live.request_chat("conv-live", "socketio", "nb", "faq/waste")
    live.accept(chat.id, actor="kari")
    live.send_message(chat.id, "Hei, dette er Kari fra servicetorget", actor="kari", actor_name="Kari")
    ended = live.close_chat(chat.id, actor="kari")
    backdate(db, ended.ticket_reference, OLD)
    add_events(db, "conv-live", OLD, ["jeg vil chatte", "Vent litt"])
    # A chat nobody took: no ticket, only the conversation.
    waiting = live.request_chat("conv-unanswered", "socketio", "nb", "faq/waste")
    live.expire(now=utcnow() + dt.timedelta(hours=1))
    with get_engine(db).begin() as connection:
        connection.execute(
            sa.text("UPDATE sk_live_chats SET requested_at = :t, ended_at = :t WHERE id = :i"),
            {"t": OLD, "i": waiting.id},
        )

    report = apply_retention(days=DAYS, now=NOW)

    assert (report.tickets, report.live_chats) == (1, 1)
    tables = dump(db)
    assert tables["sk_live_chats"] == [] and tables["sk_live_deliveries"] == []
    assert "servicetorget" not in json.dumps(tables, ensure_ascii=False)
    assert event_count(db, "conv-live") == 0


def test_a_second_run_changes_nothing(db: str) -> None:
    closed_ticket(db, "old", OLD)
    closed_ticket(db, "recent", RECENT)
    add_events(db, "dormant", OLD, ["hei", "Hei!"])
    first = apply_retention(days=DAYS, now=NOW)
    assert (first.tickets, first.conversations) == (1, 1)
    before = dump(db)

    second = apply_retention(days=DAYS, now=NOW)

    assert (second.tickets, second.conversations, second.events, second.live_chats) == (0, 0, 0, 0)
    assert dump(db) == before


def test_a_dry_run_changes_nothing_and_counts_what_a_run_would_do(db: str) -> None:
    closed_ticket(db, "old", OLD)
    closed_ticket(db, "recent", RECENT)
    add_events(db, "dormant", OLD, ["hei", "Hei!", "takk"])
    before = dump(db)

    dry = apply_retention(days=DAYS, now=NOW, dry_run=True)

    assert dump(db) == before
    real = apply_retention(days=DAYS, now=NOW)
    assert dry.dry_run and not real.dry_run
    assert (dry.tickets, dry.conversations, dry.events) == (real.tickets, real.conversations, real.events) == (1, 1, 5)


def test_without_the_events_table_tickets_are_still_anonymised(db_url: str) -> None:
    engine = get_engine(db_url)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS events"))
    try:
        ticket = closed_ticket_without_events(db_url)
        report = apply_retention(days=DAYS, now=NOW)
        assert (report.tickets, report.events) == (1, 0)
        assert ticket_row(db_url, ticket.reference)["anonymised_at"] is not None
    finally:
        SQLTrackerStore.SQLEvent.__table__.create(engine, checkfirst=True)


def closed_ticket_without_events(url: str) -> cases.TicketView:
    ticket = new_ticket("no-events")
    cases.transition(ticket.reference, Status.CLOSED, actor="kari")
    backdate(url, ticket.reference, OLD)
    return ticket


# --- the command ---------------------------------------------------------------------------------


def kommune_file(tmp_path: Path, days: str) -> Path:
    text = get_settings().kommune_file.read_text(encoding="utf-8")
    lines = [
        f"lagringstid_dager: {days}" if line.startswith("lagringstid_dager:") else line for line in text.splitlines()
    ]
    path = tmp_path / "kommune.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_command_prints_counts_in_norwegian(
    db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KOMMUNE_FILE", str(kommune_file(tmp_path, "30")))
    ticket = closed_ticket(db, "old", NOW - dt.timedelta(days=40))
    add_events(db, "dormant", NOW - dt.timedelta(days=40), ["hei", "Hei!"])

    assert main(["retention", "--dry-run"]) == 0
    dry = capsys.readouterr().out
    assert "Lagringstid: 30 dager" in dry
    assert "Saker som ville blitt anonymisert: 1" in dry
    assert "Samtaler uten sak som ville blitt slettet: 1" in dry
    assert "Prøvekjøring: ingenting er endret." in dry
    assert ticket_row(db, ticket.reference)["anonymised_at"] is None

    assert main(["retention"]) == 0
    done = capsys.readouterr().out
    assert "Anonymiserte saker: 1" in done
    assert "Slettede samtaler uten sak: 1" in done
    assert "Slettede hendelser i samtaleloggen: 4" in done
    assert ticket_row(db, ticket.reference)["anonymised_at"] is not None

    assert main(["retention"]) == 0
    assert "Anonymiserte saker: 0" in capsys.readouterr().out


def test_the_command_runs_as_a_module(db: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot.cases", "retention", "--dry-run"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Saker som ville blitt anonymisert: 0" in result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["0", "-5", "nitti", "1.5", '""'])
def test_a_wrong_retention_period_gets_a_clear_error(
    value: str, db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = kommune_file(tmp_path, value)
    with pytest.raises(ValueError, match="lagringstid_dager"):
        Kommune.load(path)
    monkeypatch.setenv("KOMMUNE_FILE", str(path))
    assert main(["retention"]) == 2
    error = capsys.readouterr().err
    assert "lagringstid_dager" in error and "Traceback" not in error


def test_the_kommune_file_sets_the_period() -> None:
    path = get_settings().kommune_file
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))["lagringstid_dager"]
    assert Kommune.load(path).retention_days == int(raw) and get_kommune().retention_days == int(raw)


def test_an_unreachable_database_gets_a_clear_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    assert main(["retention"]) == 1
    assert "Fikk ikke kontakt med databasen" in capsys.readouterr().err


# --- the desk shows an anonymised ticket -----------------------------------------------------------


async def test_the_desk_renders_an_anonymised_ticket(db: str, desk: Desk) -> None:  # noqa: F811
    ticket = closed_ticket(db, "old", OLD)
    apply_retention(days=DAYS, now=NOW)
    admin = await desk.login("admin")

    page = await admin.get(f"/sak/{ticket.reference}")
    assert page.status == 200, page.text
    assert ANONYMISED_NAME in page.text and "Anonymisert" in page.text
    assert "Kari Nordmann" not in page.text and "kari@example.no" not in page.text

    queue_page = await admin.get("/?status=all")
    assert queue_page.status == 200 and ticket.reference in queue_page.text
    assert (await admin.get(f"/?status=all&q={ticket.reference}")).status == 200
    assert (await admin.get("/admin/statistikk?periode=uke")).status == 200
    api = await admin.get("/ko/rader?status=all")
    assert api.status == 200 and ticket.reference in api.json()["html"]
