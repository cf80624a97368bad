"""The desk's pages: login, the queue, a ticket (claim, notes, replies, status), the outbox,
statistics and user accounts. Views only: every rule lives in `bot.cases` and `bot.accounts`."""

from __future__ import annotations

import hashlib
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sanic import Request, Sanic
from sanic.response import HTTPResponse, json, redirect

from bot import accounts
from bot.cases import queue, stats
from bot.cases.states import Status, StatusError
from bot.cases.transcript import ticket_transcript
from bot.desk.app import LOGIN_CSRF_COOKIE, SESSION_COOKIE, clear_cookie, render, run, safe_next, set_cookie
from bot.desk.labels import STATUS_LABELS, format_time, status_actions
from bot.desk.live import live_context, transcript_fragment
from bot.desk.views import chart, filters_from_args
from bot.settings import get_settings

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
    "sent": "Utboksen er sendt.",
}


def _ok(path: str, code: str) -> HTTPResponse:
    return redirect(f"{path}?{urlencode({'ok': code})}", status=303)


def _form(request: Request, name: str) -> str:
    value = request.form.get(name) if request.form else None
    return str(value or "")


async def _ticket_page(request: Request, reference: str, *, status: int = 200, error: str | None = None, **extra: Any):
    try:
        detail = await run(queue.ticket_detail, reference)
    except queue.TicketNotFound:
        return render(
            request,
            "error.html",
            status=404,
            title="Fant ikke saken",
            message="Det finnes ingen sak med det saksnummeret.",
        )
    lines = await run(ticket_transcript, detail.ticket)
    users = [u for u in await run(accounts.list_users) if u.active]
    chat = await live_context(request, reference)
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
        reply_statuses=[(s.value, STATUS_LABELS[s.value]) for s in (Status.WAITING, Status.RESOLVED, Status.CLOSED)],
        ok=MESSAGES.get(request.args.get("ok", "")),
        error=error,
        **chat,
        **extra,
    )


ticket_page_response = _ticket_page


def register(app: Sanic) -> None:
    @app.get("/login")
    async def login_form(request: Request) -> HTTPResponse:
        if request.ctx.user:
            return redirect("/")
        return render(request, "login.html", next=safe_next(request.args.get("neste")))

    @app.post("/login")
    async def login(request: Request) -> HTTPResponse:
        target = safe_next(_form(request, "neste"))
        username = _form(request, "brukernavn")
        try:
            user = await run(accounts.authenticate, username, _form(request, "passord"))
        except accounts.LoginFailed as failed:
            if failed.locked_until:
                error = (
                    "For mange feil passord. Kontoen er låst til "
                    f"{format_time(failed.locked_until)}. Kontakt en administrator hvis det haster."
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

    @app.post("/logout")
    async def logout(request: Request) -> HTTPResponse:
        await run(accounts.end_session, request.cookies.get(SESSION_COOKIE))
        response = redirect("/login", status=303)
        clear_cookie(request, response, SESSION_COOKIE)
        return response

    # --- the queue ---------------------------------------------------------------------------

    async def _queue(request: Request) -> tuple[queue.QueueFilter, list[queue.QueueItem]]:
        filters = filters_from_args(request.args)
        items = await run(queue.list_queue, filters, viewer=request.ctx.user.username)
        return filters, items

    def _rows(request: Request, items: list[queue.QueueItem]) -> tuple[str, str]:
        env = request.app.ctx.templates
        rows = env.get_template("_queue_rows.html").render(items=items, user=request.ctx.user)
        return rows, hashlib.sha256(rows.encode()).hexdigest()[:16]

    @app.get("/")
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

    @app.get("/ko/rader")
    async def queue_rows(request: Request) -> HTTPResponse:
        """The queue's rows for the page's poller (static/desk.js)."""
        _filters, items = await _queue(request)
        rows, signature = _rows(request, items)
        newest = max((i.ticket.id for i in items), default=0)
        return json({"html": rows, "signature": signature, "count": len(items), "newest": newest})

    # --- one ticket --------------------------------------------------------------------------

    @app.get("/sak/<reference>")
    async def ticket_page(request: Request, reference: str) -> HTTPResponse:
        return await _ticket_page(request, reference)

    async def _act(request: Request, reference: str, action, ok: str) -> HTTPResponse:  # type: ignore[no-untyped-def]
        try:
            result = await run(action)
        except queue.TicketNotFound:
            return render(
                request,
                "error.html",
                status=404,
                title="Fant ikke saken",
                message="Det finnes ingen sak med det saksnummeret.",
            )
        except queue.ClaimConflict as conflict:
            return await _ticket_page(
                request, reference, status=409, error=f"Saken er allerede tatt av {conflict.holder}."
            )
        except (StatusError, queue.QueueError, accounts.AccountError) as error:
            return await _ticket_page(request, reference, status=409, error=str(error))
        code = ok(result) if callable(ok) else ok
        return _ok(f"/sak/{result.reference if hasattr(result, 'reference') else reference}", code)

    @app.post("/sak/<reference>/ta")
    async def claim(request: Request, reference: str) -> HTTPResponse:
        actor = request.ctx.user.username
        return await _act(request, reference, lambda: queue.claim(reference, actor=actor), "claimed")

    @app.post("/sak/<reference>/slipp")
    async def release(request: Request, reference: str) -> HTTPResponse:
        actor = request.ctx.user.username
        return await _act(request, reference, lambda: queue.release(reference, actor=actor), "released")

    @app.post("/sak/<reference>/gi")
    async def reassign(request: Request, reference: str) -> HTTPResponse:
        actor = request.ctx.user.username
        assignee = _form(request, "til")

        return await _act(request, reference, lambda: queue.reassign(reference, assignee, actor=actor), "assigned")

    @app.post("/sak/<reference>/notat")
    async def note(request: Request, reference: str) -> HTTPResponse:
        actor, text = request.ctx.user.username, _form(request, "notat")
        return await _act(request, reference, lambda: queue.add_note(reference, text, actor=actor), "note")

    @app.post("/sak/<reference>/svar")
    async def reply(request: Request, reference: str) -> HTTPResponse:
        actor, text = request.ctx.user.username, _form(request, "svar")
        wanted = _form(request, "status")
        try:
            new_status = Status(wanted) if wanted else None
        except ValueError:
            return await _ticket_page(request, reference, status=400, error="Ukjent status.")

        def action() -> queue.ReplyResult:
            result = queue.reply(reference, text, actor=actor, new_status=new_status)
            if result.outbox_id is not None:
                queue.deliver_outbox(only=[result.outbox_id])
            return result

        def code(result: queue.ReplyResult) -> str:
            if result.outbox_id is None:
                return "reply_phone"
            sent = [m for m in queue.ticket_detail(reference).outbox if m.id == result.outbox_id and m.sent_at]
            return "reply_mail" if sent else "reply_outbox"

        try:
            result = await run(action)
        except queue.TicketNotFound:
            return render(
                request,
                "error.html",
                status=404,
                title="Fant ikke saken",
                message="Det finnes ingen sak med det saksnummeret.",
            )
        except (StatusError, queue.QueueError) as error:
            return await _ticket_page(request, reference, status=409, error=str(error), reply_text=text)
        return _ok(f"/sak/{result.ticket.reference}", await run(code, result))

    @app.post("/sak/<reference>/status")
    async def change_status(request: Request, reference: str) -> HTTPResponse:
        actor, comment = request.ctx.user.username, _form(request, "kommentar")
        try:
            new_status = Status(_form(request, "status"))
        except ValueError:
            return await _ticket_page(request, reference, status=400, error="Ukjent status.")
        return await _act(
            request,
            reference,
            lambda: queue.change_status(reference, new_status, actor=actor, detail=comment),
            "status",
        )

    # --- outbox ------------------------------------------------------------------------------

    @app.get("/utboks")
    async def outbox(request: Request) -> HTTPResponse:
        pending = await run(queue.list_outbox, pending_only=True)
        return render(
            request,
            "outbox.html",
            pending=pending,
            smtp=bool(get_settings().smtp_host),
            ok=MESSAGES.get(request.args.get("ok", "")),
        )

    @app.post("/utboks/send")
    async def outbox_send(request: Request) -> HTTPResponse:
        await run(queue.deliver_outbox)
        return _ok("/utboks", "sent")

    # --- admin -------------------------------------------------------------------------------

    @app.get("/admin/statistikk")
    async def statistics(request: Request) -> HTTPResponse:
        period = "week" if request.args.get("periode") == "uke" else "day"
        figures = await run(stats.compute, period, 12 if period == "week" else 14)
        return render(request, "stats.html", stats=figures, chart=chart(figures.buckets), period=period)

    @app.get("/admin/brukere")
    async def users(request: Request) -> HTTPResponse:
        return await _users_page(request)

    async def _users_page(request: Request, status: int = 200, error: str | None = None, **form: Any) -> HTTPResponse:
        return render(
            request,
            "users.html",
            status=status,
            users=await run(accounts.list_users),
            roles=list(accounts.ROLE_LABELS.items()),
            error=error,
            ok=MESSAGES.get(request.args.get("ok", "")),
            form=form,
            min_password=accounts.MIN_PASSWORD_LENGTH,
        )

    @app.post("/admin/brukere")
    async def create_user(request: Request) -> HTTPResponse:
        values = {name: _form(request, name) for name in ("brukernavn", "navn", "rolle")}
        try:
            await run(
                accounts.create_user, values["brukernavn"], values["navn"], _form(request, "passord"), values["rolle"]
            )
        except accounts.AccountError as error:
            return await _users_page(request, status=400, error=str(error), **values)
        return _ok("/admin/brukere", "user_created")

    @app.post("/admin/brukere/<username>")
    async def update_user(request: Request, username: str) -> HTTPResponse:
        change = _form(request, "endring")
        kwargs: dict[str, Any] = {}
        if change == "aktiver":
            kwargs["active"] = True
        elif change == "deaktiver":
            kwargs["active"] = False
        elif change == "lås_opp":
            kwargs["unlock"] = True
        elif change in accounts.ROLES:
            kwargs["role"] = change
        else:
            return await _users_page(request, status=400, error="Ukjent endring.")
        try:
            await run(accounts.update_user, username, actor=request.ctx.user.username, **kwargs)
        except accounts.AccountError as error:
            return await _users_page(request, status=400, error=str(error))
        return _ok("/admin/brukere", "user_updated")
