"""JSON API over the same operations as the pages, for the municipality's own case system.

Authentication: `Authorization: Bearer <token>` (tokens from `python -m bot.desk create-token`);
each token acts as the staff member it was made for. The OpenAPI 3 document, /api/openapi.json,
is built from the routes themselves (`openapi.py`): each handler says what it does with
`@operation(...)`, so the document cannot drift from what is served.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sanic import Blueprint, Request
from sanic.exceptions import InvalidUsage
from sanic.response import HTTPResponse, json

from bot.answers import feedback
from bot.cases import queue, stats
from bot.cases.service import TicketView
from bot.cases.states import Status
from bot.cases.transcript import TranscriptLine, ticket_transcript
from bot.desk.openapi import STATUS_ENUM, openapi_document, operation
from bot.desk.views import filters_from_args
from bot.desk.web import DESK_ERRORS, Route, api_error, problem, routes_blueprint, run


def _seconds(value: dt.timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds())


def _time(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def ticket_json(ticket: TicketView) -> dict[str, Any]:
    return {
        "reference": ticket.reference,
        "status": ticket.status.value,
        "topic": ticket.topic,
        "summary": ticket.summary,
        "language": ticket.language,
        "channel": ticket.channel,
        "conversation_id": ticket.conversation_id,
        "contact_name": ticket.contact_name,
        "contact_phone": ticket.contact_phone,
        "contact_email": ticket.contact_email,
        "assignee": ticket.assignee,
        "created_at": _time(ticket.created_at),
        "updated_at": _time(ticket.updated_at),
    }


def _item_json(item: queue.QueueItem) -> dict[str, Any]:
    return {
        **ticket_json(item.ticket),
        "age_seconds": int(item.age.total_seconds()),
        "due_at": _time(item.due_at),
        "overdue": item.overdue,
    }


def _event_json(event: queue.EventView) -> dict[str, Any]:
    return {
        "at": _time(event.at),
        "actor": event.actor,
        "kind": event.kind,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "detail": event.detail,
    }


def _outbox_json(message: queue.OutboxView) -> dict[str, Any]:
    return {
        "id": message.id,
        "reference": message.ticket_reference,
        "to": message.to_address,
        "subject": message.subject,
        "body": message.body,
        "created_at": _time(message.created_at),
        "sent_at": _time(message.sent_at),
        "attempts": message.attempts,
        "last_error": message.last_error,
    }


def _line_json(line: TranscriptLine) -> dict[str, Any]:
    return {
        "at": _time(line.at),
        "speaker": line.speaker,
        "text": line.text,
        "intent": line.intent,
        "buttons": list(line.buttons),
        "name": line.name,
    }


def _body(request: Request) -> dict[str, Any]:
    try:
        body = request.json
    except InvalidUsage:
        raise _BadRequest("Kroppen må være gyldig JSON.") from None
    if body is None:
        return {}
    if not isinstance(body, dict):
        raise _BadRequest("Kroppen må være et JSON-objekt.")
    return body


class _BadRequest(ValueError):
    pass


async def _call(fn: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a queue operation; its errors become JSON answers through the desk's one mapping."""
    try:
        return await run(fn, *args, **kwargs), None
    except DESK_ERRORS as error:
        found = problem(error)
        return None, api_error(found.status, found.code, found.message)


def _bad(error: Exception) -> HTTPResponse:
    return api_error(400, "bad_request", str(error) if isinstance(error, _BadRequest) else "Ukjent status.")


async def openapi(request: Request) -> HTTPResponse:
    return json(openapi_document(request.app))


_QUEUE_QUERY = [
    {"name": "status", "in": "query", "schema": {"type": "string", "enum": ["open", "all", *STATUS_ENUM]}},
    {"name": "tema", "in": "query", "schema": {"type": "string"}},
    {"name": "kanal", "in": "query", "schema": {"type": "string"}},
    {"name": "sprak", "in": "query", "schema": {"type": "string"}},
    {"name": "mine", "in": "query", "schema": {"type": "string", "enum": ["1"]}},
    {"name": "q", "in": "query", "description": "saksnummer, navn, telefon eller e-post", "schema": {"type": "string"}},
]


@operation("Saker i køen, eldste først", ref=False, query=_QUEUE_QUERY)
async def api_list(request: Request) -> HTTPResponse:
    filters = filters_from_args(request.args)
    items = await run(queue.list_queue, filters, viewer=request.ctx.user.username)
    return json({"tickets": [_item_json(i) for i in items]})


@operation("Én sak med historikk, utboks og chatlogg")
async def api_ticket(request: Request, reference: str) -> HTTPResponse:
    detail, error = await _call(queue.ticket_detail, reference)
    if error:
        return error
    lines = await run(ticket_transcript, detail.ticket)
    return json(
        {
            "ticket": ticket_json(detail.ticket),
            "call_back": detail.call_back,
            "events": [_event_json(e) for e in detail.events],
            "outbox": [_outbox_json(m) for m in detail.outbox],
            "transcript": [_line_json(line) for line in lines],
        }
    )


@operation("Ta saken (409 hvis en annen har den)")
async def api_claim(request: Request, reference: str) -> HTTPResponse:
    ticket, error = await _call(queue.claim, reference, actor=request.ctx.user.username)
    return error or json({"ticket": ticket_json(ticket)})


@operation("Legg saken tilbake i køen")
async def api_release(request: Request, reference: str) -> HTTPResponse:
    ticket, error = await _call(queue.release, reference, actor=request.ctx.user.username)
    return error or json({"ticket": ticket_json(ticket)})


@operation(
    "Gi saken til en annen",
    body={"type": "object", "required": ["assignee"], "properties": {"assignee": {"type": "string"}}},
)
async def api_assign(request: Request, reference: str) -> HTTPResponse:
    try:
        body = _body(request)
    except _BadRequest as bad:
        return _bad(bad)
    assignee = str(body.get("assignee") or "")
    ticket, error = await _call(queue.reassign, reference, assignee, actor=request.ctx.user.username)
    return error or json({"ticket": ticket_json(ticket)})


@operation(
    "Internt notat",
    body={"type": "object", "required": ["text"], "properties": {"text": {"type": "string", "maxLength": 4000}}},
    ok="201",
)
async def api_note(request: Request, reference: str) -> HTTPResponse:
    try:
        body = _body(request)
    except _BadRequest as bad:
        return _bad(bad)
    text = str(body.get("text") or "")
    ticket, error = await _call(queue.add_note, reference, text, actor=request.ctx.user.username)
    return error or json({"ticket": ticket_json(ticket)}, status=201)


@operation(
    "Svar til innbyggeren (e-post, utboks eller ring tilbake)",
    body={
        "type": "object",
        "required": ["text"],
        "properties": {
            "text": {"type": "string", "maxLength": 4000},
            "status": {"type": "string", "enum": STATUS_ENUM},
        },
    },
    ok="201",
)
async def api_reply(request: Request, reference: str) -> HTTPResponse:
    try:
        body = _body(request)
        new_status = Status(body["status"]) if body.get("status") else None
    except (_BadRequest, ValueError) as bad:
        return _bad(bad)
    text = str(body.get("text") or "")
    result, error = await _call(
        queue.reply_and_send, reference, text, actor=request.ctx.user.username, new_status=new_status
    )
    if error:
        return error
    body = {"ticket": ticket_json(result.ticket), "delivery": result.delivery, "call_back": result.call_back}
    return json(body, status=201)


@operation(
    "Endre status",
    body={
        "type": "object",
        "required": ["status"],
        "properties": {"status": {"type": "string", "enum": STATUS_ENUM}, "comment": {"type": "string"}},
    },
)
async def api_status(request: Request, reference: str) -> HTTPResponse:
    try:
        body = _body(request)
        new_status = Status(str(body.get("status") or ""))
    except (_BadRequest, ValueError) as bad:
        return _bad(bad)
    comment = str(body.get("comment") or "")
    ticket, error = await _call(
        queue.change_status, reference, new_status, actor=request.ctx.user.username, detail=comment
    )
    return error or json({"ticket": ticket_json(ticket)})


@operation(
    "E-poster som venter (pending=0 gir alle)",
    ref=False,
    query=[{"name": "pending", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]}}],
)
async def api_outbox(request: Request) -> HTTPResponse:
    messages = await run(queue.list_outbox, pending_only=request.args.get("pending", "1") != "0")
    return json({"messages": [_outbox_json(m) for m in messages]})


def _stats_json(figures: stats.Statistics) -> dict[str, Any]:
    return {
        "period": figures.period,
        "start": _time(figures.start),
        "end": _time(figures.end),
        "conversations": figures.conversations,
        "tickets": figures.tickets,
        "handoff_share": figures.handoff_share,
        "median_first_response_seconds": _seconds(figures.median_first_response),
        "median_close_seconds": _seconds(figures.median_close),
        "buckets": [
            {
                "start": b.start.isoformat(),
                "label": b.label,
                "conversations": b.conversations,
                "tickets": b.tickets,
                "emergencies": b.emergencies,
                "urgent_health": b.urgent_health,
            }
            for b in figures.buckets
        ],
        "emergencies": figures.emergencies,
        "urgent_health": figures.urgent_health,
        "per_topic": [{"topic": t, "label": label, "tickets": n} for t, label, n in figures.per_topic],
        "per_channel": [{"channel": c, "tickets": n} for c, n in figures.per_channel],
        "misunderstood": [
            {"text": m.text, "count": m.count, "last_at": _time(m.last_at)} for m in figures.misunderstood
        ],
    }


@operation(
    "Statistikk (bare administratorer)",
    ref=False,
    admin=True,
    query=[
        {"name": "period", "in": "query", "schema": {"type": "string", "enum": ["day", "week"]}},
        {"name": "count", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 366}},
    ],
)
async def api_stats(request: Request) -> HTTPResponse:
    period = request.args.get("period", "day")
    if period not in stats.PERIODS:
        return api_error(400, "bad_request", "period må være day eller week.")
    try:
        count = int(request.args.get("count", "14"))
    except ValueError:
        return api_error(400, "bad_request", "count må være et heltall.")
    figures = await run(stats.compute, period, count)
    ratings = await run(feedback.shares, figures.start, figures.end)
    return json({**_stats_json(figures), "ratings": _ratings_json(ratings)})


def _ratings_json(ratings: feedback.Shares) -> dict[str, Any]:
    """The citizens' 👍 / 👎 after the library's answers, per theme and per answer."""

    def share(s: feedback.Share) -> dict[str, Any]:
        return {"name": s.name, "up": s.up, "down": s.down, "share_up": round(s.share, 4)}

    return {
        "per_theme": [share(s) for s in ratings.per_theme],
        "per_answer": [{"answer": s.key, **share(s)} for s in ratings.per_answer],
    }


ROUTES: list[Route] = [
    ("GET", "/api/openapi.json", openapi),
    ("GET", "/api/v1/tickets", api_list),
    ("GET", "/api/v1/tickets/<reference>", api_ticket),
    ("POST", "/api/v1/tickets/<reference>/claim", api_claim),
    ("POST", "/api/v1/tickets/<reference>/release", api_release),
    ("POST", "/api/v1/tickets/<reference>/assign", api_assign),
    ("POST", "/api/v1/tickets/<reference>/notes", api_note),
    ("POST", "/api/v1/tickets/<reference>/replies", api_reply),
    ("POST", "/api/v1/tickets/<reference>/status", api_status),
    ("GET", "/api/v1/outbox", api_outbox),
    ("GET", "/api/v1/admin/stats", api_stats),
]


def blueprint() -> Blueprint:
    """The JSON API."""
    return routes_blueprint("api", ROUTES)
