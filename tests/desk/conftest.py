"""Fixtures for the desk: staff accounts, tickets, and the desk running in-process on a free port.

Requests go over real HTTP (aiohttp), with cookies, so sessions, CSRF and headers are tested as
a browser meets them. Database work in the desk runs in threads, so concurrent requests really
are concurrent.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic

from bot import accounts, cases
from bot.db import get_engine
from bot.desk import create_app
from tests.library_db import load_library
from tests.live import serve_in_loop, stop_in_loop

PASSWORD = "riktig-hest-batteri"
STAFF = {
    "admin": ("Ada Admin", "admin"),
    "kari": ("Kari Saksbehandler", "agent"),
    "ola": ("Ola Saksbehandler", "agent"),
}
# Several desk apps start in one process; Sanic's test mode lets each rewrite its HTTP class afresh.
Sanic.test_mode = True
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Response:
    status: int
    text: str
    headers: Any
    cookies: dict[str, Any]

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")

    def json(self) -> Any:
        import json

        return json.loads(self.text)


@dataclass
class Client:
    """One browser: its own cookie jar and the CSRF token of the last page it saw."""

    base: str
    session: aiohttp.ClientSession
    csrf: str | None = None

    async def request(self, method: str, path: str, **kwargs: Any) -> Response:
        async with self.session.request(method, self.base + path, allow_redirects=False, **kwargs) as response:
            text = await response.text()
            found = _CSRF.search(text)
            if found:
                self.csrf = found.group(1)
            return Response(response.status, text, response.headers, dict(response.cookies))

    async def get(self, path: str, **kwargs: Any) -> Response:
        return await self.request("GET", path, **kwargs)

    async def post(
        self, path: str, data: dict[str, str] | None = None, *, csrf: bool = True, **kwargs: Any
    ) -> Response:
        form = dict(data or {})
        if csrf and self.csrf and "csrf" not in form:
            form["csrf"] = self.csrf
        return await self.request("POST", path, data=form, **kwargs)

    async def login(self, username: str, password: str = PASSWORD) -> Response:
        await self.get("/login")
        return await self.post("/login", {"brukernavn": username, "passord": password, "neste": "/"})


@dataclass
class Desk:
    base: str
    app: Any
    clients: list[Client] = field(default_factory=list)

    def client(self) -> Client:
        session = aiohttp.ClientSession(
            cookie_jar=aiohttp.CookieJar(unsafe=True), connector=aiohttp.TCPConnector(force_close=True)
        )
        client = Client(self.base, session)
        self.clients.append(client)
        return client

    async def login(self, username: str) -> Client:
        client = self.client()
        response = await client.login(username)
        assert response.status == 303, response.text
        await client.get("/")  # picks up the session's CSRF token
        return client

    async def api(self, token: str | None, method: str, path: str, **kwargs: Any) -> Response:
        headers = dict(kwargs.pop("headers", {}))
        if token:
            headers["Authorization"] = f"Bearer {token}"
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(force_close=True)) as session:
            async with session.request(method, self.base + path, headers=headers, allow_redirects=False, **kwargs) as r:
                return Response(r.status, await r.text(), r.headers, {})


def make_ticket(key: str = "t1", contact: str = "912 34 567", **overrides: str) -> cases.TicketView:
    values = dict(
        idempotency_key=key,
        conversation_id=f"conv-{key}",
        channel="rest",
        topic="faq/waste",
        summary="Søppeldunken er ikke tømt",
        language="nb",
        contact_name="Kari Nordmann",
        contact=contact,
    )
    values.update(overrides)
    return cases.create_ticket(cases.NewTicket(**values))  # type: ignore[arg-type]


@pytest.fixture
def staff(db_url: str) -> dict[str, accounts.StaffView]:
    return {name: accounts.create_user(name, full, PASSWORD, role) for name, (full, role) in STAFF.items()}


@pytest.fixture
async def desk(staff: dict, db_url: str) -> AsyncIterator[Desk]:
    load_library(db_url)  # the desk names a ticket's topic by its answer's title
    app = create_app()
    url, server = await serve_in_loop(app)
    desk = Desk(url, app)
    try:
        yield desk
    finally:
        for client in desk.clients:
            await client.session.close()
        await stop_in_loop(server)


class Events:
    """Writes events the way Rasa's SQL tracker store does (same table, same JSON)."""

    def __init__(self, url: str) -> None:
        self.engine = get_engine(url)
        self.table = SQLTrackerStore.SQLEvent.__table__

    def add(self, sender: str, event: object, at: dt.datetime) -> None:
        event.timestamp = at.timestamp()  # type: ignore[attr-defined]
        data = event.as_dict()  # type: ignore[attr-defined]
        with self.engine.begin() as connection:
            connection.execute(
                self.table.insert().values(
                    sender_id=sender,
                    type_name=data["event"],
                    timestamp=data["timestamp"],
                    intent_name=(data.get("parse_data") or {}).get("intent", {}).get("name"),
                    action_name=data.get("name"),
                    data=json.dumps(data),
                )
            )

    def said(self, sender: str, text: str, at: dt.datetime, intent: str = "faq") -> None:
        self.add(sender, UserUttered(text, {"name": intent, "confidence": 0.9}), at)

    def answered(
        self, sender: str, text: str, at: dt.datetime, buttons: list | None = None, response: str | None = None
    ) -> None:
        metadata = {"utter_action": response} if response else {}
        self.add(sender, BotUttered(text, {"buttons": buttons} if buttons else {}, metadata), at)


@pytest.fixture
def editor(staff: dict[str, accounts.StaffView]) -> accounts.StaffView:
    """Rita, who edits the answer library (role «redaktør»)."""
    return accounts.create_user("rita", "Rita Redaktør", PASSWORD, "editor")


@pytest.fixture
def events(db_url: str) -> Iterator[Events]:
    store = Events(db_url)
    store.table.create(store.engine, checkfirst=True)
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events"))
    yield store
    with store.engine.begin() as connection:
        connection.execute(sa.text("DELETE FROM events"))
