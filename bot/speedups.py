"""Performance fixes for Rasa 3.6 itself; `bot.rasa_patches` installs them (the list of every patch).

Rasa checks every action-server response with `jsonschema.validate`, which re-checks the schema
itself on each call; profiling under load showed that as ~20 % of the server's CPU time. We
validate against the same schema with a validator built once.

DIET and the response selector call their TensorFlow function with a fixed input signature,
yet TensorFlow matches every call's inputs against it again before it runs the graph (a tenth
of the server's time under load). We fetch the one concrete function once and call it with
the inputs converted to the signature's types. Anything unusual takes Rasa's own path.

Rasa finds an event's class from its name by walking all subclasses of `Event` for every event
it reads (3 % of the server's time under load); we keep that map after the first walk.

Rasa schedules its graph through dask on every call; `bot.graph_runner` calls the nodes in an
order worked out once.

A loaded model is about 700,000 Python objects that live as long as the server. Python's garbage
collector walks all of them in each full collection, which stops the server for 300-350 ms at a
time (measured in a loaded agent). Once the model is loaded, `gc.freeze` moves them
out of the collector's sight; what each message creates is still collected as before.

RulePolicy finds the rules that fit a conversation by matching each rule against the
conversation's dialogue states, from the latest one back, and it goes on for every state of the
history, although a rule of four states never fails beyond its fourth (`_is_rule_applicable` then
returns True), and it tries every rule against the latest state, where most fail at once. With
40-80 events of history RulePolicy took 12 % of the server's time under load, half of it in this
matching, which grew with the history. `_possible_rule_keys` stops after the longest rule's length, and tries
against the latest state only the rules that ask for its previous action and intent (or for none).
"""

from __future__ import annotations

import gc
from dataclasses import dataclass
from functools import lru_cache, wraps
from typing import Any

import numpy as np
import tensorflow as tf
from jsonschema.exceptions import best_match
from jsonschema.protocols import Validator
from jsonschema.validators import validator_for
from keras.utils import tf_utils
from rasa.core import run
from rasa.core.actions.action import RemoteAction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.constants import DIAGNOSTIC_DATA, DOCS_BASE_URL
from rasa.shared.core.constants import PREVIOUS_ACTION, SHOULD_NOT_BE_SET, USER
from rasa.shared.core.domain import State
from rasa.shared.core.events import Event
from rasa.shared.nlu.constants import ACTION_NAME, INTENT
from rasa.shared.utils.common import all_subclasses
from rasa.utils.tensorflow import models


@lru_cache(maxsize=1)
def _validator() -> Validator:
    schema = RemoteAction.action_response_format_spec()
    return validator_for(schema)(schema)  # the same draft `jsonschema.validate` picks


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    # As `jsonschema.validate` does, without checking the schema again: of several errors, the best match.
    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        ". Failed to validate Action server response from API, make sure your response from the "
        f"Action endpoint is valid. For more information about the format visit {DOCS_BASE_URL}/custom-actions"
    )
    raise error


@lru_cache(maxsize=1)
def _event_classes() -> dict[str, type[Event]]:
    classes: dict[str, type[Event]] = {}
    for cls in all_subclasses(Event):
        classes.setdefault(cls.type_name, cls)  # the first match, as Rasa's walk returns
    return classes


_resolve_event_by_walking = Event.resolve_by_type


def _resolve_event_by_type(type_name: str, default: type[Event] | None = None) -> type[Event] | None:
    cls = _event_classes().get(type_name)
    return cls if cls is not None else _resolve_event_by_walking(type_name, default)


_rasa_predict = models.RasaModel._rasa_predict


def _fast_rasa_predict(self: models.RasaModel, batch_in: Any) -> dict[str, Any]:
    concrete = getattr(self, "_servicekontor_concrete", None)
    if concrete is None:
        # The first call traces the graph, the usual way; then the concrete function is kept.
        outputs = _rasa_predict(self, batch_in)
        if not self._run_eagerly and self._tf_predict_step is not None:
            concrete = self._tf_predict_step.get_concrete_function()
            specs = tf.nest.flatten(self._tf_predict_step.input_signature)
            self._servicekontor_concrete = (concrete, specs)
        return outputs
    function, specs = concrete
    arrays = tf.nest.flatten(batch_in)
    if len(arrays) != len(specs):
        return _rasa_predict(self, batch_in)
    tensors = [
        tf.convert_to_tensor(np.asarray(array, dtype=spec.dtype.as_numpy_dtype))
        for array, spec in zip(arrays, specs, strict=True)
    ]
    outputs = tf_utils.sync_to_numpy_or_python_type(
        function._call_flat(tensors, captured_inputs=function.captured_inputs)
    )
    if DIAGNOSTIC_DATA in outputs:
        outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
    return outputs


_load_agent_on_start = run.load_agent_on_start


@wraps(_load_agent_on_start)
async def _load_agent_then_freeze(*args: Any, **kwargs: Any) -> Any:
    agent = await _load_agent_on_start(*args, **kwargs)
    gc.collect()
    gc.freeze()
    return agent


@dataclass(frozen=True)
class _RuleIndex:
    """A RulePolicy lookup's keys by what their latest state asks of the conversation's latest one."""

    lookup: dict[str, str]  # held, so that its id is not reused while the index is kept
    keys: frozenset[str]
    longest: int
    by_action: dict[tuple[str | None, str | None], frozenset[str]]


def _required(rule_state: State, sub_state: str, feature: str) -> str | None:
    """The value a rule's state requires, or None where Rasa's `_does_rule_match_state` lets any pass."""
    value = rule_state.get(sub_state, {}).get(feature)
    return value if isinstance(value, str) and value and value != SHOULD_NOT_BE_SET else None


def _rule_index(policy: RulePolicy, lookup: dict[str, str]) -> _RuleIndex:
    index = _rule_indexes.get(id(lookup))
    if index is not None and index.lookup is lookup and lookup.keys() == index.keys:
        return index
    groups: dict[tuple[str | None, str | None], set[str]] = {}
    longest = 0
    for key in lookup:
        rule_states = policy._rule_key_to_state(key)
        longest = max(longest, len(rule_states))
        latest = rule_states[-1]
        action = _required(latest, PREVIOUS_ACTION, ACTION_NAME)
        # Without a previous action a rule fits a conversation's first state whatever the intent.
        intent = _required(latest, USER, INTENT) if action else None
        groups.setdefault((action, intent), set()).add(key)
    index = _RuleIndex(
        lookup,
        frozenset(lookup),
        longest,
        {group: frozenset(keys) for group, keys in groups.items()},
    )
    if len(_rule_indexes) >= 8:  # a policy has two lookups; a reloaded model brings new ones
        _rule_indexes.clear()
    _rule_indexes[id(lookup)] = index
    return index


_rule_indexes: dict[int, _RuleIndex] = {}


def _possible_rule_keys(self: RulePolicy, lookup: dict[str, str], states: list[State]) -> set[str]:
    """`RulePolicy._get_possible_keys` with the same answer for less work.

    Only the rules whose latest state asks for the previous action and intent the conversation's
    latest state has (or asks for none) are tried against it: `_does_rule_match_state` fails all
    the others. And the states older than the longest rule are skipped: every rule fits them
    (`_is_rule_applicable` returns True beyond a rule's length).
    """
    index = _rule_index(self, lookup)
    if not states:
        return set(index.keys)
    latest = states[-1]
    action = latest.get(PREVIOUS_ACTION, {}).get(ACTION_NAME)
    intent = latest.get(USER, {}).get(INTENT)
    by_action = index.by_action
    empty: frozenset[str] = frozenset()
    candidates = by_action.get((None, None), empty)
    if isinstance(action, str):
        candidates = candidates | by_action.get((action, None), empty)
        if isinstance(intent, str):
            candidates = candidates | by_action.get((action, intent), empty)
    possible_keys = {key for key in candidates if self._is_rule_applicable(key, 0, latest)}
    for turn_index, state in enumerate(reversed(states[:-1]), start=1):
        if turn_index >= index.longest or not possible_keys:
            break
        possible_keys = {key for key in possible_keys if self._is_rule_applicable(key, turn_index, state)}
    return possible_keys
