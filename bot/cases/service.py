"""Operations on the case queue: create tickets, look up their status, change their status.

Every change lands as a `TicketEvent` (who, when, what). Database failures surface as
`CaseStoreError`, so callers can tell the citizen plainly that nothing was stored.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session

from bot.cases.contact import ContactError, find_contact, normalize_contact
from bot.cases.models import Ticket, TicketEvent, as_utc, utcnow
from bot.cases.reference import format_reference, parse_reference
from bot.cases.states import check_transition
from bot.cases.vocabulary import BOT_ACTOR, EventKind, Status
from bot.db import retrying, session_scope
from bot.operations import metrics
from bot.pii import mask_id_numbers, mask_text

P = ParamSpec("P")
R = TypeVar("R")


class CaseStoreError(RuntimeError):
    """The case store could not be reached or could not finish the operation."""


def store_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Database failures become `CaseStoreError`, the one error callers of bot.cases handle."""

    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except SQLAlchemyError as error:
            raise CaseStoreError(str(error)) from error

    return wrapper


@dataclass(frozen=True)
class NewTicket:
    """What the bot collected, with the citizen's consent, to create a ticket."""

    idempotency_key: str
    conversation_id: str
    channel: str
    topic: str
    summary: str
    language: str
    contact_name: str
    contact: str


@dataclass(frozen=True)
class TicketView:
    id: int
    reference: str
    status: Status
    topic: str
    summary: str
    language: str
    channel: str
    conversation_id: str
    contact_name: str
    contact_phone: str | None
    contact_email: str | None
    assignee: str | None
    created_at: dt.datetime
    updated_at: dt.datetime | None = None

    @classmethod
    def of(cls, ticket: Ticket) -> TicketView:
        return cls(
            id=ticket.id,
            reference=ticket.reference,
            status=Status(ticket.status),
            topic=ticket.topic,
            summary=ticket.summary,
            language=ticket.language,
            channel=ticket.channel,
            conversation_id=ticket.conversation_id,
            contact_name=ticket.contact_name,
            contact_phone=ticket.contact_phone,
            contact_email=ticket.contact_email,
            assignee=ticket.assignee,
            created_at=as_utc(ticket.created_at),
            updated_at=as_utc(ticket.updated_at),
        )


def _clean(text: str, limit: int) -> str:
    masked, _ = mask_id_numbers(text or "")
    return " ".join(masked.split())[:limit]


@store_errors
def create_ticket(new: NewTicket, *, url: str | None = None) -> TicketView:
    """Create the ticket once; the same idempotency key always returns the same ticket.

    An ID number inside the contact (an e-mail such as «01019012480@…») makes it invalid.
    """
    contact = normalize_contact(mask_text(new.contact or ""))

    def attempt() -> TicketView:
        # Returns only after the commit: session_scope raises when the commit fails. While the
        # database is unreachable, `retrying` runs this again for a few seconds; the key makes
        # that safe, also when a commit went through but its answer was lost.
        try:
            existing = _by_key(new.idempotency_key, url)
            if existing:
                return existing
            with session_scope(url) as session:
                ticket = insert_ticket(session, new, phone=contact.phone, email=contact.email)
                session.flush()
                view = TicketView.of(ticket)
            metrics.TICKETS_CREATED.labels(view.channel or metrics.UNKNOWN).inc()
            return view
        except IntegrityError:
            # A concurrent submit with the same key won the race: return its ticket.
            existing = _by_key(new.idempotency_key, url)
            if existing:
                return existing
            raise CaseStoreError("ticket insert failed") from None

    return retrying(attempt)


def insert_ticket(
    session: Session,
    new: NewTicket,
    *,
    phone: str | None,
    email: str | None,
    detail: str | None = None,
    now: dt.datetime | None = None,
) -> Ticket:
    """Add a new ticket with its reference and its «created» event, inside the caller's transaction."""
    now = now or utcnow()
    ticket = Ticket(
        idempotency_key=new.idempotency_key,
        status=Status.NEW.value,
        topic=_clean(new.topic, 64),
        summary=_clean(new.summary, 4000),
        language=_clean(new.language, 8),
        channel=_clean(new.channel, 32),
        conversation_id=new.conversation_id[:255],
        contact_name=_clean(new.contact_name, 200),
        contact_phone=phone,
        contact_email=email,
        consent_at=now,
        created_at=now,
        updated_at=now,
    )
    session.add(ticket)
    session.flush()
    ticket.reference = format_reference(now.year, ticket.id)
    session.add(
        TicketEvent(
            ticket_id=ticket.id,
            at=now,
            actor=BOT_ACTOR,
            kind=EventKind.CREATED.value,
            to_status=Status.NEW.value,
            detail=detail or f"Opprettet i chatten ({new.channel}).",
        )
    )
    session.flush()
    return ticket


def _by_key(key: str, url: str | None) -> TicketView | None:
    with session_scope(url) as session:
        ticket = session.execute(sa.select(Ticket).where(Ticket.idempotency_key == key)).scalar_one_or_none()
        return TicketView.of(ticket) if ticket else None


@store_errors
def get_ticket(reference: str, *, url: str | None = None) -> TicketView | None:
    with session_scope(url) as session:
        ticket = session.execute(sa.select(Ticket).where(Ticket.reference == reference)).scalar_one_or_none()
        return TicketView.of(ticket) if ticket else None


def lookup_status(reference_text: str, contact_text: str, *, url: str | None = None) -> Status | None:
    """The status, only when the reference and the contact it was given with match.

    An unknown reference and a wrong contact both give None, so the answer tells nothing.
    """
    reference = parse_reference(reference_text)
    try:
        contact = find_contact(contact_text)
    except ContactError:
        return None
    if reference is None:
        return None
    ticket = get_ticket(reference, url=url)
    if ticket is None:
        return None
    matches = (contact.phone and contact.phone == ticket.contact_phone) or (
        contact.email and contact.email == ticket.contact_email
    )
    return ticket.status if matches else None


@store_errors
def transition(
    reference: str, new_status: Status, *, actor: str, detail: str = "", url: str | None = None
) -> TicketView:
    """Move a ticket to a new status, recording who did it."""
    with session_scope(url) as session:
        ticket = session.execute(sa.select(Ticket).where(Ticket.reference == reference).with_for_update()).scalar_one()
        apply_transition(session, ticket, new_status, actor=actor, detail=detail)
        session.flush()
        return TicketView.of(ticket)


def record_event(
    session: Session,
    ticket: Ticket,
    kind: EventKind,
    *,
    actor: str,
    detail: str = "",
    from_status: str | None = None,
    to_status: str | None = None,
    now: dt.datetime | None = None,
) -> TicketEvent:
    """Add one history event to a ticket (inside the caller's transaction) and touch the ticket."""
    now = now or utcnow()
    ticket.updated_at = now
    event = TicketEvent(
        ticket_id=ticket.id,
        at=now,
        actor=actor[:100],
        kind=EventKind(kind).value,
        from_status=from_status,
        to_status=to_status,
        detail=_clean(detail, 4000) or None,
    )
    session.add(event)
    return event


def apply_transition(session: Session, ticket: Ticket, new_status: Status, *, actor: str, detail: str = "") -> None:
    """The status change itself, inside the caller's transaction: checked, applied, recorded."""
    current = Status(ticket.status)
    check_transition(current, new_status)
    ticket.status = new_status.value
    record_event(
        session,
        ticket,
        EventKind.STATUS,
        actor=actor,
        detail=detail,
        from_status=current.value,
        to_status=new_status.value,
    )
