"""Safety override: a non-trainable Rasa intent classifier placed last in the pipeline.

Implements Rasa's `GraphComponent` + `IntentClassifier` interface. When the safety layer
(`bot.safety`: patterns and a classifier of its own, independent of DIET) finds an emergency, a
suicide risk or an urgent health need, the intent becomes `emergency`, `suicide_risk` or
`urgent_health` with full confidence, whatever else the message says, so the rules answer with
the emergency numbers (or legevakt) first. The ranking below it is what DIET read in the rest of
the message (see `bot.nlu.tokenizer`), so the answer to an ordinary question in the same message
can follow; `safety_by_pattern` in the parse data tells whether a pattern or the classifier found it.
"""

from __future__ import annotations

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot import safety
from bot.nlu.intents import RuleBasedIntentClassifier, override_intent


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyOverride(RuleBasedIntentClassifier):
    """Puts the safety intent first when the safety layer finds one."""

    @classmethod
    def warm_up(cls) -> None:
        safety.warm_up()

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            if text.startswith("/"):
                continue  # a button's payload
            found = safety.assess(text)
            if found:
                override_intent(message, found.kind.intent)
                message.set(safety.BY_PATTERN, found.by_pattern, add_to_output=True)
        return messages
