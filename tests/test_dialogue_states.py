"""The dialogue states our replay gives are Rasa's own, event by event (bot/dialogue_states.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rasa.shared.core.constants import RULE_ONLY_LOOPS, RULE_ONLY_SLOTS
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ActionReverted,
    ActiveLoop,
    Event,
    Restarted,
    SessionStarted,
    SlotSet,
    UserUtteranceReverted,
    UserUttered,
)
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.core.training_data.structures import StoryGraph

from bot import dialogue_states, rasa_patches

ROOT = Path(__file__).resolve().parent.parent


def _conversations(domain: Domain) -> Iterator[list[Event]]:
    """The events of every rule and story of the project and of its test stories."""
    reader = YAMLStoryReader(domain)
    steps = []
    for path in (ROOT / "data" / "rules.yml", ROOT / "data" / "stories.yml", ROOT / "tests" / "test_stories.yml"):
        steps += reader.read_from_file(str(path))
    generator = TrainingDataGenerator(StoryGraph(steps), domain, remove_duplicates=False, augmentation_factor=0)
    for tracker in generator.generate():
        yield list(tracker.events)


def _hidden_form_turns(domain: Domain) -> list[Event]:
    """A rule's form running in turns hidden from the ML policies (`hide_rule_turn`)."""
    form, intent = domain.form_names[0], domain.intents[0]
    return [
        ActionExecuted("action_listen"),
        UserUttered("a", {"name": intent}),
        ActionExecuted(form, hide_rule_turn=True),
        ActiveLoop(form),
        SlotSet("requested_slot", "x"),
        ActionExecuted("action_listen", hide_rule_turn=True),
        UserUttered("b", {"name": intent}),
        ActionExecuted(form, hide_rule_turn=True),
        SlotSet("requested_slot", None),
        ActiveLoop(None),
        ActionExecuted("action_listen"),
    ]


def _options(domain: Domain) -> list[dict[str, Any]]:
    rule_only = {RULE_ONLY_SLOTS: [domain.slots[0].name], RULE_ONLY_LOOPS: [domain.form_names[0]]}
    return [
        {},
        {"omit_unset_slots": True},
        {"ignore_rule_only_turns": True, "rule_only_data": rule_only},
        {"ignore_rule_only_turns": True, "rule_only_data": None},
    ]


def _rasas(domain: Domain, tracker: DialogueStateTracker, options: dict[str, Any]) -> list[Any]:
    return rasa_patches.original(Domain, "states_for_tracker_history")(domain, tracker, **options)


def test_the_patch_is_installed() -> None:
    assert Domain.states_for_tracker_history is dialogue_states.states_for_tracker_history


def test_states_are_rasas_after_every_event_of_every_story_and_rule(domain: Domain) -> None:
    options = _options(domain)
    compared = 0
    for events in [_hidden_form_turns(domain), *_conversations(domain)]:
        tracker = DialogueStateTracker("test", domain.slots)
        for event in events:
            tracker.update(event)
            for option in options:
                assert tracker.past_states(domain, **option) == _rasas(domain, tracker, option), (event, option)
                compared += 1
    assert compared > 1000


@pytest.mark.parametrize(
    "undo",
    [UserUtteranceReverted(), ActionReverted(), Restarted(), SessionStarted()],
    ids=lambda event: type(event).__name__,
)
def test_states_are_rasas_when_events_are_undone_or_the_conversation_starts_again(domain: Domain, undo: Event) -> None:
    story = max(_conversations(domain), key=len)
    tracker = DialogueStateTracker("test", domain.slots)
    for index, event in enumerate(story):
        tracker.update(event)
        if index % 7 == 6:
            tracker.update(undo)
            tracker.update(ActionExecuted("action_listen"))
        for option in _options(domain):
            assert tracker.past_states(domain, **option) == _rasas(domain, tracker, option), (index, option)


def test_a_caller_that_changes_its_states_does_not_change_the_next_callers(domain: Domain) -> None:
    story = max(_conversations(domain), key=len)
    tracker = DialogueStateTracker.from_events("test", story, slots=domain.slots)
    first = tracker.past_states(domain)
    for state in first:
        for sub_state in state.values():
            sub_state.clear()
        state.clear()
    assert tracker.past_states(domain) == _rasas(domain, tracker, {})


def test_two_trackers_with_the_same_events_do_not_share_a_replay(domain: Domain) -> None:
    story = max(_conversations(domain), key=len)
    one = DialogueStateTracker.from_events("one", story, slots=domain.slots)
    other = DialogueStateTracker.from_events("other", story[: len(story) // 2], slots=domain.slots)
    assert one.past_states(domain) == _rasas(domain, one, {})
    assert other.past_states(domain) == _rasas(domain, other, {})
    assert one.past_states(domain) != other.past_states(domain)
