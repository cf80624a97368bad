"""Database engine and sessions for the case queue (SQLite by default, PostgreSQL in production).

Rasa's SQL tracker store uses the same database; its `events` table is Rasa's own and is not
managed here. Our schema is managed by Alembic (`python -m bot.db upgrade`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import get_settings


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL lets the Rasa server, the action server and the desk read while one writes.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def get_engine(url: str | None = None) -> Engine:
    """The engine for `url`, or for DATABASE_URL as it is now (one engine per URL)."""
    return _engine(url or get_settings().database_url)


def sqlite_engine(url: str | sa.engine.URL, *, future: bool = True) -> Engine:
    """An SQLite engine that keeps its connections (SQLAlchemy 1.4 opens one per session by
    default, which cost a third of the tracker store's time) and sets our pragmas on each."""
    parsed = sa.engine.make_url(url)
    if parsed.database:
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    engine = sa.create_engine(
        parsed,
        poolclass=sa.pool.QueuePool,
        pool_size=5,
        max_overflow=10,
        connect_args={"timeout": 10, "check_same_thread": False},
        future=future,
    )
    sa.event.listen(engine, "connect", _sqlite_pragmas)
    return engine


@lru_cache(maxsize=8)
def _engine(url: str) -> Engine:
    if sa.engine.make_url(url).get_backend_name() == "sqlite":
        return sqlite_engine(url)
    return sa.create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=10, future=True)


@lru_cache(maxsize=8)
def _session_factory(url: str) -> sessionmaker:
    return sessionmaker(bind=get_engine(url), expire_on_commit=False, future=True)


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """A transaction: committed on success, rolled back on any error."""
    session: Session = _session_factory(url or get_settings().database_url)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
