"""When the bot is sure enough to answer a topic (bot/certainty.py, bot/nlu/certainty.py)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.certainty import Thresholds, decide, ranked_topics, shape_without_question
from bot.nlu.certainty import TopicCertainty

TH = Thresholds(topic=0.5, topic_lead=0.15, intent=0.5, choice=0.08, choice_share=0.25, switch=0.4)


def _parse(text: str, faq: float, subs: dict[str, float], intent: str = "faq", confidence: float | None = None) -> dict:
    ranking = [{"name": "faq", "confidence": faq}, {"name": "out_of_scope", "confidence": 1 - faq}]
    if intent != "faq":
        ranking.insert(0, {"name": intent, "confidence": confidence or 0.9})
    return {
        "text": text,
        "intent": ranking[0],
        "intent_ranking": ranking,
        "response_selector": {
            "faq": {"ranking": [{"intent_response_key": k, "confidence": c} for k, c in subs.items()]}
        },
    }


def test_the_faq_confidence_is_split_over_the_selectors_topics() -> None:
    ranking = ranked_topics(_parse("x", 0.8, {"faq/waste": 0.5, "faq/municipal_fees": 0.5}))
    assert [(t, round(p, 2)) for t, p in ranking] == [("faq/waste", 0.4), ("faq/municipal_fees", 0.4)]


def test_a_likely_topic_with_a_lead_is_answered() -> None:
    assert (
        decide(_parse("når blir søpla hentet", 0.95, {"faq/waste": 0.9, "faq/municipal_fees": 0.1}), thresholds=TH)
        is None
    )


@pytest.mark.parametrize(
    "text,expected",
    [
        ("når har de åpent i helga?", "follow_up"),  # the place just answered, not the service office
        ("kva dokument treng eg?", "follow_up"),
        ("når har dere åpent?", None),  # «dere»: the service office
        ("når har biblioteket åpent?", None),  # names its own service
    ],
)
def test_a_question_read_as_a_topic_that_names_nothing_but_a_facet_is_a_follow_up(
    text: str, expected: str | None
) -> None:
    parse = _parse(text, 0.99, {"faq/opening_hours": 0.95, "faq/library": 0.05})
    assert decide(parse, thresholds=TH) == expected


@pytest.mark.parametrize(
    "text,intent,confidence,expected",
    [
        ("are there evening classes?", "greet", 0.46, "nlu_fallback"),  # «evening» as in «good evening»
        ("må vi ha vakter?", "goodbye", 0.52, "nlu_fallback"),
        ("Hei! Kan du hjelpe meg?", "greet", 0.99, None),  # a sure greeting that asks for help
        ("ok?", "affirm", 0.55, None),  # one word asks nothing of a service
        ("takk for hjelpa", "thanks", 0.6, None),  # asks nothing
    ],
)
def test_a_question_read_without_certainty_as_chat_is_taken_as_a_question(
    text: str, intent: str, confidence: float, expected: str | None
) -> None:
    assert decide(_parse(text, 0.1, {}, intent=intent, confidence=confidence), thresholds=TH) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("and for adults?", "follow_up"),
        ("og for pensjonister?", "follow_up"),
        ("gjeld det for studentar òg?", "follow_up"),
        ("og grunnskole for voksne da?", None),  # names a service: answered (or switched to) as a topic
        ("is there a course for adults?", None),  # a question of its own
    ],
)
def test_the_same_asked_for_another_group_is_a_follow_up(text: str, expected: str | None) -> None:
    parse = _parse(text, 0.99, {"faq/adult_primary_education": 0.9, "faq/library": 0.05})
    assert decide(parse, thresholds=TH) == expected


def test_a_greeting_then_a_question_without_a_question_mark_is_answered_when_sure() -> None:
    """DIET split «hello, what are your opening hours please» between the greeting and the question."""
    subs = {"faq/opening_hours": 0.9}
    split = _parse("hello, what are your opening hours please", 0.35, subs, intent="greet", confidence=0.57)
    assert decide(split, thresholds=TH) == "faq"
    assert ranked_topics(split)[0] == ("faq/opening_hours", pytest.approx(0.9 * 0.92))
    greeting = _parse("hello there, nice to meet you", 0.35, subs, intent="greet", confidence=0.57)
    assert decide(greeting, thresholds=TH) is None  # asks nothing
    sure = _parse("hei, kan du hjelpe meg", 0.01, {}, intent="greet", confidence=0.99)
    assert decide(sure, thresholds=TH) is None  # DIET is sure of the greeting


@pytest.mark.parametrize(
    "text,topic,expected",
    [
        ("Når er apoteket på Amfi åpent på søndager?", "faq/opening_hours", "nlu_fallback"),
        ("When is the museum open in the summer?", "faq/opening_hours", "nlu_fallback"),
        ("er rådhuset åpent i romjula?", "faq/opening_hours", None),
        ("Har Vinmonopolet åpent lørdagen før påske?", "faq/opening_hours", "nlu_fallback"),
        ("har dere åpent på fredag?", "faq/opening_hours", None),
        ("hvordan melder jeg adresse endring", "faq/moving", None),  # a part of «adresseendring»
        ("early voteing", "faq/early_voting", None),  # misspelt, but the same stem
        ("Korleis søkjer eg om å vere med i kvalifiseringsprogrammet?", "faq/qualification_programme", None),
    ],
)
def test_a_topic_answer_needs_a_word_of_that_answer(text: str, topic: str, expected: str | None) -> None:
    """The library reads «when … open» as the service office's hours: the place asked about must be its word."""
    assert decide(_parse(text, 0.99, {topic: 0.95}), thresholds=TH) == expected


@pytest.mark.parametrize(
    "faq,subs",
    [
        (0.95, {"faq/kindergarten_fees": 0.5, "faq/kindergarten_apply": 0.45}),  # torn between two topics
        (0.45, {"faq/waste": 0.99}),  # not sure it is a topic question at all
    ],
)
def test_an_unsure_topic_becomes_nlu_fallback(faq: float, subs: dict[str, float]) -> None:
    assert decide(_parse("barnehage pris søke", faq, subs), thresholds=TH) == "nlu_fallback"


def _greeting_and_question(
    faq: float, greet: float, text: str = "hello, what are your opening hours please"
) -> dict[str, Any]:
    parse = _parse(text, faq, {"faq/opening_hours": 0.94})
    ranking = [{"name": "faq", "confidence": faq}, {"name": "greet", "confidence": greet}]
    ranking.sort(key=lambda item: -item["confidence"])
    return {**parse, "intent": ranking[0], "intent_ranking": ranking}


def test_a_greeting_before_the_question_counts_for_the_question() -> None:
    """DIET splits «hello, what are your opening hours please» between `faq` and `greet`."""
    parse = _greeting_and_question(faq=0.38, greet=0.29)
    assert decide(parse) is None  # answered: (0.38 + 0.29) × 0.94 clears the topic threshold (0.4)
    assert decide({**parse, "intent_ranking": parse["intent_ranking"][:1]}) == "nlu_fallback"  # 0.38 × 0.94 alone


def test_a_greeting_alone_lends_nothing_to_a_topic() -> None:
    ranking = ranked_topics(_greeting_and_question(faq=0.08, greet=0.9, text="hei, god morgen!"))
    assert [(t, round(p, 3)) for t, p in ranking] == [("faq/opening_hours", round(0.08 * 0.94, 3))]


def test_a_weak_other_intent_becomes_nlu_fallback_and_a_strong_one_stays() -> None:
    assert decide(_parse("kanskje", 0.1, {}, intent="affirm", confidence=0.3), thresholds=TH) == "nlu_fallback"
    assert decide(_parse("ja takk", 0.01, {}, intent="affirm", confidence=0.97), thresholds=TH) is None


@pytest.mark.parametrize(
    "text,intent,expected",
    [
        ("hva om de sier nei?", "deny", "follow_up"),
        ("what if they say yes?", "affirm", "follow_up"),
        ("og hvis jeg ikke vil?", "deny", "follow_up"),
        ("nei takk", "deny", None),
        ("ja, hva om det", "affirm", None),  # a yes first
        ("takk, men hvem ringer jeg?", "thanks", "follow_up"),
        ("thanks, but how much is it?", "thanks", "follow_up"),
        ("takk, men det var alt", "thanks", None),
    ],
)
def test_a_question_on_a_condition_or_after_a_thanks_is_a_follow_up(
    text: str, intent: str, expected: str | None
) -> None:
    assert decide(_parse(text, 0.01, {}, intent=intent, confidence=0.9), thresholds=TH) == expected


def test_a_question_on_a_condition_read_as_another_intent_is_a_follow_up_unless_diet_is_sure() -> None:
    unsure = _parse("what if someone gets hurt", 0.01, {}, intent="human_handoff", confidence=0.57)
    assert decide(unsure, thresholds=TH) == "follow_up"
    sure = _parse("hva om jeg vil snakke med et menneske", 0.01, {}, intent="human_handoff", confidence=0.95)
    assert decide(sure, thresholds=TH) is None
    alarm = _parse("hva om han ikke puster", 0.01, {}, intent="emergency", confidence=0.5)
    assert decide(alarm, thresholds=TH) != "follow_up"


@pytest.mark.parametrize(
    "text,expected",
    [
        ("how fast do you usually answer?", "follow_up"),  # how long a service takes
        ("hvor lang tid tar det?", "follow_up"),
        ("hvor lang tid tar saken min?", None),  # names the citizen's case
        ("how long until I hear back from you about my application?", None),
        ("i sent it in two weeks ago and havent heard anything", None),  # no time facet: a status question
        ("hvor sender jeg søknaden?", "follow_up"),  # how to apply, not how a sent one is going
        ("where do I submit the form?", "follow_up"),
        ("hvor er søknaden jeg sendte?", None),
        ("og må naboene få beskjed før jeg sender søknaden?", "follow_up"),
    ],
)
def test_a_status_reading_without_a_case_that_asks_how_long_is_a_follow_up(text: str, expected: str | None) -> None:
    parse = _parse(text, 0.05, {}, intent="case_status", confidence=0.6)
    assert decide(parse, thresholds=TH) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # the first: DIET said case_status (0.61) in a long conversation of the benchmark
        ("im 19 and want to get tested for chlamydia without going to my fastlege", "nlu_fallback"),
        ("jeg vil bytte fastlege", "nlu_fallback"),
        ("eg ventar framleis på svar", None),
        ("sjekk status", None),
        ("has my caseworker looked at it yet", None),
        ("jeg venter fortsatt på svar", None),
        ("any update on my application", None),
    ],
)
def test_a_status_lookup_needs_a_case_or_a_question_about_one(text: str, expected: str | None) -> None:
    """The status form asks for a case number: a message that names no case and asks after none is
    not sent there, whatever DIET says."""
    parse = _parse(text, 0.3, {}, intent="case_status", confidence=0.61)
    assert decide(parse, thresholds=TH) == expected


def test_a_case_reference_keeps_the_status_lookup() -> None:
    parse = _parse("hvor lang tid tar SK-2026-00042?", 0.05, {}, intent="case_status", confidence=0.6)
    parse["entities"] = [{"entity": "case_reference", "value": "SK-2026-00042"}]
    assert decide(parse, thresholds=TH) is None


@pytest.mark.parametrize(
    "text,shape",
    [
        ("Ola Nordmann", "name"),
        ("Ole Johan Haugen-Berg", "name"),  # four name words
        ("jeg heter Kari Nordmann", "name"),
        ("Hei, mitt navn er Per Olav Berg.", "name"),
        ("eg heiter Ingrid", "name"),
        ("My name is Jonas", "name"),
        ("jeg heter Kari og lurer på barnehage", None),  # asks something after the name
        ("jeg heter Kari, kan jeg bytte navn?", None),
        ("my name is spelled wrong in the letter", None),
        ("my name is spelled wrong", None),
        ("mitt navn er feilstavet", None),
        ("navnet mitt er ikke registrert", None),
        ("kari@example.no", "email"),
        ("912 34 567", "number"),
        ("+47 912 34 567", "number"),
        ("min epost er kari@example.no", "contact"),
        ("Storgata 5", "address"),
        ("12.03.2025", "number"),
        ("Fødselsdato 12.03.1956", "number"),
        ("Kundenr: 4471", "number"),
        ("hva koster 2 timer", None),
        ("neste tirsdag", "date"),
        ("kl 14", "date"),
        ("søppel", "word"),
        ("[fødselsnummer fjernet]", "mask"),
        ("når blir søpla hentet", None),
        ("Hvor er rådhuset?", None),
        ("Mvh Kari Hansen, leder i velforeningen", "signature"),
        ("Best regards, Tom", "signature"),
        ("Helsing frå Voss: kva kostar barnehage", None),
    ],
)
def test_shapes_without_a_question(text: str, shape: str | None) -> None:
    assert shape_without_question(text) == shape


def test_a_name_contact_details_or_a_single_word_get_no_topic_answer() -> None:
    assert decide(_parse("Ola Nordmann", 0.99, {"faq/report_fault": 0.99}), thresholds=TH) == "no_question"
    assert decide(_parse("ring meg på 912 34 567", 0.99, {"faq/contact": 0.99}), thresholds=TH) == "no_question"
    assert decide(_parse("Storgata 5", 0.99, {"faq/report_fault": 0.99}), thresholds=TH) == "no_question"
    assert decide(_parse("Kari", 0.8, {"faq/jobs": 0.8}), thresholds=TH) == "no_question"
    assert decide(_parse("hei", 0.01, {}, intent="greet", confidence=0.99), thresholds=TH) is None
    signed = _parse("Best regards, Tom", 0.01, {}, intent="other_language", confidence=0.9)
    assert decide(signed, thresholds=TH) == "no_question"
    thanks = _parse("mvh Kari, og takk for hjelpen", 0.01, {}, intent="thanks", confidence=0.9)
    assert decide(thanks, thresholds=TH) is None
    introduced = _parse("my name is Ahmed Yusuf Hassan", 0.01, {}, intent="change_details", confidence=0.9)
    assert decide(introduced, thresholds=TH) == "no_question"
    greeted = _parse("hei, jeg heter Kari", 0.01, {}, intent="greet", confidence=0.9)
    assert decide(greeted, thresholds=TH) is None


def test_a_single_word_is_no_question_however_sure_the_model_is() -> None:
    """«skatt» typed alone does not say what about it: the bot asks (issue 12)."""
    assert decide(_parse("skatt", 0.99, {"faq/tax_card_and_return": 0.99}), thresholds=TH) == "no_question"
    assert decide(_parse("parkering", 0.99, {"faq/parking_city_centre": 0.95}), thresholds=TH) == "no_question"
    # An answer's title is a label: typed alone, it is answered («Eiendomsskatt»).
    assert decide(_parse("eiendomsskatt", 0.99, {"faq/property_tax": 0.99}), thresholds=TH) is None


def test_a_topic_label_is_answered_however_sure_the_model_is() -> None:
    """A pressed «Mente du …?» button sends the label."""
    assert decide(_parse("Skjenkeløyve", 0.6, {"faq/alcohol_licence": 0.5, "faq/jobs": 0.45}), thresholds=TH) is None


def test_a_button_payload_is_left_alone() -> None:
    assert decide(_parse("/out_of_scope", 0.0, {}, intent="out_of_scope", confidence=1.0), thresholds=TH) is None


def _message(parse: dict[str, Any]) -> Message:
    message = Message(data={"text": parse["text"]})
    message.set("intent", parse["intent"], add_to_output=True)
    message.set("intent_ranking", parse["intent_ranking"], add_to_output=True)
    message.set("response_selector", parse["response_selector"], add_to_output=True)
    return message


def test_the_component_sets_the_intent_keeps_the_ranking_and_says_if_the_topic_was_sure() -> None:
    message = _message(_parse("barnehage", 0.9, {"faq/kindergarten_fees": 0.5, "faq/kindergarten_apply": 0.5}))
    TopicCertainty().process([message])
    assert message.get("intent")["name"] == "no_question"
    assert [r["name"] for r in message.get("intent_ranking")] == ["no_question", "faq", "out_of_scope"]
    assert message.get("topic_sure") is False
    sure = _message(_parse("hva koster barnehage", 0.99, {"faq/kindergarten_fees": 0.99}))
    TopicCertainty().process([sure])
    assert sure.get("intent")["name"] == "faq" and sure.get("topic_sure") is True
