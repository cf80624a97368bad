"""The desk's Sanic app: templates, login sessions, CSRF, security headers and error pages.

Every route needs a login, except the login page, static files and the website chat widget
(`bot/desk/widget.py`, for citizens): the request middleware turns everyone else away (pages
redirect to the login page, the API answers 401). Paths under /admin and /api/v1/admin need the
admin role. Pages post forms with a CSRF token tied to the session; the API takes
`Authorization: Bearer <token>` and no cookies.
"""

from __future__ import annotations

import asyncio
import functools
import hmac
import logging
import re
import secrets
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import quote, unquote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from sanic import Request, Sanic
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, html, json, redirect

from bot import accounts
from bot.desk.labels import FILTERS
from bot.kommune import get_kommune
from bot.settings import get_settings

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
SESSION_COOKIE = "sk_desk"
LOGIN_CSRF_COOKIE = "sk_login_csrf"
PUBLIC_PATHS = {"/login"}
# For citizens' browsers: no login, no session lookup, no cookies (static files, the chat widget).
OPEN_PATHS = {"/widget.js", "/demo"}
OPEN_PREFIXES = ("/static/", "/widget/")
ADMIN_PREFIXES = ("/admin", "/api/v1/admin")
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
# NUL (PostgreSQL text cannot hold it) and lone surrogates (no database encoding can store them).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


async def run(fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run blocking database or SMTP work off the event loop."""
    return await asyncio.get_running_loop().run_in_executor(None, functools.partial(fn, *args, **kwargs))


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


def api_error(status: int, code: str, message: str) -> HTTPResponse:
    return json({"error": code, "message": message}, status=status)


def secure_cookies(request: Request) -> bool:
    mode = get_settings().desk_secure_cookies
    if mode in ("1", "true", "yes", "ja", "on"):
        return True
    if mode in ("0", "false", "no", "nei", "off"):
        return False
    return request.scheme in ("https", "wss")


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


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def _authenticate(request: Request) -> HTTPResponse | None:
    request.ctx.login = None
    request.ctx.user = None
    path = request.path
    if path.startswith(OPEN_PREFIXES) or path in OPEN_PATHS:
        return None
    if is_api(request):
        token = _bearer(request)
        user = await run(accounts.api_token_user, token) if token else None
        if user is None and path == "/api/openapi.json":
            login = await run(accounts.get_session, request.cookies.get(SESSION_COOKIE))
            user = login.user if login else None
        if user is None:
            response = api_error(401, "unauthorized", "Mangler gyldig API-nøkkel (Authorization: Bearer …).")
            response.headers["WWW-Authenticate"] = 'Bearer realm="servicekontor"'
            return response
        request.ctx.user = user
    else:
        login = await run(accounts.get_session, request.cookies.get(SESSION_COOKIE))
        request.ctx.login = login
        request.ctx.user = login.user if login else None
        if path in PUBLIC_PATHS:
            return await _check_login_csrf(request)
        if login is None:
            target = request.path + (f"?{request.query_string}" if request.query_string else "")
            if request.method == "GET" and not request.headers.get("accept", "").startswith("application/json"):
                return redirect(f"/login?neste={quote(target, safe='')}", status=302)
            if request.method == "GET":
                return json({"error": "unauthorized", "login": "/login"}, status=401)
            return redirect("/login", status=303)
        if request.method not in ("GET", "HEAD", "OPTIONS"):
            sent = request.form.get("csrf") if request.form else None
            sent = sent or request.headers.get("x-csrf-token")
            if not sent or not hmac.compare_digest(str(sent), login.csrf_token):
                return render(
                    request,
                    "error.html",
                    status=403,
                    title="Skjemaet er utløpt",
                    message="Skjemaet kunne ikke sendes. Last siden på nytt og prøv igjen.",
                )
    if path.startswith(ADMIN_PREFIXES) and not request.ctx.user.is_admin:
        if is_api(request):
            return api_error(403, "forbidden", "Bare administratorer har tilgang.")
        return render(
            request,
            "error.html",
            status=403,
            title="Ingen tilgang",
            message="Bare administratorer har tilgang til denne siden.",
        )
    return None


def _unstorable(value: Any) -> bool:
    if isinstance(value, str):
        return bool(_UNSTORABLE.search(value))
    if isinstance(value, dict):
        return any(_unstorable(k) or _unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_unstorable(v) for v in value)
    return False


async def _refuse_unstorable(request: Request) -> HTTPResponse | None:
    """A clear 400 for text the database cannot store (NUL, lone surrogates), instead of a 500."""
    values: list[Any] = [unquote(request.path, errors="replace"), dict(request.args)]
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.body:
        if is_api(request):
            try:
                values.append(request.json)
            except SanicException:
                pass  # the handler answers bad JSON itself
        elif request.form:
            values.append(dict(request.form))
    if not any(_unstorable(value) for value in values):
        return None
    message = "Forespørselen inneholder tegn som ikke kan lagres. Fjern dem og prøv igjen."
    if is_api(request):
        return api_error(400, "bad_request", message)
    return render(request, "error.html", status=400, title="Ugyldige tegn", message=message)


async def _check_login_csrf(request: Request) -> HTTPResponse | None:
    """The login form has no session yet: a double-submit token in a cookie and the form."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE)
    request.ctx.login_csrf = cookie or secrets.token_urlsafe(32)
    request.ctx.new_login_csrf = cookie is None
    if request.method == "POST":
        sent = request.form.get("csrf") if request.form else None
        if not cookie or not sent or not hmac.compare_digest(str(sent), cookie):
            return render(
                request,
                "login.html",
                status=403,
                error="Skjemaet var utløpt. Prøv å logge inn igjen.",
                next=safe_next(request.args.get("neste")),
            )
    return None


async def _headers(request: Request, response: HTTPResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    if getattr(request.ctx, "new_login_csrf", False):
        set_cookie(request, response, LOGIN_CSRF_COOKIE, request.ctx.login_csrf, 3600)


def create_app(name: str | None = None) -> Sanic:
    """The desk. `name` must be unique per process (tests make several)."""
    app = Sanic(name or f"desk_{uuid.uuid4().hex[:8]}")
    app.config.REQUEST_MAX_SIZE = 1_000_000
    app.config.FALLBACK_ERROR_FORMAT = "html"
    app.ctx.templates = templates()
    app.static("/static", str(HERE / "static"), name="static")
    app.register_middleware(_authenticate, "request")
    app.register_middleware(_refuse_unstorable, "request")
    app.register_middleware(_headers, "response")

    from bot.desk import api, live, pages, widget

    pages.register(app)
    live.register(app)
    api.register(app)
    widget.register(app)

    @app.exception(SanicException)
    async def sanic_error(request: Request, error: SanicException) -> HTTPResponse:
        status = getattr(error, "status_code", 500) or 500
        if is_api(request):
            code = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}.get(status, "error")
            return api_error(
                status, code, "Fant ikke det du spurte etter." if status == 404 else "Ugyldig forespørsel."
            )
        message = "Vi fant ikke siden." if status == 404 else "Forespørselen kunne ikke behandles."
        return render(request, "error.html", status=status, title="Noe gikk galt", message=message)

    @app.exception(Exception)
    async def unexpected(request: Request, error: Exception) -> HTTPResponse:
        logger.exception("Desk error on %s", request.path)
        if is_api(request):
            return api_error(500, "error", "Noe gikk galt hos oss. Prøv igjen.")
        return render(
            request,
            "error.html",
            status=500,
            title="Noe gikk galt",
            message="Noe gikk galt hos oss. Prøv igjen om litt.",
        )

    return app
