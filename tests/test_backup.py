"""Backup and restore (bot/db/backup.py, `python -m bot.db backup|restore`).

Each test runs on SQLite and on PostgreSQL (`db_url`, the source); a restore goes into a new,
empty database of the same kind (`empty_url`: a file that does not exist yet, or a database
created on the test server for the test and dropped after it). The PostgreSQL runs need pg_dump
and pg_restore of at least the server's major version; without them they are skipped, saying why.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore

from bot import cases
from bot.cases import queue
from bot.cases.models import utcnow
from bot.cases.retention import ANONYMISED_NAME
from bot.cases.states import Status
from bot.db import get_engine
from bot.db.backup import (
    POSTGRESQL,
    SQLITE,
    BackupError,
    backup,
    backup_kind,
    postgres_tool,
    restore,
)
from bot.db.migrate import VERSION_TABLE, upgrade
from bot.settings import get_settings
from tests.conftest import fresh_postgres_database
from tests.library_db import load_library
from tests.test_retention import add_events

ROOT = Path(__file__).resolve().parent.parent
NOW = utcnow()
OLD = NOW - dt.timedelta(days=120)  # past the 90 days of the test's kommune.yml
RECENT = NOW - dt.timedelta(days=3)


@pytest.fixture(autouse=True)
def ninety_days(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A kommune.yml with `lagringstid_dager: 90`, whatever the real one says."""
    text = get_settings().kommune_file.read_text(encoding="utf-8")
    lines = ["lagringstid_dager: 90" if line.startswith("lagringstid_dager:") else line for line in text.splitlines()]
    path = tmp_path / "kommune.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setenv("KOMMUNE_FILE", str(path))


def kind_of(url: str) -> str:
    return sa.engine.make_url(url).get_backend_name()


@pytest.fixture
def source(db_url: str) -> str:
    """`db_url` with nothing in any table, the starter answer library and Rasa's events table."""
    engine = get_engine(db_url)
    SQLTrackerStore.SQLEvent.__table__.create(engine, checkfirst=True)
    metadata = sa.MetaData()
    metadata.reflect(engine)
    with engine.begin() as connection:  # what other tests left in the shared PostgreSQL database
        for table in reversed(metadata.sorted_tables):
            if table.name != VERSION_TABLE:
                connection.execute(table.delete())
    return load_library(db_url)


@pytest.fixture
def empty_url(db_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database of `db_url`'s kind, on the same server; pg_dump and pg_restore found."""
    if kind_of(db_url) == SQLITE:
        yield f"sqlite:///{tmp_path / 'restored' / 'servicekontor.db'}"
        return
    with get_engine(db_url).connect() as connection:
        major = int(connection.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000
    try:
        for tool in ("pg_dump", "pg_restore"):
            postgres_tool(tool, major)
    except BackupError as error:
        pytest.skip(f"pg_dump/pg_restore for PostgreSQL {major} not found: {error}")
    with fresh_postgres_database(db_url, "sk_restore") as url:
        yield url


def new_ticket(url: str, key: str, at: dt.datetime = RECENT, **values: str) -> cases.TicketView:
    """A ticket and its conversation, which started at `at`."""
    fields = dict(
        idempotency_key=key,
        conversation_id=f"conv-{key}",
        channel="socketio",
        topic="faq/waste",
        summary=f"Dunken er ikke tømt ({key})",
        language="nb",
        contact_name="Kari Nordmann",
        contact="kari@example.no",
    )
    fields.update(values)
    ticket = cases.create_ticket(cases.NewTicket(**fields), url=url)  # type: ignore[arg-type]
    add_events(url, ticket.conversation_id, at, ["søpla er ikke hentet", "Hva gjelder saken?", "Storgata 1"])
    return ticket


def backdate(url: str, reference: str, when: dt.datetime) -> None:
    with get_engine(url).begin() as connection:
        connection.execute(
            sa.text("UPDATE sk_tickets SET created_at = :t, updated_at = :t, consent_at = :t WHERE reference = :r"),
            {"t": when, "r": reference},
        )
        connection.execute(
            sa.text(
                "UPDATE sk_ticket_events SET at = :t WHERE ticket_id = (SELECT id FROM sk_tickets WHERE reference = :r)"
            ),
            {"t": when, "r": reference},
        )


def fill(url: str) -> list[str]:
    """Tickets with notes, replies and status changes, their conversations, one without a ticket."""
    references = []
    for n in range(3):
        ticket = new_ticket(url, f"k{n}")
        queue.claim(ticket.reference, actor="kari", url=url)
        queue.add_note(ticket.reference, f"Ringte innbyggeren ({n})", actor="kari", url=url)
        queue.reply(ticket.reference, f"Hei, dunken tømmes i morgen ({n}).", actor="kari", url=url)
        references.append(ticket.reference)
    queue.change_status(references[0], Status.CLOSED, actor="kari", detail="Løst", url=url)
    references.append(new_ticket(url, "fresh", contact="+47 912 34 567").reference)
    add_events(url, "no-ticket", RECENT, ["når er dere åpne?", "Kl. 8-15.30", "takk"])
    return references


def dump(url: str) -> dict[str, list[tuple[str, ...]]]:
    """Every row of every table, to compare two databases of the same kind."""
    engine = get_engine(url)
    with engine.connect() as connection:
        tables = sorted(sa.inspect(connection).get_table_names())
        return {
            table: sorted(tuple(map(str, row)) for row in connection.execute(sa.text(f'SELECT * FROM "{table}"')))
            for table in tables
        }


def count(url: str, table: str) -> int:
    with get_engine(url).connect() as connection:
        return connection.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar_one()


# --- the round trip -------------------------------------------------------------------------------


def test_a_backup_restored_into_an_empty_database_has_everything(source: str, empty_url: str, tmp_path: Path) -> None:
    references = fill(source)
    before = dump(source)
    assert before["sk_tickets"] and before["sk_ticket_events"] and before["events"] and before["sk_answers"]
    path = tmp_path / "backups" / "servicekontor.backup"
    path.parent.mkdir()

    made = backup(source, path)

    assert made.path == path and made.size == path.stat().st_size > 0
    assert made.kind == backup_kind(path) == kind_of(source)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # personal data: its owner only
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]  # no temporary file left

    report = restore(empty_url, path)

    assert dump(empty_url) == before  # every ticket, history event, conversation event and answer
    assert (report.tickets, report.ticket_events, report.events, report.answers) == (
        len(before["sk_tickets"]),
        len(before["sk_ticket_events"]),
        len(before["events"]),
        len(before["sk_answers"]),
    )
    assert (report.retention.tickets, report.retention.events, report.retention.failed) == (0, 0, [])
    # The desk's own queries read it as before.
    for reference in references:
        assert queue.ticket_detail(reference, url=empty_url) == queue.ticket_detail(reference, url=source)


def test_a_restore_applies_the_retention_period(source: str, empty_url: str, tmp_path: Path) -> None:
    fill(source)
    old = new_ticket(source, "old", at=OLD)
    queue.change_status(old.reference, Status.CLOSED, actor="kari", detail="Kari var svært fornøyd", url=source)
    backdate(source, old.reference, OLD)
    add_events(source, "dormant", OLD, ["jeg heter Ola Hansen", "Hei Ola"])
    path = tmp_path / "with-old.backup"
    backup(source, path)  # retention has not run in the source since these became old

    report = restore(empty_url, path)

    assert (report.retention.tickets, report.retention.conversations, report.retention.events) == (1, 1, 5)
    with get_engine(empty_url).connect() as connection:
        row = connection.execute(
            sa.text("SELECT contact_name, anonymised_at FROM sk_tickets WHERE reference = :r"), {"r": old.reference}
        ).one()
        senders = set(connection.execute(sa.text("SELECT DISTINCT sender_id FROM events")).scalars())
    assert row.contact_name == ANONYMISED_NAME and row.anonymised_at is not None
    assert old.conversation_id not in senders and "dormant" not in senders
    assert {"no-ticket", "conv-k0", "conv-fresh"} <= senders  # what is within the period stays
    assert report.tickets == count(empty_url, "sk_tickets") == count(source, "sk_tickets")
    text = json.dumps(dump(empty_url), ensure_ascii=False)
    left = [personal for personal in ("Ola Hansen", "svært fornøyd", "(old)") if personal in text]
    assert left == []


def test_a_database_with_data_is_replaced_only_when_asked_to(source: str, empty_url: str, tmp_path: Path) -> None:
    fill(source)
    path = tmp_path / "servicekontor.backup"
    backup(source, path)
    upgrade(empty_url)
    SQLTrackerStore.SQLEvent.__table__.create(get_engine(empty_url), checkfirst=True)
    new_ticket(empty_url, "in-the-target")
    with get_engine(empty_url).begin() as connection:  # as if a newer version had made it
        connection.execute(sa.text("CREATE TABLE sk_from_a_newer_version (id INTEGER PRIMARY KEY)"))
        connection.execute(sa.text("INSERT INTO sk_from_a_newer_version VALUES (1)"))
    before = dump(empty_url)

    with pytest.raises(BackupError, match="har allerede data.*--replace"):
        restore(empty_url, path)
    assert dump(empty_url) == before

    restore(empty_url, path, replace=True)
    assert dump(empty_url) == dump(source)


def test_a_backup_of_the_other_kind_or_of_something_else_is_refused(
    source: str, empty_url: str, tmp_path: Path
) -> None:
    other = tmp_path / "other.backup"
    if kind_of(empty_url) == SQLITE:
        other.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(100))
    else:
        with sqlite3.connect(other) as connection:
            connection.execute("CREATE TABLE t (x)")
    with pytest.raises(BackupError, match="men DATABASE_URL peker på"):
        restore(empty_url, other)
    nothing = tmp_path / "notes.txt"
    nothing.write_text("ikke en sikkerhetskopi")
    with pytest.raises(BackupError, match="er ikke en sikkerhetskopi"):
        restore(empty_url, nothing)
    with pytest.raises(BackupError, match="finnes ikke"):
        restore(empty_url, tmp_path / "missing.backup")
    if kind_of(empty_url) == POSTGRESQL:
        assert dump(empty_url) == {}
    else:
        assert not Path(str(sa.engine.make_url(empty_url).database)).exists()


def test_an_existing_file_is_overwritten_only_when_asked_to(source: str, tmp_path: Path) -> None:
    path = tmp_path / "servicekontor.backup"
    path.write_text("yesterday's backup")
    with pytest.raises(BackupError, match="finnes allerede.*--overwrite"):
        backup(source, path)
    assert path.read_text() == "yesterday's backup"
    backup(source, path, overwrite=True)
    assert backup_kind(path) == kind_of(source) and stat.S_IMODE(path.stat().st_mode) == 0o600


# --- SQLite while the services write ---------------------------------------------------------------


def sqlite_file(url: str) -> Path:
    return Path(str(sa.engine.make_url(url).database))


def test_a_sqlite_backup_during_a_write_has_everything_committed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'live.db'}"
    upgrade(url)
    SQLTrackerStore.SQLEvent.__table__.create(get_engine(url), checkfirst=True)
    load_library(url)
    references = fill(url)
    wal = Path(f"{sqlite_file(url)}-wal")
    assert wal.stat().st_size > 0  # committed, and (some of it) only in the WAL file yet
    committed = dump(url)
    writer = sqlite3.connect(sqlite_file(url), isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # holds the write lock, as a service in the middle of a save
    writer.execute("UPDATE sk_tickets SET summary = 'halvferdig' WHERE reference = ?", (references[0],))
    writer.execute("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES ('open', 'user', 1, '{}')")
    path = tmp_path / "during.backup"
    try:
        started = time.monotonic()
        backup(url, path)
        assert time.monotonic() - started < 10  # it did not wait for the writer
    finally:
        writer.execute("COMMIT")
        writer.close()

    assert not Path(f"{path}-wal").exists()
    with path.open("rb") as file:
        assert file.read(20)[18:20] == b"\x01\x01"  # a rollback-journal file: it stands alone
    copy = f"sqlite:///{path}"
    assert dump(copy) == committed  # all that was committed, nothing of the open transaction
    get_engine(copy).dispose()


@pytest.mark.parametrize("db_url", [SQLITE], indirect=True)
def test_a_sqlite_database_in_use_is_not_replaced(source: str, empty_url: str, tmp_path: Path) -> None:
    fill(source)
    path = tmp_path / "servicekontor.backup"
    backup(source, path)
    upgrade(empty_url)
    new_ticket_without_events(empty_url)
    before = dump(empty_url)
    get_engine(empty_url).dispose()
    service = sqlite3.connect(sqlite_file(empty_url))  # a service that has the database open
    service.execute("PRAGMA journal_mode=WAL")
    service.execute("SELECT count(*) FROM sk_tickets").fetchone()
    try:
        with pytest.raises(BackupError, match="i bruk.*Stopp"):
            restore(empty_url, path, replace=True)
    finally:
        service.close()
    assert dump(empty_url) == before
    restore(empty_url, path, replace=True)
    assert dump(empty_url) == dump(source)


@pytest.mark.parametrize("db_url", [POSTGRESQL], indirect=True)
def test_a_postgresql_database_in_use_is_not_restored_into(source: str, empty_url: str, tmp_path: Path) -> None:
    path = tmp_path / "servicekontor.backup"
    backup(source, path)
    service = sa.create_engine(empty_url, poolclass=sa.pool.NullPool)
    with service.connect() as connection:
        connection.execute(sa.text("SELECT 1"))
        with pytest.raises(BackupError, match="i bruk.*1 andre tilkoblinger"):
            restore(empty_url, path)
    service.dispose()
    assert dump(empty_url) == {}


def new_ticket_without_events(url: str) -> None:
    cases.create_ticket(
        cases.NewTicket(
            idempotency_key="target",
            conversation_id="conv-target",
            channel="socketio",
            topic="faq/waste",
            summary="Saken som alt var der",
            language="nb",
            contact_name="Ola",
            contact="ola@example.no",
        ),
        url=url,
    )


# --- the command ------------------------------------------------------------------------------------


def command(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "bot.db", *args],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def with_password(url: str) -> str:
    """`url` with a password (the test server trusts 127.0.0.1 and ignores it)."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == SQLITE:
        return url
    return parsed.set(password="hemmelig-passord").render_as_string(hide_password=False)


def test_the_commands_speak_norwegian_and_never_print_the_password(source: str, empty_url: str, tmp_path: Path) -> None:
    fill(source)
    path = tmp_path / "servicekontor.backup"

    made = command(with_password(source), "backup", str(path))
    assert made.returncode == 0, made.stderr
    assert f"Sikkerhetskopi lagret: {path}" in made.stdout and "personopplysninger" in made.stdout
    again = command(with_password(source), "backup", str(path))
    assert again.returncode == 1 and "finnes allerede" in again.stderr and "--overwrite" in again.stderr

    restored = command(with_password(empty_url), "restore", str(path))
    assert restored.returncode == 0, restored.stderr
    assert "Gjenopprettet" in restored.stdout and "Start tjenestene igjen" in restored.stdout
    assert f"I databasen nå: {count(source, 'sk_tickets')} saker" in restored.stdout
    assert "Lagringstiden (90 dager) er kjørt" in restored.stdout
    refused = command(with_password(empty_url), "restore", str(path))
    assert refused.returncode == 1 and "har allerede data" in refused.stderr and "--replace" in refused.stderr

    for done in (made, again, restored, refused):
        assert "hemmelig-passord" not in done.stdout + done.stderr
        assert "Traceback" not in done.stderr
    if kind_of(source) == POSTGRESQL:
        assert ":***@" in made.stdout and ":***@" in restored.stdout
    assert dump(empty_url) == dump(source)


def test_a_missing_backup_file_is_an_error_in_norwegian(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'servicekontor.db'}"
    done = command(url, "restore", str(tmp_path / "finnes-ikke.backup"))
    assert done.returncode == 1
    assert "Feil: Filen" in done.stderr and "finnes ikke" in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "servicekontor.db").exists()
    missing = command(url, "backup", str(tmp_path / "backup.db"))
    assert missing.returncode == 1 and "Databasefilen" in missing.stderr and "finnes ikke" in missing.stderr
    helped = command(url, "restore", "--help")
    assert helped.returncode == 0 and "må være stoppet" in helped.stdout and "--replace" in helped.stdout
