"""Databases with the answer library loaded, as `make run` leaves them: migrated, the catalogue in.

The bot's topic answers come from the library (bot/answers), so every Rasa server a test starts
needs a database with the starter catalogue. Loading it takes a few seconds, so an SQLite
database is a copy of one built once per test run; a PostgreSQL one is migrated and loaded.
"""

from __future__ import annotations

import sqlite3
import tempfile
import threading
from pathlib import Path

import sqlalchemy as sa

from bot.answers import catalogue
from bot.db.migrate import upgrade

_template: Path | None = None
_lock = threading.Lock()


def _sqlite_template() -> Path:
    global _template
    with _lock:
        if _template is None:
            path = Path(tempfile.mkdtemp(prefix="sk-library-")) / "library.db"
            url = f"sqlite:///{path}"
            upgrade(url)
            catalogue.load(url=url)
            _template = path
        return _template


def prepare_database(url: str) -> str:
    """Migrates the database at `url` and loads the starter catalogue into it; returns `url`."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and not Path(parsed.database).exists():
        # SQLite's backup API, not a file copy: the template's last writes may still be in its WAL file.
        with sqlite3.connect(_sqlite_template()) as source, sqlite3.connect(parsed.database) as target:
            source.backup(target)
        return url
    upgrade(url)
    catalogue.load(url=url)
    return url


def load_library(url: str) -> str:
    """Puts the starter catalogue into the migrated, empty library of the database at `url`."""
    parsed = sa.engine.make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        catalogue.load(url=url)
        return url
    with sqlite3.connect(parsed.database) as target:  # a copy of the template's rows: no checks again
        target.execute("ATTACH DATABASE ? AS template", (str(_sqlite_template()),))
        for table in ("sk_answers", "sk_answer_versions"):
            target.execute(f"INSERT INTO {table} SELECT * FROM template.{table}")
    return url
