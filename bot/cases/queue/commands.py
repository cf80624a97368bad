"""Working a ticket: claim, release, reassign, internal notes, replies to the citizen, status.

Every change is recorded as a `TicketEvent` through `bot.cases.service`, in the same transaction
as the change itself. A claim is one conditional UPDATE (`... WHERE assignee IS NULL`), so of two
staff members claiming at once exactly one wins, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import sqlalchemy as sa

from bot.cases.contact import normalize_contact
from bot.cases.models import OutboxMessage, Ticket, utcnow
from bot.cases.queue.errors import ClaimConflict, InvalidAssignee, QueueError
from bot.cases.queue.mail import deliver_outbox, reply_mail
from bot.cases.queue.queries import find_ticket
from bot.cases.service import TicketView, apply_transition, record_event, store_errors, transition
from bot.cases.states import StatusError
from bot.cases.vocabulary import EventKind, Status
from bot.db import session_scope
from bot.pii import mask_text

MAX_TEXT = 4000


def _text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise QueueError(f"{what} kan ikke være tom.")
    if len(text) > MAX_TEXT:
        raise QueueError(f"{what} kan ha høyst {MAX_TEXT} tegn.")
    return text


@store_errors
def claim(reference: str, *, actor: str, url: str | None = None) -> TicketView:
    """Take the ticket. Exactly one of several simultaneous claims wins; the others get ClaimConflict.

    A new ticket moves to «in progress» when it is claimed.
    """
    with session_scope(url) as session:
        now = utcnow()
        result = session.execute(
            sa.update(Ticket)
            .where(
                Ticket.reference == (reference or "").strip().upper(),
                Ticket.assignee.is_(None),
                Ticket.status != Status.CLOSED.value,
            )
            .values(assignee=actor, updated_at=now)
            .execution_options(synchronize_session=False)
        )
        ticket = find_ticket(session, reference, lock=True)
        if result.rowcount != 1:
            if ticket.status == Status.CLOSED.value:
                raise StatusError("Saken er lukket. Gjenåpne den før du tar den.")
            if ticket.assignee == actor:
                return TicketView.of(ticket)
            raise ClaimConflict(ticket.assignee or "en annen")
        record_event(session, ticket, EventKind.CLAIM, actor=actor, detail=f"Tatt av {actor}.", now=now)
        if ticket.status == Status.NEW.value:
            apply_transition(session, ticket, Status.IN_PROGRESS, actor=actor)
        session.flush()
        return TicketView.of(ticket)


@store_errors
def release(reference: str, *, actor: str, url: str | None = None) -> TicketView:
    """Give the ticket back to the queue; only the one who holds it can (others reassign)."""
    with session_scope(url) as session:
        ticket = find_ticket(session, reference, lock=True)
        if ticket.assignee != actor:
            raise QueueError("Bare den som har saken, kan legge den tilbake i køen. Bruk «Gi saken til».")
        ticket.assignee = None
        record_event(session, ticket, EventKind.RELEASE, actor=actor, detail="Lagt tilbake i køen.")
        session.flush()
        return TicketView.of(ticket)


@store_errors
def reassign(reference: str, assignee: str, *, actor: str, url: str | None = None) -> TicketView:
    """Give the ticket to another staff member, who must have an active account."""
    from bot import accounts  # the staff accounts import the case queue's tables

    assignee = (assignee or "").strip()
    if not assignee:
        raise QueueError("Velg hvem som skal ha saken.")
    target = accounts.get_user(assignee, url=url)
    if target is None or not target.active:
        raise InvalidAssignee("Velg en aktiv bruker å gi saken til.")
    assignee = target.username
    with session_scope(url) as session:
        ticket = find_ticket(session, reference, lock=True)
        if ticket.status == Status.CLOSED.value:
            raise StatusError("Saken er lukket. Gjenåpne den før du gir den til noen.")
        previous = ticket.assignee
        if previous == assignee:
            return TicketView.of(ticket)
        ticket.assignee = assignee
        detail = f"Gitt fra {previous} til {assignee}." if previous else f"Gitt til {assignee}."
        record_event(session, ticket, EventKind.ASSIGN, actor=actor, detail=detail)
        if ticket.status == Status.NEW.value:
            apply_transition(session, ticket, Status.IN_PROGRESS, actor=actor)
        session.flush()
        return TicketView.of(ticket)


@store_errors
def add_note(reference: str, text: str, *, actor: str, url: str | None = None) -> TicketView:
    """An internal note: staff see it, the citizen never does."""
    text = _text(text, "Notatet")
    with session_scope(url) as session:
        ticket = find_ticket(session, reference, lock=True)
        record_event(session, ticket, EventKind.NOTE, actor=actor, detail=text)
        session.flush()
        return TicketView.of(ticket)


@dataclass(frozen=True)
class ReplyResult:
    ticket: TicketView
    outbox_id: int | None  # an e-mail waiting to be sent
    call_back: str | None  # a phone number staff must call
    sent: bool = False  # the e-mail went out at once (`reply_and_send`)

    @property
    def delivery(self) -> str:
        """How the reply reaches the citizen: «email» (sent), «outbox» (waiting) or «call_back»."""
        if self.outbox_id is None:
            return "call_back"
        return "email" if self.sent else "outbox"


@store_errors
def reply(
    reference: str, text: str, *, actor: str, new_status: Status | None = None, url: str | None = None
) -> ReplyResult:
    """Store a reply to the citizen on the ticket, optionally with a new status.

    A new ticket moves to «in progress» first. With an e-mail address the reply goes to the
    outbox (sent by `deliver_outbox`); with a phone number it is what staff tell the citizen
    when they call back.
    """
    text = mask_text(_text(text, "Svaret"))  # the e-mail body too, not only the history event
    with session_scope(url) as session:
        ticket = find_ticket(session, reference, lock=True)
        if ticket.status == Status.CLOSED.value:
            raise StatusError("Saken er lukket. Gjenåpne den før du svarer.")
        if ticket.status == Status.NEW.value:
            # Answering the citizen is working on the ticket.
            apply_transition(session, ticket, Status.IN_PROGRESS, actor=actor)
        event = record_event(session, ticket, EventKind.REPLY, actor=actor, detail=text)
        session.flush()
        outbox_id = None
        if ticket.contact_email:
            subject, body = reply_mail(ticket, text)
            message = OutboxMessage(
                ticket_id=ticket.id,
                event_id=event.id,
                to_address=ticket.contact_email,
                subject=subject,
                body=body,
                created_at=utcnow(),
                attempts=0,
            )
            session.add(message)
            session.flush()
            outbox_id = message.id
        if new_status is not None and new_status.value != ticket.status:
            apply_transition(session, ticket, new_status, actor=actor)
        session.flush()
        call_back = normalize_contact(ticket.contact_phone).display if ticket.contact_phone else None
        return ReplyResult(TicketView.of(ticket), outbox_id, call_back)


def reply_and_send(
    reference: str, text: str, *, actor: str, new_status: Status | None = None, url: str | None = None
) -> ReplyResult:
    """`reply`, then try to send its e-mail at once; if sending fails, it waits in the outbox."""
    result = reply(reference, text, actor=actor, new_status=new_status, url=url)
    if result.outbox_id is None:
        return result
    sent = deliver_outbox(only=[result.outbox_id], url=url) > 0
    return dataclasses.replace(result, sent=sent)


@store_errors
def change_status(
    reference: str, new_status: Status, *, actor: str, detail: str = "", url: str | None = None
) -> TicketView:
    """`transition`, with a clear error for an unknown reference."""
    with session_scope(url) as session:
        find_ticket(session, reference)
    return transition((reference or "").strip().upper(), new_status, actor=actor, detail=detail, url=url)
