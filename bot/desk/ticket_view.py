"""One ticket's page: the ticket, its history, outbox, chat transcript and live chat. Rendered by
the pages (`pages.py`) and, after a failed live-chat action, by the live-chat routes (`live.py`)."""

from __future__ import annotations

from typing import Any

from sanic import Request
from sanic.response import HTTPResponse

from bot import accounts
from bot.cases import live, queue
from bot.cases.states import Status
from bot.cases.transcript import ticket_transcript
from bot.desk.labels import STATUS_LABELS, status_actions
from bot.desk.web import fragment, render, run, ticket_not_found

# Fixed confirmations after a redirect (?ok=...): never text taken from the request.
MESSAGES = {
    "claimed": "Du har tatt saken.",
    "released": "Saken er lagt tilbake i køen.",
    "assigned": "Saken er gitt videre.",
    "note": "Notatet er lagret.",
    "reply_mail": "Svaret er lagret og sendt på e-post.",
    "reply_outbox": "Svaret er lagret. E-posten venter i utboksen.",
    "reply_phone": "Svaret er lagret. Ring innbyggeren.",
    "status": "Statusen er endret.",
    "user_created": "Brukeren er opprettet.",
    "user_updated": "Brukeren er endret.",
    "password_changed": "Passordet er endret. Du er logget ut overalt ellers.",
    "password_reset": "Passordet er satt. Brukeren er logget ut overalt.",
    "token_revoked": "API-nøkkelen er trukket tilbake. Den virker ikke lenger.",
    "sent": "Utboksen er sendt.",
    "sent_again": "E-posten er sendt.",
}
REPLY_STATUSES = (Status.WAITING, Status.RESOLVED, Status.CLOSED)


async def live_context(reference: str) -> dict[str, Any]:
    """What the ticket page needs about the ticket's live chat, if it came from one."""
    chat = await run(live.chat_for_ticket, reference)
    if chat is None:
        return {"chat": None, "undelivered": []}
    deliveries = await run(live.chat_deliveries, chat.id)
    return {"chat": chat, "undelivered": [d for d in deliveries if d.delivered_at is None]}


def transcript_fragment(request: Request, lines: list[Any], undelivered: list[live.Delivery]) -> tuple[str, str]:
    """The transcript as the ticket page shows it, and its signature for the page's poller."""
    return fragment(request, "_transcript.html", transcript=lines, undelivered=undelivered)


async def ticket_page(
    request: Request, reference: str, *, status: int = 200, error: str | None = None, **extra: Any
) -> HTTPResponse:
    try:
        detail = await run(queue.ticket_detail, reference)
    except queue.TicketNotFound:
        return ticket_not_found(request)
    lines = await run(ticket_transcript, detail.ticket)
    users = [u for u in await run(accounts.list_users) if u.active]
    chat = await live_context(reference)
    if chat["chat"] is not None:
        extra.setdefault("transcript_signature", transcript_fragment(request, lines, chat["undelivered"])[1])
    return render(
        request,
        "ticket.html",
        status=status,
        detail=detail,
        ticket=detail.ticket,
        transcript=lines,
        users=users,
        status_actions=status_actions(detail.ticket.status),
        reply_statuses=[(s.value, STATUS_LABELS[s.value]) for s in REPLY_STATUSES],
        ok=MESSAGES.get(request.args.get("ok", "")),
        error=error,
        **chat,
        **extra,
    )
