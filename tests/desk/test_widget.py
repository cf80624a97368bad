"""The website chat widget (bot/desk/widget.py, static/widget/): its files over HTTP, and a citizen
using it in headless Chromium against real Rasa, action and desk processes.

The browser tests save screenshots under tests/output/widget/ for a person to look at, and run
axe-core (tests/package.json; `make test` installs it with npm) on the open widget.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import ssl
import subprocess
import threading
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from bot.channels import conversation_ids
from bot.desk.web import CSP, OPEN_PATHS, OPEN_PREFIXES
from bot.desk.widget import TEXTS, demo_csp, origin, tel_href
from bot.kommune import get_kommune
from tests import nginx
from tests.desk.conftest import Desk
from tests.desk.test_browser import CHROMIUM, CHROMIUM_ARGS
from tests.kommune_facts import HOURS, NAME, OFFICE, PHONE, WEBSITE, link
from tests.library_db import prepare_database
from tests.live import free_port, start_actions, start_desk, start_rasa, wait_for

ROOT = Path(__file__).resolve().parents[2]
WIDGET = ROOT / "bot" / "desk" / "static" / "widget"
OUTPUT = ROOT / "tests" / "output" / "widget"
AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
CONFIG = re.compile(r"^window\.SKWidget\.config = (\{.*\});$", re.MULTILINE)
FILES = {
    "/widget.js": "application/javascript",
    "/widget/widget.css": "text/css",
    "/widget/vendor/socket.io.min.js": "application/javascript",
    "/widget/vendor/socket.io.LICENSE": "text/plain",
    "/demo": "text/html",
}


def _config(script: str) -> dict[str, Any]:
    found = CONFIG.search(script)
    assert found, script[:500]
    return json.loads(found.group(1))


# --- over HTTP -------------------------------------------------------------------------------


async def test_the_widget_files_are_open_to_everyone_with_safe_headers(desk: Desk) -> None:
    client = desk.client()
    for path, content_type in FILES.items():
        response = await client.get(path)
        assert response.status == 200, path
        assert response.headers["Content-Type"].startswith(content_type), path
        assert response.headers["X-Content-Type-Options"] == "nosniff", path
        assert "script-src 'self'" in response.headers["Content-Security-Policy"], path
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert "Set-Cookie" not in response.headers, path  # nothing follows a citizen around
        if path != "/demo":
            assert response.headers["Cross-Origin-Resource-Policy"] == "cross-origin", path
            assert response.headers["Cache-Control"].startswith("public, max-age="), path
            again = await client.get(path, headers={"If-None-Match": response.headers["ETag"]})
            assert again.status == 304 and again.text == "", path
    assert (await client.get("/widget/widget.js")).status == 404  # only with its configuration
    # Only the files named in bot/desk/widget.py, never a path into the package.
    for path in ("/widget/vendor/..%2f..%2f..%2fwidget.py", "/widget/vendor/", "/widget/x.css", "/widget/demo.html"):
        response = await client.get(path)
        assert response.status == 404, path
        assert "import" not in response.text and "{%" not in response.text
    # The staff pages are still closed.
    assert (await client.get("/")).status == 302
    assert OPEN_PATHS == {"/widget.js", "/demo", "/health/live", "/health/ready", "/metrics"}
    assert OPEN_PREFIXES == ("/static/", "/widget/")


async def test_the_script_carries_kommune_yml_and_the_bot_address(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    kommune = get_kommune()
    monkeypatch.delenv("BOT_PUBLIC_URL", raising=False)
    script = (await desk.client().get("/widget.js")).text
    config = _config(script)
    assert config["botUrl"] == "http://localhost:5005"
    assert config["phone"] == kommune.phone
    assert config["phoneHref"] == tel_href(kommune.phone)
    assert config["office"] == kommune.office_name and config["kommune"] == kommune.name
    assert config["privacyUrl"] == kommune.links["personvern"]
    assert config["defaultLanguage"] == kommune.default_language
    assert set(config["texts"]) == {"nb", "nn", "en"}
    for language, texts in config["texts"].items():
        assert set(texts) == set(TEXTS["nb"]), language
        assert "{phone}" in texts["unreachable"] and "{office}" in texts["unreachable"]
    assert config["texts"]["nb"]["unreachable"] == "Chatten virker ikke nå. Ring {office} på {phone}."
    assert config["texts"]["nb"]["privacy"] == "Ikke skriv fødselsnummer eller noe om helsen din her."
    assert config["texts"]["nb"]["title"] == f"Chat med {kommune.name}"
    assert script.index("window.SKWidget.config") < script.index("(function () {")  # config first

    monkeypatch.setenv("BOT_PUBLIC_URL", "https://bot.example.no/")
    assert _config((await desk.client().get("/widget.js")).text)["botUrl"] == "https://bot.example.no"


def test_the_widget_never_puts_message_text_into_html() -> None:
    source = (WIDGET / "widget.js").read_text(encoding="utf-8")
    source = re.sub(r"^\s*//.*$", "", re.sub(r"/\*.*?\*/", "", source, flags=re.S), flags=re.M)  # code only
    for forbidden in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "localStorage"):
        assert forbidden not in source, forbidden
    assert "sessionStorage" in source and "textContent" in source
    css = re.sub(r"/\*.*?\*/", "", (WIDGET / "widget.css").read_text(encoding="utf-8"), flags=re.S)
    rules = re.sub(r"@[^{;]+\{", "", css)  # the rules inside @media, @supports and @keyframes
    selectors = [s.strip() for block in re.findall(r"([^{}]+)\{", rules) for s in re.split(r",(?![^()]*\))", block)]
    selectors = [s for s in selectors if not re.fullmatch(r"[\d%]+", s)]  # keyframe steps
    assert len(selectors) > 40 and [s for s in selectors if not s.startswith(".skw-root")] == []
    assert "@keyframes skw-" in css and "prefers-reduced-motion" in css
    # Sizes in rem, so the text can grow; pixels only for the width of lines (and the 1 px box
    # that hides text for screen readers).
    sized = re.sub(r"\.skw-root \.skw-sr \{[^}]*\}", "", css)
    declarations = re.findall(r"([a-z-]+)\s*:\s*([^;{}]+);", sized)
    in_pixels = {prop for prop, value in declarations if re.search(r"\dp[xt]\b", value)}
    assert in_pixels and all(re.fullmatch(r"(border|outline|text-decoration)(-[a-z]+)*", prop) for prop in in_pixels), (
        in_pixels
    )
    vendor = (WIDGET / "vendor" / "socket.io.min.js").read_text(encoding="utf-8")
    assert vendor.startswith("/*!\n * Socket.IO v4.")
    assert "MIT License" in (WIDGET / "vendor" / "socket.io.LICENSE").read_text(encoding="utf-8")
    node = shutil.which("node")
    if node:
        subprocess.run([node, "--check", str(WIDGET / "widget.js")], check=True)


async def test_the_demo_page_embeds_the_widget_with_one_tag(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    kommune = get_kommune()
    monkeypatch.setenv("BOT_PUBLIC_URL", "https://bot.example.no")
    response = await desk.client().get("/demo")
    page = response.text
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert scripts == ['<script src="/widget.js" async>']
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page) and not re.search(r"\son[a-z]+\s*=", page)
    assert "<style" not in page and "style=" not in page
    assert f'<html lang="{kommune.default_language}">' in page
    assert kommune.name in page and kommune.office_name in page and kommune.visiting_address in page
    assert f'<a href="{tel_href(kommune.phone)}">{kommune.phone}</a>' in page
    assert "&lt;script src=&#34;http://127.0.0.1:" in page  # the tag to copy, shown as text
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["connect-src"] == "'self' https://bot.example.no wss://bot.example.no"
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["default-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe" not in csp


def test_helpers() -> None:
    assert tel_href("51 33 50 00") == "tel:+4751335000"
    assert tel_href("+47 22 00 00 00") == "tel:+4722000000"
    assert origin("http://localhost:5005/") == "http://localhost:5005"
    assert origin("https://bot.example.no/sti?x=1") == "https://bot.example.no"
    assert origin("javascript:alert(1)") is None and origin("ftp://x") is None
    # The desk's own policy, plus connecting to the bot.
    assert demo_csp("http://127.0.0.1:5") == f"{CSP}; connect-src 'self' http://127.0.0.1:5 ws://127.0.0.1:5"
    assert demo_csp("ikke en adresse") == f"{CSP}; connect-src 'self'"


# --- in the browser ----------------------------------------------------------------------------

needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="Debian chromium is not installed (.ci/run installs it)"
)
# A municipality's own site on another origin, served by Playwright itself. Chromium lets a page
# load from 127.0.0.1 (the desk, the bot) only with the "local-network-access" permission.
HOST_PAGE = f"http://localhost:{free_port()}/"
# Records every chat message added to a page that was already showing the widget: a redrawn
# history must not be among them, or screen readers would read it all again.
WATCH_MESSAGES = """
window.__skwAdded = [];
new MutationObserver((records) => {
  for (const record of records) for (const node of record.addedNodes) {
    if (node.nodeType === 1 && node.matches('.skw-msg') && node.isConnected) window.__skwAdded.push(node.textContent);
  }
}).observe(document, {childList: true, subtree: true});
"""


@pytest.fixture(scope="module")
def stack(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """Rasa, the action server and the desk, with the widget pointed at this Rasa."""
    tmp = tmp_path_factory.mktemp("widget-live")
    database = f"sqlite:///{tmp / 'widget.db'}"
    prepare_database(database)
    ports = {name: free_port() for name in ("actions", "rasa", "desk")}
    bot = f"http://127.0.0.1:{ports['rasa']}"
    processes = {
        "actions": start_actions(ports["actions"], database, tmp),
        "rasa": start_rasa(ports["rasa"], ports["actions"], database, model_path, tmp),
        "desk": start_desk(ports["desk"], database, tmp, BOT_PUBLIC_URL=bot),
    }
    try:
        wait_for(f"http://127.0.0.1:{ports['actions']}/health", processes["actions"])
        wait_for(f"http://127.0.0.1:{ports['desk']}/demo", processes["desk"])
        wait_for(f"{bot}/webhooks/rest/", processes["rasa"])
        yield {"ports": ports, "database": database, "bot": bot, "desk": f"http://127.0.0.1:{ports['desk']}"}
    finally:
        for process in processes.values():
            process.stop()


@pytest.fixture(scope="module")
def nginx_stack(model_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict]:
    """The same three processes behind nginx with the deployment's site (deploy/nginx), over https."""
    if not nginx.available():
        pytest.skip("Debian nginx is not installed (.ci/run installs it)")
    tmp = tmp_path_factory.mktemp("widget-nginx")
    database = f"sqlite:///{tmp / 'widget.db'}"
    prepare_database(database)
    ports = {name: free_port() for name in ("actions", "rasa", "desk")}
    front = nginx.start(ports["rasa"], ports["desk"], tmp / "nginx")
    behind_proxy = {"TRUSTED_PROXIES": "127.0.0.1"}
    processes = {
        "actions": start_actions(ports["actions"], database, tmp),
        "rasa": start_rasa(ports["rasa"], ports["actions"], database, model_path, tmp, **behind_proxy),
        "desk": start_desk(ports["desk"], database, tmp, BOT_PUBLIC_URL=front.url, **behind_proxy),
    }
    try:
        wait_for(f"http://127.0.0.1:{ports['actions']}/health", processes["actions"])
        wait_for(f"http://127.0.0.1:{ports['desk']}/demo", processes["desk"])
        wait_for(f"http://127.0.0.1:{ports['rasa']}/webhooks/rest/", processes["rasa"])
        yield {"ports": ports, "database": database, "bot": front.url, "desk": front.url, "nginx": front}
    finally:
        for process in processes.values():
            process.stop()
        front.stop()


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("Debian chromium is not installed (.ci/run installs it)")
    from playwright.sync_api import sync_playwright

    OUTPUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        # The nginx tests' certificate is self-signed.
        args = [*CHROMIUM_ARGS, "--ignore-certificate-errors"]
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            yield browser
        finally:
            browser.close()


def _watch(page: Any) -> list[str]:
    """Script errors and Content-Security-Policy violations on the page."""
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    return problems


# What a municipality's own stylesheet may well say about elements the widget uses too.
HOST_STYLES = (
    "body { font: 20px/2 Georgia, serif; color: #333; } h2 { font-size: 3rem; margin: 2rem; color: #c00; } "
    "p, li { margin: 1.5rem 0; } ol { list-style: upper-roman; padding-left: 3rem; } a { color: #c00; } "
    "button { text-transform: uppercase; background: #c00; color: #fff; border: 0; border-radius: 0; "
    "padding: 1.5rem; width: 100%; } textarea { height: 10rem; } label { display: none; } "
    "div { padding: 1rem; } span { font-style: italic; }"
)


def _host_context(chromium: Any, desk: str, attributes: str = "", lang: str = "nb", **options: Any) -> Any:
    """A browser context whose HOST_PAGE embeds the widget with the one tag."""
    body = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8"><title>Kommunen</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<script src="{desk}/widget.js" {attributes} async></script>'
        f"<style>{HOST_STYLES}</style></head>"
        "<body><main><h1>Kommunens nettside</h1><p>Hei.</p></main></body></html>"
    )
    options.setdefault("viewport", {"width": 1280, "height": 900})
    context = chromium.new_context(permissions=["local-network-access"], **options)
    context.route(
        f"{HOST_PAGE}**", lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8", body=body)
    )
    return context


def _say(page: Any, text: str, answer: str) -> None:
    from playwright.sync_api import expect

    answers = page.locator(".skw-msg-bot", has_text=answer)
    before = answers.count()
    page.get_by_label("Skriv meldingen din").fill(text)
    page.keyboard.press("Enter")
    expect(page.locator(".skw-msg-user").last).to_have_text(f"Du: {text}")
    expect(answers).to_have_count(before + 1, timeout=30_000)
    expect(page.locator(".skw-typing")).to_be_hidden(timeout=30_000)  # the bot has said all it will


def _stored(page: Any, bot: str) -> dict[str, Any]:
    return json.loads(page.evaluate("(key) => sessionStorage.getItem(key)", f"skw:{bot}"))


def _no_sideways_scroll(page: Any) -> None:
    widths = page.evaluate(
        """() => {
          const panel = document.querySelector('.skw-panel'), log = document.querySelector('.skw-log');
          return {page: document.documentElement.scrollWidth, view: window.innerWidth,
                  panel: panel.scrollWidth - panel.clientWidth, log: log.scrollWidth - log.clientWidth};
        }"""
    )
    assert widths["page"] <= widths["view"] and widths["panel"] <= 0 and widths["log"] <= 0, widths


def _inside_viewport(page: Any, *locators: Any) -> None:
    size = page.viewport_size
    for locator in locators:
        box = locator.bounding_box()
        assert box and box["x"] >= 0 and box["y"] >= 0, (locator, box)
        assert box["x"] + box["width"] <= size["width"] + 0.5 and box["y"] + box["height"] <= size["height"] + 0.5


@needs_chromium
@pytest.mark.parametrize("front", ["direct", "nginx"])
def test_a_citizen_chats_on_the_demo_page(front: str, request: pytest.FixtureRequest, chromium: Any) -> None:
    """Keyboard, greeting, two questions, reload and navigation mid-form, quick replies, a ticket;
    straight to the processes, and through nginx with the deployment's site as citizens meet it."""
    import sqlalchemy as sa
    from playwright.sync_api import expect

    stack = request.getfixturevalue("stack" if front == "direct" else "nginx_stack")

    desk, bot = stack["desk"], stack["bot"]
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    context.add_init_script(WATCH_MESSAGES)
    page = context.new_page()
    problems = _watch(page)
    try:
        page.goto(f"{desk}/demo")
        launcher = page.get_by_role("button", name="Chat med oss")
        expect(launcher).to_have_attribute("aria-expanded", "false")
        dialog = page.get_by_role("dialog", name=f"Chat med {NAME}")
        expect(dialog).to_be_hidden()

        # Open by keyboard (the launcher is the page's last stop); the greeting comes by itself.
        page.keyboard.press("Shift+Tab")
        expect(launcher).to_be_focused()
        outline = page.evaluate(
            "(({outlineStyle, outlineWidth}) => outlineStyle + ' ' + outlineWidth)"
            "(getComputedStyle(document.activeElement))"
        )
        assert outline == "solid 3px", outline  # a visible focus ring
        page.keyboard.press("Enter")
        expect(dialog).to_be_visible()
        expect(dialog).to_have_attribute("lang", "nb")
        message_field = page.get_by_label("Skriv meldingen din")
        expect(message_field).to_be_focused()
        log = page.get_by_role("log", name="Samtalen")
        expect(log).to_have_attribute("aria-live", "polite")
        expect(log).to_contain_text(f"Hei! Jeg er chatboten til {NAME}", timeout=30_000)
        expect(page.locator(".skw-msg-user")).to_have_count(0)
        privacy = dialog.locator(".skw-privacy")
        expect(privacy).to_contain_text("Ikke skriv fødselsnummer eller noe om helsen din her.")
        expect(privacy.get_by_role("link", name="Les om personvern")).to_have_attribute("href", link("personvern"))
        session = _stored(page, bot)["sessionId"]
        assert conversation_ids.verified(session) == session  # the id the server issued

        _say(page, "Når er dere åpne?", f"har åpent {HOURS['nb']}")
        website = page.locator(".skw-msg-bot", has_text=HOURS["nb"]).last.get_by_role("link", name=WEBSITE)
        expect(website).to_have_attribute("href", WEBSITE + ("/" if not urlsplit(WEBSITE).path else ""))
        expect(website).to_have_attribute("target", "_blank")
        expect(website).to_have_attribute("rel", "noopener noreferrer")
        _say(page, "hvordan søker jeg barnehageplass", "barnehageplass")
        answer = page.locator(".skw-msg-bot", has_text="barnehageplass").last
        expect(answer.get_by_role("link")).to_have_attribute("href", link("barnehageopptak"))
        # After each answer from the library: «Fikk du svar …?» with 👍 / 👎, one tap.
        asked = page.locator(".skw-msg-bot").last
        expect(asked).to_contain_text("Fikk du svar på det du lurte på?")
        expect(asked.locator(".skw-choices").get_by_role("button")).to_have_text(["👍 Ja", "👎 Nei"])
        expect(page.locator(".skw-msg-bot", has_text="Fikk du svar")).to_have_count(2)
        expect(page.locator(".skw-choices")).to_have_count(1)  # only under the latest message
        # greeting, then twice: question, answer, «Fikk du svar …?»
        assert len(page.evaluate("window.__skwAdded")) == 7
        asked.get_by_role("button", name="👍 Ja").click()
        expect(page.locator(".skw-msg-user").last).to_have_text("Du: 👍 Ja")
        expect(page.locator(".skw-msg-bot").last).to_contain_text("Takk for at du sa fra!", timeout=30_000)
        dots = "getComputedStyle(document.querySelector('.skw-dot')).animationName"
        assert page.evaluate(dots) == "skw-bounce"
        page.emulate_media(reduced_motion="reduce")
        assert page.evaluate(dots) == "none"  # the dots stand still
        page.emulate_media(reduced_motion="no-preference")
        page.screenshot(path=str(OUTPUT / "desktop.png"))

        # Escape closes and gives the focus back to the launcher; Enter opens again.
        page.keyboard.press("Escape")
        expect(dialog).to_be_hidden()
        expect(launcher).to_be_focused()
        expect(launcher).to_have_attribute("aria-expanded", "false")
        page.keyboard.press("Enter")
        expect(message_field).to_be_focused()

        # "Talk to a person" starts the ticket form; reload in the middle of it.
        dialog.get_by_role("button", name="Snakk med en person").click()
        expect(page.locator(".skw-msg-user").last).to_have_text("Du: Snakk med en person")
        expect(page.locator(".skw-msg-bot").last).to_contain_text("Hva gjelder saken", timeout=30_000)
        _say(page, "Søppeldunken min ble ikke tømt i dag", "Hva heter du")
        shown = page.locator(".skw-msg").all_inner_texts()

        page.reload()
        expect(dialog).to_be_visible()  # it was open: it stays open, with the whole conversation
        expect(page.locator(".skw-msg")).to_have_count(len(shown))
        assert page.locator(".skw-msg").all_inner_texts() == shown
        assert page.evaluate("window.__skwAdded") == []  # drawn before it was live: not read out again
        assert _stored(page, bot)["sessionId"] == session
        expect(page.locator(".skw-msg-user")).to_have_count(5)  # no second greeting either
        _say(page, "Kari Nordmann", "Hvordan kan vi nå deg")  # the form goes on: same conversation

        page.goto(f"{desk}/demo")  # another page of the same site
        expect(page.locator(".skw-msg")).to_have_count(len(shown) + 2)
        _say(page, "912 34 567", "Er det greit")
        choices = page.locator(".skw-msg-bot").last.locator(".skw-choices")
        expect(choices.get_by_role("button")).to_have_text(["Ja, send", "Endre", "Nei, ikke send"])
        page.screenshot(path=str(OUTPUT / "desktop-buttons.png"))
        choices.get_by_role("button", name="Ja, send").click()
        expect(page.locator(".skw-msg-user").last).to_have_text("Du: Ja, send")
        expect(page.locator(".skw-choices")).to_have_count(0)  # answered
        expect(page.locator(".skw-msg-bot").last).to_contain_text("Saken din har nummer", timeout=30_000)
        reference = re.search(r"SK-\d{4}-\d{5}", page.locator(".skw-msg-bot").last.inner_text()).group()
        assert _stored(page, bot)["sessionId"] == session

        engine = sa.create_engine(stack["database"])
        try:
            with engine.connect() as connection:
                ticket = connection.execute(
                    sa.text("SELECT conversation_id, channel, contact_name FROM sk_tickets WHERE reference = :r"),
                    {"r": reference},
                ).one()
                said = connection.execute(
                    sa.text("SELECT data FROM events WHERE sender_id = :s AND type_name = 'user' ORDER BY id"),
                    {"s": session},
                ).scalars()
                said = [json.loads(row)["text"] for row in said]
        finally:
            engine.dispose()
        assert tuple(ticket) == (session, "socketio", "Kari Nordmann")
        assert said[:3] == ["/greet", "Når er dere åpne?", "hvordan søker jeg barnehageplass"]
        vote = json.loads(said[3].removeprefix("/feedback"))
        assert vote == {"feedback_vote": "up", "feedback_answer": "faq/kindergarten_apply"}
        assert "Kari Nordmann" in said and "/affirm" in said

        # 320 px wide: the panel takes the whole width and nothing scrolls sideways.
        page.set_viewport_size({"width": 320, "height": 640})
        box = dialog.bounding_box()
        assert box["x"] == 0 and box["width"] == 320, box
        _no_sideways_scroll(page)
        _inside_viewport(page, message_field, dialog.get_by_role("button", name="Send", exact=True))
        page.screenshot(path=str(OUTPUT / "mobile-320.png"))

        # 200 % zoom: 1280 × 900 at 200 % is 640 × 450 CSS pixels; and text alone at 200 %.
        page.set_viewport_size({"width": 640, "height": 450})
        _no_sideways_scroll(page)
        _inside_viewport(page, message_field, dialog.get_by_role("button", name="Send", exact=True))
        page.set_viewport_size({"width": 1280, "height": 900})
        page.evaluate("document.documentElement.style.fontSize = '200%'")
        _no_sideways_scroll(page)
        human = dialog.get_by_role("button", name="Snakk med en person")
        _inside_viewport(page, message_field, dialog.get_by_role("button", name="Send", exact=True), human)
        assert page.evaluate("parseFloat(getComputedStyle(document.querySelector('.skw-bubble')).fontSize)") == 32
        page.screenshot(path=str(OUTPUT / "text-200.png"))
    finally:
        context.close()
    assert problems == []  # no script errors, no Content-Security-Policy violations
    if front == "nginx":  # the widget speaks WebSocket only: nginx upgraded the connection
        assert re.search(r'"GET /socket\.io/\?[^"]*transport=websocket[^"]*" 101 ', stack["nginx"].access_log)
        # The demo page's line to paste names the address citizens use: https, with its port.
        with urllib.request.urlopen(f"{desk}/demo", context=ssl._create_unverified_context()) as answer:
            assert f"{desk}/widget.js" in answer.read().decode("utf-8")


@needs_chromium
def test_the_widgets_own_texts_follow_the_conversations_language(stack: dict, chromium: Any) -> None:
    """A page in bokmål, a citizen who writes English, then nynorsk: the button and labels follow."""
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    page = context.new_page()
    problems = _watch(page)
    try:
        page.goto(f"{stack['desk']}/demo")
        page.get_by_role("button", name="Chat med oss").click()
        dialog = page.get_by_role("dialog", name=f"Chat med {NAME}")
        expect(dialog).to_have_attribute("lang", "nb")
        expect(page.get_by_role("button", name="Snakk med en person")).to_be_visible()
        expect(page.locator(".skw-msg-bot").first).to_be_visible(timeout=30_000)  # the greeting

        page.get_by_label("Skriv meldingen din").fill("What are your opening hours?")
        page.keyboard.press("Enter")
        expect(page.locator(".skw-msg-bot", has_text="is open")).to_have_count(1, timeout=30_000)
        dialog = page.get_by_role("dialog", name=f"Chat with {NAME}")
        expect(dialog).to_have_attribute("lang", "en")
        expect(page.get_by_role("button", name="Talk to a person")).to_be_visible()
        expect(page.get_by_label("Write your message")).to_be_visible()
        expect(dialog.locator(".skw-privacy")).to_contain_text("Do not write your national ID number")
        page.screenshot(path=str(OUTPUT / "language-en.png"))

        page.reload()  # the language is kept for the rest of the conversation
        if not page.get_by_role("dialog").is_visible():
            page.get_by_role("button", name="Chat with us").click()
        expect(page.get_by_role("button", name="Talk to a person")).to_be_visible()
        assert _stored(page, stack["bot"])["lang"] == "en"

        page.get_by_label("Write your message").fill("kva tid har de ope på servicekontoret?")
        page.keyboard.press("Enter")
        expect(page.get_by_role("button", name="Snakk med ein person")).to_be_visible(timeout=30_000)
        expect(page.get_by_label("Skriv meldinga di")).to_be_visible()
        expect(page.get_by_role("dialog", name=f"Chat med {NAME}")).to_have_attribute("lang", "nn")
        page.screenshot(path=str(OUTPUT / "language-nn.png"))
        assert problems == []
    finally:
        context.close()


@needs_chromium
def test_the_open_widget_has_no_serious_accessibility_faults(stack: dict, chromium: Any) -> None:
    if not AXE.exists():
        pytest.skip("axe-core is not installed: run `npm ci --prefix tests` (make test does)")
    from playwright.sync_api import expect

    # bypass_csp lets the test put axe into the page; the widget itself needs no exception.
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO", bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{stack['desk']}/demo")
        page.get_by_role("button", name="Chat med oss").click()
        expect(page.locator(".skw-msg-bot")).to_have_count(1, timeout=30_000)
        _say(page, "jeg vil snakke med en person", "Hva gjelder saken")
        _say(page, "Gatelyset utenfor huset er ødelagt", "Hva heter du")
        _say(page, "Ola Nordmann", "Hvordan kan vi nå deg")
        _say(page, "ola@example.no", "Er det greit")
        page.evaluate("document.activeElement.blur()")
        results = {}
        for name, width in (("desktop", 1280), ("320", 320)):
            page.set_viewport_size({"width": width, "height": 900})
            results[name] = _axe(page)
        print(
            "\naxe-core",
            json.loads(AXE.with_name("package.json").read_text())["version"],
            "on the open widget:",
            {name: _impacts(violations) for name, violations in results.items()},
        )
        for name, violations in results.items():
            serious = [v for v in violations if v["impact"] in ("serious", "critical")]
            assert serious == [], (name, serious)
    finally:
        context.close()


def _axe(page: Any) -> list[dict]:
    page.add_script_tag(content=AXE.read_text(encoding="utf-8"))
    return page.evaluate(
        """async () => {
          const result = await axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}});
          return result.violations.map((v) => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map((n) => n.target.join(' ')).slice(0, 5)}));
        }"""
    )


def _impacts(violations: list[dict]) -> dict[str, list[str]]:
    """{"moderate": ["region ×1: .demo-banner"], ...}: what axe found, by impact."""
    found: dict[str, list[str]] = {}
    for violation in violations:
        found.setdefault(violation["impact"], []).append(
            f"{violation['id']} ×{len(violation['nodes'])}: {', '.join(violation['nodes'])}"
        )
    return found


@needs_chromium
def test_an_unreachable_bot_gives_the_phone_number(stack: dict, chromium: Any) -> None:
    from playwright.sync_api import expect

    closed = free_port()  # nothing listens here
    attributes = f'data-bot-url="http://127.0.0.1:{closed}" data-lang="nb"'
    context = _host_context(chromium, stack["desk"], attributes, lang="en", locale="nb-NO")
    page = context.new_page()
    try:
        page.goto(HOST_PAGE)
        page.get_by_role("button", name="Chat med oss").click()  # data-lang wins over the page's English
        notice = page.get_by_role("alert")
        expect(notice).to_have_text(f"Chatten virker ikke nå. Ring {OFFICE} på {PHONE}.")
        expect(notice.get_by_role("link", name=PHONE)).to_have_attribute("href", tel_href(PHONE))
        field = page.get_by_label("Skriv meldingen din")
        field.fill("Når tømmes søpla?")
        page.keyboard.press("Enter")
        expect(field).to_have_value("Når tømmes søpla?")  # kept, to send when the chat works again
        expect(page.locator(".skw-msg")).to_have_count(0)
        page.screenshot(path=str(OUTPUT / "unreachable.png"))
        if AXE.exists():  # the host page has no CSP of its own, so axe goes straight in
            violations = _axe(page)
            print("\naxe-core with the notice:", _impacts(violations))
            assert [v for v in violations if v["impact"] in ("serious", "critical")] == []
        page.set_viewport_size({"width": 320, "height": 640})
        page.screenshot(path=str(OUTPUT / "unreachable-320.png"))
    finally:
        context.close()

    # Nynorsk from the page's own lang attribute.
    context = _host_context(chromium, stack["desk"], f'data-bot-url="http://127.0.0.1:{closed}"', lang="nn-NO")
    page = context.new_page()
    try:
        page.goto(HOST_PAGE)
        expect(page.get_by_role("button", name="Chat med oss")).to_be_visible()
        page.evaluate("window.SKWidget.open()")
        expect(page.get_by_role("dialog")).to_have_attribute("lang", "nn")
        expect(page.get_by_role("alert")).to_have_text(f"Chatten verkar ikkje no. Ring {OFFICE} på {PHONE}.")
        expect(page.get_by_label("Skriv meldinga di")).to_be_visible()
        expect(page.get_by_role("button", name="Snakk med ein person")).to_be_visible()
    finally:
        context.close()


def _with_check_digits(individual: int) -> str:
    """A fødselsnummer for 1 January 1990 (valid unless a check digit came out as 10)."""
    from stdnum.no import fodselsnummer

    base = f"010190{individual:03d}"
    first = fodselsnummer.calc_check_digit1(base)
    return base + first + fodselsnummer.calc_check_digit2(base + first)


class FakeBot:
    """A stand-in for Rasa's Socket.IO channel (python-socketio on aiohttp, in a thread), for what
    the real bot does not do on demand: a staff member's message, hostile text, a late start."""

    def __init__(self) -> None:
        import socketio

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.received: list[dict] = []
        self.sio = socketio.AsyncServer(async_mode="aiohttp", cors_allowed_origins="*")
        self.loop: asyncio.AbstractEventLoop | None = None
        self._ready = threading.Event()
        self._stop: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self.sio.on("session_request", self._session_request)
        self.sio.on("user_uttered", self._user_uttered)

    async def _session_request(self, sid: str, data: dict | None) -> None:
        session = (data or {}).get("session_id") or uuid.uuid4().hex
        self.sio.enter_room(sid, session)
        await self.sio.emit("session_confirm", session, room=sid)

    async def _user_uttered(self, sid: str, data: dict) -> None:
        self.received.append(data)
        if data.get("message") == "stille":  # no answer and no acknowledgement until it stops
            await self._stop.wait()  # type: ignore[union-attr]
            return
        replies = {
            "/greet": [{"text": "Hei fra testboten."}],
            "farlig": [
                {"text": '<img src=x onerror="window.pwned=1"> javascript:alert(1) og https://example.org/side.'},
                {
                    "text": "Velg en:",
                    "quick_replies": [
                        {"content_type": "text", "title": "<b>Alfa</b>", "payload": "/alfa"},
                        {"title": "Lenke", "type": "web_url", "payload": "javascript:alert(1)"},
                    ],
                },
                {"attachment": {"type": "image", "payload": {"src": "javascript:alert(1)"}}},
            ],
        }.get(data.get("message"), [{"text": "Det forstod jeg."}])
        for reply in replies:
            await self.sio.emit("bot_uttered", reply, room=data["session_id"])

    def push(self, session: str, payload: dict) -> None:
        assert self.loop is not None
        asyncio.run_coroutine_threadsafe(self.sio.emit("bot_uttered", payload, room=session), self.loop).result(10)

    def start(self) -> None:
        self._thread = threading.Thread(target=lambda: asyncio.run(self._serve()), daemon=True)
        self._thread.start()
        assert self._ready.wait(10)

    async def _serve(self) -> None:
        from aiohttp import web

        self.loop = asyncio.get_running_loop()
        self._stop = asyncio.Event()
        app = web.Application()
        self.sio.attach(app)
        runner = web.AppRunner(app)
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", self.port).start()
        self._ready.set()
        await self._stop.wait()
        await self.sio.eio.shutdown()
        await runner.cleanup()

    def stop(self) -> None:
        if self.loop is not None and self._thread is not None:
            self.loop.call_soon_threadsafe(self._stop.set)  # type: ignore[union-attr]
            self._thread.join(10)


@needs_chromium
def test_staff_messages_hostile_text_and_a_late_bot(stack: dict, chromium: Any) -> None:
    from playwright.sync_api import expect
    from stdnum.no import fodselsnummer

    fake = FakeBot()  # not started yet: the widget must keep trying
    context = _host_context(chromium, stack["desk"], f'data-bot-url="{fake.url}"', locale="nb-NO")
    page = context.new_page()
    page.clock.install()  # time runs as usual until the test moves it on
    problems = _watch(page)
    try:
        page.goto(HOST_PAGE)
        page.get_by_role("button", name="Chat med oss").click()
        notice = page.get_by_role("alert")
        expect(notice).to_be_visible()
        fake.start()
        expect(notice).to_be_hidden(timeout=20_000)  # reconnected in the background
        expect(page.locator(".skw-msg-bot")).to_have_text(["Chatboten: Hei fra testboten."])
        assert page.evaluate("typeof window.io") == "undefined"  # socket.io-client left no global behind

        page.get_by_label("Skriv meldingen din").fill("farlig")
        page.keyboard.press("Enter")
        expect(page.locator(".skw-msg-bot")).to_have_count(3)
        first = page.locator(".skw-msg-bot").nth(1)
        expect(first).to_contain_text('<img src=x onerror="window.pwned=1"> javascript:alert(1) og')
        expect(first.get_by_role("link")).to_have_count(1)
        expect(first.get_by_role("link")).to_have_attribute("href", "https://example.org/side")
        expect(page.locator(".skw-root img")).to_have_count(0)
        expect(page.locator('.skw-root a[href^="javascript"], .skw-root b')).to_have_count(0)
        buttons = page.locator(".skw-choices button")
        expect(buttons).to_have_text(["<b>Alfa</b>", "Lenke"])  # an unsafe link is only a button
        buttons.first.click()
        expect(page.locator(".skw-msg-user").last).to_have_text("Du: <b>Alfa</b>")
        expect(page.locator(".skw-msg-bot").last).to_have_text("Chatboten: Det forstod jeg.")
        assert [m["message"] for m in fake.received] == ["/greet", "farlig", "/alfa"]
        assert page.evaluate("window.pwned") is None

        # A national ID number never stays in the tab's history (the server masks its own copy).
        id_number = next(n for n in map(_with_check_digits, range(100, 200)) if fodselsnummer.is_valid(n))
        page.get_by_label("Skriv meldingen din").fill(f"Nummeret mitt er {id_number[:6]} {id_number[6:]}.")
        page.keyboard.press("Enter")
        expect(page.locator(".skw-msg-user").last).to_have_text("Du: Nummeret mitt er [fødselsnummer fjernet].")
        expect(page.locator(".skw-msg-bot").last).to_have_text("Chatboten: Det forstod jeg.")
        assert fake.received[-1]["message"] == f"Nummeret mitt er {id_number[:6]} {id_number[6:]}."
        stored = page.evaluate("JSON.stringify(sessionStorage)")
        assert id_number[6:] not in stored and "fødselsnummer fjernet" in stored

        # A staff member writes in a live chat, also while the panel is closed.
        session = _stored(page, fake.url)["sessionId"]
        assert all(m["session_id"] == session for m in fake.received)
        page.keyboard.press("Escape")
        fake.push(
            session, {"text": "Hei, jeg heter Kari og ser på saken din.", "sender": "staff", "sender_name": "Kari"}
        )
        launcher = page.get_by_role("button", name="Chat med oss (ny melding)")
        expect(launcher).to_be_visible()
        launcher.click()
        staff = page.locator(".skw-msg-staff")
        expect(staff.locator(".skw-who")).to_have_text(f"Kari, {OFFICE}")
        expect(staff.locator(".skw-bubble")).to_have_text("Hei, jeg heter Kari og ser på saken din.")
        page.screenshot(path=str(OUTPUT / "staff.png"))
        # The page's own styles for buttons, headings and labels do not reach into the widget.
        styles = page.evaluate(
            """() => [['.skw-launcher', 'textTransform'], ['.skw-title', 'fontSize'], ['.skw-label', 'display'],
                     ['.skw-send', 'backgroundColor'], ['.skw-list', 'listStyleType'], ['.skw-log', 'paddingTop']]
              .map(([selector, property]) => getComputedStyle(document.querySelector(selector))[property])"""
        )
        assert styles == ["none", "17.6px", "block", "rgb(11, 79, 138)", "none", "12px"], styles

        # The bot takes the message but says nothing for 20 s: the notice, and the text to send again.
        field = page.get_by_label("Skriv meldingen din")
        field.fill("stille")
        page.keyboard.press("Enter")
        expect(page.locator(".skw-msg-user").last).to_have_text("Du: stille")
        expect(page.locator(".skw-typing")).to_be_visible()
        expect(field).to_have_value("")
        page.clock.fast_forward(19_000)
        expect(notice).to_be_hidden()
        page.clock.fast_forward(2_000)
        expect(notice).to_have_text(f"Chatten virker ikke nå. Ring {OFFICE} på {PHONE}.")
        expect(page.locator(".skw-msg-user").last).to_have_text("Du: stilleIkke sendt")
        expect(field).to_have_value("stille")
        expect(page.locator(".skw-typing")).to_be_hidden()
        page.screenshot(path=str(OUTPUT / "no-answer.png"))
        field.fill("hallo igjen")
        page.keyboard.press("Enter")
        expect(page.locator(".skw-msg-bot").last).to_have_text("Chatboten: Det forstod jeg.")
        expect(notice).to_be_hidden()  # it answers again
    finally:
        context.close()
        fake.stop()
    assert problems == [] or all("ERR_CONNECTION_REFUSED" in p or "WebSocket" in p for p in problems), problems
