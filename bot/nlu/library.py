"""The answer library as a Rasa NLU component: which published answer a question asks for.

Implements Rasa's `GraphComponent` + `IntentClassifier` interface and takes the place of Rasa's
ResponseSelector, after DIET in config.yml. DIET says whether a message is a question about a
service (`faq`) or one of the dialogue's own intents; this component ranks the library's
published answers for it (bot/answers/index.py) from this process's live snapshot
(bot/answers/live.py, bot/answers/selection.py), so an answer the service office publishes is found within a minute,
without retraining and without a restart.

Its output has the shape of Rasa's response selector (`response_selector.faq`: the chosen
`response` and a `ranking` of `intent_response_key` = `faq/<answer key>` with `confidence`), so
that `bot.certainty` decides from it whether the bot is sure enough to answer, and `bot.nlg`
gives the answer's text. A message that is exactly an answer's title, in any language (a pressed
«Mente du …?» button), is a question for that answer.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import INTENT, INTENT_NAME_KEY, INTENT_RANKING_KEY, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.answers import live
from bot.answers.selection import selection
from bot.certainty import FOLLOW_UP_INTENT
from bot.nlu.intents import RuleBasedIntentClassifier, override_intent
from bot.nlu.tokenizer import question_text
from bot.topics import FAQ_INTENT, topic_by_label

# Below this `faq` confidence the ranking could not change what the bot does (bot.certainty
# weighs an answer by it), so the library is not asked: most dialogue messages skip it.
MIN_FAQ_CONFIDENCE = 0.05


def _may_ask_library(message: Message) -> bool:
    ranking = message.get(INTENT_RANKING_KEY) or [message.get(INTENT) or {}]
    if (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == FOLLOW_UP_INTENT:
        return True  # as a first message it is read as a question (bot.replies.follow_up)
    return any(
        item.get(INTENT_NAME_KEY) in (FAQ_INTENT, "out_of_scope")
        and (item.get(PREDICTED_CONFIDENCE_KEY) or 0.0) >= MIN_FAQ_CONFIDENCE
        for item in ranking
    )


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LibraryAnswerSelector(RuleBasedIntentClassifier):
    """Ranks the library's published answers for messages that may ask about a service."""

    @classmethod
    def warm_up(cls) -> None:
        _ = live.library().snapshot().index  # the first citizen should not wait for the index to be built

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            if topic_by_label(message.get(TEXT) or ""):
                override_intent(message, FAQ_INTENT)  # a button's label asks for its answer, whatever DIET read
            elif not _may_ask_library(message):
                continue
            selected = {"all_retrieval_intents": [FAQ_INTENT], FAQ_INTENT: selection(question_text(message))}
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selected, add_to_output=True)
        return messages
