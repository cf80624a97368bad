"""Rasa's ResponseSelector, run only for messages that may be FAQ questions.

Rasa runs the response selector on every message, although its answer is used only when the
intent classifier sees the `faq` retrieval intent. Profiling under load showed it as an eighth
of the server's time. Here it runs when `faq` is among the ranked intents with at least
`MIN_FAQ_CONFIDENCE`; our readers of its ranking (`bot.conversation`) weigh a sub-topic by the
`faq` confidence, so below that it could not change what they decide.

Training prints Rasa's warning that the configuration has no response selector: Rasa checks
for its own class by identity, not for subclasses. The selector is trained all the same.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY
from rasa.shared.nlu.training_data.message import Message

MIN_FAQ_CONFIDENCE = 0.05


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class FaqResponseSelector(ResponseSelector):
    """A `ResponseSelector` that skips messages the intent classifier does not think are FAQs."""

    def _may_be_retrieval_intent(self, message: Message) -> bool:
        retrieval_intent = self.retrieval_intent
        if not retrieval_intent:
            return True
        ranking = message.get(INTENT_RANKING_KEY) or [message.get(INTENT) or {}]
        return any(
            item.get(INTENT_NAME_KEY) == retrieval_intent
            and (item.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= MIN_FAQ_CONFIDENCE
            for item in ranking
        )

    def process(self, messages: list[Message]) -> list[Message]:
        wanted = [message for message in messages if self._may_be_retrieval_intent(message)]
        if wanted:
            super().process(wanted)
        return messages
