"""Live chat: in opening hours, a citizen chats with a staff member instead of the bot.

A chat is `waiting` (the citizen asked), then `active` (a staff member took it; this creates an
«in progress» ticket held by that person), then `ended`: handed back to the bot, closed by staff
(the ticket is resolved), nobody answered in time (the citizen is offered a callback ticket), or
the staff member's desk went away (handed back). Taking a chat is one conditional UPDATE, so of
two staff members exactly one wins.

What staff write, and the chat's turns, wait in `sk_live_deliveries` until the Rasa server
that holds the citizen's connection pushes them out (`bot/channels/live.py`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import Session

from bot.cases.models import LiveChat, LiveDelivery, StaffPresence, Ticket, as_utc, utcnow
from bot.cases.service import NewTicket, apply_transition, insert_ticket, record_event, store_errors
from bot.cases.states import StatusError
from bot.cases.vocabulary import LOCAL_TZ, SYSTEM_ACTOR, ChatStatus, DeliveryKind, EndReason, EventKind, Status
from bot.db import session_scope
from bot.kommune import get_kommune
from bot.pii import mask_id_numbers
from bot.settings import get_settings

# Channels that can take a message from us outside an answer (REST answers only what it is asked).
LIVE_CHANNELS = frozenset({"socketio", "facebook"})
MAX_MESSAGE = 2000

# Short names for the stored values (bot/cases/vocabulary.py defines them).
WAITING, ACTIVE, ENDED = ChatStatus.WAITING.value, ChatStatus.ACTIVE.value, ChatStatus.ENDED.value
HANDED_BACK, CLOSED = EndReason.HANDED_BACK.value, EndReason.CLOSED.value
NO_ANSWER, STAFF_GONE = EndReason.NO_ANSWER.value, EndReason.STAFF_GONE.value
TEXT, ACCEPTED = DeliveryKind.TEXT.value, DeliveryKind.ACCEPTED.value


class LiveChatError(ValueError):
    """A live-chat operation that is not allowed now; the message is for staff."""


class LiveChatTaken(LiveChatError):
    """Another staff member took the chat first, or it ended."""


@dataclass(frozen=True)
class LiveChatView:
    id: int
    conversation_id: str
    channel: str
    language: str
    topic: str
    status: str
    requested_at: dt.datetime
    accepted_at: dt.datetime | None
    accepted_by: str | None
    ended_at: dt.datetime | None
    end_reason: str | None
    ticket_reference: str | None

    @classmethod
    def of(cls, chat: LiveChat) -> LiveChatView:
        return cls(
            id=chat.id,
            conversation_id=chat.conversation_id,
            channel=chat.channel,
            language=chat.language,
            topic=chat.topic,
            status=chat.status,
            requested_at=as_utc(chat.requested_at),
            accepted_at=as_utc(chat.accepted_at),
            accepted_by=chat.accepted_by,
            ended_at=as_utc(chat.ended_at),
            end_reason=chat.end_reason,
            ticket_reference=chat.ticket.reference if chat.ticket else None,
        )

    @property
    def is_open(self) -> bool:
        return self.status in (WAITING, ACTIVE)


@dataclass(frozen=True)
class Delivery:
    id: int
    chat_id: int
    conversation_id: str
    channel: str
    kind: str
    body: str | None
    author_name: str | None
    created_at: dt.datetime
    delivered_at: dt.datetime | None = None
    failed: bool = False


def _delivery(row: LiveDelivery) -> Delivery:
    return Delivery(
        id=row.id,
        chat_id=row.chat_id,
        conversation_id=row.chat.conversation_id,
        channel=row.chat.channel,
        kind=row.kind,
        body=row.body,
        author_name=row.author_name,
        created_at=as_utc(row.created_at),
        delivered_at=as_utc(row.delivered_at),
        failed=bool(row.failed),
    )


# --- staff presence ----------------------------------------------------------------------------


@store_errors
def set_available(username: str, available: bool, *, now: dt.datetime | None = None, url: str | None = None) -> None:
    """A staff member switches «takes live chats» on or off in the desk."""
    now = now or utcnow()
    with session_scope(url) as session:
        row = session.get(StaffPresence, username)
        if row is None:
            session.add(StaffPresence(username=username, available=available, last_seen=now))
        else:
            row.available = available
            row.last_seen = now


@store_errors
def touch_presence(username: str, *, now: dt.datetime | None = None, url: str | None = None) -> bool:
    """The desk page is still open; returns whether this person takes live chats."""
    now = now or utcnow()
    with session_scope(url) as session:
        row = session.get(StaffPresence, username)
        if row is None:
            return False
        row.last_seen = now
        return bool(row.available)


@store_errors
def is_available(username: str, *, url: str | None = None) -> bool:
    with session_scope(url) as session:
        row = session.get(StaffPresence, username)
        return bool(row and row.available)


def _present_since(now: dt.datetime) -> dt.datetime:
    return now - dt.timedelta(seconds=get_settings().live_presence_seconds)


@store_errors
def available_staff(*, now: dt.datetime | None = None, url: str | None = None) -> int:
    """How many staff members take live chats and have the desk open right now."""
    now = now or utcnow()
    with session_scope(url) as session:
        return int(
            session.execute(
                sa.select(sa.func.count())
                .select_from(StaffPresence)
                .where(StaffPresence.available.is_(True), StaffPresence.last_seen >= _present_since(now))
            ).scalar_one()
        )


def can_offer(channel: str, *, now: dt.datetime | None = None, url: str | None = None) -> bool:
    """Offer a live chat only on a channel that can receive it, in opening hours, with staff there."""
    now = now or utcnow()
    if channel not in LIVE_CHANNELS:
        return False
    if not get_kommune().opening_hours.is_open(now.astimezone(LOCAL_TZ)):
        return False
    return available_staff(now=now, url=url) > 0


# --- the citizen's side ------------------------------------------------------------------------


@store_errors
def request_chat(
    conversation_id: str, channel: str, language: str, topic: str, *, url: str | None = None
) -> LiveChatView:
    """The citizen wants to chat with a person; asking twice keeps the one open request."""
    with session_scope(url) as session:
        chat = _open_chat(session, conversation_id)
        if chat is None:
            chat = LiveChat(
                conversation_id=conversation_id[:255],
                channel=channel[:32],
                language=language[:8],
                topic=topic[:64],
                status=WAITING,
                requested_at=utcnow(),
            )
            session.add(chat)
            session.flush()
        return LiveChatView.of(chat)


def _open_chat(session: Session, conversation_id: str) -> LiveChat | None:
    return session.execute(
        sa.select(LiveChat)
        .where(LiveChat.conversation_id == conversation_id, LiveChat.status.in_((WAITING, ACTIVE)))
        .order_by(LiveChat.id.desc())
        .limit(1)
    ).scalar_one_or_none()


@store_errors
def open_chat(conversation_id: str, *, url: str | None = None) -> LiveChatView | None:
    """The conversation's waiting or active chat: while there is one, the bot stays silent."""
    with session_scope(url) as session:
        chat = _open_chat(session, conversation_id)
        return LiveChatView.of(chat) if chat else None


@store_errors
def open_conversation_ids(*, url: str | None = None) -> frozenset[str]:
    """Every conversation with a waiting or active chat (one cheap query for the Rasa server)."""
    with session_scope(url) as session:
        rows = session.execute(
            sa.select(LiveChat.conversation_id).where(LiveChat.status.in_((WAITING, ACTIVE)))
        ).scalars()
        return frozenset(rows)


# --- the desk's side ---------------------------------------------------------------------------


@store_errors
def list_open_chats(*, url: str | None = None) -> list[LiveChatView]:
    """Waiting and active chats, oldest first."""
    with session_scope(url) as session:
        chats = session.execute(
            sa.select(LiveChat).where(LiveChat.status.in_((WAITING, ACTIVE))).order_by(LiveChat.requested_at)
        ).scalars()
        return [LiveChatView.of(chat) for chat in chats]


@store_errors
def get_chat(chat_id: int, *, url: str | None = None) -> LiveChatView:
    with session_scope(url) as session:
        chat = session.get(LiveChat, chat_id)
        if chat is None:
            raise LiveChatError("Fant ikke chatten.")
        return LiveChatView.of(chat)


@store_errors
def chat_for_ticket(reference: str, *, url: str | None = None) -> LiveChatView | None:
    """The latest live chat behind a ticket, if the ticket came from one."""
    with session_scope(url) as session:
        chat = session.execute(
            sa.select(LiveChat)
            .join(Ticket, LiveChat.ticket_id == Ticket.id)
            .where(Ticket.reference == reference)
            .order_by(LiveChat.id.desc())
            .limit(1)
        ).scalar_one_or_none()
        return LiveChatView.of(chat) if chat else None


@store_errors
def accept(chat_id: int, *, actor: str, url: str | None = None) -> LiveChatView:
    """Take a waiting chat: exactly one staff member wins; the chat gets an «in progress» ticket."""
    with session_scope(url) as session:
        now = utcnow()
        won = session.execute(
            sa.update(LiveChat)
            .where(LiveChat.id == chat_id, LiveChat.status == WAITING)
            .values(status=ACTIVE, accepted_by=actor, accepted_at=now)
            .execution_options(synchronize_session=False)
        ).rowcount
        chat = session.get(LiveChat, chat_id)
        if chat is None:
            raise LiveChatError("Fant ikke chatten.")
        if won != 1:
            if chat.status == ACTIVE and chat.accepted_by == actor:
                return LiveChatView.of(chat)
            if chat.status == ACTIVE:
                raise LiveChatTaken(f"{chat.accepted_by} har allerede tatt denne chatten.")
            raise LiveChatTaken("Chatten er avsluttet. Innbyggeren venter ikke lenger.")
        new = NewTicket(
            idempotency_key=f"live-chat:{chat.id}",
            conversation_id=chat.conversation_id,
            channel=chat.channel,
            topic=chat.topic,
            summary="Direktechat med en medarbeider.",
            language=chat.language,
            contact_name="",
            contact="",
        )
        ticket = insert_ticket(
            session, new, phone=None, email=None, detail=f"Direktechat i chatten ({chat.channel}).", now=now
        )
        ticket.assignee = actor
        record_event(session, ticket, EventKind.CLAIM, actor=actor, detail=f"Tatt av {actor} i direktechat.", now=now)
        apply_transition(session, ticket, Status.IN_PROGRESS, actor=actor)
        chat.ticket_id = ticket.id
        session.add(LiveDelivery(chat_id=chat.id, kind=ACCEPTED, author=actor, created_at=now))
        presence = session.get(StaffPresence, actor)
        if presence is None:
            session.add(StaffPresence(username=actor, available=False, last_seen=now))
        else:
            presence.last_seen = now
        session.flush()
        session.refresh(chat)
        return LiveChatView.of(chat)


def _held_chat(session: Session, chat_id: int, actor: str) -> LiveChat:
    chat = session.execute(sa.select(LiveChat).where(LiveChat.id == chat_id).with_for_update()).scalar_one_or_none()
    if chat is None:
        raise LiveChatError("Fant ikke chatten.")
    if chat.status != ACTIVE:
        raise LiveChatError("Chatten er avsluttet.")
    if chat.accepted_by != actor:
        raise LiveChatError("Bare den som har tatt chatten, kan skrive i den.")
    return chat


@store_errors
def send_message(chat_id: int, text: str, *, actor: str, actor_name: str, url: str | None = None) -> int:
    """A staff member writes to the citizen; the Rasa server delivers it. Returns the delivery id."""
    masked, _ = mask_id_numbers(text or "")
    body = masked.strip()
    if not body:
        raise LiveChatError("Skriv en melding før du sender.")
    if len(body) > MAX_MESSAGE:
        raise LiveChatError(f"Meldingen er for lang. Skriv under {MAX_MESSAGE} tegn.")
    with session_scope(url) as session:
        chat = _held_chat(session, chat_id, actor)
        delivery = LiveDelivery(chat_id=chat.id, kind=TEXT, body=body, author=actor, author_name=actor_name[:200])
        session.add(delivery)
        session.flush()
        return int(delivery.id)


def _end(session: Session, chat: LiveChat, reason: str, *, actor: str, now: dt.datetime) -> None:
    chat.status = ENDED
    chat.end_reason = reason
    chat.ended_at = now
    session.add(LiveDelivery(chat_id=chat.id, kind=reason, author=actor, created_at=now))
    ticket = chat.ticket
    if ticket is None:
        return
    detail = {
        HANDED_BACK: "Chatten er gitt tilbake til chatboten.",
        CLOSED: "Chatten er avsluttet.",
        STAFF_GONE: "Medarbeideren forlot chatten. Chatboten svarer igjen.",
    }.get(reason, "Chatten er avsluttet.")
    record_event(session, ticket, EventKind.LIVE_CHAT, actor=actor, detail=detail, now=now)
    if reason == CLOSED and ticket.status in (Status.NEW.value, Status.IN_PROGRESS.value, Status.WAITING.value):
        apply_transition(session, ticket, Status.RESOLVED, actor=actor)


@store_errors
def hand_back(chat_id: int, *, actor: str, url: str | None = None) -> LiveChatView:
    """The bot answers the citizen again; the ticket stays as it is."""
    with session_scope(url) as session:
        chat = _held_chat(session, chat_id, actor)
        _end(session, chat, HANDED_BACK, actor=actor, now=utcnow())
        session.flush()
        return LiveChatView.of(chat)


@store_errors
def close_chat(chat_id: int, *, actor: str, url: str | None = None) -> LiveChatView:
    """The staff member ends the chat: the citizen is told, the ticket is resolved."""
    with session_scope(url) as session:
        chat = _held_chat(session, chat_id, actor)
        try:
            _end(session, chat, CLOSED, actor=actor, now=utcnow())
        except StatusError as error:
            raise LiveChatError(str(error)) from error
        session.flush()
        return LiveChatView.of(chat)


@store_errors
def expire(*, now: dt.datetime | None = None, url: str | None = None) -> int:
    """End chats nobody took in time (a callback is offered) and chats whose staff member left.

    Safe to run from several Rasa servers at once: each chat is ended by one conditional UPDATE.
    """
    now = now or utcnow()
    settings = get_settings()
    waited_since = now - dt.timedelta(seconds=settings.live_chat_wait_seconds)
    ended = 0
    with session_scope(url) as session:
        stale = [
            chat_id
            for (chat_id,) in session.execute(
                sa.select(LiveChat.id).where(LiveChat.status == WAITING, LiveChat.requested_at < waited_since)
            )
        ]
        present = sa.select(StaffPresence.username).where(StaffPresence.last_seen >= _present_since(now))
        gone = [
            chat_id
            for (chat_id,) in session.execute(
                sa.select(LiveChat.id).where(LiveChat.status == ACTIVE, LiveChat.accepted_by.not_in(present))
            )
        ]
        for chat_ids, from_status, reason in ((stale, WAITING, NO_ANSWER), (gone, ACTIVE, STAFF_GONE)):
            for chat_id in chat_ids:
                won = session.execute(
                    sa.update(LiveChat)
                    .where(LiveChat.id == chat_id, LiveChat.status == from_status)
                    .values(status=ENDED, end_reason=reason, ended_at=now)
                    .execution_options(synchronize_session=False)
                ).rowcount
                if won != 1:
                    continue
                chat = session.get(LiveChat, chat_id)
                session.add(LiveDelivery(chat_id=chat_id, kind=reason, author=SYSTEM_ACTOR, created_at=now))
                if chat is not None and chat.ticket is not None:
                    record_event(
                        session,
                        chat.ticket,
                        EventKind.LIVE_CHAT,
                        actor=SYSTEM_ACTOR,
                        detail="Medarbeideren forlot chatten. Chatboten svarer igjen.",
                        now=now,
                    )
                ended += 1
    return ended


# --- delivery to the citizen (the Rasa server's side) ------------------------------------------


@store_errors
def pending_deliveries(*, limit: int = 100, url: str | None = None) -> list[Delivery]:
    with session_scope(url) as session:
        rows = session.execute(
            sa.select(LiveDelivery).where(LiveDelivery.delivered_at.is_(None)).order_by(LiveDelivery.id).limit(limit)
        ).scalars()
        return [_delivery(row) for row in rows]


@store_errors
def mark_delivered(delivery_id: int, *, failed: bool = False, url: str | None = None) -> bool:
    """Claim a delivery for sending; False when another server already did."""
    with session_scope(url) as session:
        won = session.execute(
            sa.update(LiveDelivery)
            .where(LiveDelivery.id == delivery_id, LiveDelivery.delivered_at.is_(None))
            .values(delivered_at=utcnow(), failed=failed)
            .execution_options(synchronize_session=False)
        ).rowcount
        return won == 1


@store_errors
def chat_deliveries(chat_id: int, *, url: str | None = None) -> list[Delivery]:
    """What staff wrote in a chat and whether it reached the citizen, for the desk."""
    with session_scope(url) as session:
        rows = session.execute(
            sa.select(LiveDelivery)
            .where(LiveDelivery.chat_id == chat_id, LiveDelivery.kind == TEXT)
            .order_by(LiveDelivery.id)
        ).scalars()
        return [_delivery(row) for row in rows]
