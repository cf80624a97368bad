"""Backup and restore of the one database: the case queue, Rasa's conversations (`events`) and
the answer library (`python -m bot.db backup PATH` / `restore PATH`, bot/db/__main__.py).

- SQLite: `backup` copies through SQLite's online backup API, so the copy is consistent while the
  services write (what is committed, also what is still in the WAL file; never an open
  transaction). The copy is one self-contained file (rollback journal, no -wal beside it).
  `restore` copies the backup next to the database and renames it into place.
- PostgreSQL: `pg_dump --format=custom` and `pg_restore --clean --if-exists --single-transaction`,
  with the connection in the environment (PGHOST, PGUSER, PGPASSWORD, ...), never on the command
  line where `ps` shows it. The tools' major version must be at least the server's: the one on
  PATH, else the highest that fits in /usr/lib/postgresql/<version>/bin (Debian).

A backup holds personal data: the file is created readable by its owner only (0600), and an
existing file is only replaced when asked to. A restore refuses a backup of the other kind of
database, and a database that already holds tickets, conversations or answers unless asked to
replace them. The services must be stopped during a restore; a database still in use is
refused. After a restore the schema is migrated to this version's (the backup may be older) and
the retention run is applied (bot/cases/retention.py), so a restore never brings back what the
retention period had already removed.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
import yaml
from alembic.util.exc import CommandError
from sqlalchemy.engine import URL, Connection

from bot.cases.retention import RetentionReport, apply_retention
from bot.db import get_engine
from bot.db.migrate import VERSION_TABLE, upgrade
from bot.kommune import get_kommune
from bot.settings import get_settings

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
KIND_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}

SQLITE_HEADER = b"SQLite format 3\x00"
PGDUMP_HEADER = b"PGDMP"
EVENTS_TABLE = "events"  # Rasa's tracker store
DEBIAN_POSTGRESQL = Path("/usr/lib/postgresql")
TOOL_TIMEOUT = 6 * 3600  # a large dump on a slow disk; a hung tool must still end some day

# Connection parts that libpq reads from the environment, by the URL's query key.
_LIBPQ_QUERY_ENV = {
    "host": "PGHOST",
    "port": "PGPORT",
    "sslmode": "PGSSLMODE",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcrl": "PGSSLCRL",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
    "gssencmode": "PGGSSENCMODE",
}
# Inherited variables that would point the tools at another database than the URL's.
_LIBPQ_CLEARED = ("PGHOST", "PGHOSTADDR", "PGPORT", "PGUSER", "PGPASSWORD", "PGDATABASE", "PGSERVICE")


class BackupError(Exception):
    """A backup or restore that could not be done; the message says why and what to do (Norwegian)."""


@dataclass(frozen=True)
class BackupReport:
    path: Path
    kind: str  # SQLITE or POSTGRESQL
    size: int  # bytes


@dataclass(frozen=True)
class RestoreReport:
    path: Path
    kind: str
    tickets: int  # in the restored database, after retention
    ticket_events: int
    events: int  # rows in Rasa's events table
    answers: int
    retention: RetentionReport


# --- common -------------------------------------------------------------------------------------


def plain_url(url: str | URL) -> str:
    """`url` as a string the engines accept (with its password: never print this one)."""
    return sa.engine.make_url(url).render_as_string(hide_password=False)


def shown_url(url: str | URL) -> str:
    """`url` as it may be printed: the password as ***."""
    return repr(sa.engine.make_url(url))


def database_kind(url: str | URL) -> str:
    backend = sa.engine.make_url(url).get_backend_name()
    if backend not in (SQLITE, POSTGRESQL):
        raise BackupError(f"Databasetypen «{backend}» støttes ikke; bare SQLite og PostgreSQL.")
    return backend


def backup_kind(path: Path) -> str:
    """SQLITE or POSTGRESQL, read from the file's first bytes."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        raise BackupError(f"Filen {path} finnes ikke. Sjekk stien til sikkerhetskopien.") from None
    except IsADirectoryError:
        raise BackupError(f"{path} er en mappe, ikke en sikkerhetskopi.") from None
    except OSError as error:
        raise BackupError(f"Kunne ikke lese {path}: {error.strerror}.") from None
    if head == SQLITE_HEADER:
        return SQLITE
    if head.startswith(PGDUMP_HEADER):
        return POSTGRESQL
    raise BackupError(
        f"{path} er ikke en sikkerhetskopi fra «python -m bot.db backup» "
        "(verken en SQLite-database eller en pg_dump-fil i custom-format)."
    )


def _target_folder(path: Path, overwrite: bool) -> None:
    if path.is_dir():
        raise BackupError(f"{path} er en mappe. Oppgi et filnavn, for eksempel {path / 'servicekontor.backup'}.")
    if path.exists() and not overwrite:
        raise BackupError(f"{path} finnes allerede. Velg et annet filnavn, eller bruk --overwrite for å erstatte den.")
    if not path.parent.is_dir():
        raise BackupError(f"Mappen {path.parent} finnes ikke. Opprett den først, eller velg en annen.")


@contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """An empty file (mode 0600) in `path`'s folder, removed again unless it was renamed away."""
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        with suppress(FileNotFoundError):
            temporary.unlink()
        for suffix in ("-journal", "-wal", "-shm"):
            with suppress(FileNotFoundError):
                Path(f"{temporary}{suffix}").unlink()


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _move_into_place(temporary: Path, path: Path, *, overwrite: bool) -> None:
    """Rename `temporary` to `path` in one step (never a half-written file at `path`)."""
    _fsync(temporary)
    if overwrite:
        os.replace(temporary, path)
    else:
        try:
            os.link(temporary, path)  # fails if `path` appeared meanwhile: nothing is overwritten
        except FileExistsError:
            raise BackupError(f"{path} finnes allerede. Velg et annet filnavn, eller bruk --overwrite.") from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise BackupError(f"{path} finnes allerede. Velg et annet filnavn, eller bruk --overwrite.") from None
            os.replace(temporary, path)
        else:
            temporary.unlink()
    with suppress(OSError):  # the rename itself survives a power cut
        _fsync(path.parent)


# --- SQLite -------------------------------------------------------------------------------------


def _sqlite_file(url: str | URL) -> Path:
    database = sa.engine.make_url(url).database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        raise BackupError("DATABASE_URL peker på en SQLite-database i minnet; den kan ikke sikkerhetskopieres.")
    return Path(database)


def _backup_sqlite(url: str | URL, path: Path, overwrite: bool) -> None:
    source_file = _sqlite_file(url)
    if not source_file.is_file():
        raise BackupError(f"Databasefilen {source_file} finnes ikke. Sjekk DATABASE_URL.")
    with _temporary_beside(path) as temporary:
        try:
            source = sqlite3.connect(source_file, timeout=30)
            try:
                target = sqlite3.connect(temporary)
                try:
                    # One step (pages=-1): the whole database from one read snapshot. In WAL mode
                    # it neither waits for nor stops the services' writes, and sees only committed data.
                    source.backup(target)
                    # Self-contained: no -wal beside it (the services turn WAL on again when they open it).
                    target.execute("PRAGMA journal_mode=DELETE")
                finally:
                    target.close()
            finally:
                source.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"SQLite kunne ikke kopiere databasen {source_file}: {error}.") from error
        _move_into_place(temporary, path, overwrite=overwrite)


def _sqlite_tables(connection: sqlite3.Connection) -> list[str]:
    return [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]


def _sqlite_filled(connection: sqlite3.Connection) -> list[str]:
    """The tables of ours (and Rasa's events) that hold rows."""
    return [
        table
        for table in _sqlite_tables(connection)
        if _ours(table) and connection.execute(f'SELECT EXISTS (SELECT 1 FROM "{table}")').fetchone()[0]
    ]


def _ours(table: str) -> bool:
    return (table.startswith("sk_") and table != VERSION_TABLE) or table == EVENTS_TABLE


def _in_use_message() -> str:
    return (
        "Databasen er i bruk. Stopp Rasa, handlingsserveren og skranken først "
        "(«systemctl stop servicekontor.target», eller avslutt «make run») og prøv igjen. Ingenting er endret."
    )


def _not_empty_message(tables: list[str]) -> str:
    return (
        f"Databasen har allerede data (tabellene {', '.join(sorted(tables))}). Ingenting er endret. "
        "Bruk --replace (med tjenestene stoppet) hvis dataene der skal erstattes av sikkerhetskopien, "
        "eller gjenopprett til en tom database."
    )


def _restore_sqlite(url: str | URL, path: Path, replace: bool) -> None:
    target_file = _sqlite_file(url)
    if target_file.is_dir():
        raise BackupError(f"DATABASE_URL peker på mappen {target_file}, ikke på en databasefil.")
    target_file.parent.mkdir(parents=True, exist_ok=True)
    get_engine(plain_url(url)).dispose()  # this process's own pooled connections to the old file

    with _temporary_beside(target_file) as temporary:
        # Through SQLite, not a file copy: it reads a -wal beside the backup too, and checks it.
        try:
            source = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
            copy = sqlite3.connect(temporary)
            try:
                source.backup(copy)
                copy.execute("PRAGMA journal_mode=DELETE")
                check = copy.execute("PRAGMA quick_check").fetchone()[0]
                tables = _sqlite_tables(copy)
            finally:
                copy.close()
                source.close()
        except sqlite3.DatabaseError as error:
            raise BackupError(f"Sikkerhetskopien {path} kan ikke leses av SQLite: {error}.") from error
        if check != "ok":
            raise BackupError(f"Sikkerhetskopien {path} er skadet (SQLite: {check}). Bruk en annen sikkerhetskopi.")
        if VERSION_TABLE not in tables:
            raise BackupError(f"{path} er en SQLite-database, men ikke en sikkerhetskopi av servicekontoret.")

        lock = None
        try:
            if target_file.exists():
                try:
                    lock = sqlite3.connect(target_file, timeout=0, isolation_level=None)
                    filled = _sqlite_filled(lock)
                except sqlite3.DatabaseError as error:
                    if "locked" in str(error):
                        raise BackupError(_in_use_message()) from error
                    raise BackupError(
                        f"{target_file} kan ikke åpnes som SQLite-database ({error}). "
                        "Sjekk DATABASE_URL og tilgangen til fila, eller flytt den bort."
                    ) from error
                if filled and not replace:
                    raise BackupError(_not_empty_message(filled))
                try:
                    # Leaving WAL mode needs the only connection: this fails while a service has
                    # the database open. Then no one may read the old file until it is replaced.
                    lock.execute("PRAGMA journal_mode=DELETE")
                    lock.execute("BEGIN EXCLUSIVE")
                except sqlite3.OperationalError as error:
                    raise BackupError(_in_use_message()) from error
                with suppress(OSError):
                    stat = target_file.stat()
                    os.chmod(temporary, stat.st_mode & 0o777)
                    if os.geteuid() == 0:  # the services' user keeps its database
                        os.chown(temporary, stat.st_uid, stat.st_gid)
            for suffix in ("-wal", "-shm", "-journal"):
                with suppress(FileNotFoundError):
                    Path(f"{target_file}{suffix}").unlink()
            _move_into_place(temporary, target_file, overwrite=True)
        finally:
            if lock is not None:
                lock.close()  # its file is gone from the folder; nothing of it is written back
    get_engine(plain_url(url)).dispose()


# --- PostgreSQL ---------------------------------------------------------------------------------


def libpq_environment(url: str | URL) -> dict[str, str]:
    """The environment for pg_dump/pg_restore that connects them to `url`'s database."""
    parsed = sa.engine.make_url(url)
    env = {key: value for key, value in os.environ.items() if key not in _LIBPQ_CLEARED}
    for key, value in parsed.query.items():
        name = _LIBPQ_QUERY_ENV.get(key)
        if name:
            env[name] = value if isinstance(value, str) else ",".join(value)
    if parsed.host:
        env["PGHOST"] = parsed.host
    if parsed.port:
        env["PGPORT"] = str(parsed.port)
    if parsed.username:
        env["PGUSER"] = parsed.username
    if parsed.password is not None:
        env["PGPASSWORD"] = str(parsed.password)
    if parsed.database:
        env["PGDATABASE"] = parsed.database
    return env


def _tool_major(program: Path) -> int | None:
    try:
        done = subprocess.run([str(program), "--version"], capture_output=True, text=True, timeout=30, check=False)
    except OSError:
        return None
    found = re.search(r"\)\s+(\d+)", done.stdout)
    return int(found.group(1)) if done.returncode == 0 and found else None


def _candidates(name: str) -> list[Path]:
    found = [Path(on_path)] if (on_path := shutil.which(name)) else []

    def version(folder: Path) -> tuple[int, str]:
        number = folder.parent.name
        return (int(number), number) if number.isdigit() else (0, number)

    folders = sorted(DEBIAN_POSTGRESQL.glob("*/bin"), key=version, reverse=True)
    found += [folder / name for folder in folders if (folder / name).is_file()]
    return found


def postgres_tool(name: str, server_major: int) -> Path:
    """`name` (pg_dump, pg_restore) of a major version at least `server_major`: PATH's first."""
    seen: list[str] = []
    for program in _candidates(name):
        major = _tool_major(program)
        if major is not None and major >= server_major:
            return program
        seen.append(f"{program} ({major or 'ukjent versjon'})")
    where = f" Fant bare: {', '.join(seen)}." if seen else ""
    raise BackupError(
        f"Fant ikke {name} for PostgreSQL {server_major} eller nyere.{where} "
        "Installer PostgreSQL-klienten i samme versjon som serveren "
        f"(Debian: apt install postgresql-client-{server_major})."
    )


def _connect_error(url: str | URL, error: sa.exc.SQLAlchemyError) -> BackupError:
    shown = shown_url(url)
    reason = str(getattr(error, "orig", error)).strip().splitlines()
    detail = f" ({reason[0]})" if reason else ""
    return BackupError(f"Fikk ikke kontakt med databasen {shown}{detail}. Sjekk DATABASE_URL og at PostgreSQL kjører.")


@contextmanager
def _postgres(url: str | URL) -> Iterator[Connection]:
    """One connection of its own (no pool), so that it counts as nobody else's."""
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        try:
            connection = engine.connect()
        except sa.exc.SQLAlchemyError as error:
            raise _connect_error(url, error) from error
        with connection:
            yield connection
    finally:
        engine.dispose()


def _server_major(connection: Connection) -> int:
    return int(connection.execute(sa.text("SHOW server_version_num")).scalar_one()) // 10000


def _run_tool(command: list[str], url: str | URL, failure: str) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(
            command,
            env=libpq_environment(url),
            capture_output=True,
            text=True,
            timeout=TOOL_TIMEOUT,
            check=False,
            umask=0o077,
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(f"{failure}: {error}.") from error
    if done.returncode != 0:
        lines = [line for line in done.stderr.strip().splitlines() if line.strip()]
        shown = "\n".join(lines[-8:]) or f"avsluttet med kode {done.returncode}"
        raise BackupError(f"{failure}. {Path(command[0]).name} sa:\n{shown}")
    return done


def _backup_postgres(url: str | URL, path: Path, overwrite: bool) -> None:
    with _postgres(url) as connection:
        major = _server_major(connection)
    pg_dump = postgres_tool("pg_dump", major)
    with _temporary_beside(path) as temporary:
        _run_tool(
            [str(pg_dump), "--format=custom", "--no-owner", "--file", str(temporary)],
            url,
            "pg_dump kunne ikke ta sikkerhetskopi",
        )
        os.chmod(temporary, 0o600)
        _move_into_place(temporary, path, overwrite=overwrite)


def _archive_tables(pg_restore: Path, path: Path, url: str | URL) -> set[str]:
    listing = _run_tool([str(pg_restore), "--list", str(path)], url, f"pg_restore kan ikke lese {path}").stdout
    return {found.group(1) for found in re.finditer(r"^\d+; \d+ \d+ TABLE \S+ (\S+) ", listing, re.MULTILINE)}


def _postgres_filled(connection: Connection) -> list[str]:
    tables = [table for table in sa.inspect(connection).get_table_names() if _ours(table)]
    preparer = connection.dialect.identifier_preparer
    return [
        table
        for table in tables
        if connection.execute(sa.text(f"SELECT EXISTS (SELECT 1 FROM {preparer.quote(table)})")).scalar()
    ]


def _restore_postgres(url: str | URL, path: Path, replace: bool) -> None:
    get_engine(plain_url(url)).dispose()  # this process's pooled connections are not "someone else"
    with _postgres(url) as connection:
        major = _server_major(connection)
        others = connection.execute(
            sa.text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
            )
        ).scalar_one()
        filled = _postgres_filled(connection)
        present = {table for table in sa.inspect(connection).get_table_names() if _ours(table)}
    if filled and not replace:
        raise BackupError(_not_empty_message(filled))
    if others:
        raise BackupError(f"{_in_use_message()} ({others} andre tilkoblinger til databasen.)")

    pg_restore = postgres_tool("pg_restore", major)
    archived = _archive_tables(pg_restore, path, url)
    if VERSION_TABLE not in archived:
        raise BackupError(f"{path} er en pg_dump-fil, men ikke en sikkerhetskopi av servicekontoret.")
    extra = sorted(present - archived)
    if extra:
        # Tables of a newer schema than the backup's: the migrations make them again, empty.
        with _postgres(url) as connection, connection.begin():
            preparer = connection.dialect.identifier_preparer
            for table in extra:
                connection.execute(sa.text(f"DROP TABLE IF EXISTS {preparer.quote(table)} CASCADE"))
    _run_tool(
        [
            str(pg_restore),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--dbname",
            sa.engine.make_url(url).database or "",
            str(path),
        ],
        url,
        "pg_restore kunne ikke gjenopprette databasen; den er som før",
    )
    get_engine(plain_url(url)).dispose()


# --- the commands -------------------------------------------------------------------------------


def backup(url: str | URL, path: str | Path, *, overwrite: bool = False) -> BackupReport:
    """A consistent copy of the database at `url` in the file `path` (mode 0600)."""
    path = Path(path)
    url = plain_url(url)
    kind = database_kind(url)
    _target_folder(path, overwrite)
    if kind == SQLITE:
        _backup_sqlite(url, path, overwrite)
    else:
        _backup_postgres(url, path, overwrite)
    return BackupReport(path=path, kind=kind, size=path.stat().st_size)


def _count(connection: Connection, table: str) -> int:
    if not sa.inspect(connection).has_table(table):
        return 0
    return int(connection.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar_one())


def restore(url: str | URL, path: str | Path, replace: bool = False) -> RestoreReport:
    """The backup at `path` into the database at `url`, then migrations and the retention run.

    Refuses a backup of the other kind of database, and a database that holds data unless
    `replace`. The services must be stopped.
    """
    path = Path(path)
    url = plain_url(url)
    kind = database_kind(url)
    found = backup_kind(path)
    if found != kind:
        raise BackupError(
            f"{path} er en sikkerhetskopi av en {KIND_NAMES[found]}-database, men DATABASE_URL peker på "
            f"{KIND_NAMES[kind]}. Gjenopprett den til en {KIND_NAMES[found]}-database."
        )
    try:  # kommune.yml must be right before anything is changed
        days = get_kommune().retention_days
    except (OSError, KeyError, ValueError, yaml.YAMLError) as error:
        raise BackupError(
            f"Kunne ikke lese kommune.yml ({get_settings().kommune_file}): {error}. Ingenting er endret."
        ) from error
    if kind == SQLITE:
        _restore_sqlite(url, path, replace)
    else:
        _restore_postgres(url, path, replace)

    try:
        upgrade(url)  # a backup from an older version gets this version's schema
    except CommandError as error:  # a revision this version does not know: a newer backup
        raise BackupError(
            f"Sikkerhetskopien er gjenopprettet, men databaseskjemaet kunne ikke oppdateres ({error}). "
            "Sikkerhetskopien er trolig fra en nyere versjon av servicekontoret: oppdater programmet, "
            "kjør «python -m bot.db upgrade» og «python -m bot.cases retention» før tjenestene startes."
        ) from error
    retention = apply_retention(days=days, url=url)
    with get_engine(url).connect() as connection:
        return RestoreReport(
            path=path,
            kind=kind,
            tickets=_count(connection, "sk_tickets"),
            ticket_events=_count(connection, "sk_ticket_events"),
            events=_count(connection, EVENTS_TABLE),
            answers=_count(connection, "sk_answers"),
            retention=retention,
        )
