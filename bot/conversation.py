"""Reading a conversation's events for tickets: what a ticket is about, and one key per form submission.

Pure functions over Rasa's JSON event and parse-data dicts, used by the custom actions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any

from bot.safety import SAFETY_INTENTS
from bot.topics import FAQ_INTENT, OTHER_TOPIC, answer_key


def _user_events(events: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in events if e.get("event") == "user"]


def _topic_of(parse_data: dict[str, Any]) -> str | None:
    intent = (parse_data.get("intent") or {}).get("name")
    if intent == FAQ_INTENT:
        selector = (parse_data.get("response_selector") or {}).get(FAQ_INTENT) or {}
        key = (selector.get("response") or {}).get("intent_response_key") or ""
        return key if answer_key(key) else None  # the library's choice, even if archived since
    if intent in SAFETY_INTENTS or intent == "case_status":
        return intent
    return None


def ticket_topic(events: Iterable[dict[str, Any]], form: str, summary: str | None = None) -> str:
    """What a ticket is about, e.g. `faq/waste`, or `annet`.

    The citizen's own description counts first; otherwise the latest topic asked about before
    the form started. Answers typed into the form (a name, a phone number) never count.
    """
    events = list(events)
    if summary:
        for event in reversed(_user_events(events)):
            if event.get("text") == summary:
                topic = _topic_of(event.get("parse_data") or {})
                if topic:
                    return topic
                break
    starts = [i for i, e in enumerate(events) if e.get("event") == "active_loop" and e.get("name") == form]
    before_form = events[: starts[-1]] if starts else events
    for event in reversed(_user_events(before_form)):
        topic = _topic_of(event.get("parse_data") or {})
        if topic:
            return topic
    return OTHER_TOPIC


def submission_key(sender_id: str, events: Iterable[dict[str, Any]], form: str) -> str:
    """Same value for every retry of one form submission; new for the next submission.

    A submission starts when the form is activated. After a submit that failed (the slot
    `ticket_outcome` set to "failed": the database was down), the citizen's next try with the same
    form belongs to the same submission: a ticket whose commit went through while its answer was
    lost is then found, not made a second time.
    """
    started: Any = ""
    current_form = None
    retrying = False
    for event in events:
        kind = event.get("event")
        if kind == "active_loop" and event.get("name"):
            current_form = event["name"]
            if current_form == form and not retrying:
                started = event.get("timestamp")
        elif kind == "slot" and event.get("name") == "ticket_outcome" and current_form == form:
            retrying = event.get("value") == "failed"
    basis = f"{sender_id}|{form}|{started}"
    return hashlib.sha256(basis.encode()).hexdigest()
