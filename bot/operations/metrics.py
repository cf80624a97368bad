"""The Prometheus metrics a process counts itself, and who may read them.

The Rasa server counts citizens' messages (per channel and language), the time to answer them,
the kinds of answer it gives («I don't know», «Mente du», emergencies …) and messages held back
by the rate limit; the action server counts the tickets it creates. The desk adds figures read
from the database at each scrape (`database_metrics`). Each process has its own `/metrics`: it
answers this machine itself, and anyone else only with `Authorization: Bearer $METRICS_TOKEN`.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping

from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, Counter, Histogram, generate_latest

from bot.proxies import is_local_caller
from bot.settings import get_settings

PREFIX = "servicekontor"

MESSAGES = Counter(f"{PREFIX}_messages", "Citizens' messages the bot handled", ["channel", "language"])
ANSWER_SECONDS = Histogram(
    f"{PREFIX}_answer_seconds",
    "Time from a citizen's message to the bot's last answer to it",
    ["channel"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30),
)
ANSWERS = Counter(f"{PREFIX}_answers", "Answers the bot gave, by kind", ["kind", "language"])
RATE_LIMITED = Counter(f"{PREFIX}_rate_limited", "Messages held back by the rate limit", ["channel"])
TICKETS_CREATED = Counter(f"{PREFIX}_tickets_created", "Tickets the bot created", ["channel"])

# The kinds of answer an operator watches; every other response counts as «other».
ANSWER_KINDS = {
    "utter_dont_know": "dont_know",
    "utter_which_topic": "which_topic",
    "utter_no_question": "no_question",
    "utter_emergency": "emergency",
    "utter_suicide_risk": "suicide_risk",
    "utter_urgent_health": "urgent_health",
}
FOLLOW_UP_PREFIX = "utter_follow_up_"
# A topic answer from the library (`bot.nlg.ANSWER_ACTION`; spelt out: this module imports nothing
# of the bot's, so that the case queue can count here too).
TOPIC_ACTION = "utter_faq"
UNKNOWN = "unknown"


def answer_kind(utter_action: str) -> str:
    """The kind of answer a response is, for `servicekontor_answers_total`."""
    if utter_action == TOPIC_ACTION or utter_action.startswith(f"{TOPIC_ACTION}/"):
        return "topic"
    if utter_action.startswith(FOLLOW_UP_PREFIX) and utter_action != "utter_follow_up_no_topic":
        return "follow_up"
    return ANSWER_KINDS.get(utter_action, "other")


def count_answer(utter_action: str, language: str | None) -> None:
    ANSWERS.labels(answer_kind(utter_action), language or UNKNOWN).inc()


def may_read(peer: str, headers: Mapping[str, str]) -> bool:
    """This machine itself may read the metrics; anyone else needs METRICS_TOKEN."""
    token = get_settings().metrics_token
    if token:
        given = (headers.get("Authorization") or "").encode("utf-8", "replace")
        if hmac.compare_digest(given, f"Bearer {token}".encode()):
            return True
    return is_local_caller(peer, headers)


def exposition() -> tuple[bytes, str]:
    """The process's metrics in Prometheus's text format, and its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
