"""Topic certainty: a non-trainable Rasa intent classifier that replaces Rasa's FallbackClassifier.

Implements Rasa's `GraphComponent` + `IntentClassifier` interface, placed after DIET and the
response selector in config.yml. On each message it sets `nlu_fallback` when the bot is not sure
of the topic or of another intent, and `no_question` when the message is only a name, contact
details, a number or a single word. The ranking stays as the classifiers gave
it, so the dialogue can offer the close topics («Mente du …?»). It also records, as
`topic_sure`, whether the message's best topic passed the test whatever its final intent, so that
the question asked beside an emergency can be answered after the emergency numbers. The rules are
in `bot.certainty`.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.certainty import TOPIC_SURE, decide, sure_of_topic
from bot.nlu.intents import RuleBasedIntentClassifier


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class TopicCertainty(RuleBasedIntentClassifier):
    """Sets `nlu_fallback` or `no_question` when the bot should not answer a topic."""

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            parse = {
                TEXT: message.get(TEXT) or "",
                INTENT: message.get(INTENT),
                INTENT_RANKING_KEY: message.get(INTENT_RANKING_KEY),
                RESPONSE_SELECTOR_PROPERTY_NAME: message.get(RESPONSE_SELECTOR_PROPERTY_NAME),
            }
            message.set(TOPIC_SURE, sure_of_topic(parse), add_to_output=True)
            intent = decide(parse)
            if intent is None:
                continue
            confidence = float((message.get(INTENT) or {}).get("confidence") or 0.0)
            # Like Rasa's FallbackClassifier: the new intent first, the classifiers' ranking below.
            message.set(INTENT, {"name": intent, "confidence": confidence}, add_to_output=True)
            ranking = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get("name") != intent]
            message.set(INTENT_RANKING_KEY, [{"name": intent, "confidence": confidence}, *ranking], add_to_output=True)
        return messages
