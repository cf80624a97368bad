"""Which facet of a topic a short follow-up asks about (bot/follow_up.py)."""

from __future__ import annotations

import pytest

from bot.follow_up import Facet, asks_only_a_facet, facet_of


@pytest.mark.parametrize(
    "text,facet",
    [
        ("hva koster det?", Facet.PRICE),
        ("er det gratis", Facet.PRICE),
        ("what does it cost", Facet.PRICE),
        ("når er fristen?", Facet.DEADLINE),
        ("er det for seint no", Facet.DEADLINE),
        ("hvor lang tid tar det?", Facet.PROCESSING_TIME),
        ("how long does it take", Facet.PROCESSING_TIME),
        ("hvor mange dager tar det", Facet.PROCESSING_TIME),
        ("hvem kan få det?", Facet.ELIGIBILITY),
        ("kven kan søkje", Facet.ELIGIBILITY),
        ("hvordan søker jeg?", Facet.HOW_TO_APPLY),
        ("can i do it online", Facet.HOW_TO_APPLY),
        ("hvor er det?", Facet.WHERE),
        ("kor ligg det", Facet.WHERE),
        ("når har de åpent i helga?", Facet.HOURS),
        ("kva er opningstidene der?", Facet.HOURS),
        ("how long are they open?", Facet.HOURS),
        ("må jeg ha med noe?", Facet.DOCUMENTS),
        ("trenger jeg legitimasjon", Facet.DOCUMENTS),
        ("og glass?", Facet.MORE),
        # a waste fraction, not documents or a picture
        ("og papir?", Facet.MORE),
        ("og bildekk?", Facet.MORE),
        ("hvilke papirer trenger dere?", Facet.DOCUMENTS),
        ("kan æ søk på papir?", Facet.HOW_TO_APPLY),
        ("hvor lang er ventelista?", Facet.PROCESSING_TIME),
        ("hvor lenge før må jeg søke?", Facet.DEADLINE),
        ("til når?", Facet.DEADLINE),
        ("kan du si mer", Facet.MORE),
        ("kan jeg klage?", Facet.COMPLAINT),
        ("er det søskenmoderasjon?", Facet.PRICE),
        ("kva er klagefristen?", Facet.COMPLAINT),
        ("can I appeal?", Facet.COMPLAINT),
    ],
)
def test_facet_of_a_follow_up(text: str, facet: Facet) -> None:
    assert facet_of(text) == facet


def test_every_facet_has_a_response_in_the_domain() -> None:
    from pathlib import Path

    import yaml

    domain = yaml.safe_load((Path(__file__).resolve().parent.parent / "domain.yml").read_text(encoding="utf-8"))
    assert {f"utter_follow_up_{facet.value}" for facet in Facet} <= set(domain["responses"])


@pytest.mark.parametrize(
    "text,only",
    [
        ("hvilke dokumenter trenger jeg?", True),
        ("kva tid er det ope der?", True),
        ("hva koster det?", True),
        ("when are they open?", True),
        ("og barnehage da?", False),  # names a topic of its own
        ("hva koster det å sende inn en byggesøknad?", False),
        ("kan jeg klage?", True),  # the part on appeals, else the answer on appeals (bot.replies)
        ("kan jeg klage på naboen?", False),
        ("og glass?", False),
        ("hvor tidlig åpner det om morgenen?", True),  # when the place just answered opens
        ("when does it close on saturdays?", True),
        ("når åpner biblioteket?", False),
    ],
)
def test_a_follow_up_asks_only_a_facet_when_nothing_but_facet_words_and_small_words_are_left(
    text: str, only: bool
) -> None:
    assert asks_only_a_facet(text) is only


def test_a_long_message_is_never_a_question_on_a_facet_alone() -> None:
    assert not asks_only_a_facet("hva koster det? " + "x" * 8000)
