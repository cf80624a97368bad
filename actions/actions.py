"""Thin rasa-sdk actions: validate form input and call `bot.cases`. Texts live in domain.yml."""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot import cases, replies
from bot.cases import live
from bot.cases.status_lookups import CLIENT_METADATA_KEY
from bot.cases.vocabulary import Channel
from bot.conversation import submission_key, ticket_topic
from bot.kommune import get_kommune
from bot.languages import language_name
from bot.safety import SAFETY_INTENTS
from bot.sanitize import clean_text, has_visible_text
from bot.topics import NONE_OF_THESE, label

logger = logging.getLogger(__name__)

TICKET_FORM_SLOTS = ["ticket_summary", "contact_name", "contact_method", "ticket_consent"]

# Which answer to re-ask when the citizen wants to change something at the confirmation step.
_CHANGE_TARGETS = [
    (re.compile(r"navn|heter", re.I), ["contact_name"]),
    (re.compile(r"nummer|telefon|tlf|mobil|e-?post|mail|adresse|kontakt", re.I), ["contact_method"]),
    (re.compile(r"sak|spørsmål|skrev|gjeld|beskriv|tekst", re.I), ["ticket_summary"]),
]


def _language(tracker: Tracker) -> str:
    return tracker.get_slot("language") or get_kommune().default_language


class SafetyFirst:
    """Mixed into a form's validation: the safety answer first when the answer names an emergency.

    A form takes whatever the citizen types as the answer it asked for («mor har feber og trenger
    hjemmesykepleie» is a fine summary), so Rasa's rules for the safety intents never get to run
    while the form fills. Here the emergency numbers (or legevakt) come before the form's next
    question.
    """

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        intent = ((tracker.latest_message or {}).get("intent") or {}).get("name")
        if intent in SAFETY_INTENTS and not replies.said_since_last_message(tracker.events, f"utter_{intent}"):
            dispatcher.utter_message(response=f"utter_{intent}")
        return await super().run(dispatcher, tracker, domain)  # type: ignore[misc]


class QuestionsAnswered:
    """Mixed into a form's validation: a question the bot is sure of, typed where the form asks for
    a name, a contact or a case reference, gets its answer, and the form asks again
    (`replies.answers_instead_of_detail`); at the second question in a row it stops asking, and
    the form's submit action sends or looks up nothing (`form_set_aside`)."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        requested = tracker.get_slot("requested_slot")
        if replies.answers_instead_of_detail(requested, tracker.latest_message or {}):
            dispatcher.utter_message(response="utter_faq")
            invalid = replies.DETAIL_SLOTS[requested]
            asked_again = [SlotSet(requested, None), *([SlotSet(invalid, False)] if invalid else [])]
            if replies.questions_in_a_row_in_form(tracker.events) >= replies.QUESTIONS_BEFORE_LEAVING_FORM:
                return [*asked_again, SlotSet("form_set_aside", True), SlotSet("requested_slot", None)]
            return asked_again
        return await super().run(dispatcher, tracker, domain)  # type: ignore[misc]


class ValidateTicketForm(SafetyFirst, QuestionsAnswered, FormValidationAction):
    def name(self) -> str:
        return "validate_ticket_form"

    def validate_ticket_summary(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = " ".join(clean_text(str(value or "")).split())
        return {"ticket_summary": text[:1000] if len(text) >= 2 and has_visible_text(text) else None}

    def validate_contact_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return {"contact_name": cases.contact_name(str(value or ""))}

    def validate_contact_method(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            contact = cases.find_contact(str(value or ""))
        except cases.ContactError:
            return {"contact_method": None, "contact_invalid": True}
        return {"contact_method": contact.display, "contact_invalid": False}

    def validate_ticket_consent(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        if value != "change":
            return {"ticket_consent": value}
        text = tracker.latest_message.get("text") or ""
        targets = [slot for pattern, slots in _CHANGE_TARGETS if pattern.search(text) for slot in slots]
        slots_to_ask = targets or ["ticket_summary", "contact_name", "contact_method"]
        return {"ticket_consent": None, **{slot: None for slot in slots_to_ask}}


class ActionSubmitTicket(Action):
    def name(self) -> str:
        return "action_submit_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = [SlotSet(slot, None) for slot in TICKET_FORM_SLOTS] + [SlotSet("contact_invalid", None)]
        if tracker.get_slot("form_set_aside"):
            return [SlotSet("ticket_outcome", "set_aside"), SlotSet("form_set_aside", None), *reset]
        if tracker.get_slot("ticket_consent") != "yes":
            return [SlotSet("ticket_outcome", "no_consent"), *reset]
        new = cases.NewTicket(
            idempotency_key=submission_key(tracker.sender_id, tracker.events, "ticket_form"),
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or Channel.UNKNOWN.value,
            topic=ticket_topic(tracker.events, "ticket_form", tracker.get_slot("ticket_summary")),
            summary=tracker.get_slot("ticket_summary") or "",
            language=_language(tracker),
            contact_name=tracker.get_slot("contact_name") or "",
            contact=tracker.get_slot("contact_method") or "",
        )
        try:
            ticket = await asyncio.to_thread(cases.create_ticket, new)
        except (cases.CaseStoreError, cases.ContactError):
            logger.exception("Could not create a ticket for conversation %s", tracker.sender_id)
            # The answers are kept; asking for a person again shows them and asks for consent again.
            failed = [SlotSet("ticket_outcome", "failed"), SlotSet("ticket_reference", None)]
            return [*failed, SlotSet("ticket_consent", None)]
        return [SlotSet("ticket_outcome", "created"), SlotSet("ticket_reference", ticket.reference), *reset]


class ValidateStatusForm(SafetyFirst, QuestionsAnswered, FormValidationAction):
    def name(self) -> str:
        return "validate_status_form"

    def validate_status_reference(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        reference = cases.parse_reference(str(value or ""))
        return {"status_reference": reference, "status_reference_invalid": reference is None}

    def validate_status_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            contact = cases.find_contact(str(value or ""))
        except cases.ContactError:
            return {"status_contact": None, "status_contact_invalid": True}
        return {"status_contact": contact.display, "status_contact_invalid": False}


class ActionCheckStatus(Action):
    def name(self) -> str:
        return "action_check_status"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reset = [
            SlotSet("status_reference", None),
            SlotSet("status_contact", None),
            SlotSet("status_reference_invalid", None),
            SlotSet("status_contact_invalid", None),
        ]
        if tracker.get_slot("form_set_aside"):
            return [SlotSet("case_status_result", "set_aside"), SlotSet("form_set_aside", None), *reset]
        reference = tracker.get_slot("status_reference") or ""
        contact = tracker.get_slot("status_contact") or ""
        client = (tracker.latest_message.get("metadata") or {}).get(CLIENT_METADATA_KEY)
        try:
            found = await asyncio.to_thread(cases.checked_lookup, reference, contact, tracker.sender_id, client)
            if found.retry_at is not None:
                result = "wait"
            else:
                result = found.status.value if found.status else "not_found"
        except cases.CaseStoreError:
            logger.exception("Status lookup failed")
            result = "error"
        return [SlotSet("case_status_result", result), *reset]


def _say(dispatcher: CollectingDispatcher, reply: replies.Reply, language: str) -> list[EventType]:
    """Give a `bot.replies.Reply`: its response, «Mente du …?» buttons, the topic it is about."""
    values = replies.response_values(reply, language)
    buttons = [{"title": label(t, language), "payload": label(t, language)} for t in reply.topics]
    if buttons:
        buttons.append({"title": NONE_OF_THESE.get(language, NONE_OF_THESE["nb"]), "payload": "/out_of_scope"})
    dispatcher.utter_message(response=reply.response, buttons=buttons or None, **values)
    return [SlotSet("miss_kind", reply.miss_kind)] if reply.miss_kind else []


class ActionHandleMisunderstanding(Action):
    """A message the bot is not sure of, out of scope, or with no question in it (bot/replies.py)."""

    def name(self) -> str:
        return "action_handle_misunderstanding"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reply = replies.misunderstanding(tracker.latest_message or {}, tracker.events)
        return _say(dispatcher, reply, _language(tracker))


class ActionAnswerFollowUp(Action):
    """«hva koster det?»: that facet of the topic just answered (bot/replies.py)."""

    def name(self) -> str:
        return "action_answer_follow_up"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reply = replies.follow_up(tracker.latest_message or {}, tracker.events)
        return _say(dispatcher, reply, _language(tracker))


class ActionAnswerAfterSafety(Action):
    """After the emergency numbers: the answer to what else the message asked (bot/replies.py).

    Nothing in a live chat with staff: there the staff member answers.
    """

    def name(self) -> str:
        return "action_answer_after_safety"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        reply = replies.after_safety(tracker.latest_message or {}, tracker.events)
        if reply is None:
            return []
        try:
            in_live_chat = await asyncio.to_thread(live.open_chat, tracker.sender_id) is not None
        except cases.CaseStoreError:
            in_live_chat = False
        return [] if in_live_chat else _say(dispatcher, reply, _language(tracker))


class ActionOfferPerson(Action):
    """Talk to a person: a live chat when the office is open and someone is free, else a callback."""

    def name(self) -> str:
        return "action_offer_person"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        channel = tracker.get_latest_input_channel() or ""
        try:
            offer = await asyncio.to_thread(live.can_offer, channel)
        except cases.CaseStoreError:
            logger.exception("Could not check for staff available for a live chat")
            offer = False
        return [SlotSet("live_chat_offer", "available" if offer else "unavailable")]


class ActionStartLiveChat(Action):
    """The citizen chose a live chat: put it in the desk's list. From now on the bot stays silent."""

    def name(self) -> str:
        return "action_start_live_chat"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        try:
            await asyncio.to_thread(
                live.request_chat,
                tracker.sender_id,
                tracker.get_latest_input_channel() or Channel.UNKNOWN.value,
                _language(tracker),
                ticket_topic(tracker.events, "ticket_form"),
            )
        except cases.CaseStoreError:
            logger.exception("Could not start a live chat for conversation %s", tracker.sender_id)
            return [SlotSet("live_chat_offer", "unavailable")]
        return []


class ValidateInterpreterForm(SafetyFirst, FormValidationAction):
    """The phone number or e-mail of a citizen who wants contact with an interpreter."""

    def name(self) -> str:
        return "validate_interpreter_form"

    def validate_interpreter_contact(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        try:
            contact = cases.find_contact(str(value or ""))
        except cases.ContactError:
            return {"interpreter_contact": None, "contact_invalid": True}
        return {"interpreter_contact": contact.display, "contact_invalid": False}


class ActionSubmitInterpreterTicket(Action):
    """A ticket asking staff to contact the citizen with an interpreter in their language."""

    def name(self) -> str:
        return "action_submit_interpreter_ticket"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[EventType]:
        language = tracker.get_slot("language") or "ukjent"
        new = cases.NewTicket(
            idempotency_key=submission_key(tracker.sender_id, tracker.events, "interpreter_form"),
            conversation_id=tracker.sender_id,
            channel=tracker.get_latest_input_channel() or Channel.UNKNOWN.value,
            topic="faq/interpreter",
            summary=f"Ønsker å bli kontaktet med tolk. Språk: {language_name(language)}.",
            language=language,
            contact_name="",
            contact=tracker.get_slot("interpreter_contact") or "",
        )
        reset = [SlotSet("interpreter_contact", None), SlotSet("contact_invalid", None)]
        try:
            ticket = await asyncio.to_thread(cases.create_ticket, new)
        except (cases.CaseStoreError, cases.ContactError):
            logger.exception("Could not create an interpreter ticket for conversation %s", tracker.sender_id)
            return [SlotSet("ticket_outcome", "failed"), SlotSet("ticket_reference", None), *reset]
        return [SlotSet("ticket_outcome", "created"), SlotSet("ticket_reference", ticket.reference), *reset]
