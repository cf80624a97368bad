"""What every part of the desk shares: rendering pages, cookies, form values, running blocking
work off the event loop, and the one mapping from the case queue's errors to HTTP answers (an
error page for staff, JSON for the API).

The pages (`pages.py`, `live.py`), the API (`api.py`), the widget (`widget.py`) and the
middleware (`auth.py`) import this module; it imports none of them.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Blueprint, Request
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, html, json, redirect

from bot import accounts, proxies
from bot.cases import live, queue
from bot.cases.states import StatusError
from bot.desk.labels import FILTERS
from bot.kommune import get_kommune
from bot.operations import routes as operations_routes
from bot.settings import get_settings

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "sk_desk"
LOGIN_CSRF_COOKIE = "sk_login_csrf"
PUBLIC_PATHS = {"/login"}
# For citizens' browsers: no login, no session lookup, no cookies (static files, the chat widget).
# And for the operator's probes and Prometheus (bot/operations: /metrics checks its own caller).
OPEN_PATHS = {"/widget.js", "/demo"} | operations_routes.OPEN_PATHS
OPEN_PREFIXES = ("/static/", "/widget/")
ADMIN_PREFIXES = ("/admin", "/api/v1/admin")
EDITOR_PREFIXES = ("/svar",)  # the answer library's editor: editors and administrators
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}

T = TypeVar("T")


async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking database or SMTP work off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args, **kwargs))


Route = tuple[str, str, Callable[..., Any]]  # method, path, handler


def routes_blueprint(name: str, routes: list[Route]) -> Blueprint:
    """A Sanic blueprint of named handlers. A new one per app: the tests build several apps in
    one process, and a blueprint keeps the app it was first registered on."""
    bp = Blueprint(name)
    for method, uri, handler in routes:
        bp.add_route(handler, uri, methods=[method], name=f"{method.lower()}_{handler.__name__}")
    return bp


def templates() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(HERE / "templates")),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True, default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(FILTERS)
    return env


def is_api(request: Request) -> bool:
    return request.path.startswith("/api/")


def render(request: Request, template: str, status: int = 200, **context: Any) -> HTTPResponse:
    env: Environment = request.app.ctx.templates
    login = getattr(request.ctx, "login", None)
    body = env.get_template(template).render(
        request=request,
        user=login.user if login else None,
        csrf_token=login.csrf_token if login else getattr(request.ctx, "login_csrf", ""),
        kommune=get_kommune(),
        **context,
    )
    return html(body, status=status)


def fragment(request: Request, template: str, **context: Any) -> tuple[str, str]:
    """Part of a page for the page's poller (static/desk.js), and its signature: the poller
    replaces the part only when the signature changes."""
    env: Environment = request.app.ctx.templates
    login = request.ctx.login
    body = env.get_template(template).render(user=login.user, csrf_token=login.csrf_token, **context)
    return body, hashlib.sha256(body.encode()).hexdigest()[:16]


def error_page(request: Request, status: int, title: str, message: str) -> HTTPResponse:
    return render(request, "error.html", status=status, title=title, message=message)


def api_error(status: int, code: str, message: str) -> HTTPResponse:
    return json({"error": code, "message": message}, status=status)


def form_value(request: Request, name: str) -> str:
    value = request.form.get(name) if request.form else None
    return str(value or "")


def form_fields(request: Request) -> dict[str, str]:
    """Every field of a posted form, the first value of each, blank ones too.

    Sanic's `request.form` drops a blank field of an url-encoded form, so «the editor emptied this
    text» and «the form did not have this field» would look the same.
    """
    content_type = request.headers.get("content-type", "")
    if content_type.split(";")[0].strip() != "application/x-www-form-urlencoded":
        return {name: form_value(request, name) for name in request.form or {}}
    try:
        pairs = parse_qsl(request.body.decode("utf-8"), keep_blank_values=True)
    except (UnicodeDecodeError, ValueError):
        return {}
    found: dict[str, str] = {}
    for name, value in pairs:
        found.setdefault(name, value)
    return found


def see_other(path: str, ok: str) -> HTTPResponse:
    """Back to a page after a form, with a fixed confirmation code (`?ok=`)."""
    return redirect(f"{path}?{urlencode({'ok': ok})}", status=303)


def secure_cookies(request: Request) -> bool:
    mode = get_settings().desk_secure_cookies
    if mode in ("1", "true", "yes", "ja", "on"):
        return True
    if mode in ("0", "false", "no", "nei", "off"):
        return False
    return request.scheme in ("https", "wss") or proxies.forwarded_https(request.ip, request.headers)


def set_cookie(request: Request, response: HTTPResponse, name: str, value: str, max_age: int) -> None:
    response.cookies[name] = value
    cookie = response.cookies[name]
    cookie["httponly"] = True
    cookie["samesite"] = "Lax"
    cookie["path"] = "/"
    cookie["max-age"] = max_age
    if secure_cookies(request):
        cookie["secure"] = True


def clear_cookie(request: Request, response: HTTPResponse, name: str) -> None:
    set_cookie(request, response, name, "", 0)


def safe_next(target: str | None) -> str:
    """Only a path on this site: no scheme, no host, no `//`."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# --- the one error mapping ---------------------------------------------------------------------

# What staff may do wrong, or what another staff member got to first: an answer, never a 500.
DESK_ERRORS = (queue.QueueError, queue.TicketNotFound, queue.ClaimConflict, StatusError, accounts.AccountError)


@dataclass(frozen=True)
class Problem:
    status: int
    code: str  # for the API's `error` field
    message: str  # for staff to read


def problem(error: Exception) -> Problem:
    """The answer to one of `DESK_ERRORS`, the same for the pages and the API."""
    if isinstance(error, queue.TicketNotFound):
        return Problem(404, "not_found", "Det finnes ingen sak med det saksnummeret.")
    if isinstance(error, queue.InvalidAssignee):
        return Problem(400, "bad_request", str(error))
    if isinstance(error, queue.ClaimConflict):
        return Problem(409, "claimed", f"Saken er allerede tatt av {error.holder}.")
    return Problem(409, "conflict", str(error))


def ticket_not_found(request: Request) -> HTTPResponse:
    found = problem(queue.TicketNotFound())
    return error_page(request, found.status, "Fant ikke saken", found.message)


def live_chat_problem(error: live.LiveChatError, *, missing: bool) -> Problem:
    return Problem(404 if missing else 409, "not_found" if missing else "conflict", str(error))


async def on_sanic_error(request: Request, error: SanicException) -> HTTPResponse:
    """Sanic's own errors (no such route, bad request): the desk's error page or JSON."""
    status = getattr(error, "status_code", 500) or 500
    if is_api(request):
        code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(status, "error")
        return api_error(status, code, "Fant ikke det du spurte etter." if status == 404 else "Ugyldig forespørsel.")
    message = "Vi fant ikke siden." if status == 404 else "Forespørselen kunne ikke behandles."
    return error_page(request, status, "Noe gikk galt", message)


async def on_unexpected(request: Request, error: Exception) -> HTTPResponse:
    """A bug or a database outage: logged with its traceback; staff see a plain message."""
    logger.exception("Desk error on %s", request.path)
    if is_api(request):
        return api_error(500, "error", "Noe gikk galt hos oss. Prøv igjen.")
    return error_page(request, 500, "Noe gikk galt", "Noe gikk galt hos oss. Prøv igjen om litt.")
