"""The desk's pages: login, the queue, a ticket (claim, notes, replies, status), the outbox,
statistics and user accounts. Views only: every rule lives in `bot.cases` and `bot.accounts`;
errors are answered through the one mapping in `bot.desk.web`."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from markupsafe import Markup
from sanic import Blueprint, Request
from sanic.response import HTTPResponse, json, redirect

from bot import accounts, proxies
from bot.answers import feedback
from bot.cases import queue, stats
from bot.cases.states import Status
from bot.desk.labels import STATUS_LABELS, format_time
from bot.desk.ticket_view import MESSAGES, ticket_page
from bot.desk.views import chart, filters_from_args
from bot.desk.web import (
    DESK_ERRORS,
    LOGIN_CSRF_COOKIE,
    SESSION_COOKIE,
    Route,
    clear_cookie,
    form_value,
    problem,
    render,
    routes_blueprint,
    run,
    safe_next,
    see_other,
    set_cookie,
    ticket_not_found,
)
from bot.settings import get_settings

# --- login -------------------------------------------------------------------------------------


async def login_form(request: Request) -> HTTPResponse:
    if request.ctx.user:
        return redirect("/")
    return render(request, "login.html", next=safe_next(request.args.get("neste")))


async def login(request: Request) -> HTTPResponse:
    target = safe_next(form_value(request, "neste"))
    username = form_value(request, "brukernavn")
    address = proxies.client_address(request.ip, request.headers)
    try:
        user = await run(accounts.authenticate, username, form_value(request, "passord"), address=address)
    except accounts.LoginFailed as failed:
        if failed.retry_at:
            # The same for an account that exists and one that does not: the wait is per name typed.
            error = (
                f"For mange forsøk. Vent til {format_time(failed.retry_at)} og prøv igjen. "
                "Kontakt en administrator hvis det haster."
            )
        else:
            error = "Feil brukernavn eller passord."
        return render(request, "login.html", status=401, error=error, next=target, username=username)
    await run(accounts.end_session, request.cookies.get(SESSION_COOKIE))
    hours = get_settings().desk_session_hours
    token, _ = await run(accounts.start_session, user, hours=hours)
    response = redirect(target, status=303)
    set_cookie(request, response, SESSION_COOKIE, token, hours * 3600)
    clear_cookie(request, response, LOGIN_CSRF_COOKIE)
    request.ctx.new_login_csrf = False
    return response


async def logout(request: Request) -> HTTPResponse:
    await run(accounts.end_session, request.cookies.get(SESSION_COOKIE))
    response = redirect("/login", status=303)
    clear_cookie(request, response, SESSION_COOKIE)
    return response


# --- the queue ---------------------------------------------------------------------------------


async def _queue(request: Request) -> tuple[queue.QueueFilter, list[queue.QueueItem]]:
    filters = filters_from_args(request.args)
    items = await run(queue.list_queue, filters, viewer=request.ctx.user.username)
    return filters, items


def _rows(request: Request, items: list[queue.QueueItem]) -> tuple[str, str]:
    env = request.app.ctx.templates
    rows = env.get_template("_queue_rows.html").render(items=items, user=request.ctx.user)
    return rows, hashlib.sha256(rows.encode()).hexdigest()[:16]


async def queue_page(request: Request) -> HTTPResponse:
    filters, items = await _queue(request)
    facets = await run(queue.queue_facets)
    rows, signature = _rows(request, items)
    return render(
        request,
        "queue.html",
        filters=filters,
        items=items,
        rows=Markup(rows),
        signature=signature,
        facets=facets,
        statuses=list(STATUS_LABELS.items()),
        newest=max((i.ticket.id for i in items), default=0),
    )


async def queue_rows(request: Request) -> HTTPResponse:
    """The queue's rows for the page's poller (static/desk.js)."""
    _filters, items = await _queue(request)
    rows, signature = _rows(request, items)
    newest = max((i.ticket.id for i in items), default=0)
    return json({"html": rows, "signature": signature, "count": len(items), "newest": newest})


# --- one ticket --------------------------------------------------------------------------------


async def show_ticket(request: Request, reference: str) -> HTTPResponse:
    return await ticket_page(request, reference)


async def _act(
    request: Request, reference: str, action: Callable[[], Any], ok: Callable[[Any], str] | str, **on_error: Any
) -> HTTPResponse:
    """Run one queue operation for a form; back to the ticket with a confirmation, or the error."""
    try:
        result = await run(action)
    except DESK_ERRORS as error:
        found = problem(error)
        if found.status == 404:
            return ticket_not_found(request)
        return await ticket_page(request, reference, status=found.status, error=found.message, **on_error)
    code = ok(result) if callable(ok) else ok
    return see_other(f"/sak/{getattr(result, 'reference', reference)}", code)


async def claim(request: Request, reference: str) -> HTTPResponse:
    actor = request.ctx.user.username
    return await _act(request, reference, lambda: queue.claim(reference, actor=actor), "claimed")


async def release(request: Request, reference: str) -> HTTPResponse:
    actor = request.ctx.user.username
    return await _act(request, reference, lambda: queue.release(reference, actor=actor), "released")


async def reassign(request: Request, reference: str) -> HTTPResponse:
    actor, assignee = request.ctx.user.username, form_value(request, "til")
    return await _act(request, reference, lambda: queue.reassign(reference, assignee, actor=actor), "assigned")


async def note(request: Request, reference: str) -> HTTPResponse:
    actor, text = request.ctx.user.username, form_value(request, "notat")
    return await _act(request, reference, lambda: queue.add_note(reference, text, actor=actor), "note")


_REPLY_CONFIRMATIONS = {"email": "reply_mail", "outbox": "reply_outbox", "call_back": "reply_phone"}


async def reply(request: Request, reference: str) -> HTTPResponse:
    actor, text = request.ctx.user.username, form_value(request, "svar")
    wanted = form_value(request, "status")
    try:
        new_status = Status(wanted) if wanted else None
    except ValueError:
        return await ticket_page(request, reference, status=400, error="Ukjent status.")
    return await _act(
        request,
        reference,
        lambda: queue.reply_and_send(reference, text, actor=actor, new_status=new_status),
        lambda result: _REPLY_CONFIRMATIONS[result.delivery],
        reply_text=text,
    )


async def change_status(request: Request, reference: str) -> HTTPResponse:
    actor, comment = request.ctx.user.username, form_value(request, "kommentar")
    try:
        new_status = Status(form_value(request, "status"))
    except ValueError:
        return await ticket_page(request, reference, status=400, error="Ukjent status.")
    return await _act(
        request,
        reference,
        lambda: queue.change_status(reference, new_status, actor=actor, detail=comment),
        "status",
    )


# --- outbox ------------------------------------------------------------------------------------


NOT_SENT_AGAIN = "E-posten kom ikke fram denne gangen heller. Ring innbyggeren, eller prøv igjen senere."


async def outbox(request: Request, error: str | None = None) -> HTTPResponse:
    pending = await run(queue.list_outbox, pending_only=True)
    return render(
        request,
        "outbox.html",
        pending=pending,
        smtp=bool(get_settings().smtp_host),
        ok=MESSAGES.get(request.args.get("ok", "")),
        error=error,
    )


async def outbox_send(request: Request) -> HTTPResponse:
    await run(queue.deliver_outbox)
    return see_other("/utboks", "sent")


async def outbox_send_again(request: Request, message_id: int) -> HTTPResponse:
    if await run(queue.send_again, message_id):
        return see_other("/utboks", "sent_again")
    return await outbox(request, error=NOT_SENT_AGAIN)


# --- admin -------------------------------------------------------------------------------------


async def statistics(request: Request) -> HTTPResponse:
    period = "week" if request.args.get("periode") == "uke" else "day"
    figures = await run(stats.compute, period, 12 if period == "week" else 14)
    ratings = await run(feedback.shares, figures.start, figures.end)
    return render(request, "stats.html", stats=figures, chart=chart(figures.buckets), period=period, ratings=ratings)


async def _users_page(request: Request, status: int = 200, error: str | None = None, **form: Any) -> HTTPResponse:
    users = await run(accounts.list_users)
    tokens = {u.username: await run(accounts.list_api_tokens, u.username) for u in users}
    return render(
        request,
        "users.html",
        status=status,
        users=users,
        tokens=tokens,
        roles=list(accounts.ROLE_LABELS.items()),
        error=error,
        ok=MESSAGES.get(request.args.get("ok", "")),
        form=form,
        min_password=accounts.MIN_PASSWORD_LENGTH,
    )


async def users(request: Request) -> HTTPResponse:
    return await _users_page(request)


async def create_user(request: Request) -> HTTPResponse:
    values = {name: form_value(request, name) for name in ("brukernavn", "navn", "rolle")}
    password = form_value(request, "passord")
    try:
        await run(accounts.create_user, values["brukernavn"], values["navn"], password, values["rolle"])
    except accounts.AccountError as error:
        return await _users_page(request, status=400, error=str(error), **values)
    return see_other("/admin/brukere", "user_created")


# The user page's buttons: `endring` → the change to `accounts.update_user`.
_CHANGES: dict[str, dict[str, Any]] = {
    "aktiver": {"active": True},
    "deaktiver": {"active": False},
    "lås_opp": {"unlock": True},
    **{role: {"role": role} for role in accounts.ROLES},
}


async def update_user(request: Request, username: str) -> HTTPResponse:
    change = _CHANGES.get(form_value(request, "endring"))
    if change is None:
        return await _users_page(request, status=400, error="Ukjent endring.")
    try:
        await run(accounts.update_user, username, actor=request.ctx.user.username, **change)
    except accounts.AccountError as error:
        return await _users_page(request, status=400, error=str(error))
    return see_other("/admin/brukere", "user_updated")


async def reset_password(request: Request, username: str) -> HTTPResponse:
    try:
        await run(accounts.set_password, username, form_value(request, "passord"))
    except accounts.AccountError as error:
        return await _users_page(request, status=400, error=str(error))
    return see_other("/admin/brukere", "password_reset")


async def revoke_token(request: Request, username: str, token_id: int) -> HTTPResponse:
    try:
        revoked = await run(accounts.revoke_api_tokens, username, token_id=token_id)
    except accounts.AccountError as error:
        return await _users_page(request, status=400, error=str(error))
    if not revoked:
        return await _users_page(request, status=404, error="Fant ingen slik API-nøkkel.")
    return see_other("/admin/brukere", "token_revoked")


# --- one's own account -------------------------------------------------------------------------


async def account(request: Request) -> HTTPResponse:
    return render(
        request, "account.html", ok=MESSAGES.get(request.args.get("ok", "")), min_password=accounts.MIN_PASSWORD_LENGTH
    )


async def change_password(request: Request) -> HTTPResponse:
    new = form_value(request, "nytt")
    error = None
    if new != form_value(request, "gjenta"):
        error = "De to nye passordene er ikke like."
    else:
        try:
            await run(
                accounts.change_own_password,
                request.ctx.user.username,
                form_value(request, "naa"),
                new,
                keep_session=request.cookies.get(SESSION_COOKIE),
            )
        except accounts.AccountError as failed:
            error = str(failed)
    if error:
        return render(request, "account.html", status=400, error=error, min_password=accounts.MIN_PASSWORD_LENGTH)
    return see_other("/konto", "password_changed")


ROUTES: list[Route] = [
    ("GET", "/login", login_form),
    ("POST", "/login", login),
    ("POST", "/logout", logout),
    ("GET", "/", queue_page),
    ("GET", "/ko/rader", queue_rows),
    ("GET", "/sak/<reference>", show_ticket),
    ("POST", "/sak/<reference>/ta", claim),
    ("POST", "/sak/<reference>/slipp", release),
    ("POST", "/sak/<reference>/gi", reassign),
    ("POST", "/sak/<reference>/notat", note),
    ("POST", "/sak/<reference>/svar", reply),
    ("POST", "/sak/<reference>/status", change_status),
    ("GET", "/utboks", outbox),
    ("POST", "/utboks/send", outbox_send),
    ("POST", "/utboks/<message_id:int>/send-igjen", outbox_send_again),
    ("GET", "/admin/statistikk", statistics),
    ("GET", "/admin/brukere", users),
    ("POST", "/admin/brukere", create_user),
    ("POST", "/admin/brukere/<username>", update_user),
    ("POST", "/admin/brukere/<username>/passord", reset_password),
    ("POST", "/admin/brukere/<username>/nokler/<token_id:int>/trekk", revoke_token),
    ("GET", "/konto", account),
    ("POST", "/konto/passord", change_password),
]


def blueprint() -> Blueprint:
    """The staff pages."""
    return routes_blueprint("pages", ROUTES)
