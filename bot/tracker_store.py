"""Rasa SQL tracker store with an in-memory cache of recent conversations.

Implements Rasa's `TrackerStore` interface by extending `SQLTrackerStore` (same `events` table,
same rows). Rasa reads a conversation's whole session from the database and replays it on every
message; profiling showed that as about a third of the server's time (bench/). Here a cached
copy is used as long as the database holds no other events for that conversation, which one
indexed `MAX(id)` query tells, so several Rasa servers on one database stay correct.

When the database is down or restarting: PostgreSQL connections are checked before use, reads
and writes are tried again for a few seconds (`bot.db.retrying_async`), and then the error is
raised. Rasa's `FailSafeTrackerStore` would instead go on with an empty conversation in memory
(the citizen's form and slots gone, the next answers unrelated); here the error reaches the
channel guard, the citizen is told plainly, and the conversation continues from the database
once it is back.

A long conversation is not replayed whole on every message. Rasa works on the session's latest
events, from a citizen's message at least `HISTORY_EVENTS` back, after the slot values and the form
that were in force before them (`recent_history`); the database keeps every event, and a server
that reads the conversation afresh (another server wrote its latest message) reads only those
rows (`_read_history`), or, when it has the conversation cached, only the rows written since,
replayed on the tracker it saved (`_caught_up`). What Rasa decides from is unchanged: its
policies look back a few turns (MemoizationPolicy's `max_history`, rules of a few steps), and so
do our actions (the topic just answered, the misses in a row). So a message costs about the same
at turn 100 as at turn 10, and a hostile client cannot make every message dearer by talking for
ever.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActiveLoop, AllSlotsReset, Restarted, SessionStarted, SlotSet, deserialise_events
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot import rasa_patches
from bot.db import retrying_async, sqlite_engine
from bot.settings import get_settings


@dataclass
class _Entry:
    latest_id: int | None
    events: list[dict[str, Any]]  # the latest session's events, as Rasa stores them
    size: int  # the events' size as stored JSON: what the cache's memory bound counts
    # The tracker object Rasa saved last, handed out once by the next `retrieve`: rebuilding it
    # from the events costs more than the rest of `retrieve`. Handed out once, because Rasa
    # changes the tracker it gets; if it never saves it, the next `retrieve` rebuilds it.
    tracker: DialogueStateTracker | None = None


# Rasa gets at least this many of a session's latest events (about six turns), and at most twice
# as many: the history is cut again only when it has doubled, so that the cached tracker can be
# handed out unchanged in between.
HISTORY_EVENTS = 40
# Memory a cached conversation takes (its events' dicts and the tracker built from them) per byte
# of its stored JSON: tracemalloc put a short `make run` conversation at 7.2 times its JSON, and
# the policies' dialogue states kept with its tracker (`bot.dialogue_states`) at 2.0 times more
# (12 turns of real parses, 61 events).
MEMORY_PER_JSON_BYTE = 9


def recent_history(events: list[dict[str, Any]], keep: int = HISTORY_EVENTS) -> list[dict[str, Any]]:
    """The session's events as Rasa gets them: all of them while there are at most `2 * keep`;
    then the latest ones from a turn's start (`action_listen`, then the citizen's message) at
    least `keep` back, after the last value of each slot set before that and the active form.

    The carried events are the stored ones, unchanged, in their order: a form's start keeps its
    timestamp (`bot.conversation.submission_key` reads it).
    """
    if len(events) <= 2 * keep:
        return events
    start = _turn_start(events, keep)
    if start is None:
        return events
    carried: dict[str, int] = {}  # slot name (or the form) → index of the event that set it last
    for index, event in enumerate(events[:start]):
        kind = event.get("event")
        if kind == SlotSet.type_name:
            carried[f"slot:{event.get('name')}"] = index
        elif kind == ActiveLoop.type_name:
            carried["loop"] = index
        elif kind in (AllSlotsReset.type_name, Restarted.type_name, SessionStarted.type_name):
            carried = {"loop": carried["loop"]} if kind == AllSlotsReset.type_name and "loop" in carried else {}
    kept = sorted(index for key, index in carried.items() if key != "loop" or events[index].get("name"))
    return [events[index] for index in kept] + events[start:]


def _turn_start(events: list[dict[str, Any]], keep: int) -> int | None:
    """Where `recent_history` cuts: the `action_listen` of the latest turn at least `keep` events back."""
    for i in range(len(events) - keep, 0, -1):
        if (
            events[i].get("event") == "user"
            and events[i - 1].get("event") == "action"
            and events[i - 1].get("name") == ACTION_LISTEN_NAME
        ):
            return i - 1
    return None


def _latest_session(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events Rasa's `retrieve` returns: from the latest `session_started` on (by timestamp)."""
    starts = [e.get("timestamp") or 0 for e in events if e.get("event") == SessionStarted.type_name]
    if not starts:
        return events
    start = max(starts)
    return [e for e in events if (e.get("timestamp") or 0) >= start]


class CachedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that skips re-reading a conversation it wrote itself."""

    # Read by `bot.failsafe`: Rasa's FailSafeTrackerStore raises this store's errors, not hides them.
    raises_through_failsafe = True

    def __init__(self, *args: Any, cache_size: int = 2000, cache_bytes: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # Rasa's engine opens a new SQLite connection for every session; keep them instead.
            self.engine = sqlite_engine(self.engine.url, future=False)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        elif self.engine.dialect.name == "postgresql":
            # Rasa's engine hands out pooled connections a server restart has closed.
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, pool_pre_ping=True, **create_engine_kwargs(url))
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        if self.engine.dialect.name in _NO_DISK_WAIT:
            sa.event.listen(self.engine, "connect", _commit_without_waiting_for_disk)
        rasa_patches.require("The conversation store (bot.tracker_store)")  # before Rasa wraps it
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        self._cache_size = int(cache_size)
        # Bounded by memory too: a flood of long-lived senders with long messages must not grow
        # the process without end. JSON bytes stand for memory (Python's objects take a few
        # times more: `MEMORY_PER_JSON_BYTE`).
        limit = get_settings().tracker_cache_mb * 1_000_000 if cache_bytes is None else cache_bytes
        self._cache_json_limit = int(limit) // MEMORY_PER_JSON_BYTE
        self._cache_json_bytes = 0
        self._guard = threading.Lock()

    @cached_property
    def _queries(self) -> _Queries:
        return _Queries(self.SQLEvent.__table__)

    def _current_entry(self, connection: Any, sender_id: str) -> tuple[int | None, _Entry | None]:
        """The conversation's latest event id, and the cached entry if the database has no newer."""
        latest_id = connection.execute(self._queries.latest_id, {"sender_id": sender_id}).scalar()
        entry = self._cache.get(sender_id)
        return latest_id, entry if entry is not None and entry.latest_id == latest_id else None

    def _remember(self, sender_id: str, entry: _Entry) -> None:
        with self._guard:
            old = self._cache.pop(sender_id, None)
            self._cache_json_bytes -= old.size if old else 0
            if entry.size > self._cache_json_limit:
                return  # never cached: it alone would fill the cache
            self._cache[sender_id] = entry
            self._cache_json_bytes += entry.size
            while len(self._cache) > self._cache_size or self._cache_json_bytes > self._cache_json_limit:
                _, gone = self._cache.popitem(last=False)
                self._cache_json_bytes -= gone.size

    def _forget(self, sender_id: str) -> None:
        with self._guard:
            gone = self._cache.pop(sender_id, None)
            self._cache_json_bytes -= gone.size if gone else 0

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        async def read() -> _Entry:
            return self._read_entry(sender_id)

        entry = await retrying_async(read)
        if not self.domain or not entry.events:
            return None
        with self._guard:
            tracker, entry.tracker = entry.tracker, None
        tracker = tracker or DialogueStateTracker.from_dict(sender_id, entry.events, self.domain.slots)
        _mark_stored(tracker, len(entry.events), entry.latest_id)
        return tracker

    def _read_entry(self, sender_id: str) -> _Entry:
        # SQLAlchemy Core on one connection: the ORM's sessions and objects cost more than
        # the queries themselves.
        with self.engine.connect() as connection:
            latest_id, entry = self._current_entry(connection, sender_id)
            if entry is None:
                entry = self._caught_up(connection, sender_id, latest_id) or _Entry(
                    latest_id, *self._read_history(connection, sender_id)
                )
                self._remember(sender_id, entry)
        return entry

    def _caught_up(self, connection: Any, sender_id: str, latest_id: int | None) -> _Entry | None:
        """The cached conversation with the rows another server wrote since, when they are few.

        Behind a load balancer the next message often goes to the other server. Reading only its
        rows, and replaying them on the tracker this server saved last, costs what that one turn
        costs; reading the recent history and rebuilding the tracker from it cost more with every
        turn until the history was cut (bench/: about 3 ms more a message after turn 10, with two
        Rasa processes). The result is what this server would hold had it written those rows
        itself (`_write_new_events`: the same history, cut only when it has doubled), with a
        tracker updated by the same events in the same order as Rasa's rebuild from them.
        """
        stale = self._cache.get(sender_id)
        if stale is None or stale.latest_id is None or latest_id is None or latest_id <= stale.latest_id:
            return None
        rows = connection.execute(self._queries.rows_after, {"sender_id": sender_id, "after": stale.latest_id}).all()
        if not rows or len(rows) > HISTORY_EVENTS or rows[-1][0] != latest_id:
            return None  # far behind (or rows gone): read the history afresh
        new = [json.loads(data) for _, data in rows]
        events, size, whole = _continued(stale, new, sum(len(data) for _, data in rows))
        with self._guard:
            tracker, stale.tracker = stale.tracker, None
        if not whole or tracker is None:
            return _Entry(latest_id, events, size)  # a new session, or the history was cut: rebuilt
        for event in deserialise_events(new):
            tracker.update(event)
        return _Entry(latest_id, events, size, tracker)

    def _read_history(self, connection: Any, sender_id: str) -> tuple[list[dict[str, Any]], int]:
        """`recent_history` of the latest session, and its size as stored JSON.

        Reads the session's latest rows and, before the turn where the history starts, only the
        rows that set the slots and the form carried: a server that did not write the
        conversation's latest message (another server behind the load balancer did) reads as
        much at turn 100 as at turn 10.
        """
        key = {"sender_id": sender_id}
        latest = connection.execute(self._queries.latest_rows, key).all()[::-1]
        if len(latest) <= 2 * HISTORY_EVENTS:  # the whole session
            rows = [data for _, data in latest]
            return [json.loads(data) for data in rows], sum(map(len, rows))
        tail = [json.loads(data) for _, data in latest]
        start = _turn_start(tail, HISTORY_EVENTS)
        if start is None:  # no turn starts among the latest rows: cut the whole session
            rows = connection.execute(self._queries.session_events, key).scalars().all()
            decoded = [json.loads(data) for data in rows]
            events = recent_history(decoded)
            return events, sum(map(len, rows)) if events is decoded else _json_size(events)
        carried_rows = connection.execute(self._queries.carried, {**key, "before": latest[start][0]}).scalars().all()
        carried = [json.loads(data) for data in carried_rows]
        kept = [i for i, event in enumerate(carried) if event.get("event") != ActiveLoop.type_name or event.get("name")]
        size = sum(len(carried_rows[i]) for i in kept) + sum(len(data) for _, data in latest[start:])
        return [carried[i] for i in kept] + tail[start:], size

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)

        async def write() -> None:
            # Safe to repeat: the next try counts the rows a failed try committed after all
            # (rows after the latest one the tracker knows of) and writes only the events they lack.
            self._write_new_events(tracker)

        await retrying_async(write)

    def _write_new_events(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        queries, key = self._queries, {"sender_id": sender_id}
        try:
            with self.engine.begin() as connection:
                latest_id, entry = self._current_entry(connection, sender_id)
                # How many of the tracker's events the database holds: those it was built from
                # (carried slots and form included), or, for a tracker this store did not hand out,
                # the session's rows.
                stored = getattr(tracker, "sk_stored_events", None)
                if stored is None:
                    stored = connection.execute(queries.session_event_count, key).scalar() or 0
                elif latest_id != tracker.sk_known_id:  # type: ignore[attr-defined]
                    # A write that failed after its commit: those rows are ours (the
                    # conversation's lock keeps other writers out), so they are not written again.
                    after = {**key, "after": tracker.sk_known_id or 0}  # type: ignore[attr-defined]
                    stored += connection.execute(queries.count_after, after).scalar() or 0
                new_dicts = [event.as_dict() for event in list(tracker.events)[stored:]]
                new_rows = [_row(sender_id, data) for data in new_dicts]
                if new_rows:
                    connection.execute(queries.insert, new_rows)
                    # The conversation's lock keeps other writers out, so this is our last row.
                    latest_id = connection.execute(queries.latest_id, key).scalar()
        except Exception:
            self._forget(sender_id)
            raise
        _mark_stored(tracker, len(tracker.events), latest_id)
        if entry is None:
            self._forget(sender_id)  # read it afresh next time
            return
        events, size, whole = _continued(entry, new_dicts, sum(len(row["data"]) for row in new_rows))
        # The tracker may hold older sessions, or more history, than the cached events; it is kept
        # only when the two agree, so that `retrieve` returns what it would have rebuilt.
        same = (
            whole
            and len(events) == len(tracker.events)
            and (not events or events[0]["event"] == tracker.events[0].type_name)
        )
        self._remember(sender_id, _Entry(latest_id, events, size, tracker if same else None))


def _continued(entry: _Entry, new: list[dict[str, Any]], new_bytes: int) -> tuple[list[dict[str, Any]], int, bool]:
    """The cached events followed by `new`, as Rasa gets them (the latest session, its recent
    history), their size as stored JSON, and whether that is all of them, nothing cut."""
    combined = entry.events + new
    events = recent_history(_latest_session(combined))
    if len(events) == len(combined):
        return events, entry.size + new_bytes, True
    return events, _json_size(events), False


def _mark_stored(tracker: DialogueStateTracker, events: int, latest_id: int | None) -> None:
    """How many of the tracker's first events the database holds, and its latest row then."""
    tracker.sk_stored_events = events  # type: ignore[attr-defined]
    tracker.sk_known_id = latest_id  # type: ignore[attr-defined]


def _json_size(events: list[dict[str, Any]]) -> int:
    return sum(len(json.dumps(event)) for event in events)


def _row(sender_id: str, data: dict[str, Any]) -> dict[str, Any]:
    """An `events` row as Rasa's `SQLTrackerStore` writes it."""
    return {
        "sender_id": sender_id,
        "type_name": data.get("event"),
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class _Queries:
    """The tracker store's statements, built once (building them cost more than running them)."""

    def __init__(self, table: sa.Table) -> None:
        sender = table.c.sender_id == sa.bindparam("sender_id")
        self.latest_id = sa.select(sa.func.max(table.c.id)).where(sender)
        # The latest session, as Rasa's `_event_query` finds it: from the latest `session_started`
        # on by timestamp, or everything when there is none.
        session_start = (
            sa.select(sa.func.max(table.c.timestamp))
            .where(sender, table.c.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        in_session = sa.and_(sender, sa.or_(table.c.timestamp >= session_start, session_start.is_(None)))
        self.session_events = sa.select(table.c.data).where(in_session).order_by(table.c.id)
        # The rows `CachedSQLTrackerStore._read_history` reads: the latest ones (one more than
        # `recent_history` keeps whole), and, before the turn where they start, the last row that
        # set each slot (after the latest reset) and the last that set the form (after a restart).
        self.latest_rows = (
            sa.select(table.c.id, table.c.data)
            .where(in_session)
            .order_by(table.c.id.desc())
            .limit(2 * HISTORY_EVENTS + 1)
        )
        before = sa.and_(in_session, table.c.id < sa.bindparam("before"))

        def after_latest(*types: str) -> Any:
            latest = sa.select(sa.func.max(table.c.id)).where(before, table.c.type_name.in_(types))
            return table.c.id > sa.func.coalesce(latest.scalar_subquery(), 0)

        restarts = (Restarted.type_name, SessionStarted.type_name)
        slot_ids = (
            sa.select(sa.func.max(table.c.id))
            .where(before, table.c.type_name == SlotSet.type_name, after_latest(AllSlotsReset.type_name, *restarts))
            .group_by(table.c.action_name)  # the slot's name
        )
        loop_id = sa.select(sa.func.max(table.c.id)).where(
            before, table.c.type_name == ActiveLoop.type_name, after_latest(*restarts)
        )
        carried_ids = sa.union_all(slot_ids, loop_id).subquery()
        self.carried = sa.select(table.c.data).where(table.c.id.in_(sa.select(carried_ids.c[0]))).order_by(table.c.id)
        self.session_event_count = sa.select(sa.func.count()).select_from(table).where(in_session)
        self.rows_after = (
            sa.select(table.c.id, table.c.data).where(sender, table.c.id > sa.bindparam("after")).order_by(table.c.id)
        )
        self.count_after = (
            sa.select(sa.func.count()).select_from(table).where(sender, table.c.id > sa.bindparam("after"))
        )
        self.insert = table.insert()


def _commit_without_waiting_for_disk(dbapi_connection: Any, _record: Any) -> None:
    """Conversation events do not wait for the disk at each commit; tickets still do.

    A commit that waits for the disk blocks the Rasa server's event loop, and so every other
    conversation, for the length of a disk flush. A power cut or an operating-system crash can
    now lose the last moments of conversations, never corrupt the database; a crash of Rasa
    or the database server alone loses nothing. The case queue's own connections keep the
    database's default, so a ticket the bot has confirmed is on disk.
    """
    cursor = dbapi_connection.cursor()
    dialect = "sqlite" if type(dbapi_connection).__module__.startswith("sqlite3") else "postgresql"
    cursor.execute(_NO_DISK_WAIT[dialect])
    cursor.close()


# Safe with SQLite's write-ahead log (bot/db sets it); PostgreSQL: per connection.
_NO_DISK_WAIT = {"sqlite": "PRAGMA synchronous=NORMAL", "postgresql": "SET synchronous_commit TO OFF"}
