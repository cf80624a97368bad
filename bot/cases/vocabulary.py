"""The case queue's words, one definition each: ticket status, event kind, live-chat status and
end reason, channel, the actors that are not staff, and the municipality's time zone.

Each value is the string stored in the database, so the enums are `str` enums: a value read from
the database compares equal to its member. Write `.value` where a value is stored, bound in SQL or
shown, so that no driver or f-string has to know about the enum.
"""

from __future__ import annotations

from enum import Enum

from bot.opening_hours import OFFICE_TZ

# Opening hours, due dates, statistics buckets and the times staff read are all local time.
LOCAL_TZ = OFFICE_TZ  # the office's clock: opening hours, working days, dates shown to staff

SYSTEM_ACTOR = "system"  # retention, e-mail delivery, a live chat ended by the clock
BOT_ACTOR = "bot"  # the chatbot, when it makes a ticket


class Status(str, Enum):
    """A ticket's status; the transitions between them are in `bot.cases.states`."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting_for_citizen"
    RESOLVED = "resolved"
    CLOSED = "closed"


class EventKind(str, Enum):
    """What a row of a ticket's history (`sk_ticket_events.kind`) records."""

    CREATED = "created"
    STATUS = "status"
    CLAIM = "claim"
    RELEASE = "release"
    ASSIGN = "assign"
    NOTE = "note"
    REPLY = "reply"
    EMAIL_SENT = "email_sent"
    EMAIL_FAILED = "email_failed"
    LIVE_CHAT = "live_chat"
    ANONYMISED = "anonymised"


class ChatStatus(str, Enum):
    """A live chat's status (`sk_live_chats.status`)."""

    WAITING = "waiting"
    ACTIVE = "active"
    ENDED = "ended"


class EndReason(str, Enum):
    """Why a live chat ended; each is also the kind of delivery that tells the citizen."""

    HANDED_BACK = "handed_back"
    CLOSED = "closed"
    NO_ANSWER = "no_answer"
    STAFF_GONE = "staff_gone"


class DeliveryKind(str, Enum):
    """What a live-chat delivery (`sk_live_deliveries.kind`) carries besides an end reason."""

    TEXT = "text"
    ACCEPTED = "accepted"


class Channel(str, Enum):
    """Where a conversation came from: Rasa's input channel names."""

    WIDGET = "socketio"
    MESSENGER = "facebook"
    REST = "rest"
    UNKNOWN = "ukjent"
