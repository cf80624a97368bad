"""Rasa lock store chosen from the environment: in memory for one server, Redis for several.

Rasa processes one conversation's messages one at a time by handing out numbered tickets from a
lock store. With several Rasa servers the lock must live in Redis (`LOCK_STORE_URL`, e.g.
`redis://redis:6379/1`). Rasa's own `RedisLockStore` reads a lock, changes it and writes it back in
separate steps, so two servers that take a ticket for the same conversation at the same moment
can both get the same number and run side by side, and one server's clean-up can delete a lock
another server is waiting on. Here each of those steps runs under a short Redis mutex.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import redis
from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX,
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)

logger = logging.getLogger(__name__)

# How long one read-change-write of a lock may hold the mutex; it takes a few milliseconds.
MUTEX_SECONDS = 5.0


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store, with every read-change-write of a lock made atomic."""

    def __init__(self, url: str, key_prefix: str | None = None, socket_timeout: float = 10.0) -> None:
        LockStore.__init__(self)
        self.red = redis.Redis.from_url(url, socket_timeout=socket_timeout)
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if key_prefix:
            self._set_key_prefix(key_prefix)

    @contextmanager
    def _mutex(self, conversation_id: str) -> Iterator[None]:
        mutex = self.red.lock(
            f"{self.key_prefix}{conversation_id}:mutex", timeout=MUTEX_SECONDS, blocking_timeout=MUTEX_SECONDS
        )
        if not mutex.acquire():
            raise LockError(f"Could not change the lock of conversation '{conversation_id}' in time.")
        try:
            yield
        finally:
            try:
                mutex.release()
            except redis.exceptions.LockError:
                logger.warning("The lock mutex of conversation %s expired before release", conversation_id)

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        try:
            with self._mutex(conversation_id):
                lock = self.get_or_create_lock(conversation_id)
                ticket = lock.issue_ticket(lock_lifetime)
                self.save_lock(lock)
                return ticket
        except LockError:
            raise
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def update_lock(self, conversation_id: str) -> None:
        with self._mutex(conversation_id):
            super().update_lock(conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            super().finish_serving(conversation_id, ticket_number)

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        with self._mutex(conversation_id):
            lock: TicketLock | None = self.get_lock(conversation_id)
            if lock is None:
                return
            lock.remove_ticket_for(ticket_number)
            if lock.is_someone_waiting():
                self.save_lock(lock)
            else:
                self.delete_lock(conversation_id)


class LockStoreFromEnv(LockStore):
    """The lock store `LOCK_STORE_URL` names: Redis when set, else Rasa's in-memory store.

    Rasa builds custom lock stores as `cls(endpoint_config=...)`; this class hands back the store
    itself, so there is no wrapper on the path of every message.
    """

    def __new__(cls, endpoint_config: Any = None, **_: Any) -> LockStore:  # type: ignore[misc]
        url = (os.environ.get("LOCK_STORE_URL") or "").strip()
        if not url:
            if (os.environ.get("SANIC_WORKERS") or "1").strip() not in ("", "1"):
                # Rasa allows several workers with any custom lock store; in memory they would race.
                raise RuntimeError("SANIC_WORKERS > 1 needs LOCK_STORE_URL (Redis) for conversation locks.")
            return InMemoryLockStore()
        kwargs = getattr(endpoint_config, "kwargs", None) or {}
        store = AtomicRedisLockStore(url, key_prefix=kwargs.get("key_prefix"))
        store.red.ping()  # fail at start, not on the first citizen's message
        logger.info("Conversation locks are kept in Redis")
        return store
