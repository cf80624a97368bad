"""Emergency override: a non-trainable Rasa intent classifier placed last in the pipeline.

Implements Rasa's `GraphComponent` + `IntentClassifier` interface. When a message describes an
emergency (fire, someone not breathing, violence, suicide risk ...), the intent becomes
`emergency` with full confidence, whatever else the message says, so the emergency numbers
come first. The trained classifier still sees the same training data; this catches the cases
where a long or mixed message would otherwise be read as another topic.
"""

from __future__ import annotations

import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

EMERGENCY_INTENT = "emergency"


def override_intent(message: Message, name: str) -> None:
    """Make `name` the message's intent with full confidence, first in the ranking."""
    intent = {"name": name, "confidence": 1.0}
    ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)


_PATTERNS = [
    # fire and smoke
    r"\bdet brenn(?:er)?\b",
    r"\bbrann\b(?!-)",
    r"\bbrenn(?:er)? i\b",
    r"\bstår i brann\b",
    r"\brøyk (?:i|fra|frå|ut)\b",
    r"\bon fire\b",
    # breathing, heart, consciousness
    r"\bpuster (?:ikke|ikkje|itj|ik)\b",
    r"\bpustar (?:ikkje|ikke)\b",
    r"\bfår ikke puste\b",
    r"\bfår ikkje puste\b",
    r"\bbevisstløs\b",
    r"\bmedvitslaus\b",
    r"\bhjertestans\b",
    r"\bhjerteinfarkt\b",
    r"\bhjarteinfarkt\b",
    r"\bbrystsmerter\b",
    r"\bnot breathing\b",
    r"\bunconscious\b",
    r"\bheart attack\b",
    r"\bblør (?:mye|kraftig|masse)\b",
    r"\bblør\b.*\bslutter ikke\b",
    r"\boverdose\b",
    r"\bforgift(?:et|a|ning)\b",
    r"\bdrukn(?:er|ar|ing)\b",
    # suicide risk
    r"\bselvmord\b",
    r"\bsjølvmord\b",
    r"\bsjølmord\b",
    r"\bsuicid",
    r"\bta livet (?:mitt|av meg)\b",
    r"\bvil ikke leve\b",
    r"\bvil ikkje leve\b",
    r"\bkill myself\b",
    # violence and crime in progress
    r"\bvold(?:tekt)?\b",
    r"\btruer meg\b",
    r"\btrugar meg\b",
    r"\bslår meg\b",
    r"\bkniv\b",
    r"\bskyt(?:ing|er)\b",
    r"\binnbrudd\b.*\b(?:nå|no|akkurat)\b",
    r"\bnoen bryter seg inn\b",
    r"\bpåkjørt\b",
    r"\bring (?:110|112|113)\b",
]
_EMERGENCY = re.compile("|".join(_PATTERNS), re.IGNORECASE)


def is_emergency(text: str) -> bool:
    return bool(_EMERGENCY.search(text or ""))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class EmergencyOverride(GraphComponent, IntentClassifier):
    """Sets the intent to `emergency` when the text names an emergency."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> EmergencyOverride:
        return cls()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if not is_emergency(message.get(TEXT) or ""):
                continue
            override_intent(message, EMERGENCY_INTENT)
        return messages
