"""Every answer the citizen can see: clear language (LIX < 40) and every placeholder fillable."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest
import yaml

from bot import kommune_check
from bot.kommune import get_kommune
from bot.readability import lix

ROOT = Path(__file__).resolve().parent.parent
DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
ANSWERS = kommune_check.answers()
# Values the custom actions give with a response (action_answer_follow_up): a topic's name and page.
ACTION_VALUES = {"topic", "topic_link"}


def _variants() -> list[tuple[str, str]]:
    return [(answer.name, answer.text) for answer in ANSWERS]


@pytest.mark.parametrize("answer", ANSWERS, ids=[answer.name for answer in ANSWERS])
def test_every_answer_is_clear_language(answer: kommune_check.Answer) -> None:
    filled = kommune_check.fill(answer, get_kommune())
    assert "{" not in filled
    print(f"LIX {lix(filled):5.1f}  {answer.name} ({answer.language})")
    assert kommune_check.unclear(answer, filled) is None, f"{answer.name} ({answer.language})\n{filled}"


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
    # A link at the end of a sentence is one short word; the full stop after it still ends the sentence.
    with_link = "Les mer på https://www.example.no/eiendomsskatt. Ring oss hvis noe er uklart."
    assert lix(with_link) == lix("Les mer på lenke. Ring oss hvis noe er uklart.")


def test_the_chat_widgets_own_texts_are_clear_language() -> None:
    from bot.desk.widget import TEXTS

    sentences = 0
    for language, texts in TEXTS.items():
        for key, text in texts.items():
            kommune = get_kommune()
            filled = text.format(kommune=kommune.name, office=kommune.office_name, phone=kommune.phone, name="Kari")
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


@pytest.mark.parametrize("variant", DOMAIN["responses"]["utter_other_language"], ids=lambda v: str(v.get("condition")))
def test_the_notice_for_other_languages_opens_with_the_emergency_numbers(variant: dict) -> None:
    # A citizen who writes an emergency in Polish or Arabic gets this notice: the numbers come first.
    first_sentence = re.split(r"(?<=[.።])\s", variant["text"])[0]
    assert all(number in first_sentence for number in ("113", "112", "110")), variant["text"]
