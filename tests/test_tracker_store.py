"""The cached SQL tracker store keeps exactly what Rasa's own SQL tracker store keeps."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet, UserUttered

from bot.tracker_store import CachedSQLTrackerStore

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain.yml"))


def _url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'tracker.db'}"


def _say(tracker, text: str, at: float) -> None:  # type: ignore[no-untyped-def]
    tracker.update(UserUttered(text, {"name": "greet", "confidence": 1.0}, timestamp=at))
    tracker.update(ActionExecuted("utter_greet", timestamp=at + 0.1))
    tracker.update(ActionExecuted("action_listen", timestamp=at + 0.2))


def test_cached_store_writes_the_same_rows_as_rasa(tmp_path: Path, domain: Domain) -> None:
    async def scenario() -> None:
        store = CachedSQLTrackerStore(domain=domain, host=_url(tmp_path))
        plain = SQLTrackerStore(domain=domain, host=_url(tmp_path))
        tracker = await store.get_or_create_tracker("c1")
        _say(tracker, "hei", 1.0)
        await store.save(tracker)
        again = await store.retrieve("c1")
        _say(again, "hei igjen", 2.0)
        again.update(SlotSet("language", "nn", timestamp=2.5))
        await store.save(again)
        from_rasa = await plain.retrieve("c1")
        from_cache = await store.retrieve("c1")
        assert [e.as_dict() for e in from_rasa.events] == [e.as_dict() for e in from_cache.events]
        assert from_cache.get_slot("language") == "nn"
        assert [e.text for e in from_cache.events if isinstance(e, UserUttered)] == ["hei", "hei igjen"]

    asyncio.run(scenario())


def test_another_server_writing_the_same_conversation_is_seen(tmp_path: Path, domain: Domain) -> None:
    async def scenario() -> None:
        server_a = CachedSQLTrackerStore(domain=domain, host=_url(tmp_path))
        server_b = CachedSQLTrackerStore(domain=domain, host=_url(tmp_path))
        tracker = await server_a.get_or_create_tracker("c2")
        _say(tracker, "en", 1.0)
        await server_a.save(tracker)
        on_b = await server_b.retrieve("c2")
        _say(on_b, "to", 2.0)
        await server_b.save(on_b)
        on_a = await server_a.retrieve("c2")  # A's cache is stale and must not be used
        assert [e.text for e in on_a.events if isinstance(e, UserUttered)] == ["en", "to"]
        _say(on_a, "tre", 3.0)
        await server_a.save(on_a)
        final = await SQLTrackerStore(domain=domain, host=_url(tmp_path)).retrieve("c2")
        assert [e.text for e in final.events if isinstance(e, UserUttered)] == ["en", "to", "tre"]

    asyncio.run(scenario())


def test_a_new_session_starts_afresh(tmp_path: Path, domain: Domain) -> None:
    async def scenario() -> None:
        store = CachedSQLTrackerStore(domain=domain, host=_url(tmp_path))
        tracker = await store.get_or_create_tracker("c3")
        _say(tracker, "gammel", 1.0)
        await store.save(tracker)
        tracker = await store.retrieve("c3")
        tracker.update(ActionExecuted("action_session_start", timestamp=10.0))
        tracker.update(SessionStarted(timestamp=10.1))
        tracker.update(ActionExecuted("action_listen", timestamp=10.2))
        _say(tracker, "ny", 11.0)
        await store.save(tracker)
        cached = await store.retrieve("c3")
        fresh = await SQLTrackerStore(domain=domain, host=_url(tmp_path)).retrieve("c3")
        assert [e.as_dict() for e in cached.events] == [e.as_dict() for e in fresh.events]
        assert [e.text for e in cached.events if isinstance(e, UserUttered)] == ["ny"]

    asyncio.run(scenario())


def test_a_tracker_changed_but_never_saved_is_not_handed_out_again(tmp_path: Path, domain: Domain) -> None:
    async def scenario() -> None:
        store = CachedSQLTrackerStore(domain=domain, host=_url(tmp_path))
        tracker = await store.get_or_create_tracker("c4")
        _say(tracker, "lagret", 1.0)
        await store.save(tracker)
        reused = await store.retrieve("c4")
        assert reused is tracker  # the saved object itself, not rebuilt from the events
        _say(reused, "aldri lagret", 2.0)  # e.g. Rasa failed before saving
        again = await store.retrieve("c4")
        assert again is not reused
        assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["lagret"]

    asyncio.run(scenario())


def test_conversation_commits_do_not_wait_for_the_disk_but_tickets_do(tmp_path: Path, domain: Domain) -> None:
    import sqlalchemy as sa

    from bot.db import get_engine

    store = CachedSQLTrackerStore(domain=domain, host=_url(tmp_path))
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    with get_engine(_url(tmp_path)).connect() as connection:
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 2  # FULL
