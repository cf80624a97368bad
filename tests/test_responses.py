"""Every answer the citizen can see: clear language (LIX < 40) and every placeholder fillable."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from bot.channels.guard import NOTICES_FILE
from bot.kommune import get_kommune
from bot.readability import lix

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
SLOT_EXAMPLES = {
    "ticket_summary": "Søppeldunken er ikke tømt",
    "contact_name": "Kari Nordmann",
    "contact_method": "912 34 567",
    "ticket_reference": "SK-2026-00042",
    "topic": "Avfall og gjenvinning",
    "topic_link": "https://www.sandnes.kommune.no/avfall",
    "max_chars": "2000",
}


# Values the custom actions give with a response (action_answer_follow_up): a topic's name and page.
ACTION_VALUES = {"topic", "topic_link"}


def _variants() -> list[tuple[str, str]]:
    found = [(name, variant["text"]) for name, variants in DOMAIN["responses"].items() for variant in variants]
    notices = yaml.safe_load(NOTICES_FILE.read_text(encoding="utf-8"))
    found += [(f"notice:{key}:{lang}", text) for key, by_lang in notices.items() for lang, text in by_lang.items()]
    return found


def _fill(text: str) -> str:
    values = {**get_kommune().placeholders(), **SLOT_EXAMPLES}
    return text.format(**values)


def _language_of(name: str) -> str:
    """nb, nn, en, or e.g. pl, from a variant's `language` condition (bokmål when it has none)."""
    response, _, index = name.partition("#")
    if response.startswith("notice:"):
        return response.rsplit(":", 1)[1]
    variant = DOMAIN["responses"][response][int(index)]
    for condition in variant.get("condition") or []:
        if condition.get("name") == "language":
            return str(condition["value"])
    return "en" if response in OTHER_LANGUAGE_RESPONSES else "nb"


OTHER_LANGUAGE_RESPONSES = {
    "utter_other_language",
    "utter_ask_interpreter_contact",
    "utter_interpreter_result",
    "utter_other_language_declined",
}


def _named_variants() -> list[tuple[str, str]]:
    found = [
        (f"{name}#{i}", variant["text"])
        for name, variants in DOMAIN["responses"].items()
        for i, variant in enumerate(variants)
    ]
    notices = yaml.safe_load(NOTICES_FILE.read_text(encoding="utf-8"))
    found += [(f"notice:{key}:{lang}", text) for key, by_lang in notices.items() for lang, text in by_lang.items()]
    return found


@pytest.mark.parametrize("name,text", _named_variants(), ids=[n for n, _ in _named_variants()])
def test_every_answer_is_clear_language(name: str, text: str) -> None:
    filled = _fill(text)
    language = _language_of(name)
    if language not in ("nb", "nn", "en"):
        # LIX is made for Scandinavian languages and English; Polish or Somali words are long by
        # nature. These short notices are held to short sentences instead.
        sentences = [s for s in re.split(r"[.!?؟።]+", filled) if s.strip()]
        words_per_sentence = len(filled.split()) / max(1, len(sentences))
        assert words_per_sentence <= 12, f"{name} ({language}): {words_per_sentence:.1f} words per sentence"
        return
    score = lix(filled)
    print(f"LIX {score:5.1f}  {name} ({language})")
    assert score < 40, f"{name} ({language}): LIX {score:.1f}\n{filled}"


@pytest.mark.parametrize("name,text", _variants(), ids=[n for n, _ in _variants()])
def test_every_placeholder_can_be_filled(name: str, text: str) -> None:
    placeholders = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    slots = set(DOMAIN["slots"])
    unknown = placeholders - set(get_kommune().placeholders()) - slots - {"max_chars"} - ACTION_VALUES
    assert not unknown, f"{name} uses unknown placeholders {unknown}"


def test_no_literal_local_facts_in_answers() -> None:
    kommune = get_kommune()
    literals = [kommune.name, kommune.phone, kommune.email, kommune.visiting_address, *kommune.links.values()]
    for name, text in _variants():
        for literal in literals:
            assert literal not in text, f"{name} has «{literal}» written in; use a placeholder"


def test_lix_scores_known_texts() -> None:
    assert lix("Du kan ringe oss. Vi svarer fort.") < 20
    assert lix("Kommunestyrebehandlingen av eiendomsskattevedtaket forutsetter saksforberedelse.") > 60


def test_the_chat_widgets_own_texts_are_clear_language() -> None:
    from bot.desk.widget import TEXTS

    sentences = 0
    for language, texts in TEXTS.items():
        for key, text in texts.items():
            filled = text.format(kommune="Sandnes kommune", office="Servicetorget", phone="51 33 50 00", name="Kari")
            if len(filled.split()) < 5:
                continue  # a label such as «Lukk chatten»: LIX says nothing about two words
            sentences += 1
            assert lix(filled) < 40, f"widget {language}:{key}: LIX {lix(filled):.1f}\n{filled}"
    assert sentences >= 6


# Responses that carry their own languages (the interpreter flow), not the nb/nn/en triplet.
OWN_LANGUAGES = {
    "utter_language_switched",
    "utter_other_language",
    "utter_ask_interpreter_contact",
    "utter_interpreter_result",
    "utter_other_language_declined",
}


def _conditions(variant: dict) -> tuple[frozenset, str | None]:
    """A variant's conditions other than the language, and its language condition (None: none)."""
    other, language = set(), None
    for condition in variant.get("condition") or []:
        if condition["name"] == "language":
            language = condition["value"]
        else:
            other.add((condition["type"], condition["name"], str(condition["value"])))
    return frozenset(other), language


@pytest.mark.parametrize("name", sorted(set(DOMAIN["responses"]) - OWN_LANGUAGES))
def test_every_answer_has_nynorsk_and_english(name: str) -> None:
    variants = [_conditions(v) for v in DOMAIN["responses"][name]]
    languages = {language for _, language in variants}
    assert {"nn", "en"} <= languages, f"{name} lacks a variant for { ({'nn', 'en'} - languages) }"
    for other, language in variants:
        if language is None:  # a bokmål variant: the same situation must exist in nynorsk and English
            for wanted in ("nn", "en"):
                assert (other, wanted) in variants, f"{name}: no {wanted} variant for conditions {sorted(other)}"
