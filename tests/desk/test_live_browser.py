"""In headless Chromium: a citizen on the demo page chats with the bot, then with a staff member.

Two browser contexts: the citizen on the desk's demo page with the widget, and a staff member
logged in to the desk. Rasa, the action server and the desk run as subprocesses; the office is
open around the clock in this test's kommune file. Screenshots of both sides go to
tests/output/live/ for a person to look at; axe-core checks the widget during the live chat.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import accounts
from bot.cases import live
from tests.desk.conftest import PASSWORD
from tests.desk.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.desk.test_widget import AXE, _axe, _impacts, _say, _watch
from tests.kommune_facts import open_around_the_clock
from tests.library_db import prepare_database
from tests.live import free_port, start_actions, start_desk, start_rasa, wait_for

OUTPUT = Path(__file__).resolve().parents[1] / "output" / "live"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed (.ci/run installs it)")


@pytest.fixture(scope="module")
def stack(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("live-browser")
    kommune_file = open_around_the_clock(tmp)
    database = f"sqlite:///{tmp / 'live.db'}"
    prepare_database(database)
    accounts.create_user("kari", "Kari Saksbehandler", PASSWORD, "agent", url=database)
    ports = {name: free_port() for name in ("actions", "rasa", "desk")}
    bot = f"http://127.0.0.1:{ports['rasa']}"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("KOMMUNE_FILE", str(kommune_file))
        env.setenv("LIVE_POLL_SECONDS", "0.5")
        processes = {
            "actions": start_actions(ports["actions"], database, tmp),
            "rasa": start_rasa(ports["rasa"], ports["actions"], database, model_path, tmp),
            "desk": start_desk(ports["desk"], database, tmp, BOT_PUBLIC_URL=bot, SMTP_HOST=""),
        }
    try:
        wait_for(f"http://127.0.0.1:{ports['actions']}/health", processes["actions"])
        wait_for(f"http://127.0.0.1:{ports['desk']}/login", processes["desk"])
        wait_for(f"{bot}/webhooks/livechat/", processes["rasa"])
        yield {"desk": f"http://127.0.0.1:{ports['desk']}", "database": database}
    finally:
        for process in processes.values():
            process.stop()


def test_a_staff_member_takes_over_a_widget_chat_and_hands_it_back(stack: dict[str, Any]) -> None:
    from playwright.sync_api import expect, sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    desk = stack["desk"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # The staff member logs in and switches on live chats.
            staff_context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
            staff = staff_context.new_page()
            staff_problems = _watch(staff)
            staff.goto(f"{desk}/chat")
            staff.get_by_label("Brukernavn").fill("kari")
            staff.get_by_label("Passord").fill(PASSWORD)
            staff.get_by_role("button", name="Logg inn").click()
            expect(staff.get_by_role("heading", name="Direktechat")).to_be_visible()
            staff.get_by_role("button", name="Ta imot chatter").click()
            expect(staff.get_by_text("Du tar imot chatter.")).to_be_visible()

            # The citizen asks two questions on the demo page, then for a person.
            citizen_context = browser.new_context(
                viewport={"width": 1280, "height": 900}, locale="nb-NO", bypass_csp=True
            )
            citizen = citizen_context.new_page()
            citizen_problems = _watch(citizen)
            citizen.goto(f"{desk}/demo")
            citizen.get_by_role("button", name="Chat med oss").click()
            expect(citizen.locator(".skw-msg-bot")).to_have_count(1, timeout=30_000)  # the greeting
            _say(citizen, "Når er dere åpne?", "kl. 00.00")
            _say(citizen, "hvordan søker jeg barnehageplass", "barnehage")
            citizen.get_by_role("button", name="Snakk med en person").click()
            expect(citizen.locator(".skw-msg-bot", has_text="chatte med deg nå")).to_have_count(1, timeout=30_000)
            citizen.get_by_role("button", name="Ja, chat nå").click()
            expect(citizen.locator(".skw-msg-bot", has_text="Vent litt")).to_have_count(1, timeout=30_000)

            # The staff member sees the waiting citizen and takes the chat.
            take = staff.get_by_role("button", name="Ta chatten")
            expect(take).to_be_visible(timeout=15_000)
            take.click()
            expect(staff.get_by_role("heading", name="Direktechat")).to_be_visible()
            transcript = staff.locator("#transcript")
            expect(transcript).to_contain_text("hvordan søker jeg barnehageplass")
            expect(citizen.locator(".skw-msg-bot", has_text="Nå chatter du med en medarbeider")).to_have_count(
                1, timeout=15_000
            )

            staff.get_by_label("Melding til innbyggeren").fill("Hei, jeg heter Kari. Hva lurer du på?")
            staff.get_by_role("button", name="Send", exact=True).click()
            from_staff = citizen.locator(".skw-msg-staff", has_text="Hva lurer du på?")
            expect(from_staff).to_have_count(1, timeout=15_000)
            expect(from_staff).to_contain_text("Kari")

            citizen.get_by_label("Skriv meldingen din").fill("Får jeg plass i barnehagen nær jobben min?")
            citizen.keyboard.press("Enter")
            expect(transcript).to_contain_text("Får jeg plass i barnehagen nær jobben min?", timeout=15_000)
            expect(transcript.locator("li.staff")).to_contain_text("Kari (medarbeider)")
            citizen.wait_for_timeout(1500)
            bot_lines = citizen.locator(".skw-msg-bot")
            silent_count = bot_lines.count()

            staff.get_by_label("Melding til innbyggeren").fill("Ja, søk innen fristen og velg den som ønske nummer én.")
            staff.get_by_role("button", name="Send", exact=True).click()
            expect(citizen.locator(".skw-msg-staff")).to_have_count(2, timeout=15_000)
            assert bot_lines.count() == silent_count  # the bot stayed silent during the chat

            citizen.screenshot(path=str(OUTPUT / "citizen-live.png"))
            staff.screenshot(path=str(OUTPUT / "staff-live.png"), full_page=True)
            if AXE.exists():
                citizen.evaluate("document.activeElement.blur()")
                violations = _axe(citizen)
                print("\naxe-core on the widget in a live chat:", _impacts(violations))
                assert [v for v in violations if v["impact"] in ("serious", "critical")] == []

            # Back to the bot: the citizen is told, and the bot answers again.
            staff.get_by_role("button", name="Gi samtalen tilbake til chatboten").click()
            expect(staff.get_by_text("Chatten er over (gitt tilbake til chatboten")).to_be_visible()
            expect(citizen.locator(".skw-msg-bot", has_text="chatboten deg igjen")).to_have_count(1, timeout=15_000)
            _say(citizen, "hvor leverer jeg gamle møbler", "gjenvinning")
            citizen.screenshot(path=str(OUTPUT / "citizen-after.png"))
            staff.reload()
            expect(staff.locator("#transcript")).to_contain_text("Ja, søk innen fristen")
            reference = re.search(r"SK-\d{4}-\d{5}", staff.title() + staff.url)
            assert reference, staff.url
            staff.screenshot(path=str(OUTPUT / "staff-ticket.png"), full_page=True)
        finally:
            browser.close()

    assert staff_problems == [] and citizen_problems == []
    chats = live.list_open_chats(url=stack["database"])
    assert chats == []
