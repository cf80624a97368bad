"""The desk's live-chat pages: take chats, write to the citizen, hand back or close.

Views only: the rules live in `bot.cases.live`. The pages poll small JSON endpoints
(static/desk.js), which also tell the case queue that this staff member's desk is still open.
"""

from __future__ import annotations

import hashlib
from typing import Any

from markupsafe import Markup
from sanic import Request, Sanic
from sanic.response import HTTPResponse, json, redirect

from bot.cases import live
from bot.cases.queue import TicketNotFound, ticket_detail
from bot.cases.transcript import ticket_transcript
from bot.desk.app import render, run


def _form(request: Request, name: str) -> str:
    value = request.form.get(name) if request.form else None
    return str(value or "")


def _fragment(request: Request, template: str, **context: Any) -> tuple[str, str]:
    env = request.app.ctx.templates
    login = request.ctx.login
    body = env.get_template(template).render(user=login.user, csrf_token=login.csrf_token, **context)
    return body, hashlib.sha256(body.encode()).hexdigest()[:16]


def first_name(full_name: str) -> str:
    """What the citizen sees of the staff member: the first name only."""
    parts = full_name.split()
    return parts[0] if parts else "Medarbeider"


async def live_context(request: Request, reference: str) -> dict[str, Any]:
    """What the ticket page needs about the ticket's live chat, if it came from one."""
    chat = await run(live.chat_for_ticket, reference)
    if chat is None:
        return {"chat": None, "undelivered": []}
    deliveries = await run(live.chat_deliveries, chat.id)
    return {"chat": chat, "undelivered": [d for d in deliveries if d.delivered_at is None]}


def transcript_fragment(request: Request, lines: list[Any], undelivered: list[live.Delivery]) -> tuple[str, str]:
    """The transcript as the ticket page shows it, and its signature for the page's poller."""
    return _fragment(request, "_transcript.html", transcript=lines, undelivered=undelivered)


def register(app: Sanic) -> None:
    async def _chat_page(request: Request, status: int = 200, error: str | None = None) -> HTTPResponse:
        username = request.ctx.user.username
        chats = await run(live.list_open_chats)
        rows, signature = _fragment(request, "_chat_rows.html", chats=chats)
        return render(
            request,
            "chat.html",
            status=status,
            error=error,
            available=await run(live.is_available, username),
            rows=Markup(rows),
            signature=signature,
        )

    @app.get("/chat")
    async def chat_page(request: Request) -> HTTPResponse:
        return await _chat_page(request)

    @app.get("/chat/liste")
    async def chat_list(request: Request) -> HTTPResponse:
        chats = await run(live.list_open_chats)
        rows, signature = _fragment(request, "_chat_rows.html", chats=chats)
        return json({"html": rows, "signature": signature})

    @app.get("/chat/status")
    async def chat_status(request: Request) -> HTTPResponse:
        """Polled by every desk page: keeps this person present and counts waiting citizens."""
        available = await run(live.touch_presence, request.ctx.user.username)
        chats = await run(live.list_open_chats)
        waiting = sum(1 for chat in chats if chat.status == live.WAITING)
        return json({"available": available, "waiting": waiting})

    @app.post("/chat/tilgjengelig")
    async def set_available(request: Request) -> HTTPResponse:
        await run(live.set_available, request.ctx.user.username, _form(request, "tilgjengelig") == "ja")
        return redirect("/chat", status=303)

    @app.post("/chat/<chat_id:int>/ta")
    async def accept(request: Request, chat_id: int) -> HTTPResponse:
        try:
            chat = await run(live.accept, chat_id, actor=request.ctx.user.username)
        except live.LiveChatError as error:
            return await _chat_page(request, status=409, error=str(error))
        return redirect(f"/sak/{chat.ticket_reference}#s-direktechat", status=303)

    async def _on_chat(request: Request, chat_id: int, action: Any) -> HTTPResponse:
        from bot.desk.pages import ticket_page_response  # imported here: pages imports this module

        try:
            chat = await run(live.get_chat, chat_id)
        except live.LiveChatError as error:
            return await _chat_page(request, status=404, error=str(error))
        try:
            await run(action)
        except live.LiveChatError as error:
            if chat.ticket_reference is None:
                return await _chat_page(request, status=409, error=str(error))
            return await ticket_page_response(
                request, chat.ticket_reference, status=409, error=str(error), draft=_form(request, "melding")
            )
        return redirect(f"/sak/{chat.ticket_reference}#s-direktechat", status=303)

    @app.post("/chat/<chat_id:int>/send")
    async def send(request: Request, chat_id: int) -> HTTPResponse:
        user = request.ctx.user
        text = _form(request, "melding")
        return await _on_chat(
            request,
            chat_id,
            lambda: live.send_message(chat_id, text, actor=user.username, actor_name=first_name(user.full_name)),
        )

    @app.post("/chat/<chat_id:int>/tilbake")
    async def hand_back(request: Request, chat_id: int) -> HTTPResponse:
        actor = request.ctx.user.username
        return await _on_chat(request, chat_id, lambda: live.hand_back(chat_id, actor=actor))

    @app.post("/chat/<chat_id:int>/avslutt")
    async def close(request: Request, chat_id: int) -> HTTPResponse:
        actor = request.ctx.user.username
        return await _on_chat(request, chat_id, lambda: live.close_chat(chat_id, actor=actor))

    @app.get("/sak/<reference>/samtale")
    async def conversation(request: Request, reference: str) -> HTTPResponse:
        """The ticket's transcript for the page's poller while a live chat is open."""
        try:
            detail = await run(ticket_detail, reference)
        except TicketNotFound:
            return json({"error": "not_found"}, status=404)
        context = await live_context(request, reference)
        lines = await run(ticket_transcript, detail.ticket)
        body, signature = transcript_fragment(request, lines, context["undelivered"])
        chat = context["chat"]
        await run(live.touch_presence, request.ctx.user.username)
        return json({"html": body, "signature": signature, "open": bool(chat and chat.is_open)})
