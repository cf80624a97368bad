"""The website chat widget: what a municipality's web pages load to talk to the bot.

A page embeds one tag, `<script src="https://<desk>/widget.js" async></script>`. The desk serves:

- `/widget.js`: `static/widget/widget.js` with its configuration put in front (the bot's address
  from `BOT_PUBLIC_URL`, the office's name, phone and privacy page from `kommune.yml`, the texts
  in bokmål, nynorsk and English);
- `/widget/widget.css` and `/widget/vendor/socket.io.min.js` (socket.io-client 4.7.5, MIT), which
  the script loads itself, the socket.io client only when the chat is opened or a conversation
  is going on;
- `/demo`: a page shaped like a municipality's front page that embeds the widget with that tag.

The browser talks to Rasa's Socket.IO channel (`credentials.yml`) directly; the desk only hands
out files. No route here needs a login or sets a cookie (`OPEN_PATHS`, `OPEN_PREFIXES` in web.py).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import phonenumbers
from sanic import Blueprint, Request
from sanic.exceptions import NotFound
from sanic.response import HTTPResponse, raw

from bot import proxies
from bot.desk.web import CSP, Route, render, routes_blueprint
from bot.kommune import Kommune, get_kommune
from bot.settings import get_settings

HERE = Path(__file__).resolve().parent
WIDGET_DIR = HERE / "static" / "widget"
SOCKET_IO_VERSION = "4.7.5"

# How long browsers may keep the files. The script carries the configuration, so it is short;
# the script asks for the other files with a version in the address.
SCRIPT_CACHE = "public, max-age=300"
ASSET_CACHE = "public, max-age=86400"

ASSETS = {
    "/widget/widget.css": ("widget.css", "text/css; charset=utf-8"),
    "/widget/demo.css": ("demo.css", "text/css; charset=utf-8"),
    "/widget/vendor/socket.io.min.js": ("vendor/socket.io.min.js", "application/javascript; charset=utf-8"),
    "/widget/vendor/socket.io.LICENSE": ("vendor/socket.io.LICENSE", "text/plain; charset=utf-8"),
}

# Everything the widget says itself; the bot's answers come from domain.yml. `{phone}` becomes a
# tel: link in the browser. Clear language: short, "du", the next step first.
TEXTS: dict[str, dict[str, str]] = {
    "nb": {
        "launcher": "Chat med oss",
        "title": "Chat med {kommune}",
        "close": "Lukk chatten",
        "privacy": "Ikke skriv fødselsnummer eller noe om helsen din her.",
        "privacyLink": "Les om personvern",
        "log": "Samtalen",
        "you": "Du",
        "bot": "Chatboten",
        "staff": "{name}, {office}",
        "label": "Skriv meldingen din",
        "send": "Send",
        "human": "Snakk med en person",
        "unreachable": "Chatten virker ikke nå. Ring {office} på {phone}.",
        "notSent": "Ikke sendt",
        "newTab": "(åpnes i ny fane)",
        "newMessage": "ny melding",
        "idMasked": "[fødselsnummer fjernet]",
    },
    "nn": {
        "launcher": "Chat med oss",
        "title": "Chat med {kommune}",
        "close": "Lukk chatten",
        "privacy": "Ikkje skriv fødselsnummer eller noko om helsa di her.",
        "privacyLink": "Les om personvern",
        "log": "Samtalen",
        "you": "Du",
        "bot": "Chatboten",
        "staff": "{name}, {office}",
        "label": "Skriv meldinga di",
        "send": "Send",
        "human": "Snakk med ein person",
        "unreachable": "Chatten verkar ikkje no. Ring {office} på {phone}.",
        "notSent": "Ikkje sendt",
        "newTab": "(opnar i ny fane)",
        "newMessage": "ny melding",
        "idMasked": "[fødselsnummer fjerna]",
    },
    "en": {
        "launcher": "Chat with us",
        "title": "Chat with {kommune}",
        "close": "Close the chat",
        "privacy": "Do not write your national ID number or health information in the chat.",
        "privacyLink": "About privacy",
        "log": "Conversation",
        "you": "You",
        "bot": "Chatbot",
        "staff": "{name}, {office}",
        "label": "Write your message",
        "send": "Send",
        "human": "Talk to a person",
        "unreachable": "The chat is not working now. Call {office} on {phone}.",
        "notSent": "Not sent",
        "newTab": "(opens in a new tab)",
        "newMessage": "new message",
        "idMasked": "[ID number removed]",
    },
}


def tel_href(phone: str) -> str:
    """`tel:+4751335000` for «51 33 50 00»; what cannot be parsed keeps its digits and a plus."""
    try:
        number = phonenumbers.parse(phone, "NO")
        return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    except phonenumbers.NumberParseException:
        return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


def origin(url: str) -> str | None:
    """`https://bot.example.no` of a URL, or None unless it is http(s) with a host."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return f"{parts.scheme}://{parts.netloc}"


def widget_config(kommune: Kommune, bot_url: str, max_chars: int = 2000) -> dict[str, Any]:
    texts = {
        language: {key: text.replace("{kommune}", kommune.name) for key, text in variants.items()}
        for language, variants in TEXTS.items()
    }
    return {
        "botUrl": bot_url,
        "kommune": kommune.name,
        "office": kommune.office_name,
        "phone": kommune.phone,
        "phoneHref": tel_href(kommune.phone),
        "privacyUrl": kommune.links.get("personvern") or kommune.links.get("nettside") or "",
        "defaultLanguage": kommune.default_language,
        "replyTimeoutSeconds": 20,
        "maxChars": max_chars,
        "assets": {
            "css": f"widget/widget.css?v={_asset('widget.css').etag[1:9]}",
            "socketio": f"widget/vendor/socket.io.min.js?v={SOCKET_IO_VERSION}",
        },
        "texts": texts,
    }


def script_source(config: dict[str, Any]) -> str:
    """The served script: the configuration as a JSON literal, then widget.js."""
    literal = json.dumps(config, ensure_ascii=False, indent=None, separators=(",", ":"))
    # Safe even if someone pastes the script inline: no "</script>" and no line separators.
    literal = literal.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    body = _asset("widget.js").body.decode("utf-8")
    return (
        "/*! Nettsidechat for servicekontoret. Oppsett fra kommune.yml og BOT_PUBLIC_URL. */\n"
        f"window.SKWidget = window.SKWidget || {{}};\nwindow.SKWidget.config = {literal};\n{body}"
    )


@dataclass(frozen=True)
class _Asset:
    body: bytes
    etag: str


_assets: dict[str, tuple[float, _Asset]] = {}


def _asset(name: str) -> _Asset:
    """A file under static/widget, read again when it changes."""
    path = WIDGET_DIR / name
    mtime = path.stat().st_mtime
    cached = _assets.get(name)
    if cached is None or cached[0] != mtime:
        body = path.read_bytes()
        cached = (mtime, _Asset(body, _etag(body)))
        _assets[name] = cached
    return cached[1]


def _etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def _send(request: Request, body: bytes, content_type: str, cache: str, etag: str | None = None) -> HTTPResponse:
    etag = etag or _etag(body)
    headers = {
        "Cache-Control": cache,
        "ETag": etag,
        # Any municipality page may load these files (also pages that require CORP or use SRI).
        "Access-Control-Allow-Origin": "*",
        "Cross-Origin-Resource-Policy": "cross-origin",
    }
    if request.headers.get("if-none-match") == etag:
        return HTTPResponse(status=304, headers=headers)
    return raw(body, content_type=content_type, headers=headers)


def demo_csp(bot_url: str) -> str:
    """The desk's strict policy, but the page may connect to the bot (HTTP and WebSocket)."""
    connect = ["'self'"]
    bot = origin(bot_url)
    if bot:
        connect += [bot, bot.replace("http", "ws", 1)]
    return f"{CSP}; connect-src {' '.join(connect)}"


# Tiles on the demo page: (kommune.yml link key, title, one line about it).
DEMO_TILES = [
    ("barnehageopptak", "Barnehage", "Søk barnehageplass og se hva det koster."),
    ("byggesak", "Bygg og eiendom", "Søk om å bygge, og finn kart og tegninger."),
    ("avfall", "Avfall og gjenvinning", "Tømmekalender og gjenvinningsstasjoner."),
    ("eiendomsskatt", "Eiendomsskatt", "Hva du betaler, og hvordan du klager."),
    ("valg", "Valg", "Forhåndsstemming og valgdagen."),
    ("meld_feil", "Meld feil", "Hull i veien, gatelys eller vannlekkasje."),
    ("stillinger", "Jobb hos oss", "Ledige stillinger og lærlingplasser."),
    ("politikk", "Politikk", "Møter, saker og folkevalgte."),
]


async def widget_script(request: Request) -> HTTPResponse:
    settings = get_settings()
    config = widget_config(get_kommune(), settings.bot_public_url, settings.max_message_chars)
    body = script_source(config).encode("utf-8")
    return _send(request, body, "application/javascript; charset=utf-8", SCRIPT_CACHE)


async def widget_asset(request: Request, name: str) -> HTTPResponse:
    found = ASSETS.get(f"/widget/{name}")
    if found is None:
        raise NotFound("Fant ikke filen.")
    file, content_type = found
    asset = _asset(file)
    return _send(request, asset.body, content_type, ASSET_CACHE, asset.etag)


async def demo(request: Request) -> HTTPResponse:
    kommune = get_kommune()
    bot_url = get_settings().bot_public_url
    tiles = [(kommune.links[key], title, text) for key, title, text in DEMO_TILES if key in kommune.links]
    # Behind the operator's proxy (TRUSTED_PROXIES), the scheme the citizen's browser used.
    scheme = "https" if proxies.forwarded_https(request.ip or "", request.headers) else request.scheme
    desk = f"{scheme}://{request.host}"
    response = render(
        request,
        "demo.html",
        tiles=tiles,
        bot_url=bot_url,
        embed=f'<script src="{desk}/widget.js" async></script>',
        phone_href=tel_href(kommune.phone),
    )
    response.headers["Content-Security-Policy"] = demo_csp(bot_url)
    response.headers["Cache-Control"] = "no-cache"
    return response


ROUTES: list[Route] = [
    ("GET", "/widget.js", widget_script),
    ("GET", "/widget/<name:path>", widget_asset),
    ("GET", "/demo", demo),
]


def blueprint() -> Blueprint:
    """The widget's files and the demo page."""
    return routes_blueprint("widget", ROUTES)
