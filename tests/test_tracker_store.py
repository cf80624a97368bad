"""The cached SQL tracker store keeps exactly what Rasa's own SQL tracker store keeps."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActiveLoop,
    AllSlotsReset,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.tracker_store import HISTORY_EVENTS, MEMORY_PER_JSON_BYTE, CachedSQLTrackerStore, recent_history

ROOT = Path(__file__).resolve().parent.parent


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


def test_the_cache_is_bounded_by_memory_not_only_by_count(tmp_path: Path, domain: Domain) -> None:
    """A flood of senders with long messages: the cache keeps to its bound, the database keeps all."""
    limit = 400_000  # bytes of memory, i.e. about 57 kB of stored JSON

    async def scenario() -> None:
        store = CachedSQLTrackerStore(domain=domain, host=_url(tmp_path), cache_bytes=limit)
        for number in range(60):
            tracker = await store.get_or_create_tracker(f"flom-{number}")
            _say(tracker, "x" * 1_900, 1.0)  # near the length cap, every one
            await store.save(tracker)
        held = store._cache_json_bytes
        assert 0 < held <= limit // MEMORY_PER_JSON_BYTE
        assert held == sum(entry.size for entry in store._cache.values())
        assert 5 < len(store._cache) < 60  # the oldest went; the newest are kept
        assert "flom-59" in store._cache and "flom-0" not in store._cache
        first = await store.retrieve("flom-0")  # evicted from memory, not from the database
        assert [e.text for e in first.events if isinstance(e, UserUttered)] == ["x" * 1_900]
        assert store._cache_json_bytes <= limit // MEMORY_PER_JSON_BYTE

    asyncio.run(scenario())


def test_conversation_commits_do_not_wait_for_the_disk_but_tickets_do(tmp_path: Path, domain: Domain) -> None:
    import sqlalchemy as sa

    from bot.db import get_engine

    store = CachedSQLTrackerStore(domain=domain, host=_url(tmp_path))
    with store.engine.connect() as connection:
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 1  # NORMAL
    with get_engine(_url(tmp_path)).connect() as connection:
        assert connection.execute(sa.text("PRAGMA synchronous")).scalar() == 2  # FULL


def _turn(tracker, index: int, at: float) -> None:  # type: ignore[no-untyped-def]
    """One citizen turn, as Rasa logs it: listen, the message, slot extraction, an answer."""
    tracker.update(ActionExecuted("action_listen", timestamp=at))
    intent = "faq" if index % 3 else "thanks"
    tracker.update(UserUttered(f"melding {index}", {"name": intent, "confidence": 1.0}, timestamp=at + 0.1))
    tracker.update(ActionExecuted("action_extract_slots", timestamp=at + 0.2))
    tracker.update(ActionExecuted(f"utter_{intent}", timestamp=at + 0.3))


def _long_conversation(domain: Domain, turns: int = 40) -> DialogueStateTracker:
    """Slots set early and late, a form started and never finished, many turns after."""
    tracker = DialogueStateTracker("long", domain.slots)
    tracker.update(ActionExecuted("action_session_start", timestamp=0.0))
    tracker.update(SessionStarted(timestamp=0.01))
    tracker.update(SlotSet("language", "en", timestamp=0.02))
    for index in range(turns):
        at = 1.0 + index
        _turn(tracker, index, at)
        if index == 2:
            tracker.update(SlotSet("language", "nn", timestamp=at + 0.4))
        if index == 5:
            tracker.update(ActiveLoop("interpreter_form", timestamp=at + 0.4))
            tracker.update(SlotSet("requested_slot", "interpreter_contact", timestamp=at + 0.5))
        if index == 30:
            tracker.update(SlotSet("ticket_outcome", "created", timestamp=at + 0.4))
    return tracker


def test_recent_history_keeps_everything_while_the_conversation_is_short() -> None:
    events = [{"event": "user", "text": str(i)} for i in range(2 * HISTORY_EVENTS)]
    assert recent_history(events) is events


def test_recent_history_starts_at_a_turn_after_the_slots_and_form_in_force(domain: Domain) -> None:
    events = [e.as_dict() for e in _long_conversation(domain).events]
    recent = recent_history(events, keep=20)
    carried = list(itertools.takewhile(lambda e: e["event"] != "action", recent))
    assert [(e["event"], e.get("name"), e.get("value")) for e in carried] == [
        ("slot", "language", "nn"),  # the latest value, not "en"
        ("active_loop", "interpreter_form", None),
        ("slot", "requested_slot", "interpreter_contact"),
        ("slot", "ticket_outcome", "created"),
    ]
    assert carried[1] is events[next(i for i, e in enumerate(events) if e["event"] == "active_loop")]  # as stored
    start = len(carried)
    assert recent[start]["name"] == "action_listen" and recent[start + 1]["event"] == "user"
    assert recent[start:] == events[-len(recent) + start :]
    assert 20 <= len(recent) - start <= 24


def test_rasa_sees_the_same_state_in_the_recent_history_as_in_the_whole_conversation(domain: Domain) -> None:
    """What the policies decide from: the latest states (MemoizationPolicy: 5, rules: a few), the
    slots, the form, the latest message. Compared with Rasa's own tracker of the whole session."""
    events = [e.as_dict() for e in _long_conversation(domain).events]
    whole = DialogueStateTracker.from_dict("long", events, domain.slots)
    recent = DialogueStateTracker.from_dict("long", recent_history(events, keep=20), domain.slots)
    assert len(recent.events) < len(whole.events) / 3
    assert recent.current_slot_values() == whole.current_slot_values()
    assert recent.active_loop_name == whole.active_loop_name == "interpreter_form"
    assert recent.latest_message.text == whole.latest_message.text
    for ignore_rule_only_turns in (False, True):
        whole_states = whole.past_states(domain, ignore_rule_only_turns=ignore_rule_only_turns)
        recent_states = recent.past_states(domain, ignore_rule_only_turns=ignore_rule_only_turns)
        assert recent_states[-10:] == whole_states[-10:]


def test_a_long_conversation_is_stored_whole_while_rasa_gets_its_recent_history(tmp_path: Path, domain: Domain) -> None:
    """Two Rasa servers take turns, as behind a load balancer; every event reaches the database once."""

    async def scenario() -> None:
        servers = [CachedSQLTrackerStore(domain=domain, host=_url(tmp_path)) for _ in range(2)]
        tracker = await servers[0].get_or_create_tracker("long")
        tracker.update(SlotSet("language", "nn", timestamp=0.5))
        await servers[0].save(tracker)
        sizes = []
        for index in range(60):
            server = servers[index % 3 % 2]  # sometimes the same server twice, sometimes the other
            tracker = await server.retrieve("long")
            sizes.append(len(tracker.events))
            _turn(tracker, index, 1.0 + index)
            await server.save(tracker)
        whole = await SQLTrackerStore(domain=domain, host=_url(tmp_path)).retrieve("long")
        texts = [e.text for e in whole.events if isinstance(e, UserUttered)]
        assert texts == [f"melding {i}" for i in range(60)]  # nothing lost, nothing twice
        assert len(whole.events) == 2 + 60 * 4  # Rasa starts a tracker with `action_listen`
        assert max(sizes) <= 2 * HISTORY_EVENTS + 4 and sizes[-1] < len(whole.events) / 2
        latest = await servers[1].retrieve("long")
        assert latest.get_slot("language") == "nn" and latest.current_slot_values() == whole.current_slot_values()

    asyncio.run(scenario())


def test_a_retry_after_a_commit_whose_answer_was_lost_writes_nothing_twice(tmp_path: Path, domain: Domain) -> None:
    async def scenario() -> None:
        store = CachedSQLTrackerStore(domain=domain, host=_url(tmp_path))
        tracker = await store.get_or_create_tracker("lost")
        for index in range(30):  # long enough that Rasa gets the recent history only
            tracker = await store.retrieve("lost") or tracker
            _turn(tracker, index, 1.0 + index)
            await store.save(tracker)
        tracker = await store.retrieve("lost")
        _turn(tracker, 30, 40.0)
        marks = (tracker.sk_stored_events, tracker.sk_known_id)
        store._write_new_events(tracker)  # the commit went through ...
        tracker.sk_stored_events, tracker.sk_known_id = marks  # ... but the answer never came back
        store._forget("lost")
        await store.save(tracker)  # Rasa's retry
        whole = await SQLTrackerStore(domain=domain, host=_url(tmp_path)).retrieve("lost")
        assert [e.text for e in whole.events if isinstance(e, UserUttered)] == [f"melding {i}" for i in range(31)]

    asyncio.run(scenario())


def _eventful_conversation(turns: int) -> list:  # type: ignore[type-arg]
    """A session with slots set again and again, a slot reset, forms opened and closed, a restart,
    and a stretch of many events without a citizen's message."""
    events = [ActionExecuted("action_session_start", timestamp=0.0), SessionStarted(timestamp=0.01)]
    for index in range(turns):
        at = 1.0 + index
        events += [
            ActionExecuted("action_listen", timestamp=at),
            UserUttered(f"melding {index}", {"name": "faq", "confidence": 1.0}, timestamp=at + 0.1),
            SlotSet("language", ("nb", "nn", "en")[index % 3], timestamp=at + 0.2),
        ]
        if index % 11 == 3:
            events.append(ActiveLoop("ticket_form", timestamp=at + 0.3))
            events.append(SlotSet("requested_slot", "ticket_summary", timestamp=at + 0.31))
        if index % 11 == 6:
            events.append(ActiveLoop(None, timestamp=at + 0.3))
        if index == 20:
            events.append(AllSlotsReset(timestamp=at + 0.4))
        if index == 48:  # while a form is open
            events.append(Restarted(timestamp=at + 0.4))
        if index == 70:
            events += [SlotSet("feedback_vote", None, timestamp=at + 0.5 + i / 1000) for i in range(50)]
        events.append(ActionExecuted("utter_faq", timestamp=at + 0.6))
    return events


def test_a_server_that_did_not_write_the_conversation_reads_the_same_recent_history(
    db_url: str, domain: Domain
) -> None:
    """Behind a load balancer the other server reads the conversation from the database, only its
    latest rows and the slots and form carried: the same history as cutting the whole session."""

    async def scenario() -> None:
        writer = CachedSQLTrackerStore(domain=domain, host=db_url)
        sender = f"lb-{uuid.uuid4().hex[:8]}"
        tracker = DialogueStateTracker(sender, domain.slots)
        stored = 0
        whole: list[dict] = []  # type: ignore[type-arg]
        for turns in range(1, 100):
            for event in _eventful_conversation(turns)[stored:]:
                tracker.update(event)
                whole.append(event.as_dict())
            stored = len(tracker.events)
            await writer.save(tracker)
            reader = CachedSQLTrackerStore(domain=domain, host=db_url)  # nothing cached
            read = await reader.retrieve(sender)
            expected = recent_history(whole)
            assert [e.as_dict() for e in read.events] == expected, turns
        assert len(expected) < len(whole) / 3

    asyncio.run(scenario())


def test_two_servers_taking_turns_catch_up_on_each_others_rows_and_see_the_same_history(
    db_url: str, domain: Domain
) -> None:
    """Two servers behind a load balancer, each message to the other: each reads only the rows the
    other wrote and replays them on the tracker it saved. The tracker is the one Rasa would rebuild
    from the history kept, its state is a fresh read's, and the history holds the conversation's
    latest events (at least `HISTORY_EVENTS`), through slot resets, forms, a restart and long
    stretches of slots."""

    async def scenario() -> None:
        servers = [CachedSQLTrackerStore(domain=domain, host=db_url) for _ in range(2)]
        sender = f"turns-{uuid.uuid4().hex[:8]}"
        whole: list[dict] = []  # type: ignore[type-arg]
        replayed = 0
        for turns in range(1, 100):
            server = servers[turns % 2]
            kept = server._cache[sender].tracker if sender in server._cache else None
            tracker = await server.retrieve(sender) or DialogueStateTracker(sender, domain.slots)
            replayed += kept is not None and tracker is kept
            events = [e.as_dict() for e in tracker.events]
            rebuilt = DialogueStateTracker.from_dict(sender, events, domain.slots)
            fresh = await CachedSQLTrackerStore(domain=domain, host=db_url).retrieve(sender)
            if fresh:
                for seen in (tracker, rebuilt):
                    assert seen.current_slot_values() == fresh.current_slot_values(), turns
                    assert seen.active_loop_name == fresh.active_loop_name, turns
                    assert seen.latest_message.text == fresh.latest_message.text, turns
            offset = len(whole) - len(events)  # the tail: the longest end of the history that ends the whole
            tail = next(events[i:] for i in range(len(events) + 1) if events[i:] == whole[offset + i :])
            assert len(tail) >= min(len(whole), HISTORY_EVENTS), turns
            for event in _eventful_conversation(turns)[len(whole) :]:
                tracker.update(event)
                whole.append(event.as_dict())
            await server.save(tracker)
        assert replayed > 60  # most turns replayed the other server's rows on the tracker saved

    asyncio.run(scenario())
