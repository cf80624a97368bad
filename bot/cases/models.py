"""SQLAlchemy tables of the case queue: tickets, the history of every change, the e-mail outbox, live
chat (staff presence, chats, the deliveries waiting for the citizen's channel) and the channels'
message ids already handled. Staff accounts are in `bot/accounts.py`; the schema changes only
through Alembic migrations (`bot/db/migrations`), whose metadata `bot/db/schema.py` gathers."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import declarative_base, relationship

Base = declarative_base()


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def as_utc(value: dt.datetime | None) -> dt.datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=dt.timezone.utc)


class Ticket(Base):
    __tablename__ = "sk_tickets"

    id = sa.Column(sa.Integer, primary_key=True)
    reference = sa.Column(sa.String(20), unique=True)
    idempotency_key = sa.Column(sa.String(64), nullable=False, unique=True)
    status = sa.Column(sa.String(32), nullable=False, index=True)
    topic = sa.Column(sa.String(64), nullable=False)
    summary = sa.Column(sa.Text, nullable=False)
    language = sa.Column(sa.String(8), nullable=False)
    channel = sa.Column(sa.String(32), nullable=False)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    contact_name = sa.Column(sa.String(200), nullable=False)
    contact_phone = sa.Column(sa.String(20), index=True)
    contact_email = sa.Column(sa.String(254), index=True)
    consent_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    assignee = sa.Column(sa.String(100))
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    updated_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    # Set when the retention run cleared the citizen's data (bot/cases/retention.py).
    anonymised_at = sa.Column(sa.DateTime(timezone=True), index=True)

    events = relationship("TicketEvent", order_by="TicketEvent.id", back_populates="ticket")


class TicketEvent(Base):
    __tablename__ = "sk_ticket_events"

    id = sa.Column(sa.Integer, primary_key=True)
    ticket_id = sa.Column(sa.Integer, sa.ForeignKey("sk_tickets.id"), nullable=False, index=True)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    actor = sa.Column(sa.String(100), nullable=False)
    kind = sa.Column(sa.String(32), nullable=False, index=True)
    from_status = sa.Column(sa.String(32))
    to_status = sa.Column(sa.String(32))
    detail = sa.Column(sa.Text)

    ticket = relationship("Ticket", back_populates="events")


class OutboxMessage(Base):
    """A reply to a citizen by e-mail: sent by SMTP when configured, otherwise waiting here."""

    __tablename__ = "sk_outbox"

    id = sa.Column(sa.Integer, primary_key=True)
    ticket_id = sa.Column(sa.Integer, sa.ForeignKey("sk_tickets.id"), nullable=False, index=True)
    event_id = sa.Column(sa.Integer, sa.ForeignKey("sk_ticket_events.id"), nullable=False)
    to_address = sa.Column(sa.String(254), nullable=False)
    subject = sa.Column(sa.String(200), nullable=False)
    body = sa.Column(sa.Text, nullable=False)
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    sent_at = sa.Column(sa.DateTime(timezone=True), index=True)
    attempts = sa.Column(sa.Integer, nullable=False, default=0)
    last_error = sa.Column(sa.Text)
    # After a failed try, when to try again (None: now); set when the tries are given up.
    next_attempt_at = sa.Column(sa.DateTime(timezone=True), index=True)
    failed_at = sa.Column(sa.DateTime(timezone=True))

    ticket = relationship("Ticket")


class StaffPresence(Base):
    """Whether a staff member takes live chats now: switched on in the desk, kept alive by its page."""

    __tablename__ = "sk_staff_presence"

    username = sa.Column(sa.String(100), primary_key=True)
    available = sa.Column(sa.Boolean, nullable=False, default=False)
    last_seen = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)


class LiveChat(Base):
    """A citizen's wish to chat with a person now, and the chat once a staff member takes it."""

    __tablename__ = "sk_live_chats"

    id = sa.Column(sa.Integer, primary_key=True)
    conversation_id = sa.Column(sa.String(255), nullable=False, index=True)
    channel = sa.Column(sa.String(32), nullable=False)
    language = sa.Column(sa.String(8), nullable=False)
    topic = sa.Column(sa.String(64), nullable=False)
    status = sa.Column(sa.String(16), nullable=False, index=True)
    requested_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    accepted_at = sa.Column(sa.DateTime(timezone=True))
    accepted_by = sa.Column(sa.String(100))
    ended_at = sa.Column(sa.DateTime(timezone=True))
    end_reason = sa.Column(sa.String(16))
    ticket_id = sa.Column(sa.Integer, sa.ForeignKey("sk_tickets.id"), index=True)

    ticket = relationship("Ticket")


class LiveDelivery(Base):
    """Something the Rasa server must push to the citizen: a staff member's message or a chat event."""

    __tablename__ = "sk_live_deliveries"

    id = sa.Column(sa.Integer, primary_key=True)
    chat_id = sa.Column(sa.Integer, sa.ForeignKey("sk_live_chats.id"), nullable=False, index=True)
    kind = sa.Column(sa.String(16), nullable=False)
    body = sa.Column(sa.Text)
    author = sa.Column(sa.String(100))
    author_name = sa.Column(sa.String(200))
    created_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    delivered_at = sa.Column(sa.DateTime(timezone=True), index=True)
    failed = sa.Column(sa.Boolean, nullable=False, default=False)

    chat = relationship("LiveChat")


class JobRun(Base):
    """One run of a scheduled job (the retention run), for the operator's metrics and alerts."""

    __tablename__ = "sk_job_runs"

    id = sa.Column(sa.Integer, primary_key=True)
    job = sa.Column(sa.String(32), nullable=False, index=True)
    started_at = sa.Column(sa.DateTime(timezone=True), nullable=False)
    finished_at = sa.Column(sa.DateTime(timezone=True), nullable=False, default=utcnow)
    ok = sa.Column(sa.Boolean, nullable=False)
    summary = sa.Column(sa.Text)


class SeenMessage(Base):
    """A channel's message id already handled (bot/channels/seen_messages.py): a redelivery is dropped."""

    __tablename__ = "sk_seen_messages"

    channel = sa.Column(sa.String(32), primary_key=True)
    message_id = sa.Column(sa.String(255), primary_key=True)
    at = sa.Column(sa.DateTime(timezone=True), nullable=False, index=True)
