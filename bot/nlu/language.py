"""Which language a message is written in: a non-trainable Rasa NLU component.

Implements Rasa's `GraphComponent` interface, placed after the classifiers in config.yml. For
each message it may add a `language` entity (nb, nn, en or another ISO 639-1 code), which the
`language` slot takes (domain.yml). It adds none when the message is too short or ambiguous, so
the conversation keeps its language until a confident guess or an explicit request changes it.

- «kan du svare på nynorsk», «English please», «på bokmål takk»: that language, and the intent
  becomes `switch_language`.
- Bokmål or nynorsk: langdetect cannot tell them apart, so marker words decide (eg/ikkje/kva …
  against jeg/ikke/hva …). Norwegian words also win over langdetect's Danish or Swedish guesses.
- Other text goes to langdetect (seeded, so the same text always gets the same answer). Scripts
  langdetect lacks are told by their letters: Ethiopic is Tigrinya (the language of most
  Ethiopic-script residents here), Cyrillic with і/ї/є/ґ is Ukrainian.
- A confident language other than Norwegian or English makes the intent `other_language`: the
  bot answers with a short notice in that language and offers contact with an interpreter.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.certainty import bare_name, shape_without_question
from bot.nlu.intents import RuleBasedIntentClassifier, override_intent
from bot.pii import MASK

LANGUAGE_ENTITY = "language"
SWITCH_INTENT = "switch_language"
OTHER_INTENT = "other_language"
ANSWERED = {"nb", "nn", "en"}

_WORDS = re.compile(r"[^\W\d_]+", re.UNICODE)
# Words that only one of the two written standards uses (pairs: ikkje/ikke, kva/hva, …). Words
# both use, or that English, Danish, Swedish or French share (en, et, min, me), are left out.
NYNORSK = frozenset(
    "eg ikkje ikkj kva korleis kvifor kven kvar kor frå berre noko nokon nokre mykje heime vere "
    "vore kome kjem hjå sjå gjere gjer òg ein eit dykk dykkar sjølv veke skule søkje fekk seier "
    "tenkjer høyrer kvart ynskjer ønskjer treng difor hjelpa heiter bur ho vert eige eigen eigne".split()
)
BOKMAL = frozenset(
    "jeg ikke hva hvordan hvorfor hvem hvor fra bare noe noen mye hjemme være vært komme kommer "
    "hos gjøre gjør også dere deres selv uke skole søke fikk sier tenker hører hvert ønsker "
    "trenger hvilken hvilket hvilke derfor hjelpe heter bor hun eget egen egne".split()
)
ENGLISH = frozenset(
    "the is are my i you your what how where when can could please do does to for and with "
    "need want help hello hi thanks thank will would should have has this that there it "
    "get got about pay apply me someone somebody call not working doesnt dont isnt job price "
    "people just stop here again time some any our we they he she his her was were been cant can't login log".split()
)
# Words of ENGLISH that Norwegian writes too («i dag», «for barn», «to timer», «her», «login»).
SHARED_WITH_NORWEGIAN = frozenset("i is for her time to me and hi job login log".split())
# Norwegian function words that no language langdetect confuses with Norwegian uses the same way.
NORWEGIAN_COMMON = frozenset(
    "er det og på til med som har kan ikke ikkje jeg eg ein eit vi meg deg seg sant hei takk nei "
    "ka kor æ te oss dere dokker dykk".split()
)
# Languages langdetect may name for a Latin-script message that is not English or Norwegian.
# Others it names for short English or Norwegian text (Afrikaans, Catalan, Dutch, Welsh,
# Indonesian …) are not trusted.
LATIN_SCRIPT_LANGUAGES = frozenset("pl lt so de fr es it pt tr ro vi tl hr lv et sq sw fi hu cs sk sl".split())

# «svar på», «kan du skrive», «do you speak» … followed by the language's name.
_VERB = (
    r"\b(?:svar\w*|skriv\w*|snakk\w*|prat\w*|speak|write|answer|understand|forstår)"
    r"\s+(?:(?:du|you|me|oss|us|we)\s+)?(?:(?:på|paa|in|i|to)\s+)?"
)
# «på engelsk?», «switch to Norwegian please»: a preposition, then the language's name last. Not
# «classes in Norwegian for adults» nor «kurs i engelsk»: those ask about a course, not for a language.
_PREPOSITION = (
    r"(?<!class )(?<!classes )(?<!course )(?<!courses )(?<!lessons )(?<!kurs )(?<!kurset )(?<!opplæring )"
    r"(?<!undervisning )(?<!test )(?<!exam )(?<!prøve )\b(?:in|på|paa|i|to)\s+"
)
_LAST = r"\s*(?:,?\s*(?:please|pls|plz|takk|thanks|thank you))?\W*$"
# A request for a language: «på nynorsk», «English please», «kan du svare på engelsk». A
# language named after a negation («jeg snakker ikke engelsk», «my norwegian is not good») is not.
_ASKS = [
    (re.compile(r"\bnynorsk\b", re.I), "nn"),
    (re.compile(r"\bbokm[aå]l\b", re.I), "nb"),
    (
        re.compile(
            _VERB
            + r"(?:english|engelsk)\b|"
            + _PREPOSITION
            + r"(?:english|engelsk)"
            + _LAST
            + r"|\b(?:english|engelsk)\s*,?\s*(?:please|pls|plz|takk|thanks)\b|^\s*(?:english|engelsk)\W*$",
            re.I,
        ),
        "en",
    ),
    (re.compile(_VERB + r"(?:norsk|norwegian)\b|" + _PREPOSITION + r"(?:norsk|norwegian)" + _LAST, re.I), "nb"),
]
_NEGATION = re.compile(r"\b(?:ikke|ikkje|itj|not|dont|don't|cannot|can't|no)\b[\w\s]{0,20}$", re.I)
_ASK_WORDS = 10  # a request to switch is short; a long message that mentions "English" is a question
_MIN_WORDS_FOR_OTHER = 2  # «так» answers a yes/no question; a sentence in Polish asks one

_NORWEGIAN_LETTERS = re.compile(r"[æøå]")
_ETHIOPIC = re.compile(r"[\u1200-\u137f]")
_THAI = re.compile(r"[\u0e00-\u0e7f]")
_POLISH_LETTERS = re.compile(r"[ąćęłńśźżĄĆĘŁŃŚŹŻ]")
_LITHUANIAN_LETTERS = re.compile(r"[ėųūįĖŲŪĮ]")
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
# Common words only one of the two uses; langdetect often reads short Ukrainian as Russian.
UKRAINIAN = frozenset("як що це мені можна де чи будь ласка дякую привіт потрібно допомога дитину коли".split())
RUSSIAN = frozenset("как что это мне можно где ли пожалуйста спасибо привет нужно помощь ребёнка когда".split())

_lock = threading.Lock()
_factory_ready = False


@dataclass(frozen=True)
class Guess:
    language: str
    explicit: bool = False  # the citizen asked for this language


def _langdetect(text: str) -> tuple[str, float] | None:
    """langdetect's best guess, seeded so that the same text always gives the same answer."""
    global _factory_ready
    from langdetect import DetectorFactory, detector_factory
    from langdetect.lang_detect_exception import LangDetectException

    from bot.nlu.langdetect_arrays import ArrayDetector

    with _lock:
        if not _factory_ready:
            DetectorFactory.seed = 0
            detector_factory.init_factory()
            _factory_ready = True
        try:
            detector = ArrayDetector(detector_factory._factory)
            detector.append(text)
            best = detector.get_probabilities()[0]
        except (LangDetectException, IndexError):
            return None
    code = str(best.lang).split("-")[0]
    return code, float(best.prob)


def _norwegian(words: list[str]) -> str | None:
    nynorsk = sum(1 for w in words if w in NYNORSK)
    bokmal = sum(1 for w in words if w in BOKMAL)
    if nynorsk > bokmal:
        return "nn"
    if bokmal > nynorsk:
        return "nb"
    return None


def _looks_norwegian(words: list[str]) -> bool:
    """A common Norwegian word, or æ, ø or å in at least half the words."""
    with_letters = sum(1 for w in words if _NORWEGIAN_LETTERS.search(w))
    return 2 * with_letters >= len(words) or any(w in NORWEGIAN_COMMON for w in words)


def detect(text: str) -> Guess | None:
    """The language of `text`, or None when it is too short or unclear to say."""
    text = (text or "").replace(MASK, " ").strip()  # the mask's words are ours, not the citizen's
    if not text or text.startswith("/"):
        return None  # a button's payload
    words = [w.lower() for w in _WORDS.findall(text)]
    if len(words) <= _ASK_WORDS:
        for pattern, language in _ASKS:
            found = pattern.search(text)
            if found and not _NEGATION.search(text[: found.start()]):
                return Guess(language, explicit=True)
    if _ETHIOPIC.search(text):
        return Guess("ti")
    if _THAI.search(text):
        return Guess("th")
    if _POLISH_LETTERS.search(text):
        return Guess("pl")
    if _LITHUANIAN_LETTERS.search(text):
        return Guess("lt")
    if _CYRILLIC.search(text) and not _ARABIC.search(text):
        if _UKRAINIAN_LETTERS.search(text):
            return Guess("uk")
        ukrainian = sum(1 for w in words if w in UKRAINIAN)
        russian = sum(1 for w in words if w in RUSSIAN) + len(_RUSSIAN_LETTERS.findall(text))
        if ukrainian != russian:
            return Guess("uk" if ukrainian > russian else "ru")
        guess = _langdetect(text)
        return Guess(guess[0] if guess and guess[0] in ("ru", "uk", "bg", "mk") else "ru")
    if _ARABIC.search(text):
        guess = _langdetect(text)
        return Guess(guess[0] if guess and guess[0] in ("ar", "fa", "ur") else "ar")
    norwegian = _norwegian(words)
    if norwegian:
        return Guess(norwegian)
    letters = sum(len(w) for w in words)
    english = sum(1 for w in words if w in ENGLISH)
    if len(words) < 3 or letters < 12:
        if len(words) >= 2 and english == len(words) and not SHARED_WITH_NORWEGIAN.issuperset(words):
            return Guess("en")  # «I need help», «help me please»: every word English, one only English
        return None  # «ok», «takk», «søppel», «i dag»: keep the conversation's language
    if english >= 2 and not re.search(r"[æøå]", text, re.I):
        return Guess("en")
    if english >= 1 and len(words) <= 4:
        return None  # «bankid not working»: too little to call it anything but English-ish
    if english == 0 and _looks_norwegian(words):
        # Below, such a text would get no language unless langdetect called it English, which
        # it did for none of the 21,000 texts in data/ and tests/: a Norwegian question without
        # marker words («legevakt åpningstider») is spared the 6 ms langdetect takes.
        return None
    guess = _langdetect(text)
    if guess is None:
        return None
    code, probability = guess
    if code in ("no", "da", "sv"):
        return None  # Norwegian-looking, but no marker word says which standard
    if code == "en" and probability >= 0.9:
        return Guess("en")
    if code not in LATIN_SCRIPT_LANGUAGES or probability < 0.95 or len(words) < 4 or english >= 2:
        return None
    if re.search(r"[æøå]", text, re.I) or any(w in NORWEGIAN_COMMON for w in words):
        return None  # short Norwegian («la oss droppe det») that langdetect calls French
    return Guess(code)


def _only_a_name(text: str) -> bool:
    """«Ole Johan Haugen-Berg», which langdetect reads as German: a name tells no language."""
    return bare_name(text) and not ENGLISH.intersection(text.lower().split())


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageDetector(RuleBasedIntentClassifier):
    """Adds a `language` entity; sets `switch_language` or `other_language` when it is sure."""

    @classmethod
    def warm_up(cls) -> None:
        _langdetect("Loading the language profiles once, before the first citizen writes.")

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            guess = detect(text)
            if guess is None or (not guess.explicit and _only_a_name(text)):
                continue
            # No start/end: the language belongs to the whole message, not to a span of it.
            entity = {
                "entity": LANGUAGE_ENTITY,
                "value": guess.language,
                "confidence": 1.0,
                "extractor": type(self).__name__,
            }
            entities = [e for e in message.get(ENTITIES) or [] if e.get("entity") != LANGUAGE_ENTITY]
            message.set(ENTITIES, [*entities, entity], add_to_output=True)
            if guess.explicit:
                override_intent(message, SWITCH_INTENT)
            elif (
                guess.language not in ANSWERED
                and len(_WORDS.findall(text)) >= _MIN_WORDS_FOR_OTHER
                and shape_without_question(text) is None  # a name or a signature tells no language
            ):
                override_intent(message, OTHER_INTENT)
        return messages
