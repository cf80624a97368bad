"""Every answer the citizen can see: clear language (LIX < 40) and every placeholder fillable."""

from __future__ import annotations

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
    "topic_a": "Avfall og gjenvinning",
    "topic_b": "Kommunale avgifter",
    "max_chars": "2000",
}


def _variants() -> list[tuple[str, str]]:
    found = [(name, variant["text"]) for name, variants in DOMAIN["responses"].items() for variant in variants]
    notices = yaml.safe_load(NOTICES_FILE.read_text(encoding="utf-8"))
    found += [(f"notice:{key}:{lang}", text) for key, by_lang in notices.items() for lang, text in by_lang.items()]
    return found


def _fill(text: str) -> str:
    values = {**get_kommune().placeholders(), **SLOT_EXAMPLES}
    return text.format(**values)


@pytest.mark.parametrize("name,text", _variants(), ids=[n for n, _ in _variants()])
def test_every_answer_is_clear_language(name: str, text: str) -> None:
    filled = _fill(text)
    score = lix(filled)
    print(f"LIX {score:5.1f}  {name}")
    assert score < 40, f"{name}: LIX {score:.1f}\n{filled}"


@pytest.mark.parametrize("name,text", _variants(), ids=[n for n, _ in _variants()])
def test_every_placeholder_can_be_filled(name: str, text: str) -> None:
    placeholders = {field for _, field, _, _ in string.Formatter().parse(text) if field}
    slots = set(DOMAIN["slots"])
    unknown = placeholders - set(get_kommune().placeholders()) - slots - {"max_chars"}
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
