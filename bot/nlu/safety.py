"""Safety override: a Rasa intent classifier placed last in the pipeline.

Implements Rasa's `GraphComponent` + `IntentClassifier` interface. When the safety layer
(`bot.safety`: patterns and a classifier of its own, independent of DIET) finds an emergency, a
suicide risk or an urgent health need, the intent becomes `emergency`, `suicide_risk` or
`urgent_health` with full confidence, whatever else the message says, so the rules answer with
the emergency numbers (or legevakt) first. The ranking below it is what DIET read in the rest of
the message (see `bot.nlu.tokenizer`), so the answer to an ordinary question in the same message
can follow; `safety_by_pattern` in the parse data tells whether a pattern or the classifier found it.
A message that is exactly an answer's title (a pressed «Mente du …?» button such as «Drikkevann og
vannkvalitet») chose a topic and is left alone; the answers that name emergencies (legevakt, dog
bites) give the numbers themselves.

`rasa train` trains the safety layer's classifier here, on the same NLU data as DIET (and its own
negatives, `bot/safety/negatives.yml`, which DIET does not see), and stores it
in the model; loading the model makes it the process's classifier (`bot.safety.use`), which the
tokenizer and the channels' guard use too. A model without it (trained before this component
stored one) gets one trained from `data/nlu/` at load.
"""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot import safety
from bot.nlu.intents import override_intent
from bot.safety.classifier import OWN_NEGATIVES, SafetyClassifier
from bot.topics import topic_by_label

logger = logging.getLogger(__name__)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class SafetyOverride(GraphComponent, IntentClassifier):
    """Puts the safety intent first when the safety layer finds one."""

    def __init__(self, model_storage: ModelStorage | None = None, resource: Resource | None = None) -> None:
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SafetyOverride:
        return cls(model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when the safety layer's own negatives change: Rasa's graph does not see that file."""
        return hashlib.sha256(OWN_NEGATIVES.read_bytes()).hexdigest()

    def train(self, training_data: TrainingData) -> Resource:
        """Train the safety classifier on the NLU examples and store it in the model."""
        assert self._model_storage is not None and self._resource is not None
        examples = [(m.get(TEXT), m.get(INTENT)) for m in training_data.intent_examples if m.get(TEXT)]
        classifier = SafetyClassifier.train(examples)
        with self._model_storage.write_to(self._resource) as directory:
            classifier.save(directory)
        safety.use(classifier)
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> SafetyOverride:
        try:
            with model_storage.read_from(resource) as directory:
                safety.use(SafetyClassifier.load(directory))
        except (ValueError, OSError):
            logger.warning("The model holds no safety classifier; training one from data/nlu/ (retrain the model).")
            safety.warm_up()
        return cls(model_storage, resource)

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # a button's payload
            if topic_by_label(text):
                continue  # a pressed «Mente du …?» button: a topic chosen, not an emergency told
            found = safety.assess(text)
            if found:
                override_intent(message, found.kind.intent)
                message.set(safety.BY_PATTERN, found.by_pattern, add_to_output=True)
        return messages
