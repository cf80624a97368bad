"""What our intent-setting NLU components share: no training, and setting the intent as Rasa's own do."""

from __future__ import annotations

from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY
from rasa.shared.nlu.training_data.message import Message


class RuleBasedIntentClassifier(GraphComponent, IntentClassifier):
    """A Rasa intent classifier with nothing to train or configure (Rasa's `GraphComponent` interface).

    `warm_up` runs once when the model loads, so that the first citizen does not wait for it.
    """

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> RuleBasedIntentClassifier:
        cls.warm_up()
        return cls()

    @classmethod
    def warm_up(cls) -> None:
        """Load what the component needs; nothing by default."""


def override_intent(message: Message, name: str) -> None:
    """Make `name` the message's intent with full confidence, first in the ranking.

    The rest of the ranking stays as the classifier gave it, so what the message also asks
    can still be read from it.
    """
    intent = {"name": name, "confidence": 1.0}
    ranking = [r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get("name") != name]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
