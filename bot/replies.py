"""What the bot answers when it is not sure, when there is no question, and to follow-ups.

Pure functions over Rasa's parse data and a conversation's events (JSON dicts), used by the thin
actions in `actions/`. They return a `Reply`: which response of domain.yml to give, with what.

- Not sure of the topic (`nlu_fallback`): two or three close topics → «Mente du …?» with them as
  buttons; a short elliptic follow-up («og glass?») after a topic answer → more on that topic;
  otherwise → «I don't know» with the website search, the office's phone and the offer of a person.
- Out of scope → «I don't know». No question in the message → «what is it about?» (a single
  word that points to topics → those topics as buttons).
- A follow-up («hva koster det?») → that facet of the topic just answered; naming another topic
  switches to it; with no topic answered yet, the bot asks which service it is about. A short
  question right after a topic answer that the library reads, not very surely, as another topic
  is a follow-up too (`question_in_context`, used by the NLG for `utter_faq`).
- After several misses in a row, the offer of a person.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from bot.answers.vocabulary import FEEDBACK_INTENT, PART_OF_FACET
from bot.certainty import (
    FOLLOW_UP_INTENT,
    NO_QUESTION_INTENT,
    THRESHOLDS,
    TOPIC_SURE,
    Thresholds,
    ranked_topics,
    shape_without_question,
    sure_of_topic,
)
from bot.follow_up import Facet, asks_for_a_group, asks_only_a_facet, facet_of
from bot.safety import BY_PATTERN, SafetyKind
from bot.safety.classifier import asks_something
from bot.safety.patterns import VIOLENCE_AT_HOME_RE, normalise
from bot.topics import FAQ_INTENT, TOPICS, label, topic_by_label, topic_key

MISS_INTENTS = frozenset({"nlu_fallback", "out_of_scope", NO_QUESTION_INTENT})
# User intents after which «hva koster det?» still belongs to the topic answered before them.
_KEEPS_TOPIC = frozenset(
    {FOLLOW_UP_INTENT, "thanks", "affirm", "deny", "greet", "switch_language", FAQ_INTENT, FEEDBACK_INTENT}
)
# Safety answers that stand for a topic of the library: after «ring legevakten på 116 117»,
# «hva koster det?» or «må jeg ringe først?» asks about the legevakt (when that answer is published).
_TOPIC_OF_RESPONSE = {"utter_urgent_health": topic_key("out_of_hours_clinic")}
# After the emergency numbers, violence from a partner or the family gets the crisis centre's answer.
_VIOLENCE_AT_HOME_TOPIC = topic_key("domestic_violence_shelter")
MAX_CHOICES = 3
MISSES_BEFORE_OFFER = 3
_ELLIPTIC = re.compile(
    r"^(?:og|å|and|men|but|enn|hva med|kva med|ka med|hva om|kva om|hva hvis|kva viss|what about|what if|"
    r"også|òg|samme med|gjelder det|gjeld det|hvis|viss|om)\b",
    re.IGNORECASE,
)
_SHORT_WORDS = 10  # a follow-up is short; a longer message is read on its own
# «og helsestasjonen, når har den åpent?», «and the pool, when is it open?»: an elliptic start that
# brings in a subject of its own, then asks about it. Unless that subject is a topic the bot knows
# (then it switches to it), it is a new question, not more of the topic just answered.
# A subject that belongs to the citizen («og kona mi, må hun også melde flytting?») is a person or
# thing in the same matter, not a new service.
# The subject must hold a word; that is checked on the group, since «[^,?]*\w[^,?]*» backtracks
# quadratically on a long message without a comma.
_NEW_SUBJECT = re.compile(rf"{_ELLIPTIC.pattern}([^,?]*),\s*\S.*\?\s*$", re.IGNORECASE)
_HAS_WORD = re.compile(r"\w")
_OWN = re.compile(
    r"\b(?:min|mi|mitt|mine|vår|vårt|våre|my|our|his|her|their|hans|hennes|dykkar|deres|sin|si|sitt)\b", re.I
)
# Words that point back to what was just answered: «can we choose which one?», «må eg ta kurs for
# det?» is ambiguous (det is also a dummy subject), so only the unambiguous ones count.
_POINTS_BACK = re.compile(
    r"\b(?:it|its|them|they|those|these|that|this|which one|the same|(?<!is )(?<!are )there|"
    r"den|dem|dei|dit|denne|dette|disse|samme|same|slik|sånn|(?<!er )der)\b",
    re.IGNORECASE,
)
# «mer info», «tell me more», «kan du forklare»: asks for more of what was just answered.
_MORE = re.compile(
    r"\b(?:mer|meir|more|detaljer|details|info|informasjon|information|utdyp\w*|forklar\w*|explain\w*)\b",
    re.IGNORECASE,
)
# Shapes that are no follow-up even right after a topic answer: contact details, a name, a number.
_NOT_FOLLOW_UP_SHAPES = frozenset({"email", "contact", "number", "address", "name", "signature", "mask"})


@dataclass(frozen=True)
class Reply:
    """A response to give; `topics` are «Mente du …?» choices; `topic` is the topic it is about."""

    response: str
    miss_kind: str | None = None
    topics: tuple[str, ...] = ()
    topic: str | None = None
    extra: dict[str, str] = field(default_factory=dict)


def _intent(parse_data: dict[str, Any]) -> str:
    return str((parse_data.get("intent") or {}).get("name") or "")


def _session(events: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events of the current session (after the last `session_started`)."""
    events = list(events)
    for index in range(len(events) - 1, -1, -1):
        if events[index].get("event") == "session_started":
            return events[index + 1 :]
    return events


def last_topic(events: Sequence[dict[str, Any]]) -> str | None:
    """The topic the bot answered last in this session, before the latest user message.

    A follow-up belongs to it unless the citizen asked about something else in between.
    """
    session = _session(events)
    users = [i for i, e in enumerate(session) if e.get("event") == "user"]
    if users:
        session = session[: users[-1]]  # leave out the message being answered
    for event in reversed(session):
        kind = event.get("event")
        if kind == "bot":
            metadata = event.get("metadata") or {}
            key = metadata.get("topic_key")
            action = str(metadata.get("utter_action") or "")
            if not key and action.startswith("utter_faq/"):
                key = action[len("utter_") :]
            key = key or _TOPIC_OF_RESPONSE.get(action)
            if key in TOPICS:
                return key
        elif kind == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name")
            if intent not in _KEEPS_TOPIC:
                return None
    return None


# Steps of a form that ask for the citizen's own details, and the slot that marks a detail the bot
# did not recognise: a question the bot is sure of, typed there, is answered instead of being
# taken as the name, the phone number or the case reference (`answers_instead_of_detail`).
DETAIL_SLOTS: dict[str, str | None] = {
    "contact_name": None,
    "contact_method": "contact_invalid",
    "status_reference": "status_reference_invalid",
    "status_contact": "status_contact_invalid",
}


def answers_instead_of_detail(requested_slot: str | None, parse_data: dict[str, Any]) -> bool:
    """Whether a form that asked for a detail should answer the message as a question instead.

    A form takes any text as the detail it asked for; without this, «Må jeg måke fortauet?»
    became the citizen's name and every question after it a phone number the bot did not
    recognise, for as long as the citizen kept asking.
    """
    return requested_slot in DETAIL_SLOTS and _intent(parse_data) == FAQ_INTENT


def _gives(event: dict[str, Any], response: str) -> bool:
    return event.get("event") == "bot" and (event.get("metadata") or {}).get("utter_action") == response


# A form that asked for a detail answers a question instead and asks again. After this many
# questions in a row the citizen has moved on: the form stops asking, and sends or looks up nothing.
QUESTIONS_BEFORE_LEAVING_FORM = 2


def questions_in_a_row_in_form(events: Sequence[dict[str, Any]]) -> int:
    """How many of the citizen's latest messages in the active form, in a row, it answered as
    questions instead of taking the detail it asked for, counting the latest message as one.

    Called when the latest message is such a question; a message the bot gave a topic answer
    (`utter_faq`) after counts, and the count starts over at the form's start.
    """
    events = list(events)
    start = max((i for i, e in enumerate(events) if e.get("event") == "active_loop" and e.get("name")), default=-1)
    answered: list[bool] = []
    for event in events[start + 1 :]:
        if event.get("event") == "user":
            answered.append(False)
        elif answered and _gives(event, "utter_faq"):
            answered[-1] = True
    count = 1
    for was_answered in reversed(answered[:-1]):
        if not was_answered:
            break
        count += 1
    return count


def said_since_last_message(events: Sequence[dict[str, Any]], response: str) -> bool:
    """Whether the bot gave `response` after the citizen's latest message."""
    for event in reversed(list(events)):
        if event.get("event") == "user":
            return False
        if _gives(event, response):
            return True
    return False


def topic_link(topic: str) -> str:
    return TOPICS[topic].link()


def consecutive_misses(events: Sequence[dict[str, Any]]) -> int:
    """How many of the latest user messages in a row the bot did not understand."""
    count = 0
    for event in reversed([e for e in _session(events) if e.get("event") == "user"]):
        if ((event.get("parse_data") or {}).get("intent") or {}).get("name") not in MISS_INTENTS:
            break
        count += 1
    return count


def close_topics(parse_data: dict[str, Any], thresholds: Thresholds = THRESHOLDS) -> tuple[str, ...]:
    """Up to three topics the message may be about, best first."""
    ranking = ranked_topics(parse_data)
    if not ranking:
        return ()
    best = ranking[0][1]
    return tuple(
        topic for topic, p in ranking[:MAX_CHOICES] if p >= thresholds.choice and p >= best * thresholds.choice_share
    )


def _is_elliptic(text: str) -> bool:
    return bool(_ELLIPTIC.match(text.strip()))


def _brings_new_subject(text: str) -> bool:
    match = _NEW_SUBJECT.match(text.strip())
    if not match or not _HAS_WORD.search(match.group(1)) or _OWN.search(match.group(1)):
        return False
    return facet_of(match.group(1)) is Facet.MORE  # «og for pensjonister, blir det dyrt?» asks who, of the same


def _points_back(text: str) -> bool:
    """A short question with a word that points back to the topic just answered."""
    text = text.strip()
    return len(text.split()) <= 8 and text.endswith("?") and bool(_POINTS_BACK.search(text))


def _names_something_else(text: str) -> bool:
    """Words that neither ask, nor point back, nor ask for more: «tannlege for born», «water and rubbish bill»."""
    return not (asks_something(text) or _is_elliptic(text) or _points_back(text) or _MORE.search(text))


# The library's answer on appeals in general: «kan jeg klage?» after an answer with no part on appeals.
COMPLAINT_TOPIC = topic_key("complaint")


def follow_up_reply(topic: str, text: str) -> Reply:
    """That facet of the topic: its part, or where to find it (the NLG chooses, bot/nlg.py).

    «Kan jeg klage?» after an answer that says nothing on appeals gets the answer on appeals in
    general, with its deadline («som regel tre uker»), rather than only a link; an answer whose
    rules differ (six weeks for property tax) has a part of its own for it.
    """
    facet = facet_of(text)
    if facet is Facet.COMPLAINT and topic != COMPLAINT_TOPIC and COMPLAINT_TOPIC in TOPICS:
        answer = TOPICS.get(topic)
        if answer is None or PART_OF_FACET[facet.value] not in answer.doc.parts:
            return answer_topic(COMPLAINT_TOPIC)
    return Reply(f"utter_follow_up_{facet.value}", topic=topic)


def response_values(reply: Reply, language: str) -> dict[str, Any]:
    """What a reply's response is filled in with: its topic's name in `language`, key and link."""
    if not reply.topic:
        return {}
    values = {"topic": label(reply.topic, language), "topic_key": reply.topic}
    if reply.response.startswith("utter_follow_up_"):
        values["topic_link"] = topic_link(reply.topic)
    return values


def answer_topic(topic: str) -> Reply:
    return Reply(f"utter_{topic}", topic=topic)


def in_context(
    parse_data: dict[str, Any], events: Sequence[dict[str, Any]], thresholds: Thresholds = THRESHOLDS
) -> Reply | None:
    """A short message read as a follow-up on the topic just answered, when it can be one.

    Right after a topic answer, a short message the bot is not sure of («holder det med en
    erklæring fra fysioterapeuten?», «who books it, me or you?») is most likely about that topic,
    and so is one the classifier calls a follow-up. Not one that is a clear question about a
    service the bot does not cover (`out_of_scope` at `Thresholds.new_question`: «hvordan får jeg
    fastlege?») unless it points back («can we choose which one?»), contact details, a name or a
    signature, a single word unless it starts like a follow-up («og glass?»), asks about a facet or
    points to that topic, an elliptic start with a subject of its own («og startlån, kan eg få
    det?»), or words that name something without asking about it, pointing back or asking for more
    («water and rubbish bill» after another answer). A topic it names clearly («og barnehage da?»)
    switches to that topic.
    """
    topic = last_topic(events)
    text = str(parse_data.get("text") or "")
    intent = _intent(parse_data)
    if topic is None or (intent != FOLLOW_UP_INTENT and len(text.split()) > _SHORT_WORDS):
        return None  # a longer message that the classifier does not call a follow-up is read on its own
    facet = facet_of(text)
    choices = close_topics(parse_data, thresholds)
    confidence = float((parse_data.get("intent") or {}).get("confidence") or 0.0)
    named = ranked_topics(parse_data)
    switch = named[0][0] if named and named[0][1] >= thresholds.switch and named[0][0] != topic else None
    if asks_only_a_facet(text) or asks_for_a_group(text):
        # «hvilke dokumenter trenger jeg?» asks about this topic, not about access to documents; «and for
        # adults?» after swimming lessons asks about them for adults, not about adult education.
        switch = None
    new_question = intent == "out_of_scope" and confidence >= thresholds.new_question
    if new_question and not (_is_elliptic(text) or _points_back(text)):
        return None  # a new question about something the bot does not cover
    if _brings_new_subject(text) and not switch:
        return None  # «og helsestasjonen, når har den åpent?»: a service of its own
    shape = shape_without_question(text)
    if shape in _NOT_FOLLOW_UP_SHAPES:
        return None
    if shape is not None and not (_is_elliptic(text) or facet is not Facet.MORE or topic in choices):
        return None  # a single word or a date that does not point back
    if switch:
        return answer_topic(switch)  # «og barnehage da?»
    if facet is Facet.MORE and topic not in choices and _names_something_else(text):
        return None  # «tannlege for born» after the pregnancy answer: a subject of its own, not more of that one
    if facet is Facet.MORE and choices[:1] == (topic,):
        return answer_topic(topic)  # «og glass?» after the waste answer: that answer again
    return follow_up_reply(topic, text)


def question_in_context(
    parse_data: dict[str, Any], events: Sequence[dict[str, Any]], thresholds: Thresholds = THRESHOLDS
) -> Reply | None:
    """A short question the library is fairly sure of, right after another topic's answer: more of that one?

    «hvor mye kan jeg låne maks?» after the start loan's answer reads as the library's (its
    «låne»), «når starter neste kurs?» after swimming lessons as starting a business (its
    «starter»). Right after a topic answer a short message is most likely about that topic, so
    another topic needs more certainty there (`Thresholds.stay`) than on its own. Below it the
    message is read as a follow-up (`in_context`, without switching); a topic's own label (a
    pressed «Mente du …?» button) is always answered. None: answer the topic the library chose.
    """
    topic = last_topic(events)
    text = str(parse_data.get("text") or "")
    if topic is None or len(text.split()) > _SHORT_WORDS or topic_by_label(text) in TOPICS:
        return None
    named = ranked_topics(parse_data)
    if not named or named[0][0] == topic or named[0][1] >= thresholds.stay:
        return None
    return in_context(parse_data, events, replace(thresholds, switch=math.inf))


def misunderstanding(
    parse_data: dict[str, Any], events: Sequence[dict[str, Any]], thresholds: Thresholds = THRESHOLDS
) -> Reply:
    """The answer to a message the bot is not sure of, that is out of scope, or asks nothing."""
    followed = in_context(parse_data, events, thresholds)
    if followed:
        return followed
    intent = _intent(parse_data)
    text = str(parse_data.get("text") or "")
    choices = close_topics(parse_data, thresholds)
    reply: Reply
    if intent == NO_QUESTION_INTENT:
        if shape_without_question(text) == "word" and choices:
            reply = Reply("utter_which_topic", "which_topic", choices)
        else:
            reply = Reply("utter_no_question", "no_question")
    elif intent == "nlu_fallback" and choices:
        reply = Reply("utter_which_topic", "which_topic", choices)
    else:
        reply = Reply("utter_dont_know", "dont_know")
    if reply.miss_kind != "dont_know" and consecutive_misses(events) >= MISSES_BEFORE_OFFER:
        return Reply("utter_offer_person", "offer_person")
    return reply


def _as_question(parse_data: dict[str, Any]) -> dict[str, Any]:
    """The parse as it reads when the message is taken as a question on a service: the library decides."""
    question = {"name": FAQ_INTENT, "confidence": 1.0}
    return {**parse_data, "intent": question, "intent_ranking": [question]}


def follow_up(
    parse_data: dict[str, Any], events: Sequence[dict[str, Any]], thresholds: Thresholds = THRESHOLDS
) -> Reply:
    """The answer to a short follow-up: the facet of the topic just answered.

    With no topic answered yet there is nothing to follow up, so the message is read as a question
    on a service: «hva gjør jeg hvis jeg ikke har bankid» (read as a follow-up for its «hva gjør
    jeg hvis», with almost nothing left for `faq`) gets its answer when the library is sure of it;
    otherwise the bot asks what it is about. Not «Mente du …?»: on the calibration set the answers
    close to such messages were unrelated («og så» → mental health). (The safety layer has read it.)
    """
    reply = in_context(parse_data, events, thresholds)
    if reply:
        return reply
    if last_topic(events) is None:
        question = _as_question(parse_data)
        if sure_of_topic(question, thresholds):
            return answer_topic(ranked_topics(question)[0][0])
    return Reply("utter_follow_up_no_topic")


def after_safety(parse_data: dict[str, Any], events: Sequence[dict[str, Any]] = ()) -> Reply | None:
    """What the bot says after the safety answer, if anything.

    A topic the message also asked about, when NLU was sure of it (`topic_sure`). And when only
    the classifier, not a pattern, found the safety case in a message that asks something, while
    DIET read it as an ordinary question it could not place, the answer it would have had («I
    don't know …», «Mente du …?»): if the alarm was false, it cost the citizen one line, not the
    answer. Violence from a partner or the family gets the crisis centre's answer, asked or not.
    Otherwise nothing: the safety answer stands alone.
    """
    text = str(parse_data.get("text") or "")
    if (
        _intent(parse_data) in (SafetyKind.EMERGENCY.intent, SafetyKind.SUICIDE_RISK.intent)
        and VIOLENCE_AT_HOME_RE.search(normalise(text))
        and _VIOLENCE_AT_HOME_TOPIC in TOPICS
    ):
        return answer_topic(_VIOLENCE_AT_HOME_TOPIC)
    ranking = [r for r in parse_data.get("intent_ranking") or [] if r.get("name") != _intent(parse_data)]
    if not ranking:
        return None
    if parse_data.get(TOPIC_SURE) and ranking[0].get("name") == "faq":
        return answer_topic(ranked_topics(parse_data)[0][0])
    by_classifier = parse_data.get(BY_PATTERN) is False
    if by_classifier and ranking[0].get("name") in MISS_INTENTS and asks_something(text):
        reply = misunderstanding({**parse_data, "intent": ranking[0], "intent_ranking": ranking}, events)
        return None if reply.miss_kind == "offer_person" else reply
    return None
