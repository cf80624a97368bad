"""The JSON API for the municipality's case system: bearer tokens, the same operations, OpenAPI."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bot import accounts
from bot.cases import queue
from bot.desk import create_app
from bot.desk.openapi import openapi_document
from tests.desk.conftest import Desk, make_ticket


async def test_the_api_takes_only_valid_bearer_tokens(desk: Desk) -> None:
    make_ticket()
    token = accounts.create_api_token("kari")
    for bad in (None, "skd_feil", token + "x"):
        response = await desk.api(bad, "GET", "/api/v1/tickets")
        assert response.status == 401 and response.json()["error"] == "unauthorized"
        assert "Bearer" in response.headers["WWW-Authenticate"]
    # A desk session is not an API credential.
    browser = await desk.login("kari")
    assert (await browser.get("/api/v1/tickets")).status == 401
    assert (await desk.api(token, "GET", "/api/v1/tickets")).status == 200
    accounts.revoke_api_tokens("kari")
    assert (await desk.api(token, "GET", "/api/v1/tickets")).status == 401


async def test_a_ticket_through_the_api(desk: Desk) -> None:
    ticket = make_ticket(contact="kari@example.no", summary="<b>fet</b>")
    kari, ola = accounts.create_api_token("kari"), accounts.create_api_token("ola")
    base = f"/api/v1/tickets/{ticket.reference}"
    listed = (await desk.api(kari, "GET", "/api/v1/tickets?status=open")).json()["tickets"]
    assert [t["reference"] for t in listed] == [ticket.reference] and listed[0]["overdue"] is False
    assert listed[0]["summary"] == "<b>fet</b>"  # JSON carries the text as it is; pages escape it
    assert (await desk.api(kari, "POST", f"{base}/claim")).json()["ticket"]["assignee"] == "kari"
    conflict = await desk.api(ola, "POST", f"{base}/claim")
    assert conflict.status == 409 and conflict.json() == {
        "error": "claimed",
        "message": "Saken er allerede tatt av kari.",
    }
    note = await desk.api(kari, "POST", f"{base}/notes", json={"text": "Fra saksystemet"})
    assert note.status == 201
    assert (await desk.api(kari, "POST", f"{base}/notes", json={"text": ""})).status == 409
    reply = await desk.api(kari, "POST", f"{base}/replies", json={"text": "Hei", "status": "waiting_for_citizen"})
    assert reply.status == 201 and reply.json()["delivery"] == "outbox"
    assert reply.json()["ticket"]["status"] == "waiting_for_citizen"
    assign = await desk.api(kari, "POST", f"{base}/assign", json={"assignee": "ola"})
    assert assign.json()["ticket"]["assignee"] == "ola"
    assert (await desk.api(kari, "POST", f"{base}/assign", json={"assignee": "ingen"})).status == 400
    closed = await desk.api(ola, "POST", f"{base}/status", json={"status": "closed", "comment": "Ferdig"})
    assert closed.json()["ticket"]["status"] == "closed"
    wrong = await desk.api(ola, "POST", f"{base}/status", json={"status": "resolved"})
    assert wrong.status == 409 and "Kan ikke" in wrong.json()["message"]
    assert (await desk.api(ola, "POST", f"{base}/status", json={"status": "ferdig"})).status == 400
    detail = (await desk.api(kari, "GET", base)).json()
    kinds = [(e["kind"], e["actor"]) for e in detail["events"]]
    assert kinds == [
        ("created", "bot"),
        ("claim", "kari"),
        ("status", "kari"),
        ("note", "kari"),
        ("reply", "kari"),
        ("status", "kari"),
        ("assign", "kari"),
        ("status", "ola"),
    ]
    assert detail["outbox"][0]["to"] == "kari@example.no" and detail["transcript"] == []
    outbox = (await desk.api(kari, "GET", "/api/v1/outbox")).json()["messages"]
    assert [m["reference"] for m in outbox] == [ticket.reference]
    assert (await desk.api(kari, "GET", "/api/v1/tickets/SK-2026-99999")).status == 404
    assert queue.ticket_detail(ticket.reference).ticket.status.value == "closed"


async def test_bad_json_is_a_400(desk: Desk) -> None:
    ticket = make_ticket()
    token = accounts.create_api_token("kari")
    response = await desk.api(
        token,
        "POST",
        f"/api/v1/tickets/{ticket.reference}/notes",
        data="{ikke json",
        headers={"Content-Type": "application/json"},
    )
    assert response.status == 400 and response.json()["error"] == "bad_request"


async def test_a_phone_reply_is_a_call_back(desk: Desk) -> None:
    ticket = make_ticket(contact="912 34 567")
    token = accounts.create_api_token("kari")
    reply = await desk.api(token, "POST", f"/api/v1/tickets/{ticket.reference}/replies", json={"text": "Ring meg"})
    assert reply.json()["delivery"] == "call_back" and reply.json()["call_back"] == "91 23 45 67"


async def test_openapi_document_describes_exactly_the_api(desk: Desk) -> None:
    token = accounts.create_api_token("kari")
    document = (await desk.api(token, "GET", "/api/openapi.json")).json()
    assert document == openapi_document(desk.app) and document["openapi"].startswith("3.")
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    documented = {(method.upper(), path) for path, item in document["paths"].items() for method in item}
    served = {
        (method, "/" + re.sub(r"<(\w+)(:[^>]*)?>", r"{\1}", route.path))
        for route in desk.app.router.routes
        for method in route.methods
        if route.path.startswith("api/v1")
    }
    assert documented == served
    for path, item in document["paths"].items():
        for operation in item.values():
            assert "401" in operation["responses"], path
    # Logged-in staff can read it in the browser too.
    browser = await desk.login("kari")
    assert (await browser.get("/api/openapi.json")).status == 200


def test_an_api_route_without_a_description_cannot_hide_from_the_document() -> None:
    async def undocumented(request: Any) -> Any:
        return None

    app = create_app()
    assert "/api/v1/tickets/{reference}/claim" in openapi_document(app)["paths"]
    app.add_route(undocumented, "/api/v1/undocumented", methods=["GET"])
    with pytest.raises(LookupError, match="/api/v1/undocumented"):
        openapi_document(app)
