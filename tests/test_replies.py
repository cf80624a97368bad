"""What the bot answers when unsure, to no question, to follow-ups and after a safety answer (bot/replies.py)."""

from __future__ import annotations

import pytest

from bot import replies
from bot.certainty import Thresholds

TH = Thresholds(topic=0.5, topic_lead=0.15, intent=0.5, choice=0.08, choice_share=0.25, switch=0.4)


def _user(intent: str, text: str = "…") -> dict:
    return {"event": "user", "text": text, "parse_data": {"intent": {"name": intent}}}


def _answer(topic: str) -> dict:
    return {"event": "bot", "metadata": {"utter_action": f"utter_{topic}"}}


def _parse(text: str, intent: str, faq: float = 0.0, subs: dict[str, float] | None = None) -> dict:
    return {
        "text": text,
        "intent": {"name": intent, "confidence": 1.0},
        "intent_ranking": [{"name": intent, "confidence": 1.0}, {"name": "faq", "confidence": faq}],
        "response_selector": {
            "faq": {"ranking": [{"intent_response_key": k, "confidence": c} for k, c in (subs or {}).items()]}
        },
    }


def test_the_last_topic_is_the_latest_answer_before_the_message() -> None:
    events = [_user("faq"), _answer("faq/waste"), _user("thanks"), _user("follow_up")]
    assert replies.last_topic(events) == "faq/waste"
    follow_up_answer = {"event": "bot", "metadata": {"utter_action": "utter_follow_up_price", "topic_key": "faq/jobs"}}
    assert replies.last_topic([_user("faq"), follow_up_answer, _user("follow_up")]) == "faq/jobs"


def test_a_thumbs_vote_in_between_keeps_the_topic() -> None:
    """«👍 Ja», «Takk for at du sa fra!», then «hva koster det?»: still about the answer voted on."""
    thanks = {"event": "bot", "metadata": {"utter_action": "utter_feedback"}}
    events = [_user("faq"), _answer("faq/waste"), _user("feedback"), thanks, _user("follow_up")]
    assert replies.last_topic(events) == "faq/waste"


def test_after_the_urgent_health_answer_a_follow_up_asks_about_the_legevakt() -> None:
    """«Ring legevakten på 116 117 …», then «må jeg ringe først?»: the legevakt answer's parts."""
    urgent = {"event": "bot", "metadata": {"utter_action": "utter_urgent_health"}}
    events = [_user("urgent_health"), urgent, _user("follow_up")]
    assert replies.last_topic(events) == "faq/out_of_hours_clinic"
    reply = replies.follow_up(_parse("hva koster det?", "follow_up"), events, TH)
    assert (reply.response, reply.topic) == ("utter_follow_up_price", "faq/out_of_hours_clinic")
    emergency = {"event": "bot", "metadata": {"utter_action": "utter_emergency"}}
    assert replies.last_topic([_user("emergency"), emergency, _user("follow_up")]) is None


def test_a_question_in_between_or_a_new_session_ends_the_topic() -> None:
    assert replies.last_topic([_user("faq"), _answer("faq/waste"), _user("out_of_scope"), _user("follow_up")]) is None
    session = [_user("faq"), _answer("faq/waste"), {"event": "session_started"}, _user("follow_up")]
    assert replies.last_topic(session) is None


def test_a_follow_up_gets_its_facet_of_the_last_topic() -> None:
    events = [_user("faq"), _answer("faq/alcohol_licence"), _user("follow_up")]
    reply = replies.follow_up(_parse("hvor lang tid tar det?", "follow_up"), events, TH)
    assert (reply.response, reply.topic) == ("utter_follow_up_processing_time", "faq/alcohol_licence")


def test_can_i_appeal_gets_the_answers_own_part_else_the_answer_on_appeals() -> None:
    """Six weeks for property tax (its part «klage»); «som regel tre uker» after an answer with no such part."""
    asked = _parse("kan jeg klage?", "follow_up")
    events = [_user("faq"), _answer("faq/property_tax"), _user("follow_up")]
    reply = replies.follow_up(asked, events, TH)
    assert (reply.response, reply.topic) == ("utter_follow_up_complaint", "faq/property_tax")
    events = [_user("faq"), _answer("faq/waste"), _user("follow_up")]
    reply = replies.follow_up(asked, events, TH)
    assert (reply.response, reply.topic) == ("utter_faq/complaint", "faq/complaint")
    events = [_user("faq"), _answer("faq/complaint"), _user("follow_up")]
    assert replies.follow_up(asked, events, TH).response == "utter_follow_up_complaint"


def test_a_follow_up_reading_with_no_topic_before_it_gets_the_topic_it_names_when_sure() -> None:
    """«hva gjør jeg hvis jeg ikke har bankid» as a first message: read without the follow-up reading."""
    events = [_user("follow_up")]
    parse = _parse("hva gjør jeg hvis jeg ikke har bankid", "follow_up", faq=0.11, subs={"faq/login": 0.98})
    parse["intent_ranking"][0]["confidence"] = 0.88
    assert replies.follow_up(parse, events, TH).topic == "faq/login"
    unsure = _parse("hva gjør jeg hvis det skjer igjen", "follow_up", faq=0.05, subs={"faq/login": 0.4})
    unsure["intent_ranking"] = [{"name": "follow_up", "confidence": 0.9}, {"name": "faq", "confidence": 0.05},
                                {"name": "out_of_scope", "confidence": 0.05}]  # fmt: skip
    assert replies.follow_up(unsure, events, TH).response == "utter_follow_up_no_topic"


def test_a_first_message_read_as_a_follow_up_is_answered_when_the_library_is_sure() -> None:
    """«… hva gjør jeg»: DIET reads a follow-up and almost no question; the library decides."""
    events = [_user("follow_up")]
    parse = _parse("jeg har fått veps under taket, hva gjør jeg", "follow_up", faq=0.01, subs={"faq/pests_rats": 0.9})
    parse["intent_ranking"] = [{"name": "follow_up", "confidence": 0.75}, {"name": "urgent_health", "confidence": 0.08},
                               {"name": "faq", "confidence": 0.01}]  # fmt: skip
    assert replies.follow_up(parse, events, TH).topic == "faq/pests_rats"
    close = _parse("hva gjør jeg med det", "follow_up", subs={"faq/pests_rats": 0.45, "faq/waste": 0.4})
    assert replies.follow_up(close, events, TH).response == "utter_follow_up_no_topic"  # not «Mente du …?»
    after_topic = [_user("faq"), _answer("faq/waste"), _user("follow_up")]
    reply = replies.follow_up(
        _parse("hvor lang tid tar det?", "follow_up", subs={"faq/pests_rats": 0.9}), after_topic, TH
    )
    assert reply.topic == "faq/waste"  # after an answer, the same reading is a follow-up on it


def test_a_follow_up_that_names_another_topic_switches_to_it() -> None:
    events = [_user("faq"), _answer("faq/kindergarten_apply"), _user("follow_up")]
    parse = _parse("og hva koster barnehage da?", "follow_up", faq=0.6, subs={"faq/kindergarten_fees": 0.9})
    reply = replies.follow_up(parse, events, TH)
    assert (reply.response, reply.topic) == ("utter_faq/kindergarten_fees", "faq/kindergarten_fees")


def test_a_follow_up_that_only_asks_for_a_facet_stays_on_the_topic_whatever_the_library_names() -> None:
    """«hvilke dokumenter trenger jeg?» after support contact asks for its papers, not for access to documents."""
    events = [_user("faq"), _answer("faq/support_contact"), _user("follow_up")]
    for text, facet in (
        ("Hvilke dokumenter trenger jeg?", "documents"),
        ("Hva er åpningstidene?", "hours"),
        ("Er det gratis for lag og foreninger?", "price"),
    ):
        parse = _parse(text, "follow_up", faq=0.6, subs={"faq/public_records": 0.9})
        reply = replies.follow_up(parse, events, TH)
        assert (reply.response, reply.topic) == (f"utter_follow_up_{facet}", "faq/support_contact"), text


def test_a_short_question_only_fairly_sure_of_another_topic_right_after_an_answer_is_more_of_it() -> None:
    """«hvor mye kan jeg låne maks?» after the start loan: the library's «låne», not the library."""
    th = Thresholds(stay=0.5)
    events = [_user("faq"), _answer("faq/start_loan"), _user("faq")]
    subs = {"faq/library": 0.42, "faq/start_loan": 0.02}
    fairly = _parse("hvor mye kan jeg låne maks?", "faq", faq=1.0, subs=subs)
    reply = replies.question_in_context(fairly, events, th)
    assert reply is not None and reply.topic == "faq/start_loan"
    sure = _parse("hvordan får jeg lånekort på biblioteket?", "faq", faq=1.0, subs={"faq/library": 0.9})
    assert replies.question_in_context(sure, events, th) is None
    assert replies.question_in_context(fairly, [_user("faq")], th) is None  # no answer before it
    long = _parse("hvor mye kan jeg låne maks av bøker og filmer på en gang med vanlig lånekort?", "faq", 1.0, subs)
    assert replies.question_in_context(long, events, th) is None
    label = _parse("Bibliotek og lånekort", "faq", faq=1.0, subs=subs)  # a pressed «Mente du …?» button
    assert replies.question_in_context(label, events, th) is None


def test_the_same_asked_for_another_group_stays_on_the_topic() -> None:
    """«and for adults?» after swimming lessons for children: DIET names adult education, the citizen does not."""
    events = [_user("faq"), _answer("faq/swimming_pool"), _user("follow_up")]
    parse = _parse("and for adults?", "follow_up", faq=0.9, subs={"faq/adult_primary_education": 0.9})
    assert replies.follow_up(parse, events, TH).topic == "faq/swimming_pool"
    named = _parse("og barnehage da?", "follow_up", faq=0.9, subs={"faq/kindergarten_apply": 0.9})
    assert replies.follow_up(named, events, TH).topic == "faq/kindergarten_apply"


def test_a_question_misread_as_a_goodbye_after_an_answer_is_a_follow_up_on_it() -> None:
    """«må vi ha vakter?» after the answer on public events: DIET read a goodbye (0.52)."""
    events = [_user("faq"), _answer("faq/public_events"), _user("nlu_fallback")]
    reply = replies.misunderstanding(_parse("må vi ha vakter?", "nlu_fallback"), events, TH)
    assert reply.topic == "faq/public_events"


def test_a_follow_up_without_a_topic_asks_which_service() -> None:
    assert replies.follow_up(_parse("hva koster det", "follow_up"), [_user("follow_up")], TH).response == (
        "utter_follow_up_no_topic"
    )


def test_an_elliptic_unsure_message_after_an_answer_stays_on_that_topic() -> None:
    events = [_user("faq"), _answer("faq/waste"), _user("nlu_fallback")]
    reply = replies.misunderstanding(_parse("og glass?", "nlu_fallback", 0.3, {"faq/jobs": 0.5}), events, TH)
    assert (reply.response, reply.topic) == ("utter_follow_up_more", "faq/waste")


def test_close_topics_are_offered_and_nothing_close_gets_i_dont_know() -> None:
    torn = _parse(
        "x y z", "nlu_fallback", 0.9, {"faq/kindergarten_fees": 0.5, "faq/kindergarten_apply": 0.4, "faq/jobs": 0.02}
    )
    reply = replies.misunderstanding(torn, [_user("nlu_fallback")], TH)
    assert (reply.response, reply.miss_kind, reply.topics) == (
        "utter_which_topic",
        "which_topic",
        ("faq/kindergarten_fees", "faq/kindergarten_apply"),
    )
    nothing = _parse("hvordan søker jeg startlån", "nlu_fallback", 0.1, {"faq/kindergarten_apply": 0.4})
    assert replies.misunderstanding(nothing, [_user("nlu_fallback")], TH).miss_kind == "dont_know"


def test_no_question_asks_what_it_is_about_and_a_single_word_offers_its_topics() -> None:
    name = replies.misunderstanding(_parse("Ola Nordmann", "no_question", 0.9, {"faq/jobs": 0.9}), [], TH)
    assert name.response == "utter_no_question"
    word = replies.misunderstanding(_parse("søppel", "no_question", 0.9, {"faq/waste": 0.9}), [], TH)
    assert (word.response, word.topics) == ("utter_which_topic", ("faq/waste",))


def test_after_an_emergency_a_sure_question_is_answered_and_nothing_else() -> None:
    mixed = {
        "intent": {"name": "emergency", "confidence": 1.0},
        "intent_ranking": [{"name": "emergency", "confidence": 1.0}, {"name": "faq", "confidence": 0.9}],
        "response_selector": {"faq": {"ranking": [{"intent_response_key": "faq/opening_hours", "confidence": 0.95}]}},
        "topic_sure": True,
    }
    reply = replies.after_safety(mixed)
    assert reply is not None and reply.response == "utter_faq/opening_hours"
    assert replies.after_safety({**mixed, "topic_sure": False}) is None


@pytest.mark.parametrize(
    "text", ["Mannen min slår meg. Hvor kan jeg dra med barna?", "eksen truer meg", "my husband beats me"]
)
def test_after_the_emergency_numbers_violence_at_home_gets_the_crisis_centre(text: str) -> None:
    violence = {
        "text": text,
        "intent": {"name": "emergency", "confidence": 1.0},
        "intent_ranking": [{"name": "emergency", "confidence": 1.0}, {"name": "follow_up", "confidence": 0.9}],
        "topic_sure": False,
    }
    reply = replies.after_safety(violence)
    assert reply is not None and reply.topic == "faq/domestic_violence_shelter"
    fire = {**violence, "text": "det brenner hos naboen, hvor kan jeg dra med barna?"}
    assert replies.after_safety(fire) is None
    urgent = {**violence, "intent": {"name": "urgent_health", "confidence": 1.0}}
    assert replies.after_safety(urgent) is None


def test_the_safety_answer_is_not_repeated_in_the_same_turn() -> None:
    said = [_user("emergency"), {"event": "bot", "metadata": {"utter_action": "utter_emergency"}}]
    assert replies.said_since_last_message(said, "utter_emergency")
    assert not replies.said_since_last_message([*said, _user("emergency")], "utter_emergency")


def test_a_long_message_is_a_follow_up_only_when_the_classifier_says_so() -> None:
    events = [_user("faq"), _answer("faq/nav"), _user("follow_up")]
    long_follow_up = _parse("må jeg møte opp på kontoret eller kan jeg gjøre alt på nett?", "follow_up")
    assert replies.follow_up(long_follow_up, events, TH).topic == "faq/nav"
    long_unsure = _parse("hvordan kan jeg få hjelp til å betale strømregningen denne vinteren da", "nlu_fallback")
    assert replies.misunderstanding(long_unsure, events, TH).miss_kind == "dont_know"


def test_a_short_unsure_message_right_after_an_answer_is_a_follow_up_on_it() -> None:
    events = [_user("faq"), _answer("faq/disabled_parking"), _user("nlu_fallback")]
    unsure = _parse("holder det med en erklæring fra fysioterapeuten?", "nlu_fallback")
    assert replies.misunderstanding(unsure, events, TH).topic == "faq/disabled_parking"
    vague = _parse("who books it, me or you?", "out_of_scope")
    vague["intent"]["confidence"] = 0.9
    assert replies.misunderstanding(vague, events, TH).topic == "faq/disabled_parking"


def test_a_clear_new_question_or_contact_details_after_an_answer_are_not_follow_ups() -> None:
    events = [_user("faq"), _answer("faq/disabled_parking"), _user("out_of_scope")]
    new_question = _parse("hvordan får jeg fastlege?", "out_of_scope")
    new_question["intent"]["confidence"] = 0.99
    assert replies.misunderstanding(new_question, events, TH).miss_kind == "dont_know"
    for text in ("kari.nordmann@example.no", "Kari Nordmann", "41234567"):
        assert replies.misunderstanding(_parse(text, "no_question"), events, TH).miss_kind == "no_question"
    assert replies.misunderstanding(_parse("asdf", "no_question"), events, TH).miss_kind == "no_question"


def test_a_sure_out_of_scope_question_that_points_back_is_a_follow_up() -> None:
    events = [_user("faq"), _answer("faq/kindergarten_apply"), _user("out_of_scope")]
    for text in ("can we choose which one?", "kan jeg komme dit uten avtale?", "does it work on the train too?"):
        pointing = _parse(text, "out_of_scope")
        pointing["intent"]["confidence"] = 0.99
        assert replies.misunderstanding(pointing, events, TH).topic == "faq/kindergarten_apply", text
    for text in ("is there a school bus for my son?", "how do I get a GP?"):  # «is there» points nowhere
        new_question = _parse(text, "out_of_scope")
        new_question["intent"]["confidence"] = 0.99
        assert replies.misunderstanding(new_question, events, TH).miss_kind == "dont_know", text


def test_an_elliptic_start_with_a_service_of_its_own_is_a_new_question() -> None:
    events = [_user("faq"), _answer("faq/kindergarten_fees"), _user("follow_up")]
    for text in ("og helsestasjonen, når har den åpent?", "and the swimming pool, when is it open?"):
        assert replies.misunderstanding(_parse(text, "out_of_scope"), events, TH).miss_kind == "dont_know", text
        assert replies.follow_up(_parse(text, "follow_up"), events, TH).topic is None, text
    # A subject of the citizen's own is the same matter; a topic the bot knows switches to it.
    own = _parse("og dattera mi, kan hun også få plass?", "follow_up")
    assert replies.follow_up(own, events, TH).topic == "faq/kindergarten_fees"
    # A group of people the answer may be for is who it is for, not a service of its own.
    group = replies.follow_up(_parse("og for pensjonister med minstepensjon, blir det dyrt?", "follow_up"), events, TH)
    assert (group.response, group.topic) == ("utter_follow_up_price", "faq/kindergarten_fees")
    known = _parse("og eiendomsskatten, går den opp da?", "follow_up", faq=0.9, subs={"faq/property_tax": 0.9})
    assert replies.follow_up(known, events, TH).topic == "faq/property_tax"


def test_after_a_false_alarm_of_the_classifier_the_question_still_gets_its_honest_answer() -> None:
    """«Har barn rett på gratis skoleskyss …?» flagged by the classifier alone: one extra line, not the answer."""
    flagged = {
        "text": "Har barn i 1. klasse rett på gratis skoleskyss når de bor 3 km fra skolen?",
        "intent": {"name": "emergency", "confidence": 1.0},
        "intent_ranking": [{"name": "emergency", "confidence": 1.0}, {"name": "out_of_scope", "confidence": 0.99}],
        "topic_sure": False,
        "safety_by_pattern": False,
    }
    reply = replies.after_safety(flagged, [])
    assert reply is not None and reply.response == "utter_dont_know"
    assert replies.after_safety({**flagged, "safety_by_pattern": True}, []) is None  # a pattern is sure
    statement = {**flagged, "text": "mamma er så rar og forvirret i kveld"}
    assert replies.after_safety(statement, []) is None  # no question: the safety answer stands alone
    diet_agrees = {**flagged, "intent_ranking": [flagged["intent_ranking"][0], {"name": "urgent_health"}]}
    assert replies.after_safety(diet_agrees, []) is None


def test_words_naming_another_subject_after_an_answer_are_not_more_of_it() -> None:
    """«tannlege for born» after the pregnancy answer is no follow-up on pregnancy (nor its link)."""
    events = [_user("faq"), _answer("faq/pregnancy_checkups"), _user("follow_up")]
    dental = _parse("tannlege for born", "follow_up", faq=0.1, subs={"faq/dental_care": 0.7})
    assert replies.follow_up(dental, events, TH).topic is None
    bill = _parse("water and rubbish bill", "nlu_fallback", faq=0.9, subs={"faq/municipal_fees": 0.3, "faq/waste": 0.3})
    reply = replies.misunderstanding(bill, events, TH)
    assert reply.miss_kind == "which_topic" and "faq/pregnancy_checkups" not in reply.topics
    # Asking, pointing back or asking for more stays on the topic just answered.
    for text in ("mer info", "tell me more", "is there a waiting list", "hva gjør jeg da", "og glass?"):
        assert replies.follow_up(_parse(text, "follow_up"), events, TH).topic == "faq/pregnancy_checkups", text


def test_the_library_ranks_a_message_read_as_a_follow_up_but_not_a_greeting() -> None:
    """A first message read as a follow-up is answered from the library's ranking, so it must have one."""
    from rasa.shared.nlu.training_data.message import Message

    from bot.nlu.library import _may_ask_library

    def message(ranking: list[tuple[str, float]]) -> Message:
        items = [{"name": name, "confidence": c} for name, c in ranking]
        return Message(data={"text": "…", "intent": items[0], "intent_ranking": items})

    assert _may_ask_library(message([("follow_up", 0.75), ("urgent_health", 0.08), ("faq", 0.01)]))
    assert _may_ask_library(message([("faq", 0.9), ("greet", 0.1)]))
    assert not _may_ask_library(message([("greet", 0.98), ("faq", 0.01)]))
