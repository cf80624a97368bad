"""How sure the bot is of what a message asks: the rules behind «answer only when sure».

Used by the NLU component `bot.nlu.certainty.TopicCertainty`, which replaces Rasa's
FallbackClassifier. Rasa's classifier looks only at the intent's confidence, so a message that
DIET calls `faq` with confidence 0.9 got a topic answer even when the choice of answer was torn
between five. Here an answer is given only when the answer itself is likely: the `faq`
confidence times the answer library's confidence in its best answer (bot/nlu/library.py), with a
lead over the next, and when what the message names is a word of that answer (`shares_a_word`).

A message that is only a name (or «jeg heter …» and a name), a signature, contact details, an
address, a date or a number never gets a topic answer: it becomes `no_question`, and the bot asks
what it is about. Nor does a single word («Kari», «parkering», «skatt»), however sure the model
is: a word alone does not say what the citizen wants to know about it, so the bot asks, offering
the topics the word may point to as buttons. A topic's own label, in any language (a pressed
«Mente du …?» button, or «Legevakt» typed), is always answered.

A status lookup needs a case: a reference, or words about something the citizen sent («saken
min», «søknaden», «the form I sent»). «Hvor lang tid tar det?» or «how fast do you usually
answer?» read as `case_status` asks how long a service takes: it becomes `follow_up`, answered for
the topic just answered (or with «what is it about?»), never as a status lookup.

A greeting, thanks, goodbye, yes or no that DIET is unsure of, in a message that asks a question
(«are there evening classes?» read as a greeting), is read as a question the bot is not sure of;
right after a topic answer that makes it a follow-up on that topic (bot/replies.py). «And for
adults?», «og for pensjonister?» ask the same again for another group: a follow-up, whatever
service DIET reads into the group's name. A question on a condition («hva om de sier nei?», «what
if someone gets hurt?») is a follow-up too, when DIET read it as a yes, a no, or another
intent it is unsure of.

The thresholds were chosen on a calibration set held out from training and from the test sets
(tests/calibration/, `python -m bench.calibrate`); README, «Knowing what it does not know».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from bot.answers import live
from bot.answers.live import STEM_LETTERS
from bot.follow_up import Facet, asks_for_a_group, asks_only_a_facet, facet_of, subject_words
from bot.pii import MASK
from bot.safety import SAFETY_INTENTS
from bot.safety.classifier import asks_question, asks_something
from bot.topics import FAQ_INTENT, TOPICS, answer_key, topic_by_label

FALLBACK_INTENT = "nlu_fallback"
TOPIC_SURE = "topic_sure"  # in the parse data: whether the best topic passed `sure_of_topic`
NO_QUESTION_INTENT = "no_question"
FOLLOW_UP_INTENT = "follow_up"
CASE_STATUS_INTENT = "case_status"
GREET_INTENT = "greet"
# Intents that are no topic answer, so a message with them needs no topic certainty.
UNSURE_INTENTS = frozenset({FALLBACK_INTENT, NO_QUESTION_INTENT, "out_of_scope", FOLLOW_UP_INTENT})
# Intents a single word may well have: «hei», «takk», «ja», «nei», «avbryt», «hjelp».
SHORT_INTENTS = frozenset(
    {
        "greet",
        "goodbye",
        "thanks",
        "affirm",
        "deny",
        "cancel",
        "bot_challenge",
        "human_handoff",
        "switch_language",
        "other_language",
        "change_details",
        "case_status",
    }
)


# A signature («Mvh Kari Hansen») is no question whatever the classifiers read, unless it thanks;
# a name («my name is Ahmed Hassan», read as `change_details` or another language) unless it greets.
SIGN_OFF_INTENTS = frozenset({"thanks", "goodbye"})
_KEEPS_INTENT = {"signature": SIGN_OFF_INTENTS, "name": SIGN_OFF_INTENTS | {"greet"}}


@dataclass(frozen=True)
class Thresholds:
    """Chosen on the calibration set; see the module docstring."""

    topic: float = 0.4  # faq confidence × the library's confidence in its best answer
    topic_lead: float = 0.1  # the best topic's lead over the second, on the same scale
    intent: float = 0.4  # any other intent's confidence
    choice: float = 0.08  # a topic's confidence to be offered as a «Mente du …?» button …
    choice_share: float = 0.25  # … and at least this share of the best topic's
    switch: float = 0.35  # a topic named in a follow-up («og barnehage da?») that switches to it
    # A short question read as another topic, right after a topic answer: from here it is that
    # topic («hvordan får jeg fastlege?»); below, more of the topic just answered («hvor mye kan jeg
    # låne maks?» after the start loan, read as the library's for its «låne»). bot.replies.
    stay: float = 0.5
    # An `out_of_scope` reading from which a short message right after a topic answer is a new
    # question («hvordan får jeg fastlege?»), not a follow-up («who books it, me or you?»).
    new_question: float = 0.95
    # DIET's own safety intents, when the safety layer (placed after, with patterns and its own
    # classifier) finds nothing: trusted only when DIET is all but sure.
    diet_safety: float = 0.8
    # A greeting, thanks, goodbye, yes or no that asks something of several words: trusted from here.
    # Below it the question is what counts («are there evening classes?» read as a greeting, 0.46).
    chat_question: float = 0.7


THRESHOLDS = Thresholds()

_EMAIL = re.compile(r"^[^\s@]{1,64}@[^\s@]{1,255}\.\w+$")
# A number or date behind the word that names it, as copied from a letter or a form: «Fødselsdato
# 04.07.1956», «Fakturanummer 700123984», «Kundenr: 4471» (not «økonomiplan 2026-2029»).
_LABELLED_NUMBER = re.compile(
    r"^(?:[^\W\d_]{0,20}(?:nr|nummer|numer|dato|number|no|date)|tlf|telefon|tel|mob|mobil|phone|født|fødd|born|"
    r"ref|konto|orgnr|gnr|bnr)\.?:?\s*\d[\d\s+().,:/%-]*$",
    re.IGNORECASE,
)
_NUMBERISH = re.compile(r"^[\d\s+().,:/%-]*\d[\d\s+().,:/%-]*(?:kr|kroner|nok)?\.?$", re.IGNORECASE)
_DATE_WORDS = re.compile(
    r"^(?:(?:på |neste |i |om )?(?:mandag|tirsdag|tysdag|onsdag|torsdag|fredag|lørdag|laurdag|søndag|sundag|"
    r"i dag|i morgen|i morgon|i går|monday|tuesday|wednesday|thursday|friday|saturday|sunday|today|tomorrow)"
    r"|kl\.? ?\d.*|\d{1,2}\.? ?(?:jan|feb|mar|apr|mai|may|jun|jul|aug|sep|okt|oct|nov|des|dec)\w*\.?(?: \d{2,4})?)$",
    re.IGNORECASE,
)
# Bounded runs (an e-mail address's parts have maximum lengths), so that a long word costs linear time.
_CONTACT = re.compile(r"[^\s@]{1,64} ?@ ?[^\s@]{1,255} ?\. ?\w+|(?:\+47)?[ \d]{8,}")
_ADDRESS = re.compile(
    r"^(?:[\w.-]+ ){0,3}[\w.-]*(?:gata|gate|gaten|veien|vegen|vei|veg|allé|alle|plass|stien|torget|bakken|"
    r"street|road|lane)\s*\d+\s*\w?\b.*$|^postboks\s*\d+",
    re.IGNORECASE,
)
_SIGNATURE = re.compile(
    r"^(?:--|(?:mvh|m\.v\.h\.?|med vennlig hilsen|med vennleg helsing|vennlig hilsen|vennleg helsing|beste hilsen|"
    r"hilsen|helsing|best regards|kind regards|regards|yours sincerely|sincerely|cheers)\b)[\s,.:-]*[^?]{0,100}$",
    re.IGNORECASE,
)
_QUESTION_WORD = re.compile(
    r"\b(?:hva|kva|ka|hvordan|korleis|koss|når|kor|hvor|hvorfor|kvifor|kan|what|how|when|where|why|can)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[A-ZÆØÅÉ][a-zæøåéäöü]+(?:[- ][A-ZÆØÅÉ][a-zæøåéäöü]+){0,3}$")
# A name introduced and nothing more: «mitt navn er Sigrid Haugland», «eg heiter Torbjørn Vik»,
# «my name is Ahmed Yusuf Hassan». The name may be typed in lower case; up to four name words.
_INTRODUCTION = re.compile(
    r"^(?:hei[,!.]? |hallo[,!.]? |hi[,!.]? |hello[,!.]? )?"
    r"(?:mitt navn er|mitt namn er|navnet mitt er|namnet mitt er|jeg heter|jeg heiter|eg heiter|eg heter|"
    r"e heite|æ heite|my name is|my name's) "
    # not words that tell of a problem with the name («mitt navn er feilstavet»): that is a question
    r"(?!.{0,80}\b(?:feil\w*|stave\w*|skreve\w*|skrive\w*|endr\w*|registrer\w*|ikke|ikkje|wrong|spel\w*|"
    r"misspel\w*|incorrect|chang\w*|not|missing|borte)\b)"
    r"[^\W\d_]+(?:[- ][^\W\d_]+){0,3}[.!]?$",
    re.IGNORECASE,
)
_WORD = re.compile(r"^[^\W\d_]+(?:-[^\W\d_]+)?[.!?]*$")
# Words shorter than this («by», «fly») name too little to tell an answer's subject from another's.
_SUBJECT_LETTERS = 3
# Verbs that name no subject: «korleis søkjer eg om å vere med i kvalifiseringsprogrammet?».
_VERBS = frozenset({"være", "vere", "bli", "gjøre", "gjere"})
# Intents that never ask about a service: a message of theirs that asks a question is likely misread.
_CHAT_INTENTS = frozenset({"greet", "goodbye", "thanks", "affirm", "deny"})


_CASE_WORDS = re.compile(
    r"\b(?:sak|saka|saken|saker|saksnummer\w*|søknad\w*|henvendels\w*|melding\w*|skjema\w*|brev\w*|klage\w*|"
    r"referanse\w*|sendt|sende|sendte|levert\w*|hørt|høyrt|case|application|request|message|form|letter|"
    r"complaint|reference|sent|submitted|heard|hear back|fra dere|frå dykk|fra dokker|frå dokke|sk[- ]?\d+)\b",
    re.IGNORECASE,
)


# Words that ask how something sent in is going, without naming it: «når får jeg svar», «sjekk status».
_STATUS_WORDS = re.compile(
    r"\b(?:svar\w*|status|behandl\w*|saksbehandl\w*|handsam\w*|venter|ventar|nytt|oppdater\w*|sjekk\w*|"
    r"sett på|sjå på|reply|replied|answer\w*|caseworker|process\w*|update\w*|news|waiting|check\w*|looked at)\b",
    re.IGNORECASE,
)


# «hello, what are your opening hours please», «hei! når stenger dere?»: a greeting, then the rest.
_GREETING_FIRST = re.compile(
    r"^(?:hei|hallo|heisann|hey|hi|hello|god morgen|god dag|god kveld|good morning|good afternoon|good evening)\b"
    r"[\s,.!:;-]*(?P<rest>\S.*)$",
    re.IGNORECASE,
)
# «takk, men hvem ringer jeg?»: a thanks, then the question that matters.
_THANKS_BUT = re.compile(
    r"^(?:tusen |mange )?(?:takk|takker|thanks|thank you|thx)\b[\s,.!]*(?:men|but)\s+(?P<rest>.+)$", re.IGNORECASE
)
# «hva om de sier nei?», «what if they say yes?»: a question on a condition, not a yes or a no.
_CONDITIONAL = re.compile(
    r"^(?:hva om|kva om|ka om|hva hvis|kva viss|ka viss|what if|og hvis|og om|and if)\b", re.IGNORECASE
)


# How or where to send something not yet sent: «hvor sender jeg søknaden?», «how do I submit it?»,
# «må naboene få beskjed før jeg sender søknaden?».
_HOW_TO_SEND = re.compile(
    r"\b(?:hvor|hvordan|kvar|korleis|kor|koss|åssen|where|how)\b.{0,20}"
    r"\b(?:sender|send|søker|søkjer|leverer|leverar|submit|apply|hand in)\b(?!.{0,40}\b(?:sendte|sent|sendt|levert)\b)|"
    r"\b(?:før|innan|innen|before) (?:jeg|eg|æ|vi|me|i|we) (?:sender|send|søker|søkjer|leverer|submit|apply)\b",
    re.IGNORECASE,
)


def _names_a_case(parse_data: dict[str, Any], text: str) -> bool:
    entities = parse_data.get("entities") or []
    return any(e.get("entity") == "case_reference" for e in entities) or bool(_CASE_WORDS.search(text))


def shape_without_question(text: str) -> str | None:
    """Which kind of no-question message this is by its form alone, or None."""
    had_mask = MASK in (text or "")
    text = " ".join((text or "").replace(MASK, " ").split())
    if not text:
        return "mask" if had_mask else None
    if _SIGNATURE.match(text) and len(text.split()) <= 10 and not _QUESTION_WORD.search(text):
        return "signature"
    if _EMAIL.match(text):
        return "email"
    if _NUMBERISH.match(text):
        return "number"
    if len(text.split()) <= 8 and "?" not in text and _CONTACT.search(text):
        return "contact"
    if len(text.split()) <= 6 and _ADDRESS.match(text):
        return "address"
    if _DATE_WORDS.match(text):
        return "date"
    if _LABELLED_NUMBER.match(text):
        return "number"
    if (bare_name(text) and " " in text) or _INTRODUCTION.match(text):
        return "name"
    if _WORD.match(text):
        return "word"
    return None


def bare_name(text: str) -> bool:
    """«Ole Johan Haugen-Berg»: capitalised name words and nothing else, which tell no language."""
    return bool(_NAME.match(" ".join((text or "").split())))


def question_confidence(parse_data: dict[str, Any]) -> float:
    """How likely the message asks about a service: DIET's `faq` confidence, and its greeting's.

    «hello, what are your opening hours please» greets and asks at once, and DIET splits its
    confidence between the two (`faq` 0.61, `greet` 0.36). When `faq` leads, the greeting's share
    counts for the question too; a greeting alone («hei», `greet` first) gets none of it.
    """
    scores = {item.get("name"): float(item.get("confidence") or 0.0) for item in parse_data.get("intent_ranking") or []}
    faq, greeting = scores.get(FAQ_INTENT, 0.0), scores.get(GREET_INTENT, 0.0)
    if faq > greeting or greets_then_asks(str(parse_data.get("text") or "")):
        return min(1.0, faq + greeting)
    return faq


def greets_then_asks(text: str) -> bool:
    """«hello, what are your opening hours please»: a greeting, then a question (without a «?»)."""
    found = _GREETING_FIRST.match(" ".join((text or "").split()))
    return bool(found) and asks_something(found.group("rest"))


def ranked_topics(parse_data: dict[str, Any]) -> list[tuple[str, float]]:
    """Topics ranked by confidence: the question's confidence is split over the selector's sub-topics."""
    if not any(item.get("name") == FAQ_INTENT for item in parse_data.get("intent_ranking") or []):
        return []
    confidence = question_confidence(parse_data)
    selector = (parse_data.get("response_selector") or {}).get(FAQ_INTENT) or {}
    ranking = [
        (key, confidence * float(sub.get("confidence") or 0.0))
        for sub in selector.get("ranking") or []
        if (key := sub.get("intent_response_key")) in TOPICS
    ]
    return sorted(ranking, key=lambda pair: pair[1], reverse=True)


def sure_enough(confidences: list[float], thresholds: Thresholds = THRESHOLDS) -> bool:
    """Whether the best of a ranking, best first, is likely enough, and ahead of the next, to answer."""
    if not confidences:
        return False
    best = confidences[0]
    second = confidences[1] if len(confidences) > 1 else 0.0
    return best >= thresholds.topic and best - second >= thresholds.topic_lead


def sure_of_topic(parse_data: dict[str, Any], thresholds: Thresholds = THRESHOLDS) -> bool:
    """Whether the message's best topic is likely enough, and ahead of the next, to answer."""
    return sure_enough([confidence for _, confidence in ranked_topics(parse_data)[:2]], thresholds)


def shares_a_word(text: str, topic: str) -> bool:
    """Whether what the message names is a word of the topic's answer (its titles and examples).

    «Når er apoteket på Amfi åpent på søndager?» is the service office's opening hours to the
    library, by its «åpent» and «søndager»: but those words only ask when, and neither «apoteket»
    nor «Amfi» is a word of that answer. A word counts by its stem, or as part of one of the
    answer's compounds («endring» in «adresseendring»). A message that names nothing but a facet
    («når har dere åpent?»), or is too long to read so, shares enough.
    """
    named = [word for word in subject_words(text) or () if len(word) >= _SUBJECT_LETTERS and word not in _VERBS]
    if not named:
        return True
    words, stems = live.library().snapshot().words.get(answer_key(topic) or "", (frozenset(), frozenset()))
    return any(
        word[:STEM_LETTERS] in stems or (len(word) > STEM_LETTERS and any(word in own for own in words))
        for word in named
    )


def _answerable(parse_data: dict[str, Any], thresholds: Thresholds) -> bool:
    """Whether the message's best topic is sure enough, and what the message names a word of it."""
    text = str(parse_data.get("text") or "")
    return sure_of_topic(parse_data, thresholds) and shares_a_word(text, ranked_topics(parse_data)[0][0])


def decide(parse_data: dict[str, Any], thresholds: Thresholds = THRESHOLDS) -> str | None:
    """The intent the message should get instead of the classifier's, or None to keep it."""
    intent = parse_data.get("intent") or {}
    name, confidence = intent.get("name"), float(intent.get("confidence") or 0.0)
    text = str(parse_data.get("text") or "")
    if text.startswith("/"):
        return None  # a button's payload names its intent
    if name == FAQ_INTENT and topic_by_label(text) in TOPICS:
        return None  # a pressed «Mente du …?» button, or its words typed
    shape = shape_without_question(text)
    if shape and (name not in SHORT_INTENTS or (shape in _KEEPS_INTENT and name not in _KEEPS_INTENT[shape])):
        return NO_QUESTION_INTENT if name != NO_QUESTION_INTENT else None
    if name in UNSURE_INTENTS:
        return None
    if _CONDITIONAL.search(text.strip()) and (
        name in ("affirm", "deny") or (name not in SAFETY_INTENTS and confidence < thresholds.chat_question)
    ):
        # DIET read «nei» in «hva om de sier nei?» as a no, or «what if someone gets hurt» as a wish
        # to talk to a person: a question on a condition, about what was just answered.
        return FOLLOW_UP_INTENT
    thanked = _THANKS_BUT.match(text.strip())
    if name in SIGN_OFF_INTENTS and thanked and asks_question(thanked.group("rest")):
        return FOLLOW_UP_INTENT  # the question after the thanks is what the citizen wants answered
    if name == CASE_STATUS_INTENT and _HOW_TO_SEND.search(text) and not _STATUS_WORDS.search(text):
        return FOLLOW_UP_INTENT  # «hvor sender jeg søknaden?» asks how to apply, not how a case is going
    if name == CASE_STATUS_INTENT and not _names_a_case(parse_data, text):
        if facet_of(text) is Facet.PROCESSING_TIME:
            return FOLLOW_UP_INTENT  # «hvor lang tid tar det?»: how long a service takes, not a case's status
        if not _STATUS_WORDS.search(text):
            return FALLBACK_INTENT  # names no case and asks for no status: not a status lookup
    if name == FAQ_INTENT and asks_for_a_group(text):
        return FOLLOW_UP_INTENT  # «and for adults?» after swimming lessons asks about them for adults
    if name == FAQ_INTENT and asks_only_a_facet(text):
        # «når har de åpent?» names no service: after the library's answer on the recycling station
        # it asks about that station, not about the service office's hours (bot.replies.follow_up).
        return FOLLOW_UP_INTENT
    if name == FAQ_INTENT:
        return None if _answerable(parse_data, thresholds) else FALLBACK_INTENT
    if name in SAFETY_INTENTS:
        return None if confidence >= thresholds.diet_safety else FALLBACK_INTENT
    chat_question = name in _CHAT_INTENTS and confidence < thresholds.chat_question
    if chat_question and name == GREET_INTENT and greets_then_asks(text):
        # DIET split «hello, what are your opening hours please» between the greeting (0.57) and
        # the question (0.35): the question counts (`question_confidence`), answered when sure.
        return FAQ_INTENT if _answerable(parse_data, thresholds) else FALLBACK_INTENT
    if chat_question and len(text.split()) > 1 and asks_something(text):
        return FALLBACK_INTENT  # «må vi ha vakter?» read as a goodbye: a question, answered as one (bot.replies)
    return None if confidence >= thresholds.intent else FALLBACK_INTENT
