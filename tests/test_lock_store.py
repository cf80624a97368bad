"""The lock store from LOCK_STORE_URL: in memory by default, Redis with atomic ticket handling."""

from __future__ import annotations

import asyncio
import collections
import threading
import time
import uuid

import pytest
import redis
from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

from bot.lock_store import AtomicRedisLockStore, LockStoreFromEnv

REDIS_URL = "redis://127.0.0.1:6379/1"


@pytest.fixture()
def redis_url() -> str:
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=2).ping()
    except redis.exceptions.RedisError:
        pytest.skip("Redis is not running on 127.0.0.1:6379")
    return REDIS_URL


def test_without_url_rasa_keeps_locks_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    store = LockStore.create(EndpointConfig(type="bot.lock_store.LockStoreFromEnv"))
    assert isinstance(store, InMemoryLockStore)


def test_with_url_rasa_uses_redis(monkeypatch: pytest.MonkeyPatch, redis_url: str) -> None:
    monkeypatch.setenv("LOCK_STORE_URL", redis_url)
    store = LockStore.create(EndpointConfig(type="bot.lock_store.LockStoreFromEnv"))
    assert isinstance(store, AtomicRedisLockStore)


def test_unreachable_redis_fails_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCK_STORE_URL", "redis://127.0.0.1:1/0")
    with pytest.raises(redis.exceptions.ConnectionError):
        LockStoreFromEnv()


def test_two_servers_taking_tickets_at_once_never_get_the_same_number(redis_url: str) -> None:
    stores = [AtomicRedisLockStore(redis_url), AtomicRedisLockStore(redis_url)]
    conversation = f"lock-{uuid.uuid4().hex}"
    issued: list[int] = []
    start = threading.Barrier(8)

    def take(store: AtomicRedisLockStore) -> None:
        start.wait()
        for _ in range(25):
            issued.append(store.issue_ticket(conversation, 60))

    threads = [threading.Thread(target=take, args=(stores[i % 2],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(issued) == list(range(200))
    stores[0].delete_lock(conversation)


def test_clean_up_keeps_the_lock_another_server_waits_on(redis_url: str) -> None:
    first, second = AtomicRedisLockStore(redis_url), AtomicRedisLockStore(redis_url)
    conversation = f"lock-{uuid.uuid4().hex}"
    mine = first.issue_ticket(conversation, 60)
    theirs = second.issue_ticket(conversation, 60)
    first.cleanup(conversation, mine)
    lock = second.get_lock(conversation)
    assert lock is not None and not lock.is_locked(theirs)
    second.cleanup(conversation, theirs)
    assert second.get_lock(conversation) is None


def test_messages_of_one_conversation_are_served_in_turn(redis_url: str) -> None:
    """Two servers (threads with their own event loop and store) never work on one conversation at once."""
    conversation = f"lock-{uuid.uuid4().hex}"
    inside: list[int] = []
    overlaps: list[int] = []
    guard = threading.Lock()

    async def handle(store: AtomicRedisLockStore, index: int) -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.01):
            with guard:
                inside.append(index)
                if len(inside) > 1:
                    overlaps.append(index)
            await asyncio.sleep(0.02)
            with guard:
                inside.remove(index)

    def server(first: int) -> None:
        store = AtomicRedisLockStore(redis_url)

        async def main() -> None:
            await asyncio.gather(*(handle(store, i) for i in range(first, 20, 2)))

        asyncio.run(main())

    threads = [threading.Thread(target=server, args=(first,)) for first in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert overlaps == []
    assert AtomicRedisLockStore(redis_url).get_lock(conversation) is None


def test_several_workers_without_redis_refuse_to_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(RuntimeError, match="LOCK_STORE_URL"):
        LockStoreFromEnv()


def test_locks_stay_in_rasas_format(redis_url: str) -> None:
    """Rasa's own store reads our locks, and ours reads and cleans up Rasa's."""
    ours = AtomicRedisLockStore(redis_url)
    rasas = RedisLockStore(host="127.0.0.1", port=6379, db=1)
    conversation = f"lock-{uuid.uuid4().hex}"
    live = ours.issue_ticket(conversation, 60)
    expiring = ours.issue_ticket(conversation, 0.001)
    assert (live, expiring) == (0, 1)
    time.sleep(0.01)
    ours.update_lock(conversation)
    lock = rasas.get_lock(conversation)
    assert lock is not None and [t.number for t in lock.tickets] == [0] and not lock.is_locked(0)
    assert rasas.issue_ticket(conversation, 60) == 1
    assert ours.issue_ticket(conversation, 60) == 2
    ours.finish_serving(conversation, 0)
    assert [t.number for t in rasas.get_lock(conversation).tickets] == [1, 2]
    ours.cleanup(conversation, 1)
    ours.cleanup(conversation, 2)
    assert rasas.get_lock(conversation) is None
    ours.issue_ticket(conversation, 60)
    ours.finish_serving(conversation, 0)  # nobody waits, but finishing alone keeps the lock, as in Rasa
    assert rasas.get_lock(conversation).tickets == collections.deque()
    ours.delete_lock(conversation)


def test_a_free_conversation_is_locked_without_reading_the_lock_again(redis_url: str) -> None:
    """Two round trips per message: the ticket (which returns the lock) and the clean-up."""
    store = AtomicRedisLockStore(redis_url)
    conversation = f"lock-{uuid.uuid4().hex}"

    def no_read(conversation_id: str) -> None:
        raise AssertionError("the lock was read again")

    async def take() -> list[int]:
        async with store.lock(conversation) as lock:
            return [t.number for t in lock.tickets]

    store.get_lock = no_read  # type: ignore[method-assign]
    assert asyncio.run(take()) == [0]
    del store.get_lock
    assert store.get_lock(conversation) is None


def test_a_ticket_behind_another_waits_as_in_rasa(redis_url: str) -> None:
    """The second message of a conversation waits for the first, then gets the lock, as in Rasa."""
    store = AtomicRedisLockStore(redis_url)
    conversation = f"lock-{uuid.uuid4().hex}"
    first = store.issue_ticket(conversation, 60)
    served: list[list[int]] = []

    async def second() -> None:
        async with store.lock(conversation, wait_time_in_seconds=0.01) as lock:
            served.append([t.number for t in lock.tickets])

    async def main() -> None:
        waiting = asyncio.create_task(second())
        await asyncio.sleep(0.05)
        assert served == []
        store.cleanup(conversation, first)
        await waiting

    asyncio.run(main())
    assert served == [[first + 1]]
    assert store.get_lock(conversation) is None
