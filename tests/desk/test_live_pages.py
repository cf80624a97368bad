"""The desk's live-chat pages over real HTTP: availability, taking a chat, writing, handing back."""

from __future__ import annotations

import asyncio

from bot.cases import live
from bot.cases.queue import ticket_detail
from tests.desk.conftest import Desk

XSS = '<script>alert("xss")</script>'


async def test_switching_on_and_keeping_the_desk_open_makes_staff_available(desk: Desk) -> None:
    kari = await desk.login("kari")
    page = await kari.get("/chat")
    assert "Du tar ikke imot chatter nå" in page.text
    response = await kari.post("/chat/tilgjengelig", {"tilgjengelig": "ja"})
    assert response.status == 303
    assert "Du tar imot chatter." in (await kari.get("/chat")).text
    assert live.available_staff() == 1
    status = (await kari.get("/chat/status")).json()
    assert status == {"available": True, "waiting": 0}
    live.request_chat("widget-x", "socketio", "nb", "faq/waste")
    assert (await kari.get("/chat/status")).json()["waiting"] == 1
    await kari.post("/chat/tilgjengelig", {"tilgjengelig": "nei"})
    assert live.available_staff() == 0


async def test_two_staff_take_the_same_chat_and_one_wins(desk: Desk) -> None:
    chat = live.request_chat("widget-y", "socketio", "nb", "faq/property_tax")
    kari = await desk.login("kari")
    ola = await desk.login("ola")
    listing = (await kari.get("/chat/liste")).json()
    assert "Ta chatten" in listing["html"] and "Eiendomsskatt" in listing["html"]
    await kari.get("/chat")
    await ola.get("/chat")
    a, b = await asyncio.gather(kari.post(f"/chat/{chat.id}/ta"), ola.post(f"/chat/{chat.id}/ta"))
    assert sorted([a.status, b.status]) == [303, 409], (a.status, b.status)
    loser, winner = (a, "ola") if a.status == 409 else (b, "kari")
    assert f"{winner} har allerede tatt denne chatten." in loser.text
    taken = live.get_chat(chat.id)
    assert taken.accepted_by == winner and ticket_detail(taken.ticket_reference).ticket.assignee == winner


async def test_the_holder_writes_escaped_hands_back_and_others_cannot_write(desk: Desk) -> None:
    chat = live.accept(live.request_chat("widget-z", "socketio", "nb", "faq/waste").id, actor="kari")
    kari = await desk.login("kari")
    ola = await desk.login("ola")
    page = await kari.get(f"/sak/{chat.ticket_reference}")
    assert "Melding til innbyggeren" in page.text and f"/chat/{chat.id}/send" in page.text
    other = await ola.get(f"/sak/{chat.ticket_reference}")
    assert "Melding til innbyggeren" not in other.text and "kari chatter med innbyggeren nå" in other.text

    sent = await kari.post(f"/chat/{chat.id}/send", {"melding": f"Hei {XSS}"})
    assert sent.status == 303 and sent.location.startswith(f"/sak/{chat.ticket_reference}")
    page = await kari.get(f"/sak/{chat.ticket_reference}")
    assert XSS not in page.text and "Sendes: «Hei &lt;script&gt;alert(" in page.text
    delivery = live.chat_deliveries(chat.id)[0]
    assert delivery.author_name == "Kari" and delivery.body == f"Hei {XSS}"

    refused = await ola.post(f"/chat/{chat.id}/send", {"melding": "Hei fra Ola"})
    assert refused.status == 409 and "Bare den som har tatt chatten" in refused.text
    assert len(live.chat_deliveries(chat.id)) == 1

    transcript = (await kari.get(f"/sak/{chat.ticket_reference}/samtale")).json()
    assert transcript["open"] is True

    handed = await kari.post(f"/chat/{chat.id}/tilbake")
    assert handed.status == 303
    page = await kari.get(f"/sak/{chat.ticket_reference}")
    assert "gitt tilbake til chatboten" in page.text and "Melding til innbyggeren" not in page.text
    assert (await kari.get(f"/sak/{chat.ticket_reference}/samtale")).json()["open"] is False


async def test_live_chat_forms_need_the_csrf_token(desk: Desk) -> None:
    chat = live.accept(live.request_chat("widget-c", "socketio", "nb", "faq/waste").id, actor="kari")
    kari = await desk.login("kari")
    forged = await kari.post(f"/chat/{chat.id}/send", {"melding": "Hei"}, csrf=False)
    assert forged.status == 403
    assert live.chat_deliveries(chat.id) == []
