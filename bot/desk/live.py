"""The desk's live-chat pages: take chats, write to the citizen, hand back or close.

Views only: the rules live in `bot.cases.live`. The pages poll small JSON endpoints
(static/desk.js), which also tell the case queue that this staff member's desk is still open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json, redirect

from bot.cases import live, queue
from bot.cases.transcript import ticket_transcript
from bot.desk.ticket_view import live_context, ticket_page, transcript_fragment
from bot.desk.web import Route, form_value, fragment, live_chat_problem, render, routes_blueprint, run


def first_name(full_name: str) -> str:
    """What the citizen sees of the staff member: the first name only."""
    parts = full_name.split()
    return parts[0] if parts else "Medarbeider"


async def _chat_page(request: Request, status: int = 200, error: str | None = None) -> HTTPResponse:
    username = request.ctx.user.username
    chats = await run(live.list_open_chats)
    rows, signature = fragment(request, "_chat_rows.html", chats=chats)
    return render(
        request,
        "chat.html",
        status=status,
        error=error,
        available=await run(live.is_available, username),
        rows=Markup(rows),
        signature=signature,
    )


async def chat_page(request: Request) -> HTTPResponse:
    return await _chat_page(request)


async def chat_list(request: Request) -> HTTPResponse:
    chats = await run(live.list_open_chats)
    rows, signature = fragment(request, "_chat_rows.html", chats=chats)
    return json({"html": rows, "signature": signature})


async def chat_status(request: Request) -> HTTPResponse:
    """Polled by every desk page: keeps this person present and counts waiting citizens."""
    available = await run(live.touch_presence, request.ctx.user.username)
    chats = await run(live.list_open_chats)
    waiting = sum(1 for chat in chats if chat.status == live.WAITING)
    return json({"available": available, "waiting": waiting})


async def set_available(request: Request) -> HTTPResponse:
    await run(live.set_available, request.ctx.user.username, form_value(request, "tilgjengelig") == "ja")
    return redirect("/chat", status=303)


async def accept(request: Request, chat_id: int) -> HTTPResponse:
    try:
        chat = await run(live.accept, chat_id, actor=request.ctx.user.username)
    except live.LiveChatError as error:
        found = live_chat_problem(error, missing=False)
        return await _chat_page(request, status=found.status, error=found.message)
    return redirect(f"/sak/{chat.ticket_reference}#s-direktechat", status=303)


async def _on_chat(request: Request, chat_id: int, action: Callable[[], Any]) -> HTTPResponse:
    try:
        chat = await run(live.get_chat, chat_id)
    except live.LiveChatError as error:
        found = live_chat_problem(error, missing=True)
        return await _chat_page(request, status=found.status, error=found.message)
    try:
        await run(action)
    except live.LiveChatError as error:
        found = live_chat_problem(error, missing=False)
        if chat.ticket_reference is None:
            return await _chat_page(request, status=found.status, error=found.message)
        draft = form_value(request, "melding")
        return await ticket_page(request, chat.ticket_reference, status=found.status, error=found.message, draft=draft)
    return redirect(f"/sak/{chat.ticket_reference}#s-direktechat", status=303)


async def send(request: Request, chat_id: int) -> HTTPResponse:
    user, text = request.ctx.user, form_value(request, "melding")
    name = first_name(user.full_name)
    return await _on_chat(
        request, chat_id, lambda: live.send_message(chat_id, text, actor=user.username, actor_name=name)
    )


async def hand_back(request: Request, chat_id: int) -> HTTPResponse:
    actor = request.ctx.user.username
    return await _on_chat(request, chat_id, lambda: live.hand_back(chat_id, actor=actor))


async def close(request: Request, chat_id: int) -> HTTPResponse:
    actor = request.ctx.user.username
    return await _on_chat(request, chat_id, lambda: live.close_chat(chat_id, actor=actor))


async def conversation(request: Request, reference: str) -> HTTPResponse:
    """The ticket's transcript for the page's poller while a live chat is open."""
    try:
        detail = await run(queue.ticket_detail, reference)
    except queue.TicketNotFound:
        return json({"error": "not_found"}, status=404)
    context = await live_context(reference)
    lines = await run(ticket_transcript, detail.ticket)
    body, signature = transcript_fragment(request, lines, context["undelivered"])
    chat = context["chat"]
    await run(live.touch_presence, request.ctx.user.username)
    return json({"html": body, "signature": signature, "open": bool(chat and chat.is_open)})


ROUTES: list[Route] = [
    ("GET", "/chat", chat_page),
    ("GET", "/chat/liste", chat_list),
    ("GET", "/chat/status", chat_status),
    ("POST", "/chat/tilgjengelig", set_available),
    ("POST", "/chat/<chat_id:int>/ta", accept),
    ("POST", "/chat/<chat_id:int>/send", send),
    ("POST", "/chat/<chat_id:int>/tilbake", hand_back),
    ("POST", "/chat/<chat_id:int>/avslutt", close),
    ("GET", "/sak/<reference>/samtale", conversation),
]


def blueprint() -> Blueprint:
    """The live-chat pages."""
    return routes_blueprint("live_chat", ROUTES)
