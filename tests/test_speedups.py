"""Our speed-ups of Rasa give exactly Rasa's own results."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from rasa.shared.core.events import ActionExecuted, Event
from rasa.shared.utils.common import all_subclasses

from bot import rasa_patches, speedups


def test_event_classes_resolve_as_rasa_resolves_them() -> None:
    assert rasa_patches.installed()  # by tests/conftest.py, as bot/launch.py does for Rasa
    for cls in all_subclasses(Event):
        name = cls.type_name
        assert Event.resolve_by_type(name) is speedups._resolve_event_by_walking(name)
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no_such_event", default=ActionExecuted) is ActionExecuted
    with pytest.raises(ValueError):
        Event.resolve_by_type("no_such_event")


def test_tensorflow_fast_path_predicts_what_rasa_predicts(agent: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.utils.tensorflow import models

    texts = [
        "hei",
        "når er dere åpne?",
        "korleis søkjer eg barnehageplass",
        "søpla ble ikke hentet i dag og jeg lurer på om jeg kan levere gamle møbler et sted i nærheten",
        "SK-2026-00042",
        "912 34 567",
        "when are you open",
        "😀",
    ]

    def parse_all() -> list[dict[str, Any]]:
        return [asyncio.run(agent.parse_message(text)) for text in texts]

    monkeypatch.setattr(models.RasaModel, "_rasa_predict", speedups._rasa_predict)
    rasas = parse_all()
    monkeypatch.setattr(models.RasaModel, "_rasa_predict", speedups._fast_rasa_predict)
    parse_all()  # the first call per model keeps its concrete function
    ours = parse_all()
    for rasa_result, our_result in zip(rasas, ours, strict=True):
        assert our_result["intent"]["name"] == rasa_result["intent"]["name"]
        for a, b in zip(rasa_result["intent_ranking"], our_result["intent_ranking"], strict=True):
            assert a["name"] == b["name"] and a["confidence"] == pytest.approx(b["confidence"], abs=1e-6)
        rasa_faq = (rasa_result.get("response_selector") or {}).get("faq", {}).get("response", {})
        our_faq = (our_result.get("response_selector") or {}).get("faq", {}).get("response", {})
        assert our_faq.get("intent_response_key") == rasa_faq.get("intent_response_key")
    assert any(getattr(m, "_servicekontor_concrete", None) for m in _tf_models(agent))


def _tf_models(agent: Any) -> list[Any]:
    from rasa.utils.tensorflow.models import RasaModel

    found = []
    for node in agent.processor.graph_runner._graph_schema.nodes:
        component = agent.processor.graph_runner._instantiated_nodes[node]._component
        model = getattr(component, "model", None)
        if isinstance(model, RasaModel):
            found.append(model)
    return found


def test_graph_runner_gives_what_dask_gives(agent: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from rasa.core.channels.channel import UserMessage
    from rasa.engine.constants import PLACEHOLDER_MESSAGE, PLACEHOLDER_TRACKER
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.shared.core.events import ActionExecuted

    from bot import graph_runner

    processor = agent.processor
    core_target = processor.model_metadata.core_target
    texts = ["hei", "når er dere åpne?", "jeg vil snakke med en person", "Kari Nordmann", "hvem vinner VM", "😀"]

    def run_both(inputs: Callable[[], dict[str, Any]], target: str) -> tuple[Any, Any]:
        monkeypatch.setattr(DaskGraphRunner, "run", graph_runner.dask_run)
        theirs = processor.graph_runner.run(inputs=inputs(), targets=[target])
        monkeypatch.setattr(DaskGraphRunner, "run", graph_runner.run_in_order)
        ours = processor.graph_runner.run(inputs=inputs(), targets=[target])
        assert list(ours) == list(theirs) == [target]
        return theirs[target], ours[target]

    async def converse() -> int:
        compared = 0
        tracker = await processor.fetch_tracker_and_update_session("graph-runner-test")
        for text in texts:
            message = UserMessage(text, sender_id=tracker.sender_id)
            theirs, ours = run_both(
                lambda message=message, tracker=tracker: {PLACEHOLDER_MESSAGE: [message], PLACEHOLDER_TRACKER: tracker},
                processor.model_metadata.nlu_target,
            )
            assert [m.as_dict() for m in ours] == [m.as_dict() for m in theirs]
            tracker = await processor.log_message(message, should_save_tracker=False)
            for _ in range(3):
                theirs, ours = run_both(lambda tracker=tracker: {PLACEHOLDER_TRACKER: tracker}, core_target)
                assert ours == theirs
                compared += 1
                action = processor.domain.action_names_or_texts[ours.max_confidence_index]
                if action == "action_listen":
                    break
                tracker.update(ActionExecuted(action))
            tracker.update(ActionExecuted("action_listen"))
        return compared

    assert asyncio.run(converse()) >= len(texts)


def _rule_policy(agent: Any) -> Any:
    from rasa.core.policies.rule_policy import RulePolicy

    runner = agent.processor.graph_runner
    found = [runner._instantiated_nodes[node]._component for node in runner._graph_schema.nodes]
    return next(component for component in found if isinstance(component, RulePolicy))


def _loosened(lookup: dict[str, str]) -> dict[str, str]:
    """The rules again with the latest state asking for no intent, or for no previous action (as at
    a conversation's start): the kinds of rule `_possible_rule_keys` must never leave out."""
    import json

    loosened = {}
    for key, action in lookup.items():
        for left_out in ("user", "prev_action"):
            states = [dict(state) for state in json.loads(key)]
            states[-1].pop(left_out, None)
            loosened[json.dumps(states)] = action
    return loosened


def test_rule_policy_finds_the_rules_rasa_finds(agent: Any, domain: Any) -> None:
    """`speedups._possible_rule_keys` against Rasa's `_get_possible_keys`: the trained rules and
    looser ones, after every event of every rule and story, and in one long conversation of all
    of them in a row."""
    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy
    from rasa.shared.core.trackers import DialogueStateTracker

    from tests.test_dialogue_states import _conversations

    assert RulePolicy._get_possible_keys is speedups._possible_rule_keys
    rasas = rasa_patches.original(RulePolicy, "_get_possible_keys")
    policy = _rule_policy(agent)
    conversations = list(_conversations(domain))
    long_one = [event for events in conversations for event in events]
    lookups = [policy.lookup[RULES], policy.lookup[RULES_FOR_LOOP_UNHAPPY_PATH], _loosened(policy.lookup[RULES])]
    compared, found, longest_history, matched = 0, 0, 0, []
    for events in [*conversations, long_one]:
        tracker = DialogueStateTracker("rules", domain.slots)
        for event in events:
            tracker.update(event)
            for use_text in (False, True):
                states = policy._prediction_states(
                    tracker, domain, use_text, rule_only_data=policy._get_rule_only_data()
                )
                longest_history = max(longest_history, len(states))
                for lookup in lookups:
                    ours = speedups._possible_rule_keys(policy, lookup, states)
                    assert ours == rasas(policy, lookup, states), (event, use_text)
                    compared += 1
                    found += bool(ours)
                    if ours and lookup is lookups[0]:
                        matched = states
    assert compared > 5000 and found > 500 and longest_history > 100
    changed = dict(lookups[0])
    before = speedups._possible_rule_keys(policy, changed, matched)
    changed.pop(next(iter(before)))  # a lookup changed since its index was built
    assert speedups._possible_rule_keys(policy, changed, matched) == rasas(policy, changed, matched) != before
