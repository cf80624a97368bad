"""Every desk route, enumerated from the app: who may open it, the security headers, hostile input.

tests/desk/test_pages.py checks that the routes outside the open paths need a login and that
agents cannot use the admin pages. Here the other side: the routes that answer without a login
are exactly an explicit allowlist (a new route left open fails this test), agents get 403 on
every admin route, pages and API alike, and every answer (redirects, 401, 403, 404, 405, 500)
carries the security headers. Last, hostile query strings, paths and bodies never give a 500.
"""

from __future__ import annotations

import asyncio
import re
from typing import Any

import pytest

from bot import accounts
from bot.answers import store
from bot.cases import queue
from bot.desk.web import ADMIN_PREFIXES, EDITOR_PREFIXES
from tests.desk.conftest import PASSWORD, Desk, Response, make_ticket
from tests.live import oversized_request

# (method, route pattern) that answer without a login. Adding to this list is a security decision.
ALLOWLIST = {
    ("GET", "/login"),  # the login form
    ("POST", "/login"),  # guarded by its own double-submit CSRF token
    ("GET", "/static/<__file_uri__:path>"),  # the desk's CSS and JavaScript
    ("HEAD", "/static/<__file_uri__:path>"),
    ("GET", "/widget.js"),  # the citizens' chat widget, embedded on the municipality's site
    ("GET", "/widget/<name:path>"),
    ("GET", "/demo"),  # the widget's demo page
    ("GET", "/health/live"),  # the operator's probes: no secret, no citizen in them
    ("GET", "/health/ready"),
    ("GET", "/metrics"),  # only this machine, or with METRICS_TOKEN (tests/test_metrics.py)
}
EXPECTED_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
}
CSP_DIRECTIVES = ["default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]
SAMPLES = {
    "reference": "{reference}",
    "username": "kari",
    "chat_id": "1",
    "token_id": "1",
    "message_id": "1",
    "__file_uri__": "desk.css",
    "name": "widget.css",
    "key": "boat_berth",
}


def _concrete(pattern: str, reference: str) -> str:
    return re.sub(r"<(\w+)(:[^>]*)?>", lambda m: SAMPLES[m.group(1)].format(reference=reference), pattern)


def _routes(desk: Desk) -> list[tuple[str, str]]:
    return sorted((method, "/" + route.path) for route in desk.app.router.routes for method in route.methods)


def _assert_headers(response: Response, what: Any) -> None:
    for name, value in EXPECTED_HEADERS.items():
        assert response.headers.get(name) == value, (what, name, response.status)
    csp = response.headers.get("Content-Security-Policy", "")
    assert all(directive in csp for directive in CSP_DIRECTIVES) and "unsafe" not in csp, (what, csp)
    assert "Permissions-Policy" in response.headers, what


def _turned_away(path: str, response: Response) -> bool:
    if path.startswith("/api/"):
        return response.status == 401 and response.json()["error"] == "unauthorized"
    return response.status in (302, 303) and response.location.startswith("/login")


async def test_only_the_allowlist_answers_without_a_login(desk: Desk) -> None:
    ticket = make_ticket()
    client = desk.client()
    open_routes = set()
    for method, pattern in _routes(desk):
        path = _concrete(pattern, ticket.reference)
        response = await client.request(method, path)
        _assert_headers(response, (method, path))
        if not _turned_away(path, response):
            open_routes.add((method, pattern))
    assert open_routes == ALLOWLIST
    for method, pattern in ALLOWLIST - {("POST", "/login")}:
        response = await client.request(method, _concrete(pattern, ticket.reference))
        assert response.status == 200, (method, pattern)
        assert "sk_desk" not in response.cookies  # no session is handed out
    assert (await client.post("/login", {"brukernavn": "kari", "passord": PASSWORD}, csrf=False)).status == 403


async def test_agents_get_403_on_every_admin_route_pages_and_api(desk: Desk) -> None:
    ticket = make_ticket()
    agent = await desk.login("kari")
    agent_token = accounts.create_api_token("kari")
    admin_routes = [(m, p) for m, p in _routes(desk) if p.startswith(ADMIN_PREFIXES) and m != "HEAD"]
    assert {p for _, p in admin_routes} >= {"/admin/brukere", "/admin/statistikk", "/api/v1/admin/stats"}
    for method, pattern in admin_routes:
        path = _concrete(pattern, ticket.reference)
        if path.startswith("/api/"):
            response = await desk.api(agent_token, method, path, json={})
            assert response.status == 403 and response.json()["error"] == "forbidden", (method, path)
        else:
            form = {"brukernavn": "inntrenger", "navn": "X", "rolle": "admin", "passord": PASSWORD, "endring": "admin"}
            response = await (agent.get(path) if method == "GET" else agent.post(path, form))
            assert response.status == 403 and "Bare administratorer" in response.text, (method, path)
        _assert_headers(response, (method, path))
    assert accounts.get_user("inntrenger") is None and accounts.get_user("kari").role == "agent"
    admin_token = accounts.create_api_token("admin")
    assert (await desk.api(admin_token, "GET", "/api/v1/admin/stats")).status == 200


async def test_agents_get_403_on_every_editor_route(desk: Desk) -> None:
    ticket = make_ticket()
    before = store.get("boat_berth")
    agent = await desk.login("kari")
    editor_routes = [(m, p) for m, p in _routes(desk) if p.startswith(EDITOR_PREFIXES) and m != "HEAD"]
    assert len(editor_routes) >= 9 and {"/svar", "/svar/nytt-svar"} <= {p for _, p in editor_routes}
    for method, pattern in editor_routes:
        path = _concrete(pattern, ticket.reference)
        form = {"versjon": str(before.version), "tekst_nb": "Inntrenger.", "endring": "arkiver", "nokkel": "inntrenger"}
        response = await (agent.get(path) if method == "GET" else agent.post(path, form))
        assert response.status == 403 and "Bare redaktører" in response.text, (method, path)
        _assert_headers(response, (method, path))
    assert store.get("boat_berth") == before


async def test_every_answer_carries_the_security_headers(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    ticket = make_ticket()
    admin = await desk.login("admin")
    token = accounts.create_api_token("admin")
    checked = 0
    for method, pattern in _routes(desk):
        path = _concrete(pattern, ticket.reference)
        if method in ("GET", "HEAD"):
            response = await (
                desk.api(token, method, path) if path.startswith("/api/") else admin.request(method, path)
            )
        elif path.startswith("/api/"):
            response = await desk.api(token, method, path, data=b"{ikke json")  # 400, nothing changes
        else:
            response = await admin.post(path, {}, csrf=False)  # 403 without the CSRF token
        assert response.status < 500, (method, path, response.status)
        _assert_headers(response, (method, path))
        if (method, pattern) not in ALLOWLIST:  # pages with staff data are never cached
            assert response.headers.get("Cache-Control") == "no-store", (method, path)
        checked += 1
    assert checked >= 40
    for response in [
        await admin.get("/finnes-ikke"),
        await desk.api(token, "GET", "/api/v1/finnes-ikke"),
        await admin.request("PUT", "/"),  # 403: a form method without the CSRF token
        await desk.api(token, "DELETE", f"/api/v1/tickets/{ticket.reference}"),
    ]:
        assert response.status in (403, 404, 405)
        _assert_headers(response, response.status)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr("bot.cases.queue.list_queue", broken)
    response = await admin.get("/")
    assert response.status == 500 and "Noe gikk galt" in response.text and "Traceback" not in response.text
    _assert_headers(response, 500)


HOSTILE_PAGES = [
    "/?q=%00",
    "/?q=%27%3B%20DROP%20TABLE%20sk_tickets%3B--",
    "/?q=" + "x" * 5000,
    "/?status=%00&tema=%00&kanal=%ff&sprak=%ud800",
    "/ko/rader?q=%00",
    "/sak/%00",
    "/sak/SK-2026-%00",
    "/sak/" + "9" * 3000,
    "/sak/%3Cscript%3E/samtale",
    "/admin/statistikk?periode=%00",
    "/admin/brukere/%00",
    "/chat/99999999999999999999999/ta",
    "/login?neste=%00",
    "/login?neste=javascript:alert(1)",
]
HOSTILE_API = [
    "/api/v1/tickets?q=%00",
    "/api/v1/tickets?status=%00&limit=99999999999999999999",
    "/api/v1/tickets/%00",
    "/api/v1/tickets/" + "9" * 3000,
    "/api/v1/admin/stats?count=99999999999999999999",
    "/api/v1/admin/stats?count=-5",
    "/api/v1/admin/stats?period=%00",
    "/api/v1/outbox?pending=%00",
]


async def test_hostile_input_never_gives_a_500(desk: Desk) -> None:
    ticket = make_ticket()
    admin = await desk.login("admin")
    token = accounts.create_api_token("admin")
    for path in HOSTILE_PAGES:
        response = await admin.get(path)
        assert response.status < 500, (path, response.status)
        assert "<script>" not in response.text and "Traceback" not in response.text, path
    for path in HOSTILE_API:
        response = await desk.api(token, "GET", path)
        assert response.status < 500 and "error" in response.json() or response.status == 200, (path, response.status)
    posts = [
        (f"/sak/{ticket.reference}/notat", {"notat": "hei\x00der"}),
        (f"/sak/{ticket.reference}/status", {"status": "\x00"}),
        (f"/sak/{ticket.reference}/gi", {"til": "\x00"}),
        ("/admin/brukere", {"brukernavn": "ny\x00bruker", "navn": "\x00", "rolle": "agent", "passord": PASSWORD}),
    ]
    for path, form in posts:
        response = await admin.post(path, form)
        assert response.status == 400 and "Ugyldige tegn" in response.text, (path, response.status)
    assert [e.kind for e in queue.ticket_detail(ticket.reference).events] == ["created"]
    assert sorted(u.username for u in accounts.list_users()) == ["admin", "kari", "ola"]
    response = await admin.request(
        "POST",
        f"/sak/{ticket.reference}/notat",
        data=b"notat=%FF%FE&csrf=" + (admin.csrf or "").encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status < 500
    response = await admin.request(
        "POST",
        f"/sak/{ticket.reference}/notat",
        data=b"notat=\xff\xfe\x00&csrf=" + (admin.csrf or "").encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status in (400, 403)  # Sanic cannot read the form: no CSRF token either
    bodies = [b"{ikke json", b"\xff\xfe", b"[1]", b'{"text": "\\u0000"}', b'{"text": "\\ud800"}', b"[" * 50_000]
    for body in bodies:
        response = await desk.api(token, "POST", f"/api/v1/tickets/{ticket.reference}/notes", data=body)
        assert 400 <= response.status < 500 and response.json()["error"], (body[:10], response.status)
    fresh = desk.client()
    await fresh.get("/login")
    response = await fresh.post("/login", {"brukernavn": "\x00' OR 1=1 --", "passord": "\x00" * 5})
    assert response.status == 400 and "Ugyldige tegn" in response.text


@pytest.mark.parametrize("path", ["/login", "/api/v1/tickets", "/svar/ny"])
async def test_a_50_mb_body_is_refused_before_it_is_read(desk: Desk, path: str) -> None:
    port = int(desk.base.rsplit(":", 1)[1])
    status, sent = await asyncio.to_thread(oversized_request, port, path, chunked=False)
    # 413 from the size, or the login or CSRF check that runs first (401, 403, or 303 to the login
    # page), or the connection closed before the client read the answer: never read whole.
    assert (not status or status.split()[1] in ("303", "401", "403", "413")) and sent < 20_000_000, (status, sent)
    status, sent = await asyncio.to_thread(oversized_request, port, path, chunked=True)
    assert sent < 20_000_000  # of 50 MB; what the kernel's socket buffers took counts too
