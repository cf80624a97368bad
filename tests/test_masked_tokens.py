"""The NLU reads a message with a masked ID number as if the mask were not there."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.language import detect
from bot.nlu.tokenizer import MaskAwareWhitespaceTokenizer, question_text
from bot.pii import MASK, mask_id_numbers

ID_NUMBER = "01019012480"  # a valid fødselsnummer (python-stdnum accepts it)


def words(text: str) -> list[str]:
    tokenizer = MaskAwareWhitespaceTokenizer(MaskAwareWhitespaceTokenizer.get_default_config())
    return [token.text for token in tokenizer.tokenize(Message(data={TEXT: text}), TEXT)]


def test_the_masks_words_are_no_tokens() -> None:
    masked, found = mask_id_numbers(f"Hei, nummeret mitt er {ID_NUMBER}. Når er dere åpne?")
    assert found and MASK in masked
    assert words(masked) == ["Hei", "nummeret", "mitt", "er", "Når", "er", "dere", "åpne"]
    assert words(f"{MASK} og {MASK}") == ["og"]
    assert words(MASK) == ["fødselsnummer", "fjernet"]  # nothing else to go on: kept
    assert words("Jeg fikk brev om fødselsnummer") == ["Jeg", "fikk", "brev", "om", "fødselsnummer"]


def test_the_answer_library_reads_the_text_without_the_mask_or_an_emergency_beside_the_question() -> None:
    tokenizer = MaskAwareWhitespaceTokenizer(MaskAwareWhitespaceTokenizer.get_default_config())
    messages = [
        Message(data={TEXT: "det brenner i garasjen, og forresten, når blir søpla hentet?"}),
        Message(data={TEXT: f"{MASK} Når er dere åpne?"}),
        Message(data={TEXT: "Når er dere åpne?"}),
    ]
    tokenizer.process(messages)
    fire, masked, plain = (question_text(m) for m in messages)
    assert "brenner" not in fire and fire.endswith("når blir søpla hentet?")
    assert masked == plain == "Når er dere åpne?"


def test_the_mask_does_not_make_a_message_norwegian() -> None:
    guess = detect(f"Hello, my number is {MASK}, when are you open today?")
    assert guess is not None and guess.language == "en"


@pytest.mark.parametrize(
    "text",
    [
        "Når er dere åpne?",
        "Jeg har spørsmål om eiendomsskatten min",
        "korleis søkjer eg barnehageplass",
        "How do I apply for a kindergarten place?",
        "Søpla ble ikke hentet",
    ],
)
def test_the_model_understands_a_masked_message_as_the_message_without_it(agent: Any, text: str) -> None:
    def parse(message: str) -> dict[str, Any]:
        return asyncio.run(agent.parse_message(message))

    plain = parse(text)
    for masked in (f"{text} {MASK}", f"{MASK}. {text}", f"{MASK} {text} {MASK}"):
        result = parse(masked)
        assert result["intent"]["name"] == plain["intent"]["name"]
        assert _answers(result) == _answers(plain)
        for ours, theirs in zip(result["intent_ranking"], plain["intent_ranking"], strict=True):
            assert ours["name"] == theirs["name"] and ours["confidence"] == pytest.approx(
                theirs["confidence"], abs=1e-5
            )


def _answers(parse: dict[str, Any]) -> list[tuple[str, float]]:
    ranking = ((parse.get("response_selector") or {}).get("faq") or {}).get("ranking") or []
    return [(item["intent_response_key"], round(item["confidence"], 5)) for item in ranking]
