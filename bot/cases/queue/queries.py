"""Reading the queue: list, filter and search tickets, one ticket with its history and outbox,
the outbox itself."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.cases.contact import ContactError, normalize_contact
from bot.cases.models import OutboxMessage, Ticket, TicketEvent, as_utc, utcnow
from bot.cases.queue.calendar import due_at
from bot.cases.queue.errors import TicketNotFound
from bot.cases.reference import parse_reference
from bot.cases.service import TicketView, store_errors
from bot.cases.vocabulary import Status
from bot.db import session_scope
from bot.kommune import get_kommune

OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING)


@dataclass(frozen=True)
class QueueFilter:
    """What the queue shows. status: "open" (default), "all", or one Status value."""

    status: str = "open"
    topic: str | None = None
    channel: str | None = None
    language: str | None = None
    mine: bool = False
    query: str | None = None
    limit: int = 500


@dataclass(frozen=True)
class QueueItem:
    ticket: TicketView
    age: dt.timedelta
    due_at: dt.datetime
    overdue: bool


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search(query: str) -> sa.sql.ColumnElement:
    query = " ".join(query.split())[:200]
    conditions = []
    reference = parse_reference(query)
    if reference:
        conditions.append(Ticket.reference == reference)
    try:
        contact = normalize_contact(query)
    except ContactError:
        contact = None
    if contact and contact.phone:
        conditions.append(Ticket.contact_phone == contact.phone)
    if contact and contact.email:
        conditions.append(Ticket.contact_email == contact.email)
    pattern = f"%{_escape_like(query.lower())}%"
    for column in (Ticket.reference, Ticket.contact_name, Ticket.contact_email, Ticket.contact_phone):
        conditions.append(sa.func.lower(column).like(pattern, escape="\\"))
    return sa.or_(*conditions)


@store_errors
def list_queue(
    filters: QueueFilter | None = None,
    *,
    viewer: str | None = None,
    now: dt.datetime | None = None,
    url: str | None = None,
) -> list[QueueItem]:
    """Tickets matching the filter, oldest first, with their age and whether they are overdue."""
    filters = filters or QueueFilter()
    now = now or utcnow()
    statement = sa.select(Ticket)
    if filters.status == "open":
        statement = statement.where(Ticket.status.in_([s.value for s in OPEN_STATUSES]))
    elif filters.status != "all":
        statement = statement.where(Ticket.status == Status(filters.status).value)
    if filters.topic:
        statement = statement.where(Ticket.topic == filters.topic)
    if filters.channel:
        statement = statement.where(Ticket.channel == filters.channel)
    if filters.language:
        statement = statement.where(Ticket.language == filters.language)
    if filters.mine:
        statement = statement.where(Ticket.assignee == (viewer or ""))
    if filters.query and filters.query.strip():
        statement = statement.where(_search(filters.query))
    statement = statement.order_by(Ticket.created_at, Ticket.id).limit(max(1, min(filters.limit, 2000)))
    hours = get_kommune().opening_hours
    with session_scope(url) as session:
        tickets = [TicketView.of(t) for t in session.execute(statement).scalars()]
    items = []
    for ticket in tickets:
        due = due_at(ticket.created_at, hours)
        overdue = ticket.status in OPEN_STATUSES and now > due
        items.append(QueueItem(ticket, now - ticket.created_at, due, overdue))
    return items


def queue_facets(*, url: str | None = None) -> dict[str, list[str]]:
    """The topics, channels and languages tickets have, for the filter menus."""
    with session_scope(url) as session:
        return {
            name: sorted(v for v in session.execute(sa.select(column).distinct()).scalars() if v)
            for name, column in (("topic", Ticket.topic), ("channel", Ticket.channel), ("language", Ticket.language))
        }


@dataclass(frozen=True)
class EventView:
    id: int
    at: dt.datetime
    actor: str
    kind: str
    from_status: str | None
    to_status: str | None
    detail: str | None


@dataclass(frozen=True)
class OutboxView:
    id: int
    ticket_reference: str
    to_address: str
    subject: str
    body: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    attempts: int
    last_error: str | None
    next_attempt_at: dt.datetime | None = None
    failed_at: dt.datetime | None = None  # the tries were given up: staff must act


@dataclass(frozen=True)
class TicketDetail:
    ticket: TicketView
    events: list[EventView] = field(default_factory=list)
    outbox: list[OutboxView] = field(default_factory=list)

    @property
    def call_back(self) -> str | None:
        """The phone number to call, when the citizen left a phone number."""
        if not self.ticket.contact_phone:
            return None
        return normalize_contact(self.ticket.contact_phone).display


def _event_view(event: TicketEvent) -> EventView:
    return EventView(
        event.id, as_utc(event.at), event.actor, event.kind, event.from_status, event.to_status, event.detail
    )


def _outbox_view(message: OutboxMessage, reference: str) -> OutboxView:
    return OutboxView(
        id=message.id,
        ticket_reference=reference,
        to_address=message.to_address,
        subject=message.subject,
        body=message.body,
        created_at=as_utc(message.created_at),
        sent_at=as_utc(message.sent_at),
        attempts=message.attempts or 0,
        last_error=message.last_error,
        next_attempt_at=as_utc(message.next_attempt_at),
        failed_at=as_utc(message.failed_at),
    )


def find_ticket(session: Session, reference: str, *, lock: bool = False) -> Ticket:
    statement = sa.select(Ticket).where(Ticket.reference == (reference or "").strip().upper())
    if lock:
        statement = statement.with_for_update()
    ticket = session.execute(statement).scalar_one_or_none()
    if ticket is None:
        raise TicketNotFound(reference)
    return ticket


@store_errors
def ticket_detail(reference: str, *, url: str | None = None) -> TicketDetail:
    with session_scope(url) as session:
        ticket = find_ticket(session, reference)
        events = session.execute(
            sa.select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)
        ).scalars()
        outbox = session.execute(
            sa.select(OutboxMessage).where(OutboxMessage.ticket_id == ticket.id).order_by(OutboxMessage.id)
        ).scalars()
        return TicketDetail(
            TicketView.of(ticket),
            [_event_view(e) for e in events],
            [_outbox_view(m, ticket.reference) for m in outbox],
        )


def list_outbox(*, pending_only: bool = True, url: str | None = None) -> list[OutboxView]:
    statement = sa.select(OutboxMessage, Ticket.reference).join(Ticket, Ticket.id == OutboxMessage.ticket_id)
    if pending_only:
        statement = statement.where(OutboxMessage.sent_at.is_(None))
    statement = statement.order_by(OutboxMessage.id.desc()).limit(500)
    with session_scope(url) as session:
        return [_outbox_view(message, reference) for message, reference in session.execute(statement)]
