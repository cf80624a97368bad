"""The desk's pages over real HTTP: login, sessions, CSRF, roles, escaping, the queue and a ticket."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import re
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot import accounts, cases, login_attempts
from bot.cases import queue
from bot.cases.states import Status
from bot.db import get_engine
from bot.desk.web import ADMIN_PREFIXES, OPEN_PATHS, OPEN_PREFIXES, PUBLIC_PATHS
from tests.desk.conftest import PASSWORD, Client, Desk, make_ticket

TEMPLATES = Path(__file__).resolve().parents[2] / "bot" / "desk" / "templates"
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)>'


def _concrete(path: str, reference: str) -> str:
    path = "/" + path
    path = re.sub(r"<reference(:[^>]*)?>", reference, path)
    path = re.sub(r"<username(:[^>]*)?>", "kari", path)
    path = re.sub(r"<(?:chat_id|token_id)(:[^>]*)?>", "1", path)
    return re.sub(r"<__file_uri__(:[^>]*)?>", "desk.css", path)


def _routes(desk: Desk, reference: str) -> list[tuple[str, str]]:
    return sorted(
        (method, _concrete(route.path, reference))
        for route in desk.app.router.routes
        for method in route.methods
        if method != "HEAD"
    )


async def test_every_route_needs_a_login(desk: Desk) -> None:
    ticket = make_ticket(summary="Hemmelig innhold")
    routes = _routes(desk, ticket.reference)
    checked = 0
    for cookie in (None, "forfalsket-økt"):
        client = desk.client()
        if cookie:
            client.session.cookie_jar.update_cookies({"sk_desk": cookie})
        for method, path in routes:
            if path in PUBLIC_PATHS or path in OPEN_PATHS or path.startswith(OPEN_PREFIXES):
                continue  # the chat widget's files are for citizens: tests/desk/test_widget.py
            response = await client.request(method, path)
            if path.startswith("/api/"):
                assert response.status == 401, (method, path, response.status)
            else:
                assert response.status in (302, 303), (method, path, response.status)
                assert response.location.startswith("/login"), (method, path)
            assert "Hemmelig innhold" not in response.text and ticket.reference not in response.text
            checked += 1
    assert checked >= 2 * 25  # every page and endpoint, not a handful
    assert queue.ticket_detail(ticket.reference).ticket.assignee is None


async def test_static_files_and_the_login_page_are_the_only_open_doors(desk: Desk) -> None:
    client = desk.client()
    assert (await client.get("/login")).status == 200
    assert (await client.get("/static/desk.css")).status == 200
    assert (await client.get("/static/finnes-ikke.css")).status == 404


async def test_agents_cannot_do_admin_things(desk: Desk) -> None:
    ticket = make_ticket()
    agent = await desk.login("kari")
    admin = await desk.login("admin")
    admin_routes = [(m, p) for m, p in _routes(desk, ticket.reference) if p.startswith(ADMIN_PREFIXES)]
    assert {p for _, p in admin_routes} >= {"/admin/statistikk", "/admin/brukere", "/admin/brukere/kari"}
    for method, path in admin_routes:
        if path.startswith("/api/"):
            continue
        data = {"brukernavn": "inntrenger", "navn": "X", "rolle": "admin", "passord": PASSWORD, "endring": "admin"}
        response = await (agent.get(path) if method == "GET" else agent.post(path, data))
        assert response.status == 403, (method, path)
        assert "Bare administratorer" in response.text, (method, path)
    assert accounts.get_user("inntrenger") is None
    assert accounts.get_user("kari").role == "agent"
    assert (await admin.get("/admin/statistikk")).status == 200
    assert (await admin.get("/admin/brukere")).status == 200
    page = await agent.get("/")
    assert "/admin/statistikk" not in page.text and "/admin/statistikk" in (await admin.get("/")).text
    token = accounts.create_api_token("kari")
    assert (await desk.api(token, "GET", "/api/v1/admin/stats")).status == 403
    admin_token = accounts.create_api_token("admin")
    assert (await desk.api(admin_token, "GET", "/api/v1/admin/stats")).status == 200


async def test_login_sets_a_safe_cookie_and_logout_ends_the_session(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = desk.client()
    await client.get("/login")
    response = await client.post("/login", {"brukernavn": "kari", "passord": PASSWORD, "neste": "/sak/x"})
    assert response.status == 303 and response.location == "/sak/x"
    cookie = next(c for c in response.headers.getall("Set-Cookie") if c.startswith("sk_desk="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" not in cookie
    token = cookie.split(";")[0].split("=", 1)[1]
    assert (await client.get("/")).status == 200
    assert (await client.post("/logout")).status == 303
    assert (await client.get("/")).status == 302
    replay = desk.client()
    replay.session.cookie_jar.update_cookies({"sk_desk": token})
    assert (await replay.get("/")).status == 302

    secure = desk.client()
    await secure.get("/login")
    monkeypatch.setenv("DESK_SECURE_COOKIES", "true")
    response = await secure.post("/login", {"brukernavn": "kari", "passord": PASSWORD, "neste": "//evil.example"})
    assert response.location == "/"  # no open redirect
    assert any(c.startswith("sk_desk=") and "Secure" in c for c in response.headers.getall("Set-Cookie"))


async def test_wrong_passwords_make_the_login_wait_for_a_while(desk: Desk) -> None:
    client = desk.client()
    await client.get("/login")
    for _ in range(login_attempts.FREE_FAILURES):
        response = await client.post("/login", {"brukernavn": "kari", "passord": "feil-passord-123"})
        assert response.status == 401 and "Feil brukernavn eller passord" in response.text
    response = await client.post("/login", {"brukernavn": "kari", "passord": PASSWORD})
    assert response.status == 401 and "For mange forsøk. Vent til" in response.text
    assert (await client.get("/")).status == 302
    # An account that does not exist gets the same answers, word for word.
    await client.get("/login")
    for _ in range(login_attempts.FREE_FAILURES):
        other = await client.post("/login", {"brukernavn": "finnes.ikke", "passord": "feil-passord-123"})
        assert other.status == 401 and "Feil brukernavn eller passord" in other.text
    other = await client.post("/login", {"brukernavn": "finnes.ikke", "passord": PASSWORD})
    assert "For mange forsøk. Vent til" in other.text


async def test_csrf_tokens_are_enforced_on_every_form(desk: Desk) -> None:
    ticket = make_ticket()
    client = await desk.login("admin")
    posts = [p for m, p in _routes(desk, ticket.reference) if m == "POST" and not p.startswith("/api/")]
    posts.remove("/login")
    assert len(posts) >= 10
    data = {
        "notat": "x",
        "svar": "x",
        "status": "closed",
        "til": "ola",
        "brukernavn": "ny.bruker",
        "navn": "Ny",
        "rolle": "agent",
        "passord": PASSWORD,
        "endring": "deaktiver",
    }
    for path in posts:
        for csrf in (None, "feil-token"):
            form = dict(data, **({"csrf": csrf} if csrf else {}))
            response = await client.post(path, form, csrf=False)
            assert response.status == 403, (path, csrf, response.status)
    detail = queue.ticket_detail(ticket.reference)
    assert [e.kind for e in detail.events] == ["created"] and detail.ticket.assignee is None
    assert accounts.get_user("ny.bruker") is None and accounts.get_user("kari").active
    assert (await client.get("/")).status == 200  # logout without a token did not log out
    # With the token, the same form works.
    assert (await client.post(f"/sak/{ticket.reference}/notat", {"notat": "Med token"})).status == 303
    # The login form has its own token (no session yet).
    fresh = desk.client()
    response = await fresh.post("/login", {"brukernavn": "kari", "passord": PASSWORD}, csrf=False)
    assert response.status == 403 and not any(
        c.startswith("sk_desk=") for c in response.headers.getall("Set-Cookie", [])
    )


async def test_citizen_text_is_shown_escaped(desk: Desk) -> None:
    ticket = make_ticket(summary=f"Hjelp {XSS}", contact_name=f"Ola {XSS}", conversation_id="xss-chat")
    engine = get_engine()
    from rasa.core.tracker_store import SQLTrackerStore

    SQLTrackerStore.SQLEvent.__table__.create(engine, checkfirst=True)
    with engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events"))
        connection.execute(
            sa.text(
                "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) "
                "VALUES (:s, 'user', :t, 'nlu_fallback', :d)"
            ),
            {
                "s": "xss-chat",
                "t": ticket.created_at.timestamp() - 5,
                "d": json.dumps({"event": "user", "text": XSS}),
            },
        )
        # The bot answered «I don't know»: the statistics list the question.
        connection.execute(
            sa.text("INSERT INTO events (sender_id, type_name, timestamp, data) VALUES (:s, 'bot', :t, :d)"),
            {
                "s": "xss-chat",
                "t": ticket.created_at.timestamp() - 4,
                "d": json.dumps({"event": "bot", "text": "…", "metadata": {"utter_action": "utter_dont_know"}}),
            },
        )
    try:
        client = await desk.login("admin")
        queue.add_note(ticket.reference, f"Notat {XSS}", actor="kari")
        pages = [
            (await client.get("/")).text,
            (await client.get(f"/?q={ticket.reference}")).text,
            (await client.get(f"/sak/{ticket.reference}")).text,
            (await client.get("/admin/statistikk")).text,
            (await client.get("/ko/rader")).json()["html"],
        ]
        for page in pages:
            assert "<script>alert" not in page and "<img src=x" not in page
            assert html.escape(XSS, quote=False).replace("&quot;", '"')[:20] in page.replace("&#34;", '"')
        ticket_page = pages[2]
        assert ticket_page.count("&lt;script&gt;") >= 4  # summary, name, note, transcript
    finally:
        with engine.begin() as connection:
            connection.execute(sa.text("DELETE FROM events"))


def test_templates_have_no_inline_script_or_handlers() -> None:
    for template in TEMPLATES.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), template.name
        assert not re.search(r"\son[a-z]+\s*=", text), template.name
        assert "|safe" not in text, template.name


async def test_every_answer_has_security_headers(desk: Desk) -> None:
    client = desk.client()
    for response in (await client.get("/login"), await client.get("/"), await (await desk.login("kari")).get("/")):
        assert "script-src 'self'" in response.headers["Content-Security-Policy"]
        assert "'unsafe-inline'" not in response.headers["Content-Security-Policy"]
        assert response.headers["X-Frame-Options"] == "DENY"
        assert response.headers["X-Content-Type-Options"] == "nosniff"


def _backdate(reference: str, days: int) -> None:
    with get_engine().begin() as connection:
        connection.execute(
            sa.text("UPDATE sk_tickets SET created_at = :at WHERE reference = :r"),
            {"at": dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=days), "r": reference},
        )


async def test_queue_page_filters_searches_and_marks_old_tickets(desk: Desk) -> None:
    old = make_ticket("old", contact_name="Gammel Sak", contact="gammel@example.no")
    new = make_ticket("new", contact_name="Ny Sak", topic="faq/property_tax", language="nn", channel="socketio")
    _backdate(old.reference, 5)
    client = await desk.login("kari")
    page = (await client.get("/")).text
    assert page.index(old.reference) < page.index(new.reference)  # oldest first
    rows = re.findall(r"<tr class=\"([^\"]*)\">\s*<td data-label=\"Sak\"><a href=\"/sak/([^\"]+)\"", page)
    assert dict((ref, cls) for cls, ref in rows) == {old.reference: "overdue", new.reference: ""}
    assert "Over 1 arbeidsdag" in page and "Eiendomsskatt" in page and "Nynorsk" in page
    for query, expected in (
        ("q=gammel%40example.no", old),
        ("q=ny+sak", new),
        ("tema=faq%2Fproperty_tax", new),
        ("kanal=rest", old),
        ("sprak=nn", new),
    ):
        found = (await client.get(f"/?{query}")).text
        assert expected.reference in found, query
        assert ({old.reference, new.reference} - {expected.reference}).pop() not in found, query
    queue.claim(new.reference, actor="kari")
    mine = (await client.get("/?mine=1")).text
    assert new.reference in mine and old.reference not in mine


async def test_the_poller_sees_new_tickets(desk: Desk) -> None:
    make_ticket("a")
    client = await desk.login("kari")
    first = (await client.get("/ko/rader", headers={"Accept": "application/json"})).json()
    again = (await client.get("/ko/rader", headers={"Accept": "application/json"})).json()
    assert first["signature"] == again["signature"] and first["count"] == 1
    newer = make_ticket("b")
    latest = (await client.get("/ko/rader", headers={"Accept": "application/json"})).json()
    assert latest["count"] == 2 and latest["signature"] != first["signature"] and newer.reference in latest["html"]
    # Logged out, the poller gets a 401 it can read, not a login page.
    anonymous = await desk.client().get("/ko/rader", headers={"Accept": "application/json"})
    assert anonymous.status == 401


async def test_a_ticket_from_new_to_closed_over_the_pages(desk: Desk) -> None:
    ticket = make_ticket(contact="912 34 567")
    kari = await desk.login("kari")
    ola = await desk.login("ola")
    path = f"/sak/{ticket.reference}"
    page = (await kari.get(path)).text
    assert "Ta saken" in page and 'Ring tilbake: <a href="tel:+4791234567">91 23 45 67</a>' in page
    assert (await kari.post(f"{path}/ta")).location == f"{path}?ok=claimed"
    await ola.get(path)
    conflict = await ola.post(f"{path}/ta")
    assert conflict.status == 409 and "Saken er allerede tatt av kari." in conflict.text
    assert (await kari.post(f"{path}/notat", {"notat": "Sjekket med renovasjon"})).status == 303
    reply = await kari.post(f"{path}/svar", {"svar": "Dunken tømmes i morgen.", "status": "resolved"})
    assert reply.location == f"{path}?ok=reply_phone"
    assert (await kari.post(f"{path}/status", {"status": "closed", "kommentar": "Ferdig"})).status == 303
    assert cases.lookup_status(ticket.reference, "91234567") is Status.CLOSED
    page = (await kari.get(path)).text
    assert "Saken er lukket. Gjenåpne den for å svare." in page and "Gjenåpne" in page
    history = [(e.kind, e.actor) for e in queue.ticket_detail(ticket.reference).events]
    assert history == [
        ("created", "bot"),
        ("claim", "kari"),
        ("status", "kari"),
        ("note", "kari"),
        ("reply", "kari"),
        ("status", "kari"),
        ("status", "kari"),
    ]
    for text in ("Internt notat", "Sjekket med renovasjon", "Svar til innbygger", "Dunken tømmes i morgen.", "Ferdig"):
        assert text in page
    wrong = await kari.post(f"{path}/status", {"status": "waiting_for_citizen"})
    assert wrong.status == 409 and "Kan ikke" in wrong.text
    assert (await kari.get("/sak/SK-2026-99999")).status == 404


async def test_release_and_reassign_over_the_pages(desk: Desk) -> None:
    ticket = make_ticket(contact="kari@example.no")
    kari = await desk.login("kari")
    path = f"/sak/{ticket.reference}"
    await kari.get(path)
    await kari.post(f"{path}/ta")
    assert (await kari.post(f"{path}/slipp")).location == f"{path}?ok=released"
    assert queue.ticket_detail(ticket.reference).ticket.assignee is None
    assert (await kari.post(f"{path}/gi", {"til": "ola"})).status == 303
    assert queue.ticket_detail(ticket.reference).ticket.assignee == "ola"
    bad = await kari.post(f"{path}/gi", {"til": "finnes.ikke"})
    assert bad.status == 400 and queue.ticket_detail(ticket.reference).ticket.assignee == "ola"
    reply = await kari.post(f"{path}/svar", {"svar": "Hei Kari", "status": ""})
    assert reply.location == f"{path}?ok=reply_outbox"
    outbox = (await kari.get("/utboks")).text
    assert ticket.reference in outbox and "kari@example.no" in outbox and "SMTP_HOST" in outbox


async def test_concurrent_claims_over_http_have_one_winner(desk: Desk) -> None:
    tickets = [make_ticket(f"race{i}") for i in range(6)]
    kari = await desk.login("kari")
    ola = await desk.login("ola")
    for ticket in tickets:
        path = f"/sak/{ticket.reference}/ta"
        a, b = await asyncio.gather(kari.post(path), ola.post(path))
        assert sorted([a.status, b.status]) == [303, 409], (a.status, b.status)
        loser = a if a.status == 409 else b
        winner = "kari" if loser is b else "ola"
        assert f"Saken er allerede tatt av {winner}." in loser.text
        detail = queue.ticket_detail(ticket.reference)
        assert detail.ticket.assignee == winner
        assert [e.actor for e in detail.events if e.kind == "claim"] == [winner]


async def test_an_admin_manages_accounts(desk: Desk) -> None:
    admin = await desk.login("admin")
    await admin.get("/admin/brukere")
    created = await admin.post(
        "/admin/brukere", {"brukernavn": "nina", "navn": "Nina <b>N</b>", "rolle": "agent", "passord": PASSWORD}
    )
    assert created.location == "/admin/brukere?ok=user_created"
    short = await admin.post(
        "/admin/brukere", {"brukernavn": "per", "navn": "Per", "rolle": "agent", "passord": "kort"}
    )
    assert short.status == 400 and "minst" in short.text
    page = (await admin.get("/admin/brukere")).text
    assert "Nina &lt;b&gt;N&lt;/b&gt;" in page
    nina = await desk.login("nina")
    assert (await admin.post("/admin/brukere/nina", {"endring": "deaktiver"})).status == 303
    assert (await nina.get("/")).status == 302  # deactivation ends her session
    assert (await admin.post("/admin/brukere/admin", {"endring": "deaktiver"})).status == 400


async def test_a_ticket_in_another_language_asks_for_an_interpreter_and_reads_right_to_left(desk: Desk) -> None:
    ticket = make_ticket("ar1", language="ar", summary="أحتاج مترجم من فضلك")
    kari = await desk.login("kari")
    queue_page = await kari.get("/")
    assert "Trenger tolk: arabisk" in queue_page.text
    page = await kari.get(f"/sak/{ticket.reference}")
    assert "Trenger tolk: arabisk" in page.text
    assert '<p class="text" dir="auto">أحتاج مترجم من فضلك</p>' in page.text


async def test_behind_a_trusted_https_proxy_the_cookies_are_secure(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    """In `auto` mode X-Forwarded-Proto counts only from the proxy TRUSTED_PROXIES names."""

    async def login_cookie(client: Client) -> str:
        await client.get("/login")
        response = await client.post(
            "/login",
            {"brukernavn": "kari", "passord": PASSWORD, "neste": "/"},
            headers={"X-Forwarded-Proto": "https"},
        )
        assert response.status == 303
        return next(c for c in response.headers.getall("Set-Cookie") if c.startswith("sk_desk="))

    monkeypatch.setenv("TRUSTED_PROXIES", "10.9.8.7")  # not the test client's 127.0.0.1
    assert "Secure" not in await login_cookie(desk.client())
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")
    assert "Secure" in await login_cookie(desk.client())


async def test_staff_change_their_own_password_and_admins_reset_and_revoke(desk: Desk) -> None:
    kari = await desk.login("kari")
    other_machine = await desk.login("kari")
    page = await kari.get("/konto")
    assert page.status == 200 and "Bytt passord" in page.text
    new = "nytt passord 2026"
    wrong = await kari.post("/konto/passord", {"naa": "feil-passord-123", "nytt": new, "gjenta": new})
    assert wrong.status == 400 and "nåværende passordet er feil" in wrong.text
    differ = await kari.post("/konto/passord", {"naa": PASSWORD, "nytt": new, "gjenta": "noe annet 2026"})
    assert differ.status == 400 and "ikke like" in differ.text
    done = await kari.post("/konto/passord", {"naa": PASSWORD, "nytt": new, "gjenta": new})
    assert done.status == 303 and done.location == "/konto?ok=password_changed"
    assert (await kari.get("/")).status == 200  # this session goes on
    assert (await other_machine.get("/")).status == 302  # the other one has ended

    admin = await desk.login("admin")
    await admin.get("/admin/brukere")
    reset = await admin.post("/admin/brukere/kari/passord", {"passord": "satt av ada 2026"})
    assert reset.status == 303
    assert (await kari.get("/")).status == 302
    assert accounts.authenticate("kari", "satt av ada 2026").username == "kari"

    token = accounts.create_api_token("kari", "saksystem")
    page = await admin.get("/admin/brukere")
    assert "API-nøkkel «saksystem»" in page.text and token not in page.text
    [listed] = accounts.list_api_tokens("kari")
    revoked = await admin.post(f"/admin/brukere/kari/nokler/{listed.id}/trekk")
    assert revoked.status == 303
    assert (await desk.api(token, "GET", "/api/v1/tickets")).status == 401
