"""Working the case queue: list, filter and search tickets; claim, release and reassign them;
internal notes; replies to the citizen and the e-mail outbox. Used by the desk and its API.

Every change is recorded as a `TicketEvent` through `bot.cases.service`, in the same transaction
as the change itself. A claim is one conditional UPDATE (`... WHERE assignee IS NULL`), so of two
staff members claiming at once exactly one wins, on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from dataclasses import dataclass, field
from email.message import EmailMessage
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.cases.contact import ContactError, normalize_contact
from bot.cases.models import OutboxMessage, Ticket, TicketEvent, as_utc, utcnow
from bot.cases.reference import parse_reference
from bot.cases.service import CaseStoreError, TicketView, apply_transition, record_event, transition
from bot.cases.states import Status, StatusError
from bot.db import session_scope
from bot.kommune import OpeningHours, get_kommune
from bot.pii import mask_text
from bot.settings import Settings, get_settings

logger = logging.getLogger(__name__)

LOCAL_TZ = ZoneInfo("Europe/Oslo")
OPEN_STATUSES = (Status.NEW, Status.IN_PROGRESS, Status.WAITING)
SYSTEM_ACTOR = "system"
MAX_TEXT = 4000


class TicketNotFound(LookupError):
    """No ticket has that reference."""


class ClaimConflict(RuntimeError):
    """Someone else already holds the ticket."""

    def __init__(self, holder: str) -> None:
        super().__init__(f"Saken er allerede tatt av {holder}.")
        self.holder = holder


class QueueError(ValueError):
    """An operation the queue does not allow; the message is for staff to read."""


# --- working days ------------------------------------------------------------------------------


def _working_days(hours: OpeningHours) -> set[int]:
    return set(hours.by_weekday) or {0, 1, 2, 3, 4}


def _next_working_day(day: dt.date, working: set[int]) -> dt.date:
    day += dt.timedelta(days=1)
    while day.weekday() not in working:
        day += dt.timedelta(days=1)
    return day


def due_at(created: dt.datetime, hours: OpeningHours | None = None) -> dt.datetime:
    """When a ticket has waited one working day: the same clock time on the next working day.

    A ticket that arrives on a day the office is closed starts counting when it next opens.
    Working days are the days with opening hours in kommune.yml (public holidays are not known).
    """
    hours = hours or get_kommune().opening_hours
    working = _working_days(hours)
    local = as_utc(created).astimezone(LOCAL_TZ)
    if local.weekday() not in working:
        day = _next_working_day(local.date(), working)
        opens = hours.by_weekday.get(day.weekday(), (dt.time(8, 0), dt.time(16, 0)))[0]
        local = dt.datetime.combine(day, opens, LOCAL_TZ)
    due_day = _next_working_day(local.date(), working)
    return dt.datetime.combine(due_day, local.time().replace(tzinfo=None), LOCAL_TZ)


# --- the queue ---------------------------------------------------------------------------------


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
    try:
        with session_scope(url) as session:
            tickets = [TicketView.of(t) for t in session.execute(statement).scalars()]
    except SQLAlchemyError as error:
        raise CaseStoreError(str(error)) from error
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


# --- one ticket --------------------------------------------------------------------------------


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
    )


def ticket_detail(reference: str, *, url: str | None = None) -> TicketDetail:
    try:
        with session_scope(url) as session:
            ticket = _ticket(session, reference)
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
    except SQLAlchemyError as error:
        raise CaseStoreError(str(error)) from error


def _ticket(session: Session, reference: str, *, lock: bool = False) -> Ticket:
    statement = sa.select(Ticket).where(Ticket.reference == (reference or "").strip().upper())
    if lock:
        statement = statement.with_for_update()
    ticket = session.execute(statement).scalar_one_or_none()
    if ticket is None:
        raise TicketNotFound(reference)
    return ticket


def _text(text: str, what: str) -> str:
    text = (text or "").strip()
    if not text:
        raise QueueError(f"{what} kan ikke være tom.")
    if len(text) > MAX_TEXT:
        raise QueueError(f"{what} kan ha høyst {MAX_TEXT} tegn.")
    return text


# --- claim, release, reassign ------------------------------------------------------------------


def claim(reference: str, *, actor: str, url: str | None = None) -> TicketView:
    """Take the ticket. Exactly one of several simultaneous claims wins; the others get ClaimConflict.

    A new ticket moves to «in progress» when it is claimed.
    """
    try:
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
            ticket = _ticket(session, reference, lock=True)
            if result.rowcount != 1:
                if ticket.status == Status.CLOSED.value:
                    raise StatusError("Saken er lukket. Gjenåpne den før du tar den.")
                if ticket.assignee == actor:
                    return TicketView.of(ticket)
                raise ClaimConflict(ticket.assignee or "en annen")
            record_event(session, ticket, "claim", actor=actor, detail=f"Tatt av {actor}.", now=now)
            if ticket.status == Status.NEW.value:
                apply_transition(session, ticket, Status.IN_PROGRESS, actor=actor)
            session.flush()
            return TicketView.of(ticket)
    except SQLAlchemyError as error:
        raise CaseStoreError(str(error)) from error


def release(reference: str, *, actor: str, url: str | None = None) -> TicketView:
    """Give the ticket back to the queue; only the one who holds it can (others reassign)."""
    try:
        with session_scope(url) as session:
            ticket = _ticket(session, reference, lock=True)
            if ticket.assignee != actor:
                raise QueueError("Bare den som har saken, kan legge den tilbake i køen. Bruk «Gi saken til».")
            ticket.assignee = None
            record_event(session, ticket, "release", actor=actor, detail="Lagt tilbake i køen.")
            session.flush()
            return TicketView.of(ticket)
    except SQLAlchemyError as error:
        raise CaseStoreError(str(error)) from error


class InvalidAssignee(QueueError):
    """A ticket can only be given to an active staff member."""


def reassign(reference: str, assignee: str, *, actor: str, url: str | None = None) -> TicketView:
    """Give the ticket to another staff member, who must have an active account."""
    from bot import accounts  # the staff accounts import the case queue's tables

    assignee = (assignee or "").strip()
    if not assignee:
        raise QueueError("Velg hvem som skal ha saken.")
    try:
        target = accounts.get_user(assignee, url=url)
        if target is None or not target.active:
            raise InvalidAssignee("Velg en aktiv bruker å gi saken til.")
        assignee = target.username
        with session_scope(url) as session:
            ticket = _ticket(session, reference, lock=True)
            if ticket.status == Status.CLOSED.value:
                raise StatusError("Saken er lukket. Gjenåpne den før du gir den til noen.")
            previous = ticket.assignee
            if previous == assignee:
                return TicketView.of(ticket)
            ticket.assignee = assignee
            detail = f"Gitt fra {previous} til {assignee}." if previous else f"Gitt til {assignee}."
            record_event(session, ticket, "assign", actor=actor, detail=detail)
            if ticket.status == Status.NEW.value:
                apply_transition(session, ticket, Status.IN_PROGRESS, actor=actor)
            session.flush()
            return TicketView.of(ticket)
    except SQLAlchemyError as error:
        raise CaseStoreError(str(error)) from error


# --- notes and replies -------------------------------------------------------------------------


def add_note(reference: str, text: str, *, actor: str, url: str | None = None) -> TicketView:
    """An internal note: staff see it, the citizen never does."""
    text = _text(text, "Notatet")
    try:
        with session_scope(url) as session:
            ticket = _ticket(session, reference, lock=True)
            record_event(session, ticket, "note", actor=actor, detail=text)
            session.flush()
            return TicketView.of(ticket)
    except SQLAlchemyError as error:
        raise CaseStoreError(str(error)) from error


@dataclass(frozen=True)
class ReplyResult:
    ticket: TicketView
    outbox_id: int | None  # an e-mail waiting to be sent
    call_back: str | None  # a phone number staff must call


def _reply_mail(ticket: Ticket, text: str) -> tuple[str, str]:
    kommune = get_kommune()
    subject = f"Svar fra {kommune.office_name} i {kommune.name} – sak {ticket.reference}"
    body = (
        f"{text}\n\n"
        f"Saksnummer: {ticket.reference}\n"
        f"Du kan spørre chatten vår om status på saken. Oppgi saksnummeret og denne e-postadressen.\n\n"
        f"Hilsen {kommune.office_name}, {kommune.name}\n"
        f"Telefon {kommune.phone} · {kommune.email}\n"
    )
    return subject, body


def reply(
    reference: str, text: str, *, actor: str, new_status: Status | None = None, url: str | None = None
) -> ReplyResult:
    """Store a reply to the citizen on the ticket, optionally with a new status.

    A new ticket moves to «in progress» first. With an e-mail address the reply goes to the
    outbox (sent by `deliver_outbox`); with a phone number it is what staff tell the citizen
    when they call back.
    """
    text = mask_text(_text(text, "Svaret"))  # the e-mail body too, not only the history event
    try:
        with session_scope(url) as session:
            ticket = _ticket(session, reference, lock=True)
            if ticket.status == Status.CLOSED.value:
                raise StatusError("Saken er lukket. Gjenåpne den før du svarer.")
            if ticket.status == Status.NEW.value:
                # Answering the citizen is working on the ticket.
                apply_transition(session, ticket, Status.IN_PROGRESS, actor=actor)
            event = record_event(session, ticket, "reply", actor=actor, detail=text)
            session.flush()
            outbox_id = None
            if ticket.contact_email:
                subject, body = _reply_mail(ticket, text)
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
    except SQLAlchemyError as error:
        raise CaseStoreError(str(error)) from error


def change_status(
    reference: str, new_status: Status, *, actor: str, detail: str = "", url: str | None = None
) -> TicketView:
    """`transition`, with a clear error for an unknown reference."""
    try:
        with session_scope(url) as session:
            _ticket(session, reference)
    except SQLAlchemyError as error:
        raise CaseStoreError(str(error)) from error
    return transition((reference or "").strip().upper(), new_status, actor=actor, detail=detail, url=url)


# --- outbox ------------------------------------------------------------------------------------


def list_outbox(*, pending_only: bool = True, url: str | None = None) -> list[OutboxView]:
    statement = sa.select(OutboxMessage, Ticket.reference).join(Ticket, Ticket.id == OutboxMessage.ticket_id)
    if pending_only:
        statement = statement.where(OutboxMessage.sent_at.is_(None))
    statement = statement.order_by(OutboxMessage.id.desc()).limit(500)
    with session_scope(url) as session:
        return [_outbox_view(message, reference) for message, reference in session.execute(statement)]


def _send(settings: Settings, message: OutboxMessage) -> None:
    mail = EmailMessage()
    kommune = get_kommune()
    mail["From"] = settings.smtp_from or kommune.email
    mail["To"] = message.to_address
    mail["Subject"] = message.subject
    mail["Reply-To"] = kommune.email
    mail.set_content(message.body)
    smtp_class = smtplib.SMTP_SSL if settings.smtp_port == 465 else smtplib.SMTP
    with smtp_class(settings.smtp_host, settings.smtp_port, timeout=20) as smtp:
        if settings.smtp_starttls and smtp_class is smtplib.SMTP:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password or "")
        smtp.send_message(mail)


def deliver_outbox(*, settings: Settings | None = None, only: list[int] | None = None, url: str | None = None) -> int:
    """Send waiting e-mails by SMTP when SMTP_HOST is set; returns how many were sent.

    A failure is kept on the message (attempts, last error) and it stays in the outbox.
    """
    settings = settings or get_settings()
    if not settings.smtp_host:
        return 0
    statement = sa.select(OutboxMessage.id).where(OutboxMessage.sent_at.is_(None)).order_by(OutboxMessage.id)
    if only is not None:
        statement = statement.where(OutboxMessage.id.in_(only))
    with session_scope(url) as session:
        ids = list(session.execute(statement).scalars())
    sent = 0
    for message_id in ids:
        with session_scope(url) as session:
            message = session.get(OutboxMessage, message_id)
            if message is None or message.sent_at is not None:
                continue
            message.attempts = (message.attempts or 0) + 1
            try:
                _send(settings, message)
            except (OSError, smtplib.SMTPException) as error:
                logger.warning("Could not send outbox message %s: %s", message_id, error)
                message.last_error = str(error)[:500] or error.__class__.__name__
                continue
            message.sent_at = utcnow()
            message.last_error = None
            ticket = session.get(Ticket, message.ticket_id)
            record_event(
                session, ticket, "email_sent", actor=SYSTEM_ACTOR, detail=f"E-post sendt til {message.to_address}."
            )
            sent += 1
    return sent
