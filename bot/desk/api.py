"""JSON API over the same operations as the pages, for the municipality's own case system.

Authentication: `Authorization: Bearer <token>` (tokens from `python -m bot.desk create-token`);
each token acts as the staff member it was made for. The OpenAPI 3 document is /api/openapi.json.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sanic import Request, Sanic
from sanic.exceptions import InvalidUsage
from sanic.response import HTTPResponse, json

from bot import accounts
from bot.cases import queue, stats
from bot.cases.service import TicketView
from bot.cases.states import Status, StatusError
from bot.cases.transcript import TranscriptLine, ticket_transcript
from bot.desk.app import api_error, run
from bot.desk.views import filters_from_args


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
    """Run a queue operation; map its errors to JSON answers."""
    try:
        return await run(fn, *args, **kwargs), None
    except queue.TicketNotFound:
        return None, api_error(404, "not_found", "Det finnes ingen sak med det saksnummeret.")
    except queue.InvalidAssignee as invalid:
        return None, api_error(400, "bad_request", str(invalid))
    except queue.ClaimConflict as conflict:
        response = api_error(409, "claimed", f"Saken er allerede tatt av {conflict.holder}.")
        return None, response
    except (StatusError, queue.QueueError, accounts.AccountError) as error:
        return None, api_error(409, "conflict", str(error))


def register(app: Sanic) -> None:
    @app.get("/api/openapi.json")
    async def openapi(request: Request) -> HTTPResponse:
        return json(OPENAPI)

    @app.get("/api/v1/tickets")
    async def api_list(request: Request) -> HTTPResponse:
        filters = filters_from_args(request.args)
        items = await run(queue.list_queue, filters, viewer=request.ctx.user.username)
        return json({"tickets": [_item_json(i) for i in items]})

    @app.get("/api/v1/tickets/<reference>")
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

    @app.post("/api/v1/tickets/<reference>/claim")
    async def api_claim(request: Request, reference: str) -> HTTPResponse:
        ticket, error = await _call(queue.claim, reference, actor=request.ctx.user.username)
        return error or json({"ticket": ticket_json(ticket)})

    @app.post("/api/v1/tickets/<reference>/release")
    async def api_release(request: Request, reference: str) -> HTTPResponse:
        ticket, error = await _call(queue.release, reference, actor=request.ctx.user.username)
        return error or json({"ticket": ticket_json(ticket)})

    @app.post("/api/v1/tickets/<reference>/assign")
    async def api_assign(request: Request, reference: str) -> HTTPResponse:
        try:
            body = _body(request)
        except _BadRequest as bad:
            return api_error(400, "bad_request", str(bad))
        assignee = str(body.get("assignee") or "")
        ticket, error = await _call(queue.reassign, reference, assignee, actor=request.ctx.user.username)
        return error or json({"ticket": ticket_json(ticket)})

    @app.post("/api/v1/tickets/<reference>/notes")
    async def api_note(request: Request, reference: str) -> HTTPResponse:
        try:
            body = _body(request)
        except _BadRequest as bad:
            return api_error(400, "bad_request", str(bad))
        ticket, error = await _call(
            queue.add_note, reference, str(body.get("text") or ""), actor=request.ctx.user.username
        )
        return error or json({"ticket": ticket_json(ticket)}, status=201)

    @app.post("/api/v1/tickets/<reference>/replies")
    async def api_reply(request: Request, reference: str) -> HTTPResponse:
        try:
            body = _body(request)
            new_status = Status(body["status"]) if body.get("status") else None
        except (_BadRequest, ValueError) as bad:
            return api_error(400, "bad_request", str(bad) if isinstance(bad, _BadRequest) else "Ukjent status.")
        result, error = await _call(
            queue.reply, reference, str(body.get("text") or ""), actor=request.ctx.user.username, new_status=new_status
        )
        if error:
            return error
        sent = 0
        if result.outbox_id is not None:
            sent = await run(queue.deliver_outbox, only=[result.outbox_id])
        return json(
            {
                "ticket": ticket_json(result.ticket),
                "delivery": "email" if sent else ("outbox" if result.outbox_id is not None else "call_back"),
                "call_back": result.call_back,
            },
            status=201,
        )

    @app.post("/api/v1/tickets/<reference>/status")
    async def api_status(request: Request, reference: str) -> HTTPResponse:
        try:
            body = _body(request)
            new_status = Status(str(body.get("status") or ""))
        except (_BadRequest, ValueError) as bad:
            return api_error(400, "bad_request", str(bad) if isinstance(bad, _BadRequest) else "Ukjent status.")
        ticket, error = await _call(
            queue.change_status,
            reference,
            new_status,
            actor=request.ctx.user.username,
            detail=str(body.get("comment") or ""),
        )
        return error or json({"ticket": ticket_json(ticket)})

    @app.get("/api/v1/outbox")
    async def api_outbox(request: Request) -> HTTPResponse:
        messages = await run(queue.list_outbox, pending_only=request.args.get("pending", "1") != "0")
        return json({"messages": [_outbox_json(m) for m in messages]})

    @app.get("/api/v1/admin/stats")
    async def api_stats(request: Request) -> HTTPResponse:
        period = request.args.get("period", "day")
        if period not in stats.PERIODS:
            return api_error(400, "bad_request", "period må være day eller week.")
        try:
            count = int(request.args.get("count", "14"))
        except ValueError:
            return api_error(400, "bad_request", "count må være et heltall.")
        figures = await run(stats.compute, period, count)
        return json(
            {
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
        )


def _ref_param() -> dict[str, Any]:
    return {
        "name": "reference",
        "in": "path",
        "required": True,
        "schema": {"type": "string"},
        "example": "SK-2026-00042",
    }


def _op(summary: str, *, body: dict | None = None, ok: str = "200", admin: bool = False, ref: bool = True) -> dict:
    operation: dict[str, Any] = {
        "summary": summary,
        "responses": {
            ok: {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"},
        },
    }
    if ref:
        operation["parameters"] = [_ref_param()]
        operation["responses"]["404"] = {"$ref": "#/components/responses/Error"}
        operation["responses"]["409"] = {"$ref": "#/components/responses/Error"}
    if admin:
        operation["responses"]["403"] = {"$ref": "#/components/responses/Error"}
    if body:
        operation["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        operation["responses"]["400"] = {"$ref": "#/components/responses/Error"}
    return operation


_STATUS_ENUM = [s.value for s in Status]
_TICKET_SCHEMA = {
    "type": "object",
    "properties": {
        "reference": {"type": "string"},
        "status": {"type": "string", "enum": _STATUS_ENUM},
        "topic": {"type": "string"},
        "summary": {"type": "string"},
        "language": {"type": "string"},
        "channel": {"type": "string"},
        "conversation_id": {"type": "string"},
        "contact_name": {"type": "string"},
        "contact_phone": {"type": "string", "nullable": True},
        "contact_email": {"type": "string", "nullable": True},
        "assignee": {"type": "string", "nullable": True},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time", "nullable": True},
    },
}

OPENAPI: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Servicekontoret – sakskøen",
        "version": "1",
        "description": "Saker fra chatboten: liste, ta, gi videre, notater, svar og status. "
        "Hver endring lagres i sakens historikk med hvem og når.",
    },
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "python -m bot.desk create-token <bruker>"}
        },
        "schemas": {
            "Ticket": _TICKET_SCHEMA,
            "Error": {
                "type": "object",
                "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
                "required": ["error", "message"],
            },
        },
        "responses": {
            "Unauthorized": {
                "description": "Mangler gyldig API-nøkkel",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
            "Error": {
                "description": "Feil",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
        },
    },
    "paths": {
        "/api/v1/tickets": {
            "get": {
                **_op("Saker i køen, eldste først", ref=False),
                "parameters": [
                    {
                        "name": "status",
                        "in": "query",
                        "schema": {"type": "string", "enum": ["open", "all", *_STATUS_ENUM]},
                    },
                    {"name": "tema", "in": "query", "schema": {"type": "string"}},
                    {"name": "kanal", "in": "query", "schema": {"type": "string"}},
                    {"name": "sprak", "in": "query", "schema": {"type": "string"}},
                    {"name": "mine", "in": "query", "schema": {"type": "string", "enum": ["1"]}},
                    {
                        "name": "q",
                        "in": "query",
                        "description": "saksnummer, navn, telefon eller e-post",
                        "schema": {"type": "string"},
                    },
                ],
            }
        },
        "/api/v1/tickets/{reference}": {"get": _op("Én sak med historikk, utboks og chatlogg")},
        "/api/v1/tickets/{reference}/claim": {"post": _op("Ta saken (409 hvis en annen har den)")},
        "/api/v1/tickets/{reference}/release": {"post": _op("Legg saken tilbake i køen")},
        "/api/v1/tickets/{reference}/assign": {
            "post": _op(
                "Gi saken til en annen",
                body={"type": "object", "required": ["assignee"], "properties": {"assignee": {"type": "string"}}},
            )
        },
        "/api/v1/tickets/{reference}/notes": {
            "post": _op(
                "Internt notat",
                body={
                    "type": "object",
                    "required": ["text"],
                    "properties": {"text": {"type": "string", "maxLength": 4000}},
                },
                ok="201",
            )
        },
        "/api/v1/tickets/{reference}/replies": {
            "post": _op(
                "Svar til innbyggeren (e-post, utboks eller ring tilbake)",
                body={
                    "type": "object",
                    "required": ["text"],
                    "properties": {
                        "text": {"type": "string", "maxLength": 4000},
                        "status": {"type": "string", "enum": _STATUS_ENUM},
                    },
                },
                ok="201",
            )
        },
        "/api/v1/tickets/{reference}/status": {
            "post": _op(
                "Endre status",
                body={
                    "type": "object",
                    "required": ["status"],
                    "properties": {"status": {"type": "string", "enum": _STATUS_ENUM}, "comment": {"type": "string"}},
                },
            )
        },
        "/api/v1/outbox": {
            "get": {
                **_op("E-poster som venter (pending=0 gir alle)", ref=False),
                "parameters": [{"name": "pending", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]}}],
            }
        },
        "/api/v1/admin/stats": {
            "get": {
                **_op("Statistikk (bare administratorer)", ref=False, admin=True),
                "parameters": [
                    {"name": "period", "in": "query", "schema": {"type": "string", "enum": ["day", "week"]}},
                    {"name": "count", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 366}},
                ],
            }
        },
    },
}
