"""The desk's request and response middleware: who may see what, CSRF, text the database cannot
store, and security headers.

Every route needs a login, except the login page, static files and the website chat widget
(`bot/desk/widget.py`, for citizens): `authenticate` turns everyone else away (pages redirect to
the login page, the API answers 401). Paths under /admin and /api/v1/admin need the admin role;
the answer library's editor (/svar) needs the editor or admin role.
Pages post forms with a CSRF token tied to the session; the API takes
`Authorization: Bearer <token>` and no cookies.
"""

from __future__ import annotations

import hmac
import re
import secrets
from typing import Any
from urllib.parse import quote, unquote

from sanic import Request
from sanic.exceptions import SanicException
from sanic.response import HTTPResponse, json, redirect

from bot import accounts
from bot.desk.web import (
    ADMIN_PREFIXES,
    EDITOR_PREFIXES,
    LOGIN_CSRF_COOKIE,
    OPEN_PATHS,
    OPEN_PREFIXES,
    PUBLIC_PATHS,
    SECURITY_HEADERS,
    SESSION_COOKIE,
    api_error,
    error_page,
    is_api,
    render,
    run,
    safe_next,
    set_cookie,
)

# NUL (PostgreSQL text cannot hold it) and lone surrogates (no database encoding can store them).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def authenticate(request: Request) -> HTTPResponse | None:
    request.ctx.login = None
    request.ctx.user = None
    path = request.path
    if path.startswith(OPEN_PREFIXES) or path in OPEN_PATHS:
        return None
    refused = await (_authenticate_api(request) if is_api(request) else _authenticate_page(request))
    if refused is not None or path in PUBLIC_PATHS:
        return refused
    if path.startswith(ADMIN_PREFIXES) and not request.ctx.user.is_admin:
        if is_api(request):
            return api_error(403, "forbidden", "Bare administratorer har tilgang.")
        return error_page(request, 403, "Ingen tilgang", "Bare administratorer har tilgang til denne siden.")
    if path.startswith(EDITOR_PREFIXES) and not request.ctx.user.can_edit_answers:
        return error_page(request, 403, "Ingen tilgang", "Bare redaktører og administratorer kan endre svarene.")
    return None


async def _authenticate_api(request: Request) -> HTTPResponse | None:
    token = _bearer(request)
    user = await run(accounts.api_token_user, token) if token else None
    if user is None and request.path == "/api/openapi.json":
        login = await run(accounts.get_session, request.cookies.get(SESSION_COOKIE))
        user = login.user if login else None
    if user is None:
        response = api_error(401, "unauthorized", "Mangler gyldig API-nøkkel (Authorization: Bearer …).")
        response.headers["WWW-Authenticate"] = 'Bearer realm="servicekontor"'
        return response
    request.ctx.user = user
    return None


async def _authenticate_page(request: Request) -> HTTPResponse | None:
    login = await run(accounts.get_session, request.cookies.get(SESSION_COOKIE))
    request.ctx.login = login
    request.ctx.user = login.user if login else None
    if request.path in PUBLIC_PATHS:
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
            return error_page(
                request,
                403,
                "Skjemaet er utløpt",
                "Skjemaet kunne ikke sendes. Last siden på nytt og prøv igjen.",
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


async def refuse_unstorable(request: Request) -> HTTPResponse | None:
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
    return error_page(request, 400, "Ugyldige tegn", message)


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


async def security_headers(request: Request, response: HTTPResponse) -> None:
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    if not request.path.startswith("/static/"):
        response.headers.setdefault("Cache-Control", "no-store")
    if getattr(request.ctx, "new_login_csrf", False):
        set_cookie(request, response, LOGIN_CSRF_COOKIE, request.ctx.login_csrf, 3600)
