"""In headless Chromium: a citizen's ticket from the bot's REST channel to «closed» in the desk.

Starts Rasa, the action server and the desk as subprocesses on free ports with a fresh SQLite
file. Screenshots of the queue and the ticket page (desktop and 320 px wide) are saved under
tests/output/desk/ for a person to look at.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import accounts
from tests.desk.conftest import PASSWORD
from tests.library_db import prepare_database
from tests.live import Chat, free_port, start_actions, start_desk, start_rasa, wait_for

CHROMIUM = Path("/usr/bin/chromium")
OUTPUT = Path(__file__).resolve().parents[1] / "output" / "desk"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def stack(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    tmp = tmp_path_factory.mktemp("desk-live")
    database = f"sqlite:///{tmp / 'desk.db'}"
    prepare_database(database)
    accounts.create_user("kari", "Kari Saksbehandler", PASSWORD, "agent", url=database)
    ports = {name: free_port() for name in ("actions", "rasa", "desk")}
    processes = {
        "actions": start_actions(ports["actions"], database, tmp),
        "rasa": start_rasa(ports["rasa"], ports["actions"], database, model_path, tmp),
        "desk": start_desk(ports["desk"], database, tmp, SMTP_HOST=""),
    }
    try:
        wait_for(f"http://127.0.0.1:{ports['actions']}/health", processes["actions"])
        wait_for(f"http://127.0.0.1:{ports['desk']}/login", processes["desk"])
        wait_for(f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/", processes["rasa"])
        yield {"ports": ports, "database": database}
    finally:
        for process in processes.values():
            process.stop()


def _file_ticket(chat: Chat) -> str:
    assert "Hva gjelder saken" in chat.say("jeg vil snakke med en person")
    assert "Hva heter du" in chat.say("Søppeldunken min er ikke tømt på to uker")
    assert "Hvordan kan vi nå deg" in chat.say("Kari Nordmann")
    assert "Er det greit" in chat.say("kari.nordmann@example.no")
    done = chat.say("ja")
    found = re.search(r"SK-\d{4}-\d{5}", done)
    assert found, done
    return found.group()


def test_a_ticket_from_the_chat_to_closed_in_the_browser(stack: dict) -> None:
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    citizen = Chat(stack["ports"]["rasa"], f"browser-{uuid.uuid4().hex[:8]}")
    reference = _file_ticket(citizen)
    desk = f"http://127.0.0.1:{stack['ports']['desk']}"
    problems: list[str] = []

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="nb-NO")
            page.on("console", lambda message: message.type == "error" and problems.append(message.text))
            page.on("pageerror", lambda error: problems.append(str(error)))

            page.goto(f"{desk}/")
            expect(page).to_have_url(re.compile(r"/login"))
            page.keyboard.press("Tab")
            expect(page.locator(":focus")).to_have_text("Hopp til innholdet")
            page.get_by_label("Brukernavn").fill("kari")
            page.get_by_label("Passord").fill(PASSWORD)
            page.get_by_role("button", name="Logg inn").click()

            expect(page.get_by_role("heading", name="Saker")).to_be_visible()
            row = page.locator("tr", has=page.get_by_role("link", name=reference))
            expect(row).to_contain_text("Kari Nordmann")
            expect(row).to_contain_text("Ny")
            expect(row).to_contain_text("REST")
            page.screenshot(path=str(OUTPUT / "queue.png"), full_page=True)
            page.set_viewport_size({"width": 320, "height": 800})
            page.screenshot(path=str(OUTPUT / "queue-320.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320
            page.set_viewport_size({"width": 1280, "height": 900})

            page.get_by_role("link", name=reference).click()
            expect(page.get_by_role("heading", name=f"Sak {reference}")).to_be_visible()
            chat = page.locator("ol.transcript")
            expect(chat).to_contain_text("jeg vil snakke med en person")
            expect(chat).to_contain_text("Hva gjelder saken")
            expect(chat).to_contain_text(reference)  # the bot's answer with the reference

            page.get_by_role("button", name="Ta saken").click()
            expect(page.locator("main").get_by_role("status")).to_have_text("Du har tatt saken.")
            expect(page.get_by_text("Du har saken.")).to_be_visible()
            page.screenshot(path=str(OUTPUT / "ticket-claimed.png"), full_page=True)

            page.get_by_label("Notat (bare for ansatte)").fill("Sjekket med renovasjonen: bilen var ute i går.")
            page.get_by_role("button", name="Lagre notat").click()
            expect(page.locator("main").get_by_role("status")).to_have_text("Notatet er lagret.")

            page.get_by_label("Svar", exact=True).fill(
                "Hei Kari! Dunken din blir tømt i morgen. Hilsen servicekontoret"
            )
            page.get_by_label("Ny status").select_option("resolved")
            page.get_by_role("button", name="Lagre svar").click()
            expect(page.locator("main").get_by_role("status")).to_have_text(
                "Svaret er lagret. E-posten venter i utboksen."
            )

            page.get_by_label("Endre til").select_option("closed")
            page.get_by_label("Kommentar (valgfri)").fill("Løst etter svar på e-post")
            page.get_by_role("button", name="Endre status").click()
            expect(page.get_by_role("heading", name=f"Sak {reference}")).to_contain_text("Lukket")
            history = page.locator("ol.history")
            for text in (
                "Opprettet",
                "Tatt",
                "Internt notat",
                "Svar til innbygger",
                "Lukket",
                "Sjekket med renovasjonen",
            ):
                expect(history).to_contain_text(text)
            page.screenshot(path=str(OUTPUT / "ticket.png"), full_page=True)
            page.set_viewport_size({"width": 320, "height": 800})
            page.screenshot(path=str(OUTPUT / "ticket-320.png"), full_page=True)
            assert page.evaluate("document.documentElement.scrollWidth") <= 320

            page.goto(f"{desk}/utboks")
            expect(page.locator("main")).to_contain_text("kari.nordmann@example.no")
            page.screenshot(path=str(OUTPUT / "outbox-320.png"), full_page=True)
        finally:
            browser.close()

    assert problems == []  # no script errors, no Content-Security-Policy violations
    asking = Chat(stack["ports"]["rasa"], f"status-{uuid.uuid4().hex[:8]}")
    asking.say(f"hva er status på saken {reference}")
    assert "avsluttet" in asking.say("kari.nordmann@example.no")
