"""Retention: what the case queue and Rasa's tracker store keep, and for how long.

`lagringstid_dager` in kommune.yml (default 90) sets one period for everything:

- A resolved or closed ticket whose last change is older than the period is anonymised: the
  citizen's name, phone, e-mail and text, every note, reply and history text, the e-mail outbox
  and the live chat behind it are cleared or deleted. Reference, topic, channel, language,
  status, assignee and dates stay, and so do the history's kinds and times, so the statistics
  still count the ticket. `anonymised_at` marks it; the history gets an «anonymisert» event.
  The conversation's rows in Rasa's `events` table older than the period are deleted with it,
  unless another ticket that is still kept comes from the same conversation.
- In a conversation no kept ticket comes from (it never became a ticket, or its tickets are
  anonymised), every event older than the period is deleted, also when the citizen still
  writes: a Messenger citizen who writes every month keeps only the last period's messages. A
  conversation whose events are all older goes entirely, with any ended live chat that did not
  become a ticket.
- Open tickets (new, in progress, waiting for the citizen) are kept however old they are, and
  so are their conversations and the conversations of open live chats.
- The answer library's review list reads its questions from the conversations, so they go with
  them; the marks of questions an editor dealt with (hashes only) go after the same period.

`apply_retention` is idempotent (a second run with the same clock changes nothing) and safe to
run from several places at once: each ticket is anonymised in its own transaction, which starts
with one conditional UPDATE, and a ticket that fails is left whole for the next run. Meant to
run daily: `python -m bot.cases retention [--dry-run]` (`bot/cases/__main__.py`).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from bot.answers.models import ReviewedQuestion
from bot.cases.models import LiveChat, LiveDelivery, OutboxMessage, Ticket, TicketEvent, utcnow
from bot.cases.service import store_errors
from bot.cases.transcript import EVENTS_TABLE, has_events_table
from bot.cases.vocabulary import SYSTEM_ACTOR, ChatStatus, EventKind, Status
from bot.db import session_scope
from bot.kommune import get_kommune
from bot.settings import get_settings

logger = logging.getLogger(__name__)

ENDED_STATUSES = (Status.RESOLVED.value, Status.CLOSED.value)
OPEN_CHAT_STATUSES = (ChatStatus.WAITING.value, ChatStatus.ACTIVE.value)
ANONYMISED_NAME = "(anonymisert)"
ANONYMISED_SUMMARY = "(Anonymisert etter lagringstiden.)"

# Rasa's own table (rasa.core.tracker_store.SQLTrackerStore): only the columns we use.
_events = sa.table(EVENTS_TABLE, sa.column("id"), sa.column("sender_id"), sa.column("timestamp"))


@dataclass(frozen=True)
class RetentionReport:
    """What a run did, or with `dry_run` would do."""

    days: int
    cutoff: dt.datetime
    dry_run: bool
    tickets: int = 0  # tickets anonymised
    conversations: int = 0  # conversations without a kept ticket that lost old events (or all)
    events: int = 0  # rows deleted from Rasa's events table (both kinds)
    live_chats: int = 0  # ended live chats without a ticket, deleted
    failed: list[str] = field(default_factory=list)  # references left for the next run


def cutoff_for(days: int, now: dt.datetime | None = None) -> dt.datetime:
    """Everything last changed before this moment is past the retention period."""
    return (now or utcnow()).astimezone(dt.timezone.utc) - dt.timedelta(days=days)


def _expired_tickets(cutoff: dt.datetime) -> sa.sql.Select:
    return sa.select(Ticket.id, Ticket.reference, Ticket.conversation_id).where(
        Ticket.anonymised_at.is_(None),
        Ticket.status.in_(ENDED_STATUSES),
        Ticket.updated_at < cutoff,
    )


def _conversation_kept(session: Session, conversation_id: str, cutoff: dt.datetime, ticket_id: int) -> bool:
    """Whether another ticket that is still kept, or an open live chat, comes from this conversation."""
    other = session.execute(
        sa.select(Ticket.id)
        .where(
            Ticket.conversation_id == conversation_id,
            Ticket.id != ticket_id,
            Ticket.anonymised_at.is_(None),
            sa.or_(Ticket.status.not_in(ENDED_STATUSES), Ticket.updated_at >= cutoff),
        )
        .limit(1)
    ).first()
    if other is not None:
        return True
    chat = session.execute(
        sa.select(LiveChat.id)
        .where(LiveChat.conversation_id == conversation_id, LiveChat.status.in_(OPEN_CHAT_STATUSES))
        .limit(1)
    ).first()
    return chat is not None


def _old_events(conversation_id: str, cutoff: dt.datetime) -> sa.sql.ColumnElement:
    return sa.and_(_events.c.sender_id == conversation_id, _events.c.timestamp < cutoff.timestamp())


def _count_old_events(session: Session, conversation_id: str, cutoff: dt.datetime) -> int:
    statement = sa.select(sa.func.count()).select_from(_events).where(_old_events(conversation_id, cutoff))
    return int(session.execute(statement).scalar_one())


def _anonymise(
    session: Session,
    ticket_id: int,
    conversation_id: str,
    *,
    cutoff: dt.datetime,
    now: dt.datetime,
    days: int,
    events_table: bool,
) -> int | None:
    """Anonymise one ticket inside the caller's transaction; None when it no longer qualifies.

    Returns how many rows of Rasa's events table went with it.
    """
    won = session.execute(
        sa.update(Ticket)
        .where(
            Ticket.id == ticket_id,
            Ticket.anonymised_at.is_(None),
            Ticket.status.in_(ENDED_STATUSES),
            Ticket.updated_at < cutoff,
        )
        .values(
            anonymised_at=now,
            contact_name=ANONYMISED_NAME,
            contact_phone=None,
            contact_email=None,
            summary=ANONYMISED_SUMMARY,
            conversation_id="",
            idempotency_key=f"anonymised:{ticket_id}",
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if won != 1:
        return None  # reopened or anonymised by someone else meanwhile
    chats = sa.select(LiveChat.id).where(LiveChat.ticket_id == ticket_id).scalar_subquery()
    for statement in (
        sa.delete(LiveDelivery).where(LiveDelivery.chat_id.in_(chats)),
        sa.delete(LiveChat).where(LiveChat.ticket_id == ticket_id),
        sa.delete(OutboxMessage).where(OutboxMessage.ticket_id == ticket_id),
        sa.update(TicketEvent).where(TicketEvent.ticket_id == ticket_id).values(detail=None),
    ):
        session.execute(statement.execution_options(synchronize_session=False))
    session.add(
        TicketEvent(
            ticket_id=ticket_id,
            at=now,
            actor=SYSTEM_ACTOR,
            kind=EventKind.ANONYMISED.value,
            detail=(
                f"Anonymisert etter lagringstiden på {days} dager: "
                "navn, kontaktinformasjon, tekster og chatten er slettet."
            ),
        )
    )
    deleted = 0
    if events_table and conversation_id and not _conversation_kept(session, conversation_id, cutoff, ticket_id):
        deleted = session.execute(sa.delete(_events).where(_old_events(conversation_id, cutoff))).rowcount or 0
    session.flush()
    return int(deleted)


def _stale_conversations(session: Session, cutoff: dt.datetime) -> list[str]:
    """Conversations with events older than the cutoff that no kept ticket or open chat needs."""
    kept_by_ticket = sa.select(Ticket.conversation_id).where(Ticket.anonymised_at.is_(None))
    kept_by_chat = sa.select(LiveChat.conversation_id).where(LiveChat.status.in_(OPEN_CHAT_STATUSES))
    statement = (
        sa.select(_events.c.sender_id)
        .where(_events.c.sender_id.not_in(kept_by_ticket), _events.c.sender_id.not_in(kept_by_chat))
        .group_by(_events.c.sender_id)
        .having(sa.func.min(_events.c.timestamp) < cutoff.timestamp())
        .order_by(_events.c.sender_id)
    )
    return [str(sender) for sender in session.execute(statement).scalars()]


def _stale_chats(cutoff: dt.datetime) -> sa.sql.ColumnElement:
    """Ended live chats that never became a ticket, ended before the cutoff."""
    return sa.and_(
        LiveChat.ticket_id.is_(None),
        LiveChat.status == ChatStatus.ENDED.value,
        sa.func.coalesce(LiveChat.ended_at, LiveChat.requested_at) < cutoff,
    )


@store_errors
def apply_retention(
    *, days: int | None = None, now: dt.datetime | None = None, dry_run: bool = False, url: str | None = None
) -> RetentionReport:
    """Anonymise and delete what is past the retention period (module docstring); counts what it did.

    `days` defaults to `lagringstid_dager` in kommune.yml. Raises CaseStoreError when the
    database cannot be reached at all.
    """
    days = get_kommune().retention_days if days is None else days
    if days < 1:
        raise ValueError("Lagringstiden må være minst én dag.")
    url = url or get_settings().database_url
    now = (now or utcnow()).astimezone(dt.timezone.utc)
    cutoff = cutoff_for(days, now)
    return _run(days, now, cutoff, dry_run, url)


def _run(days: int, now: dt.datetime, cutoff: dt.datetime, dry_run: bool, url: str) -> RetentionReport:
    events_table = has_events_table(url)
    with session_scope(url) as session:
        expired = session.execute(_expired_tickets(cutoff).order_by(Ticket.id)).all()

    tickets = events = conversations = live_chats = 0
    failed: list[str] = []
    if dry_run:
        with session_scope(url) as session:
            tickets = len(expired)
            if events_table:
                counted: set[str] = set()
                for ticket_id, _reference, conversation_id in expired:
                    if not conversation_id or conversation_id in counted:
                        continue
                    counted.add(conversation_id)
                    if not _conversation_kept(session, conversation_id, cutoff, ticket_id):
                        events += _count_old_events(session, conversation_id, cutoff)
                stale = _stale_conversations(session, cutoff)
                conversations = len(stale)
                for conversation_id in stale:
                    events += _count_old_events(session, conversation_id, cutoff)
            live_chats = int(
                session.execute(
                    sa.select(sa.func.count()).select_from(LiveChat).where(_stale_chats(cutoff))
                ).scalar_one()
            )
            session.rollback()
        return RetentionReport(days, cutoff, True, tickets, conversations, events, live_chats)

    for ticket_id, reference, conversation_id in expired:
        try:
            with session_scope(url) as session:
                deleted = _anonymise(
                    session, ticket_id, conversation_id, cutoff=cutoff, now=now, days=days, events_table=events_table
                )
        except SQLAlchemyError:
            logger.exception("Could not anonymise ticket %s; it is left for the next run", reference)
            failed.append(reference)
            continue
        if deleted is not None:
            tickets += 1
            events += deleted

    if events_table:
        with session_scope(url) as session:
            stale = _stale_conversations(session, cutoff)
        for conversation_id in stale:
            try:
                with session_scope(url) as session:
                    deleted = session.execute(sa.delete(_events).where(_old_events(conversation_id, cutoff))).rowcount
            except SQLAlchemyError:
                logger.exception("Could not delete an old conversation; it is left for the next run")
                continue
            if deleted:
                conversations += 1
                events += int(deleted)

    with session_scope(url) as session:
        chats = sa.select(LiveChat.id).where(_stale_chats(cutoff)).scalar_subquery()
        quick = {"synchronize_session": False}
        session.execute(sa.delete(LiveDelivery).where(LiveDelivery.chat_id.in_(chats)).execution_options(**quick))
        gone = session.execute(sa.delete(LiveChat).where(_stale_chats(cutoff)).execution_options(**quick))
        live_chats = int(gone.rowcount or 0)
        # The review list's marks (bot/answers/review.py): hashes of questions dealt with.
        session.execute(sa.delete(ReviewedQuestion).where(ReviewedQuestion.at < cutoff).execution_options(**quick))

    return RetentionReport(days, cutoff, False, tickets, conversations, events, live_chats, failed)
