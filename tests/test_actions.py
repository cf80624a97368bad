"""Every custom action, called the way the action server calls it."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.actions import (
    ActionAnswerFollowUp,
    ActionCheckStatus,
    ActionHandleMisunderstanding,
    ActionSubmitTicket,
    ValidateStatusForm,
    ValidateTicketForm,
)
from bot import cases

DOMAIN: dict[str, Any] = {
    "forms": {
        "ticket_form": {"required_slots": ["ticket_summary", "contact_name", "contact_method", "ticket_consent"]},
        "status_form": {"required_slots": ["status_reference", "status_contact"]},
    },
    "slots": {},
}


def _tracker(
    slots: dict[str, Any] | None = None,
    events: list[dict] | None = None,
    text: str = "",
    parse: dict | None = None,
    sender: str = "citizen-1",
) -> Tracker:
    latest = {"text": text, **(parse or {"intent": {"name": "affirm", "confidence": 1.0}})}
    events = (
        events
        if events is not None
        else [
            {
                "event": "user",
                "text": "søpla er ikke hentet",
                "parse_data": {
                    "intent": {"name": "faq"},
                    "response_selector": {"faq": {"response": {"intent_response_key": "faq/waste"}}},
                },
                "input_channel": "rest",
            },
            {"event": "active_loop", "name": "ticket_form", "timestamp": 1700000000.0},
            {"event": "user", "text": text, "parse_data": latest, "input_channel": "rest"},
        ]
    )
    return Tracker(sender, slots or {}, latest, events, False, None, {}, "action_listen")


def _run(action: Any, tracker: Tracker) -> tuple[list[dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, DOMAIN))
    return events, dispatcher


def _slots(events: list[dict]) -> dict[str, Any]:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}


@pytest.mark.parametrize("typed,expected", [("912 34 567", "91 23 45 67"), ("Kari@Example.no", "kari@example.no")])
def test_contact_is_validated_and_shown_normalised(typed: str, expected: str) -> None:
    result = ValidateTicketForm().validate_contact_method(typed, CollectingDispatcher(), _tracker(), DOMAIN)
    assert result == {"contact_method": expected, "contact_invalid": False}


def test_invalid_contact_is_asked_again() -> None:
    result = ValidateTicketForm().validate_contact_method("ring meg", CollectingDispatcher(), _tracker(), DOMAIN)
    assert result == {"contact_method": None, "contact_invalid": True}


def test_name_drops_the_lead_in() -> None:
    result = ValidateTicketForm().validate_contact_name(
        "Jeg heter Kari Nordmann", CollectingDispatcher(), _tracker(), DOMAIN
    )
    assert result == {"contact_name": "Kari Nordmann"}


@pytest.mark.parametrize(
    "text,cleared",
    [
        ("jeg vil endre navnet", {"contact_name"}),
        ("telefonnummeret er feil", {"contact_method"}),
        ("endre", {"ticket_summary", "contact_name", "contact_method"}),
    ],
)
def test_change_at_confirmation_clears_what_to_ask_again(text: str, cleared: set[str]) -> None:
    tracker = _tracker(text=text)
    result = ValidateTicketForm().validate_ticket_consent("change", CollectingDispatcher(), tracker, DOMAIN)
    assert result.pop("ticket_consent") is None
    assert set(result) == cleared and all(v is None for v in result.values())


def test_form_validation_runs_through_the_sdk() -> None:
    tracker = _tracker(
        slots={"requested_slot": "contact_method", "contact_method": "0047 912 34 567"},
        events=[
            {"event": "user", "text": "0047 912 34 567", "parse_data": {}},
            {"event": "slot", "name": "contact_method", "value": "0047 912 34 567"},
        ],
        text="0047 912 34 567",
    )
    events, _ = _run(ValidateTicketForm(), tracker)
    assert _slots(events)["contact_method"] == "91 23 45 67"


SUBMITTED = {
    "ticket_summary": "Søppeldunken er ikke tømt",
    "contact_name": "Kari",
    "contact_method": "91 23 45 67",
    "ticket_consent": "yes",
}


def test_submit_creates_one_ticket_and_gives_the_reference(db_url: str) -> None:
    events, _ = _run(ActionSubmitTicket(), _tracker(SUBMITTED))
    slots = _slots(events)
    assert slots["ticket_outcome"] == "created"
    ticket = cases.get_ticket(slots["ticket_reference"])
    assert ticket is not None
    assert (ticket.topic, ticket.channel, ticket.conversation_id, ticket.language) == (
        "faq/waste",
        "rest",
        "citizen-1",
        "nb",
    )
    assert all(slots[s] is None for s in ("ticket_summary", "contact_name", "contact_method", "ticket_consent"))
    again, _ = _run(ActionSubmitTicket(), _tracker(SUBMITTED))
    assert _slots(again)["ticket_reference"] == ticket.reference


def test_no_consent_stores_nothing(db_url: str) -> None:
    events, _ = _run(ActionSubmitTicket(), _tracker({**SUBMITTED, "ticket_consent": "no"}))
    assert _slots(events)["ticket_outcome"] == "no_consent"
    assert "ticket_reference" not in _slots(events)


def test_a_form_set_aside_for_questions_stores_nothing_and_says_so(db_url: str) -> None:
    events, _ = _run(ActionSubmitTicket(), _tracker({**SUBMITTED, "form_set_aside": True}))
    slots = _slots(events)
    assert slots["ticket_outcome"] == "set_aside" and slots["form_set_aside"] is None
    assert "ticket_reference" not in slots
    assert all(slots[s] is None for s in ("ticket_summary", "contact_name", "contact_method", "ticket_consent"))
    lookup = {"status_reference": "SK-2026-00001", "status_contact": "kari@example.no", "form_set_aside": True}
    looked, _ = _run(ActionCheckStatus(), _tracker(lookup))
    assert _slots(looked)["case_status_result"] == "set_aside" and _slots(looked)["form_set_aside"] is None


def test_database_down_never_claims_a_ticket(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    events, _ = _run(ActionSubmitTicket(), _tracker(SUBMITTED))
    # The answers stay for a second try; the consent is asked again then.
    assert _slots(events) == {"ticket_outcome": "failed", "ticket_reference": None, "ticket_consent": None}


def test_status_reference_is_parsed() -> None:
    validate = ValidateStatusForm()
    assert validate.validate_status_reference("sk 2026 42", CollectingDispatcher(), _tracker(), DOMAIN) == {
        "status_reference": "SK-2026-00042",
        "status_reference_invalid": False,
    }
    assert validate.validate_status_reference("vet ikke", CollectingDispatcher(), _tracker(), DOMAIN) == {
        "status_reference": None,
        "status_reference_invalid": True,
    }


def test_status_lookup_tells_status_only_for_the_right_pair(db_url: str) -> None:
    ticket = cases.create_ticket(cases.NewTicket("k", "c", "rest", "faq/waste", "x", "nb", "Kari", "kari@example.no"))
    cases.transition(ticket.reference, cases.Status.IN_PROGRESS, actor="per")
    right, _ = _run(
        ActionCheckStatus(), _tracker({"status_reference": ticket.reference, "status_contact": "kari@example.no"})
    )
    wrong, _ = _run(
        ActionCheckStatus(), _tracker({"status_reference": ticket.reference, "status_contact": "ola@example.no"})
    )
    unknown, _ = _run(
        ActionCheckStatus(), _tracker({"status_reference": "SK-2026-99999", "status_contact": "kari@example.no"})
    )
    assert _slots(right)["case_status_result"] == "in_progress"
    assert _slots(wrong)["case_status_result"] == _slots(unknown)["case_status_result"] == "not_found"
    assert _slots(right)["status_reference"] is None


def test_trying_references_in_turn_makes_the_conversation_and_the_client_wait(db_url: str) -> None:
    ticket = cases.create_ticket(cases.NewTicket("k", "c", "rest", "faq/waste", "x", "nb", "Kari", "91234567"))
    right = {"status_reference": ticket.reference, "status_contact": "91234567"}

    def lookup(slots: dict, sender: str, client: str = "klient-a") -> str:
        parse = {"intent": {"name": "inform"}, "metadata": {"sk_client": client}}
        events, _ = _run(ActionCheckStatus(), _tracker(slots, parse=parse, sender=sender))
        return _slots(events)["case_status_result"]

    guesses = [{"status_reference": f"SK-2026-{n:05d}", "status_contact": "91234567"} for n in range(900, 920)]
    assert [lookup(g, "samtale-1") for g in guesses[:3]] == ["not_found"] * 3
    # The fourth waits, and while it waits even the right pair tells nothing.
    assert lookup(guesses[3], "samtale-1") == "wait"
    assert lookup(right, "samtale-1") == "wait"
    # A new conversation id per guess does not help: the client is counted too.
    for number, guess in enumerate(guesses[3:10]):
        assert lookup(guess, f"ny-samtale-{number}") == "not_found"
    assert lookup(right, "enda-en-samtale") == "wait"
    assert lookup(right, "en-annen-innbygger", client="klient-b") == "new"


def test_status_lookup_with_database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    events, _ = _run(ActionCheckStatus(), _tracker({"status_reference": "SK-2026-00001", "status_contact": "91234567"}))
    assert _slots(events)["case_status_result"] == "error"


def _miss(intent: str) -> dict:
    return {"event": "user", "text": "?", "parse_data": {"intent": {"name": intent}}}


def _unsure(subs: dict[str, float], faq: float = 0.9, text: str = "hmm") -> dict:
    return {
        "text": text,
        "intent": {"name": "nlu_fallback"},
        "intent_ranking": [{"name": "nlu_fallback", "confidence": 1.0}, {"name": "faq", "confidence": faq}],
        "response_selector": {
            "faq": {"ranking": [{"intent_response_key": k, "confidence": c} for k, c in subs.items()]}
        },
    }


def test_an_unknown_question_gets_i_dont_know_and_misses_in_a_row_an_offer_of_a_person() -> None:
    oos = {"intent": {"name": "out_of_scope"}, "intent_ranking": []}
    first, dispatcher = _run(ActionHandleMisunderstanding(), _tracker(events=[_miss("out_of_scope")], parse=oos))
    assert _slots(first) == {"miss_kind": "dont_know"}
    assert dispatcher.messages[0]["response"] == "utter_dont_know"
    # «I don't know» offers a person itself; a third «what is it about?» in a row becomes that offer.
    no_question = {"text": "Kari", "intent": {"name": "no_question"}, "intent_ranking": []}
    misses = [_miss("no_question"), _miss("nlu_fallback"), _miss("no_question")]
    third, dispatcher = _run(ActionHandleMisunderstanding(), _tracker(events=misses, parse=no_question))
    assert _slots(third) == {"miss_kind": "offer_person"}
    assert dispatcher.messages[0]["response"] == "utter_offer_person"


def test_close_topics_are_offered_as_buttons_in_the_conversations_language() -> None:
    parse = _unsure({"faq/kindergarten_fees": 0.5, "faq/kindergarten_apply": 0.45, "faq/waste": 0.05})
    tracker = _tracker(events=[_miss("nlu_fallback")], parse=parse, slots={"language": "nn"})
    events, dispatcher = _run(ActionHandleMisunderstanding(), tracker)
    assert _slots(events) == {"miss_kind": "which_topic"}
    message = dispatcher.messages[0]
    assert message["response"] == "utter_which_topic"
    assert [b["title"] for b in message["buttons"]] == [
        "Betaling for barnehage og SFO",
        "Søkje barnehageplass",
        "Ingen av desse",
    ]
    assert [b["payload"] for b in message["buttons"]][-1] == "/out_of_scope"


def test_a_follow_up_gets_that_facet_of_the_topic_just_answered() -> None:
    answered = [
        {"event": "user", "text": "skjenkebevilling?", "parse_data": {"intent": {"name": "faq"}}},
        {"event": "bot", "text": "…", "metadata": {"utter_action": "utter_faq/alcohol_licence"}},
        {"event": "user", "text": "hva koster det?", "parse_data": {"intent": {"name": "follow_up"}}},
    ]
    parse = {"text": "hva koster det?", "intent": {"name": "follow_up", "confidence": 0.9}}
    events, dispatcher = _run(ActionAnswerFollowUp(), _tracker(events=answered, parse=parse, text="hva koster det?"))
    assert events == []
    message = dispatcher.messages[0]
    assert message["response"] == "utter_follow_up_price"
    assert message["topic"] == "Skjenkebevilling"
    assert message["topic_key"] == "faq/alcohol_licence"
    assert message["topic_link"].startswith("https://")


def test_a_follow_up_with_no_topic_before_it_asks_which_service() -> None:
    parse = {"text": "hva koster det?", "intent": {"name": "follow_up", "confidence": 0.9}}
    _, dispatcher = _run(ActionAnswerFollowUp(), _tracker(events=[_miss("follow_up")], parse=parse))
    assert dispatcher.messages[0]["response"] == "utter_follow_up_no_topic"


def _widget_tracker(sender: str = "widget-1") -> Tracker:
    events = [
        {
            "event": "user",
            "text": "søpla er ikke hentet",
            "parse_data": {
                "intent": {"name": "faq"},
                "response_selector": {"faq": {"response": {"intent_response_key": "faq/waste"}}},
            },
            "input_channel": "socketio",
        },
        {"event": "user", "text": "snakke med en person", "parse_data": {}, "input_channel": "socketio"},
    ]
    return _tracker(events=events, sender=sender)


def test_a_person_is_offered_live_only_when_someone_is_there(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from actions.actions import ActionOfferPerson
    from bot.cases import live

    monkeypatch.setattr(live, "can_offer", lambda channel, **_: channel == "socketio")
    events, dispatcher = _run(ActionOfferPerson(), _widget_tracker())
    assert events == [{"event": "slot", "timestamp": None, "name": "live_chat_offer", "value": "available"}]
    assert dispatcher.messages == []
    events, _ = _run(ActionOfferPerson(), _tracker())  # the REST channel cannot take a live chat
    assert events[0]["value"] == "unavailable"


def test_offering_a_person_with_the_database_down_falls_back_to_the_callback_form(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from actions.actions import ActionOfferPerson
    from bot.cases import live

    def down(*_: Any, **__: Any) -> bool:
        raise cases.CaseStoreError("down")

    monkeypatch.setattr(live, "can_offer", down)
    events, _ = _run(ActionOfferPerson(), _widget_tracker())
    assert events[0]["value"] == "unavailable"


def test_starting_a_live_chat_puts_it_in_the_desks_list_once(db_url: str) -> None:
    from actions.actions import ActionStartLiveChat
    from bot.cases import live

    for _ in range(2):
        events, _ = _run(ActionStartLiveChat(), _widget_tracker())
        assert events == []
    chats = live.list_open_chats()
    assert len(chats) == 1
    assert (chats[0].conversation_id, chats[0].channel, chats[0].topic, chats[0].status) == (
        "widget-1",
        "socketio",
        "faq/waste",
        "waiting",
    )


def test_every_form_finds_the_contact_inside_a_sentence() -> None:
    """The ticket form and the status form accept what the interpreter form accepts (bot.cases.find_contact)."""
    dispatcher, tracker = CollectingDispatcher(), _tracker()
    ticket = ValidateTicketForm().validate_contact_method("ring meg på 912 34 567", dispatcher, tracker, DOMAIN)
    assert ticket == {"contact_method": "91 23 45 67", "contact_invalid": False}
    status = ValidateStatusForm().validate_status_contact("nummeret mitt er 912 34 567", dispatcher, tracker, DOMAIN)
    assert status == {"status_contact": "91 23 45 67", "status_contact_invalid": False}


def test_the_interpreter_contact_is_found_inside_a_sentence_in_any_language() -> None:
    from actions.actions import ValidateInterpreterForm

    validate = ValidateInterpreterForm().validate_interpreter_contact
    tracker, dispatcher = _tracker(), CollectingDispatcher()
    assert validate("mój numer to 912 34 567", dispatcher, tracker, DOMAIN)["interpreter_contact"] == "91 23 45 67"
    assert validate("بريدي ali@example.no", dispatcher, tracker, DOMAIN)["interpreter_contact"] == "ali@example.no"
    assert validate("не знаю", dispatcher, tracker, DOMAIN) == {"interpreter_contact": None, "contact_invalid": True}


def test_an_interpreter_ticket_records_the_language(db_url: str) -> None:
    from actions.actions import ActionSubmitInterpreterTicket
    from bot.desk.labels import language_label

    tracker = _tracker(slots={"language": "pl", "interpreter_contact": "912 34 567"}, sender="pl-1")
    events, _ = _run(ActionSubmitInterpreterTicket(), tracker)
    reference = next(e["value"] for e in events if e.get("name") == "ticket_reference")
    ticket = cases.get_ticket(reference)
    assert (ticket.language, ticket.topic, ticket.contact_phone) == ("pl", "faq/interpreter", "+4791234567")
    assert "polsk" in ticket.summary
    assert language_label(ticket.language) == "Trenger tolk: polsk"
    assert language_label("nn") == "Nynorsk"
    again, _ = _run(ActionSubmitInterpreterTicket(), tracker)  # a retry makes no second ticket
    assert next(e["value"] for e in again if e.get("name") == "ticket_reference") == reference


@pytest.mark.parametrize(
    "form,asked,marker",
    [
        (ValidateTicketForm, "contact_name", None),
        (ValidateTicketForm, "contact_method", "contact_invalid"),
        (ValidateStatusForm, "status_reference", "status_reference_invalid"),
        (ValidateStatusForm, "status_contact", "status_contact_invalid"),
    ],
)
def test_a_sure_question_where_a_form_asks_for_a_detail_is_answered_and_asked_again(
    form: Any, asked: str, marker: str | None
) -> None:
    question = "Må jeg måke fortauet utenfor huset mitt?"
    tracker = _tracker({"requested_slot": asked}, text=question, parse={"intent": {"name": "faq", "confidence": 0.9}})
    events, dispatcher = _run(form(), tracker)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_faq"]
    assert _slots(events) == {asked: None, **({marker: False} if marker else {})}


_FORM_STARTS = {"event": "active_loop", "name": "ticket_form"}


def _turn(intent: str, *responses: str) -> list[dict]:
    """A message of the citizen's, and the responses the bot gave after it."""
    user = {"event": "user", "text": intent, "parse_data": {"intent": {"name": intent}}}
    return [user, *({"event": "bot", "metadata": {"utter_action": response}} for response in responses)]


@pytest.mark.parametrize(
    "earlier,leaves",
    [
        ([_FORM_STARTS], False),  # the first question: answered, and the form asks again
        ([_FORM_STARTS, *_turn("faq", "utter_faq", "utter_ask_contact_name")], True),  # the second in a row
        ([_FORM_STARTS, *_turn("faq", "utter_faq"), *_turn("inform", "utter_ask_contact_method")], False),
        ([*_turn("faq", "utter_faq"), _FORM_STARTS], False),  # a question before the form does not count
    ],
)
def test_the_second_question_in_a_row_where_a_form_asks_for_a_detail_sets_the_form_aside(
    earlier: list[dict], leaves: bool
) -> None:
    events = [*earlier, *_turn("faq")]
    parse = {"intent": {"name": "faq", "confidence": 0.9}}
    tracker = _tracker({"requested_slot": "contact_name"}, events=events, text="Når har dere åpent?", parse=parse)
    result, dispatcher = _run(ValidateTicketForm(), tracker)
    assert [m.get("response") for m in dispatcher.messages] == ["utter_faq"]
    slots = _slots(result)
    assert slots["contact_name"] is None
    assert (slots.get("form_set_aside"), "requested_slot" in slots) == ((True, True) if leaves else (None, False))
    if leaves:
        assert slots["requested_slot"] is None  # Rasa's form ends on it, and its submit rule follows


def _typed_where_asked(slot: str, text: str, intent: str) -> Tracker:
    """The tracker as the form hands it to validation: the text extracted as the asked slot."""
    latest = {"text": text, "intent": {"name": intent, "confidence": 0.9}}
    events = [
        {"event": "active_loop", "name": "ticket_form", "timestamp": 1700000000.0},
        {"event": "user", "text": text, "parse_data": latest, "input_channel": "rest"},
        {"event": "slot", "name": slot, "value": text},
    ]
    return Tracker("citizen-1", {"requested_slot": slot, slot: text}, latest, events, False, None, {}, "ticket_form")


def test_an_unclear_message_where_a_form_asks_for_a_contact_is_still_checked_as_one() -> None:
    events, dispatcher = _run(ValidateTicketForm(), _typed_where_asked("contact_method", "ring meg", "nlu_fallback"))
    assert dispatcher.messages == []
    assert _slots(events)["contact_invalid"] is True


def test_a_question_as_the_summary_is_the_summary() -> None:
    question = "jeg trenger hjelp med en søknad om bostøtte"
    events, dispatcher = _run(ValidateTicketForm(), _typed_where_asked("ticket_summary", question, "faq"))
    assert dispatcher.messages == []
    assert _slots(events)["ticket_summary"] == question


@pytest.mark.parametrize(
    "typed,name",
    [
        ("Kari Nordmann", "Kari Nordmann"),
        ("Are Hansen", "Are Hansen"),
        ("eg heiter Ola", "Ola"),
        ("How do I apply for a parking permit for the street", None),
        ("kan dere ringe meg?", None),
        ("12345", None),
        ("takk", None),
        ("Tusen takk!", None),
        ("hei", None),
        ("ok", None),
        ("nei", None),
        ("thank you", None),
        ("Jo Nesbø", "Jo Nesbø"),
        ("Heidi Takle", "Heidi Takle"),
    ],
)
def test_a_question_a_sentence_or_a_thanks_is_no_name(typed: str, name: str | None) -> None:
    result = ValidateTicketForm().validate_contact_name(typed, CollectingDispatcher(), _tracker(), DOMAIN)
    assert result == {"contact_name": name}
