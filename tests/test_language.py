"""bot/nlu/language.py: which language a message is in, and what the component tells Rasa."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from rasa.shared.nlu.constants import ENTITIES, INTENT, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu import language
from bot.nlu.language import LanguageDetector, detect

ROOT = Path(__file__).resolve().parent.parent


def _language(text: str) -> str | None:
    guess = detect(text)
    return guess.language if guess else None


@pytest.mark.parametrize(
    "text,language",
    [
        ("hvordan søker jeg barnehageplass", "nb"),
        ("Jeg lurer på hva eiendomsskatten min blir i år", "nb"),
        ("korleis søkjer eg barnehageplass", "nn"),
        ("Kva kostar det å ha ungen i SFO? Eg finn det ikkje", "nn"),
        ("har kommunen eit eige kor for pensjonistar?", "nn"),
        ("Where can I pay my property tax?", "en"),
        ("can you help me with the garbage please", "en"),
        ("Dzień dobry, gdzie mogę zapłacić podatek od nieruchomości?", "pl"),
        ("Як записати дитину в дитячий садок?", "uk"),
        ("Как записать ребёнка в детский сад?", "ru"),
        ("مرحبا، أين يمكنني دفع رسوم النفايات؟", "ar"),
        ("Labas, kur galiu sumokėti mokesčius už šiukšles?", "lt"),
        ("Waxaan u baahanahay turjubaan, fadlan i caawi", "so"),
        ("ሰላም፡ ተርጓሚ የድልየኒ ኣሎ", "ti"),
    ],
)
def test_the_language_of_a_sentence(text: str, language: str) -> None:
    assert _language(text) == language


def test_a_bokmal_choir_is_not_nynorsk() -> None:
    """«kor» is a choir in bokmål and «hvor» in nynorsk: «eget» weighs as much, so it is not nynorsk."""
    assert _language("har kommunen et eget kor for pensjonister?") in (None, "nb")


@pytest.mark.parametrize("text", ["ok", "takk", "ja", "nei", "søppel", "912 34 567", "SK-2026-00042", "/affirm", ""])
def test_one_word_answers_keep_the_conversations_language(text: str) -> None:
    assert detect(text) is None


@pytest.mark.parametrize(
    "text,language",
    [("I need help", "en"), ("help me please", "en"), ("i dag", None), ("for her", None), ("to timer", None)],
)
def test_a_short_message_is_english_when_every_word_is_and_one_is_english_only(text: str, language: str | None) -> None:
    guess = detect(text)
    assert (guess.language if guess else None) == language


@pytest.mark.parametrize(
    "text",
    [
        "ka e åpningstidene dokkers",  # dialect with no written-standard marker
        "hej jag behöver hjälp med min skatt",  # Swedish: read as Norwegian, not a foreign language
        "når blir søpla hentet",  # Norwegian with no word that tells bokmål from nynorsk
    ],
)
def test_dialect_and_neighbour_languages_are_not_foreign(text: str) -> None:
    assert _language(text) in (None, "nb", "nn")


def test_mixed_messages_follow_the_majority_of_marker_words() -> None:
    assert _language("eg lurer på kva dere har åpent") == "nn"  # eg, kva against dere
    assert _language("jeg lurer på hva dykk har åpent, og hvor dere er") == "nb"


@pytest.mark.parametrize(
    "text,language",
    [
        ("kan du svare på nynorsk?", "nn"),
        ("English please", "en"),
        ("på bokmål takk", "nb"),
        ("can you answer in english", "en"),
        ("kan du skrive på engelsk", "en"),
        ("på engelsk?", "en"),
        ("switch to Norwegian please", "nb"),
    ],
)
def test_asking_for_a_language_is_explicit(text: str, language: str) -> None:
    guess = detect(text)
    assert guess is not None and guess.language == language and guess.explicit


@pytest.mark.parametrize(
    "text", ["Are there evening classes in Norwegian for adult immigrants?", "Do you have courses in English?"]
)
def test_a_course_in_a_language_is_not_a_request_to_switch(text: str) -> None:
    guess = detect(text)
    assert guess is None or not guess.explicit


def test_a_long_question_about_english_is_not_a_request_to_switch() -> None:
    guess = detect("jeg har et barn som bare snakker engelsk og lurer på om barnehagen har noen som kan hjelpe")
    assert guess is not None and guess.language == "nb" and not guess.explicit


def test_the_same_text_always_gets_the_same_answer() -> None:
    text = "Buenos días, necesito ayuda con los impuestos de mi casa"
    assert len({_language(text) for _ in range(5)}) == 1


def _processed(text: str, intent: str = "faq") -> Message:
    message = Message({TEXT: text, INTENT: {"name": intent, "confidence": 0.9}})
    LanguageDetector().process([message])
    return message


def test_the_component_sets_the_entity_and_the_intent() -> None:
    polish = _processed("Dzień dobry, potrzebuję pomocy z podatkiem od nieruchomości")
    assert polish.get(INTENT)["name"] == "other_language"
    assert [(e["entity"], e["value"]) for e in polish.get(ENTITIES)] == [("language", "pl")]
    switch = _processed("svar på nynorsk takk")
    assert switch.get(INTENT)["name"] == "switch_language"
    nynorsk = _processed("korleis søkjer eg barnehageplass")
    assert nynorsk.get(INTENT)["name"] == "faq"
    assert nynorsk.get(ENTITIES)[0]["value"] == "nn"


def test_a_name_alone_tells_no_language() -> None:
    # langdetect reads this Norwegian name as German; the conversation keeps its language.
    assert _processed("Ole Johan Haugen-Berg", intent="nlu_fallback").get(ENTITIES) in (None, [])
    assert _processed("My name is Ole Johan Haugen-Berg", intent="nlu_fallback").get(ENTITIES)[0]["value"] == "en"


def test_a_one_word_yes_in_another_language_stays_a_yes() -> None:
    yes = _processed("так", intent="affirm")
    assert yes.get(INTENT)["name"] == "affirm"
    assert _processed("ok", intent="affirm").get(ENTITIES) in (None, [])


def _held_out_library_questions() -> list[str]:
    found: list[str] = []
    for path in sorted((ROOT / "tests" / "heldout" / "library").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["sporsmal"]:
            for code in ("nb", "nn", "en"):
                found += item.get(code) or []
    return found


def test_norwegian_without_marker_words_is_not_sent_to_langdetect(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(text: str) -> None:
        raise AssertionError(f"langdetect asked about {text!r}")

    monkeypatch.setattr(language, "_langdetect", fail)
    assert detect("legevakt åpningstider og pris") is None
    assert detect("parkering er det gratis på lørdag") is None


def test_sparing_langdetect_changes_no_language(monkeypatch: pytest.MonkeyPatch) -> None:
    """What the shortcut skips, langdetect would not have named a language for (held-out questions)."""
    questions = _held_out_library_questions()
    with_shortcut = [detect(text) for text in questions]
    monkeypatch.setattr(language, "_looks_norwegian", lambda words: False)
    without = [detect(text) for text in questions]
    assert len(questions) > 1000
    assert with_shortcut == without


def _other_language_examples() -> list[str]:
    found: list[str] = []
    for item in yaml.safe_load((ROOT / "data" / "nlu" / "languages.yml").read_text(encoding="utf-8"))["nlu"]:
        found += [line[2:].strip() for line in item.get("examples", "").splitlines() if line.startswith("- ")]
    return found


def test_the_array_detector_gives_langdetects_own_probabilities() -> None:
    """bot/nlu/langdetect_arrays.py: the same languages and probabilities, bit for bit, as
    langdetect's Detector, on messages in many languages and scripts, and the same error where
    a text has nothing to go on."""
    from langdetect import DetectorFactory, detector_factory
    from langdetect.lang_detect_exception import LangDetectException

    from bot.nlu.langdetect_arrays import ArrayDetector

    language._langdetect("Loading the profiles.")
    factory = detector_factory._factory
    assert DetectorFactory.seed == 0

    def guesses(detector: Any, text: str) -> list[tuple[str, float]] | str:
        detector.append(text)
        try:
            return [(guess.lang, guess.prob) for guess in detector.get_probabilities()]
        except LangDetectException as error:
            return f"error: {error}"

    texts = _other_language_examples() + _held_out_library_questions()[::6] + ["123 456", "ok", "?!"]
    ours = [guesses(ArrayDetector(factory), text) for text in texts]
    theirs = [guesses(factory.create(), text) for text in texts]
    assert len(texts) > 300
    assert {code for found in theirs if isinstance(found, list) for code, _ in found[:1]} >= {"en", "pl", "ar", "so"}
    assert any(isinstance(found, str) for found in theirs)
    assert ours == theirs
