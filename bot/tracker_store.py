"""Rasa SQL tracker store with an in-memory cache of recent conversations.

Implements Rasa's `TrackerStore` interface by extending `SQLTrackerStore` (same `events` table,
same rows). Rasa reads a conversation's whole session from the database and replays it on every
message; profiling showed that as about a third of the server's time (bench/). Here a cached
copy is used as long as the database holds no other events for that conversation, which one
indexed `MAX(id)` query tells, so several Rasa servers on one database stay correct.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SessionStarted
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.db import sqlite_engine


@dataclass
class _Entry:
    latest_id: int | None
    events: list[dict[str, Any]]  # the latest session's events, as Rasa stores them


def _latest_session(events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events Rasa's `retrieve` returns: from the latest `session_started` on (by timestamp)."""
    starts = [e.get("timestamp") or 0 for e in events if e.get("event") == SessionStarted.type_name]
    if not starts:
        return events
    start = max(starts)
    return [e for e in events if (e.get("timestamp") or 0) >= start]


class CachedSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that skips re-reading a conversation it wrote itself."""

    def __init__(self, *args: Any, cache_size: int = 2000, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            # Rasa's engine opens a new SQLite connection for every session; keep them instead.
            self.engine = sqlite_engine(self.engine.url, future=False)
            self.sessionmaker = sa.orm.sessionmaker(bind=self.engine)
        self._cache: OrderedDict[str, _Entry] = OrderedDict()
        self._cache_size = int(cache_size)
        self._guard = threading.Lock()

    def _latest_id(self, session: Any, sender_id: str) -> int | None:
        return session.query(sa.func.max(self.SQLEvent.id)).filter(self.SQLEvent.sender_id == sender_id).scalar()

    def _remember(self, sender_id: str, entry: _Entry) -> None:
        with self._guard:
            self._cache[sender_id] = entry
            self._cache.move_to_end(sender_id)
            while len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)

    def _forget(self, sender_id: str) -> None:
        with self._guard:
            self._cache.pop(sender_id, None)

    def _valid_entry(self, session: Any, sender_id: str) -> _Entry | None:
        entry = self._cache.get(sender_id)
        if entry is not None and entry.latest_id == self._latest_id(session, sender_id):
            return entry
        return None

    async def retrieve(self, sender_id: str) -> DialogueStateTracker | None:
        with self.session_scope() as session:
            entry = self._valid_entry(session, sender_id)
            if entry is None:
                latest_id = self._latest_id(session, sender_id)
                rows = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).all()
                entry = _Entry(latest_id, [json.loads(row.data) for row in rows])
                self._remember(sender_id, entry)
        if not self.domain or not entry.events:
            return None
        return DialogueStateTracker.from_dict(sender_id, entry.events, self.domain.slots)

    async def save(self, tracker: DialogueStateTracker) -> None:
        await self.stream_events(tracker)
        sender_id = tracker.sender_id
        with self.session_scope() as session:
            entry = self._valid_entry(session, sender_id)
            if entry is None:
                stored = self._event_query(session, sender_id, fetch_events_from_all_sessions=False).count()
                known: list[dict[str, Any]] = []
            else:
                stored = len(entry.events)
                known = entry.events
            new_events = list(tracker.events)[stored:]
            rows = []
            new_dicts = []
            for event in new_events:
                data = event.as_dict()
                new_dicts.append(data)
                rows.append(
                    self.SQLEvent(
                        sender_id=sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.add_all(rows)
            try:
                session.commit()
            except Exception:
                self._forget(sender_id)
                raise
            if entry is None:
                self._forget(sender_id)  # read it afresh next time
                return
            latest_id = rows[-1].id if rows else entry.latest_id
            self._remember(sender_id, _Entry(latest_id, _latest_session(known + new_dicts)))
