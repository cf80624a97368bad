"""Rasa NLG that answers in the conversation's language and fills in the municipality's facts.

Configured in endpoints.yml as `nlg: type: bot.nlg.KommuneNLG`. It is Rasa's templated NLG
(responses from the domain, conditional variations, slot filling) with these changes:
- topic answers come from the answer library (bot/answers), as this process's live snapshot has
  them: `utter_faq` gives the answer the library chose for the latest message (bot/nlu/library.py),
  `utter_faq/<key>` that answer, and a follow-up (`utter_follow_up_<facet>` with `topic_key`) the
  answer's part for that facet when it has one; each says which topic it answered (`topic_key`);
- an empty `language` slot means kommune.yml's `malform` (bokmål or nynorsk); another language
  (Polish, Somali …) gets the English variation where the response has none in that language;
- of the variations whose conditions hold, the most specific wins: `[ticket_outcome: created,
  language: nn]` over `[ticket_outcome: created]` (Rasa would pick at random among them);
- `{placeholders}` are filled from kommune.yml in the answer's language (opening hours and this
  week's exceptions to them, where the office is), and slots win on a name clash;
- each response says which language it is in (`language`), so the widget's own texts can follow,
  and a library answer says so (`rated_answer`), so the widget and Messenger can ask 👍 / 👎.
"""

from __future__ import annotations

import random
import re
from typing import Any

from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from bot import replies
from bot.answers import live
from bot.answers.render import answer_text
from bot.answers.vocabulary import PART_OF_FACET, RATED_ANSWER
from bot.kommune import LANGUAGES, get_kommune
from bot.operations import metrics
from bot.topics import FAQ_INTENT, answer_key

ANSWER_ACTION = f"utter_{FAQ_INTENT}"  # the rule's action: the answer the library chose
_FOLLOW_UP = "utter_follow_up_"

LANGUAGE_SLOT = "language"
ANSWER_LANGUAGE = "language"  # the key in a generated response that names its language
_DOUBLE_SPACES = re.compile(r"(?<=\S) {2,}")


class KommuneNLG(TemplatedNaturalLanguageGenerator):
    """Templated NLG in the conversation's language, with kommune.yml's facts."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    async def generate(
        self, utter_action: str, tracker: DialogueStateTracker, output_channel: str, **kwargs: Any
    ) -> dict[str, Any] | None:
        filled_slots = dict(tracker.current_slot_values())
        language = filled_slots.get(LANGUAGE_SLOT) or get_kommune().default_language
        if language not in LANGUAGES and not self._has_variation_in(utter_action, language):
            language = "en"
        filled_slots[LANGUAGE_SLOT] = language
        metrics.count_answer(utter_action, language)
        if utter_action == ANSWER_ACTION:
            utter_action, kwargs = self._question_answered(tracker, language, kwargs)
        response = self._from_library(utter_action, language, kwargs)
        if response is None:
            response = self.generate_from_slots(utter_action, filled_slots, output_channel, **kwargs)
        if response and response.get("text"):
            # A placeholder that is empty today (no holiday in the coming week) leaves two spaces.
            response["text"] = _DOUBLE_SPACES.sub(" ", response["text"]).strip()
        if response is not None:
            # The language the answer is in, for the widget's own texts (bot/channels/socketio.py).
            response[ANSWER_LANGUAGE] = language if language in LANGUAGES else "en"
        return response

    @staticmethod
    def _question_answered(
        tracker: DialogueStateTracker, language: str, kwargs: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        """The library's answer to the latest message, or more of the topic just answered (bot.replies)."""
        parse_data = tracker.latest_message.parse_data if tracker.latest_message else {}
        reply = replies.question_in_context(parse_data, [event.as_dict() for event in tracker.events])
        if reply is None or not reply.topic:
            return f"utter_{chosen_topic(tracker) or FAQ_INTENT}", kwargs
        return reply.response, {**kwargs, **replies.response_values(reply, language)}

    @staticmethod
    def _from_library(utter_action: str, language: str, kwargs: dict[str, Any]) -> dict[str, Any] | None:
        """A topic answer, or a follow-up's part, from the library; None when it has none."""
        answers = live.library().snapshot().answers
        if utter_action.startswith(_FOLLOW_UP):
            topic = str(kwargs.get("topic_key") or "")
            part = PART_OF_FACET.get(utter_action[len(_FOLLOW_UP) :])
            doc = answers.get(answer_key(topic) or "")
            if doc is None or part is None or part not in doc.parts:
                return None
            return {"text": answer_text(doc, language, part), "topic_key": topic, RATED_ANSWER: topic}
        topic = utter_action[len("utter_") :]
        doc = answers.get(answer_key(topic) or "")
        if doc is None:
            return None
        return {"text": answer_text(doc, language), "topic_key": topic, RATED_ANSWER: topic}

    def _has_variation_in(self, utter_action: str, language: str) -> bool:
        return any(
            condition.get("name") == LANGUAGE_SLOT and condition.get("value") == language
            for response in self.responses.get(utter_action) or []
            for condition in response.get("condition") or []
        )

    def _random_response_for(
        self, utter_action: str, output_channel: str, filled_slots: dict[str, Any]
    ) -> dict[str, Any] | None:
        if utter_action not in self.responses:
            return None
        suitable = ResponseVariationFilter(self.responses).responses_for_utter_action(
            utter_action, output_channel, filled_slots
        )
        if not suitable:
            return None
        most = max(len(response.get("condition") or []) for response in suitable)
        return random.choice([r for r in suitable if len(r.get("condition") or []) == most])

    @staticmethod
    def _response_variables(filled_slots: dict[str, Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        kommune = get_kommune()
        language = (filled_slots or {}).get(LANGUAGE_SLOT) or kommune.default_language
        values: dict[str, Any] = dict(kommune.placeholders(language))
        values.update({k: v for k, v in (filled_slots or {}).items() if v is not None})
        values.update(kwargs)
        return values


def chosen_topic(tracker: DialogueStateTracker) -> str | None:
    """The topic the library chose for the latest message (`faq/<key>`), if it chose one."""
    parse_data = tracker.latest_message.parse_data if tracker.latest_message else {}
    selector = (parse_data.get("response_selector") or {}).get(FAQ_INTENT) or {}
    return (selector.get("response") or {}).get("intent_response_key")
