"""«Fikk du svar på det du lurte på?» 👍 / 👎 after a topic answer, in the widget and Messenger.

The NLG marks each answer it takes from the answer library (`RATED_ANSWER`: the topic, `faq/<key>`).
The widget's and Messenger's output channels then send this question after the answer, with two
buttons in the conversation's language. A tap sends the payload
`/feedback{"feedback_vote": "up", "feedback_answer": "faq/<key>"}`: Rasa stores it in the
conversation like any message, and the rule for the `feedback` intent thanks the citizen. The
statistics (👍 share per answer and theme) and the editors' review list (👎) read the votes from
there (`bot.answers.feedback`), so they follow the retention period with the conversation.

The REST channel asks nothing: it serves trusted back ends that have their own ways.
"""

from __future__ import annotations

import json
from typing import Any

from bot.answers.vocabulary import ANSWER_ENTITY, FEEDBACK_INTENT, RATED_ANSWER, VOTE_ENTITY, Vote
from bot.channels.guard import notice
from bot.nlg import ANSWER_LANGUAGE


def payload(vote: Vote, topic: str) -> str:
    return f"/{FEEDBACK_INTENT}{json.dumps({VOTE_ENTITY: vote.value, ANSWER_ENTITY: topic}, ensure_ascii=False)}"


def question_after(message: dict[str, Any]) -> dict[str, Any] | None:
    """The 👍 / 👎 question to send after the bot's `message`, or None when it is no library answer."""
    topic = message.get(RATED_ANSWER)
    if not isinstance(topic, str) or not topic:
        return None
    language = message.get(ANSWER_LANGUAGE) or "nb"
    return {
        "text": notice("feedback_question", language),
        "buttons": [
            {"title": notice("feedback_yes", language), "payload": payload(Vote.UP, topic)},
            {"title": notice("feedback_no", language), "payload": payload(Vote.DOWN, topic)},
        ],
        ANSWER_LANGUAGE: language,
    }
