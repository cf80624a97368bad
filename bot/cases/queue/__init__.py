"""Working the case queue, for the desk and its API. One module per job:

- `queries`: list, filter and search tickets; one ticket with its history and outbox; the outbox;
- `commands`: claim, release, reassign, notes, replies, status;
- `mail`: the reply e-mail (a template per language) and sending the outbox by SMTP;
- `calendar`: working days and when a ticket is due;
- `errors`: what the queue refuses.

Callers use the names below (`from bot.cases import queue; queue.claim(...)`).
"""

from bot.cases.queue.calendar import due_at
from bot.cases.queue.commands import (
    MAX_TEXT,
    ReplyResult,
    add_note,
    change_status,
    claim,
    reassign,
    release,
    reply,
    reply_and_send,
)
from bot.cases.queue.errors import ClaimConflict, InvalidAssignee, QueueError, TicketNotFound
from bot.cases.queue.mail import deliver_outbox, reply_mail, send_again
from bot.cases.queue.queries import (
    OPEN_STATUSES,
    EventView,
    OutboxView,
    QueueFilter,
    QueueItem,
    TicketDetail,
    list_outbox,
    list_queue,
    queue_facets,
    ticket_detail,
)

__all__ = [
    "MAX_TEXT",
    "OPEN_STATUSES",
    "ClaimConflict",
    "EventView",
    "InvalidAssignee",
    "OutboxView",
    "QueueError",
    "QueueFilter",
    "QueueItem",
    "ReplyResult",
    "TicketDetail",
    "TicketNotFound",
    "add_note",
    "change_status",
    "claim",
    "deliver_outbox",
    "send_again",
    "due_at",
    "list_outbox",
    "list_queue",
    "queue_facets",
    "reassign",
    "release",
    "reply",
    "reply_and_send",
    "reply_mail",
    "ticket_detail",
]
