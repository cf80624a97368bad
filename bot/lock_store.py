"""Rasa lock store chosen from the environment: in memory for one server, Redis for several.

Rasa processes one conversation's messages one at a time by handing out numbered tickets from a
lock store. With several Rasa servers the lock must live in Redis (`LOCK_STORE_URL`, e.g.
`redis://redis:6379/1`). Rasa's own `RedisLockStore` reads a lock, changes it and writes it back in
separate steps, so two servers that take a ticket for the same conversation at the same moment
can both get the same number and run side by side, and one server's clean-up can delete a lock
another server is waiting on. Here each read-change-write is one Lua script, which Redis runs
atomically; it also takes one round trip where a mutex around Rasa's steps took four.

The lock is stored in Rasa's own format (`TicketLock.dumps`), so Rasa's reading code works on it.
"""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import AsyncGenerator
from contextlib import asynccontextmanager
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

# Shared by the scripts: the lock's tickets without the expired ones (Rasa's `has_expired`:
# now > expires), and how to write them back in Rasa's format, each ticket a JSON string.
_LUA_READ = """
local now = tonumber(ARGV[1])
local tickets = {}
local raw = redis.call('GET', KEYS[1])
if raw then
  for _, text in ipairs(cjson.decode(raw)['tickets'] or {}) do
    local ticket = cjson.decode(text)
    if tonumber(ticket['expires']) >= now then
      table.insert(tickets, ticket)
    end
  end
end
local function save(conversation_id)
  local texts = {}
  for i, ticket in ipairs(tickets) do
    texts[i] = cjson.encode({number = ticket['number'], expires = ticket['expires']})
  end
  local lock = cjson.encode({conversation_id = conversation_id, tickets = texts})
  if #texts == 0 then  -- cjson writes an empty table as an object; Rasa expects a list
    lock = string.gsub(lock, '"tickets":{}', '"tickets":[]')
  end
  redis.call('SET', KEYS[1], lock)
end
"""

# ARGV: now, conversation id, lifetime. Returns the new ticket's number and the lock as saved.
_ISSUE_TICKET = (
    _LUA_READ
    + """
local number = 0
if #tickets > 0 then number = tickets[#tickets]['number'] + 1 end
table.insert(tickets, {number = number, expires = now + tonumber(ARGV[3])})
save(ARGV[2])
return {number, redis.call('GET', KEYS[1])}
"""
)

# ARGV: now, conversation id, ticket number, and "1" to delete the lock when nobody waits.
_FINISH_SERVING = (
    _LUA_READ
    + """
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local kept = {}
for _, ticket in ipairs(tickets) do
  if ticket['number'] ~= tonumber(ARGV[3]) then table.insert(kept, ticket) end
end
tickets = kept
if ARGV[4] == '1' and #tickets == 0 then
  redis.call('DEL', KEYS[1])
else
  save(ARGV[2])
end
return #tickets
"""
)

# ARGV: now, conversation id.
_REMOVE_EXPIRED = (
    _LUA_READ
    + """
if redis.call('EXISTS', KEYS[1]) == 1 then save(ARGV[2]) end
return #tickets
"""
)


class AtomicRedisLockStore(RedisLockStore):
    """Rasa's Redis lock store, with every read-change-write of a lock made atomic."""

    def __init__(self, url: str, key_prefix: str | None = None, socket_timeout: float = 10.0) -> None:
        LockStore.__init__(self)
        self.red = redis.Redis.from_url(url, socket_timeout=socket_timeout)
        self.key_prefix = DEFAULT_REDIS_LOCK_STORE_KEY_PREFIX
        if key_prefix:
            self._set_key_prefix(key_prefix)
        self._issue_ticket = self.red.register_script(_ISSUE_TICKET)
        self._finish_serving = self.red.register_script(_FINISH_SERVING)
        self._remove_expired = self.red.register_script(_REMOVE_EXPIRED)

    def _call(self, script: Any, conversation_id: str, *args: Any) -> Any:
        # The clock is this server's, as in Rasa's own ticket handling.
        return script(keys=[self.key_prefix + conversation_id], args=[repr(time.time()), conversation_id, *args])

    def _run(self, script: Any, conversation_id: str, *args: Any) -> int:
        return int(self._call(script, conversation_id, *args))

    def _take_ticket(self, conversation_id: str, lock_lifetime: float) -> tuple[int, TicketLock]:
        try:
            number, raw = self._call(self._issue_ticket, conversation_id, repr(float(lock_lifetime)))
            return int(number), TicketLock.from_dict(json.loads(raw))
        except Exception as error:
            raise LockError(f"Error while acquiring lock. Error:\n{error}") from error

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._take_ticket(conversation_id, lock_lifetime)[0]

    @asynccontextmanager
    async def lock(
        self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME, wait_time_in_seconds: float = 1
    ) -> AsyncGenerator[TicketLock, None]:
        """Rasa's `LockStore.lock`, without reading the lock again right after taking a ticket.

        The ticket script returns the lock as it saved it, so a conversation nobody else is
        served in (nearly every message) costs two round trips to Redis, not three; a ticket
        that must wait goes through Rasa's own `_acquire_lock`.
        """
        ticket, lock = self._take_ticket(conversation_id, lock_lifetime)
        try:
            if lock.is_locked(ticket):
                lock = await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)

    def update_lock(self, conversation_id: str) -> None:
        self._run(self._remove_expired, conversation_id)

    def finish_serving(self, conversation_id: str, ticket_number: int) -> None:
        self._run(self._finish_serving, conversation_id, int(ticket_number), "0")

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        self._run(self._finish_serving, conversation_id, int(ticket_number), "1")


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
