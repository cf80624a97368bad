"""What the bot would do with a question, for the editor's «Prøv et spørsmål» box in the desk.

The same steps as the bot, on this process's published answers: the safety layer first (an
emergency gets the emergency numbers, whatever the library says), then the answers ranked as the
bot ranks them (`bot.answers.selection`), then the bot's own certainty rules (`bot.certainty`,
`bot.replies`): answer when sure, «Mente du …?» when two or three answers are close, else «I don't
know». One step the desk cannot take: the bot's trained model first decides whether a message
asks about a service at all; here every message is read as if it did.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from bot import safety
from bot.answers import live, render
from bot.answers.selection import selection
from bot.certainty import FALLBACK_INTENT, NO_QUESTION_INTENT, decide, ranked_topics, sure_of_topic
from bot.pii import mask_text
from bot.replies import misunderstanding
from bot.topics import FAQ_INTENT, answer_key


class Outcome(str, enum.Enum):
    SAFETY = "safety"  # the emergency numbers first
    ANSWER = "answer"  # the best answer
    CHOICES = "choices"  # «Mente du …?» with buttons
    NO_QUESTION = "no_question"  # «what is it about?»
    DONT_KNOW = "dont_know"  # «I don't know, here is who does»


@dataclass(frozen=True)
class Candidate:
    key: str
    title: str
    theme: str
    confidence: float  # 0–1, as the bot weighs it
    offered: bool  # given as the answer, or offered as a «Mente du …?» button


@dataclass(frozen=True)
class Trial:
    question: str  # as tried, with ID numbers masked
    outcome: Outcome
    candidates: list[Candidate]
    safety: safety.SafetyKind | None = None


def _parse_data(text: str) -> dict:
    """The bot's parse of `text` as a question about a service (the library's ranking)."""
    return {
        "text": text,
        "intent": {"name": FAQ_INTENT, "confidence": 1.0},
        "intent_ranking": [{"name": FAQ_INTENT, "confidence": 1.0}],
        "response_selector": {FAQ_INTENT: selection(text)},
    }


def _candidates(parse_data: dict, offered: tuple[str, ...] = ()) -> list[Candidate]:
    answers = live.library().snapshot().answers
    candidates = []
    for topic, confidence in ranked_topics(parse_data):
        doc = answers.get(answer_key(topic) or "")
        if doc is not None:
            candidates.append(
                Candidate(doc.key, render.title(doc, "nb"), doc.theme, confidence, offered=topic in offered)
            )
    return candidates


def closest(question: str, limit: int) -> list[Candidate]:
    """The answers closest to `question`, best first, without the rest of `try_question`."""
    return _candidates(_parse_data(mask_text(" ".join(question.split())[:500])))[:limit]


def try_question(question: str) -> Trial:
    """What the bot would do with `question` (see the module)."""
    text = mask_text(" ".join(question.split())[:500])
    found = safety.assess(text)
    parse_data = _parse_data(text)
    override = decide(parse_data)
    offered: tuple[str, ...] = ()
    if override is None and sure_of_topic(parse_data):
        outcome, offered = Outcome.ANSWER, tuple(t for t, _ in ranked_topics(parse_data)[:1])
    else:
        intent = override if override in (NO_QUESTION_INTENT, FALLBACK_INTENT) else FALLBACK_INTENT
        reply = misunderstanding({**parse_data, "intent": {"name": intent, "confidence": 1.0}}, [])
        offered = tuple(reply.topics)
        outcome = {
            "which_topic": Outcome.CHOICES,
            "no_question": Outcome.NO_QUESTION,
        }.get(reply.miss_kind or "", Outcome.DONT_KNOW)
    candidates = _candidates(parse_data, offered)
    return Trial(text, Outcome.SAFETY if found else outcome, candidates, found.kind if found else None)
