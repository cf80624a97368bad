"""Rasa's dialogue states of a conversation, worked out once per event instead of once per call.

Before each action, MemoizationPolicy and RulePolicy turn the conversation into a list of dialogue
states, one per action so far (`Domain.states_for_tracker_history`). Rasa does that from the first
event on every call: it replays the events into a fresh tracker and builds a state before each
action. A message calls it five to seven times (each prediction, RulePolicy twice), so a message
cost more the longer the history the tracker store hands over (40 to 80 events, about six turns):
a profile put that at 1.4 ms more per message at turn 100 than at turn 1 (README, «Speed»).

Here the replay goes on where the last call on the same tracker object stopped, as long as the
events applied then are still the first ones applied now (the same objects, in the same order); an
undone action or message, a restart or another tracker starts again from the first event, as Rasa
does. The tracker store hands the same tracker object to the next message (`bot.tracker_store`), so
a message's states cost the events it added; the replays live on the tracker
(`sk_state_replays`) and go when it goes. The result is Rasa's: `tests/test_dialogue_states.py`
compares it with Rasa's own function, event by event, over the project's stories, forms and undo
events. Each caller gets its own copy of the states, as from Rasa (the featurizers change them).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from rasa.shared.core.constants import PREVIOUS_ACTION
from rasa.shared.core.domain import Domain, State, SubState
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.core.trackers import DialogueStateTracker


@dataclass
class _Replay:
    """How far the states of one tracker have been worked out, for one set of options."""

    tracker: DialogueStateTracker  # the events applied so far, replayed into a fresh tracker
    applied: list[Event] = field(default_factory=list)
    states: list[State] = field(default_factory=list)  # one per action among `applied` (not hidden)
    last_ml_action: SubState | None = None
    turn_was_hidden: bool = False

    def continues(self, applied: list[Event]) -> bool:
        done = self.applied
        return len(done) <= len(applied) and all(a is b for a, b in zip(done, applied, strict=False))


_Options = tuple[int, bool, bool, str]


def _replays_of(tracker: DialogueStateTracker) -> dict[_Options, _Replay]:
    """The tracker's replays, kept on it as `bot.tracker_store` keeps what it stored."""
    replays: dict[_Options, _Replay] = tracker.__dict__.setdefault("sk_state_replays", {})
    return replays


def _step(
    domain: Domain,
    replay: _Replay,
    tracker: DialogueStateTracker,
    hide_rule_turn: bool,
    omit_unset_slots: bool,
    ignore_rule_only_turns: bool,
    rule_only_data: dict[str, Any] | None,
) -> None:
    """One pass of the loop in Rasa's `Domain.states_for_tracker_history`, on `replay`."""
    if ignore_rule_only_turns:
        if not replay.turn_was_hidden:
            replay.last_ml_action = domain._get_prev_action_sub_state(tracker)
        if not tracker.followup_action and not tracker.latest_action_name == tracker.active_loop_name:
            replay.turn_was_hidden = hide_rule_turn
        if replay.turn_was_hidden:
            return
    state = domain.get_active_state(tracker, omit_unset_slots=omit_unset_slots)
    if ignore_rule_only_turns:
        domain._remove_rule_only_features(state, rule_only_data)
        if replay.states:
            domain._substitute_rule_only_user_input(state, replay.states[-1])
        if replay.last_ml_action:
            state[PREVIOUS_ACTION] = replay.last_ml_action
    replay.states.append(domain._clean_state(state))


def _copy(state: State) -> State:
    return {kind: dict(sub_state) for kind, sub_state in state.items()}  # type: ignore[misc]


def states_for_tracker_history(
    self: Domain,
    tracker: DialogueStateTracker,
    omit_unset_slots: bool = False,
    ignore_rule_only_turns: bool = False,
    rule_only_data: dict[str, Any] | None = None,
) -> list[State]:
    """`Domain.states_for_tracker_history`, going on from the last call on the same tracker."""
    applied = tracker.applied_events()
    options = (
        id(self),
        omit_unset_slots,
        ignore_rule_only_turns,
        json.dumps(rule_only_data, sort_keys=True, default=repr),
    )
    replays = _replays_of(tracker)
    replay = replays.get(options)
    if replay is None or not replay.continues(applied):
        replay = replays[options] = _Replay(tracker.init_copy())
    flags = (omit_unset_slots, ignore_rule_only_turns, rule_only_data)
    for event in applied[len(replay.applied) :]:
        if isinstance(event, ActionExecuted):
            _step(self, replay, replay.tracker, event.hide_rule_turn, *flags)
        replay.tracker.update(event)
        replay.applied.append(event)
    # The state after the last event: worked out on every call, never kept (more events may follow).
    now = _Replay(replay.tracker, [], replay.states[-1:], replay.last_ml_action, replay.turn_was_hidden)
    kept = len(now.states)
    _step(self, now, replay.tracker, False, *flags)
    return [_copy(state) for state in replay.states + now.states[kept:]]
