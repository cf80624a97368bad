"""Database engine and sessions for the case queue (SQLite by default, PostgreSQL in production).

Rasa's SQL tracker store uses the same database; its `events` table is Rasa's own and is not
managed here. Our schema is managed by Alembic (`python -m bot.db upgrade`).

PostgreSQL connections are checked before use (`pool_pre_ping`), so a restarted server costs no
failed request, and `retrying` runs an idempotent operation again for a few seconds while the
database is unreachable (a restart or a failover), so a short outage is not seen by citizens.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TypeVar

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.settings import get_settings

logger = logging.getLogger(__name__)

T = TypeVar("T")

# How long an idempotent operation is tried again while the database cannot be reached. A
# PostgreSQL restart takes about a second; a message waits at most this long before the
# citizen is told plainly that something is wrong.
RETRY_SECONDS = 5.0


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


def is_transient(error: BaseException) -> bool:
    """A refused or lost connection (or a locked SQLite file): worth trying again; a bad query is not."""
    if isinstance(error, DBAPIError) and error.connection_invalidated:
        return True
    return isinstance(error, (OperationalError, InterfaceError))


def _delays(seconds: float) -> Iterator[float]:
    """Pauses between attempts (0.1 s, doubling, at most 1 s) until `seconds` have passed."""
    deadline = time.monotonic() + seconds
    delay = 0.1
    while time.monotonic() + delay < deadline:
        yield delay
        delay = min(delay * 2, 1.0)


def retrying(operation: Callable[[], T], *, seconds: float = RETRY_SECONDS) -> T:
    """`operation()`, tried again while it fails with a transient database error.

    Only for operations that are safe to repeat, including after a commit whose answer was
    lost (a ticket insert keyed by its idempotency key, a tracker save that re-reads what is stored).
    """
    for delay in _delays(seconds):
        try:
            return operation()
        except sa.exc.SQLAlchemyError as error:
            if not is_transient(error):
                raise
            logger.warning("Database not reachable, trying again in %.1f s: %s", delay, error.__class__.__name__)
        time.sleep(delay)
    return operation()


async def retrying_async(operation: Callable[[], Awaitable[T]], *, seconds: float = RETRY_SECONDS) -> T:
    """`retrying` for a coroutine function; other tasks run while it waits."""
    for delay in _delays(seconds):
        try:
            return await operation()
        except sa.exc.SQLAlchemyError as error:
            if not is_transient(error):
                raise
            logger.warning("Database not reachable, trying again in %.1f s: %s", delay, error.__class__.__name__)
        await asyncio.sleep(delay)
    return await operation()
