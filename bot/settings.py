"""One settings object, read from the environment, with embedded defaults for a single machine."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'servicekontor.db'}"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in ("1", "true", "yes", "ja", "on")


@dataclass(frozen=True)
class Settings:
    """Runtime configuration shared by the Rasa server, the action server and the desk."""

    database_url: str
    kommune_file: Path
    max_message_chars: int
    # The staff desk (bot/desk).
    desk_host: str = "127.0.0.1"
    desk_port: int = 8000
    # "auto": Secure cookies when the request came over https; "true"/"false" force it.
    desk_secure_cookies: str = "auto"
    desk_session_hours: int = 10
    # The reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For and
    # X-Forwarded-Proto headers count (bot/proxies.py); from anyone else they are ignored.
    trusted_proxies: str = ""
    # The REST channel is for trusted back ends (a portal): with this set, only callers that send
    # it as `Authorization: Bearer …`; unset, only this machine itself (bot/channels/rest.py).
    rest_secret: str | None = None
    # The Rasa server as citizens' browsers reach it: the website chat widget connects here.
    bot_public_url: str = "http://localhost:5005"
    # Replies to citizens by e-mail; without SMTP_HOST they wait in the desk's outbox.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_starttls: bool = True
    # A PEM file of the CA(s) that signed the SMTP server's certificate, for a server whose
    # certificate the system's CAs do not vouch for; the certificate is always verified.
    smtp_ca_file: str | None = None
    # A reply e-mail that fails is sent again after 1, 2, 4 … minutes; after this many tries it is
    # marked failed on the ticket, for staff to call the citizen or send it again.
    outbox_max_attempts: int = 6
    # Live chat: how long a citizen waits for a staff member before a callback is offered, how
    # long a desk page counts as present after its last poll, and how often Rasa pushes messages.
    live_chat_wait_seconds: int = 180
    live_presence_seconds: int = 90
    live_poll_seconds: float = 1.0
    # Citizen channels: at most this many messages per sender in this many seconds reach Rasa
    # (bot/channels/rate_limit.py; counted per Rasa process). 0 switches the limit off.
    rate_limit_messages: int = 20
    rate_limit_seconds: float = 60.0
    # And per client address of the web chat (behind TRUSTED_PROXIES, the forwarded one): higher,
    # since many citizens may share one address (a library, a school, a mobile operator's NAT).
    rate_limit_address_messages: int = 100
    # The memory the tracker store's cache of recent conversations may take, per Rasa process.
    tracker_cache_mb: int = 256
    # How often a process asks the database whether the answer library has changed (bot/answers/live.py).
    answer_refresh_seconds: float = 10.0
    # /metrics answers this machine itself; anyone else must send `Authorization: Bearer …` with it.
    metrics_token: str | None = None

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=database_url(),
            kommune_file=Path(os.environ.get("KOMMUNE_FILE") or PROJECT_ROOT / "kommune.yml"),
            max_message_chars=int(os.environ.get("MAX_MESSAGE_CHARS", "2000")),
            desk_host=os.environ.get("DESK_HOST") or "127.0.0.1",
            desk_port=int(os.environ.get("DESK_PORT") or "8000"),
            desk_secure_cookies=(os.environ.get("DESK_SECURE_COOKIES") or "auto").strip().lower(),
            desk_session_hours=int(os.environ.get("DESK_SESSION_HOURS") or "10"),
            trusted_proxies=os.environ.get("TRUSTED_PROXIES") or "",
            rest_secret=os.environ.get("REST_SECRET") or None,
            bot_public_url=(os.environ.get("BOT_PUBLIC_URL") or "http://localhost:5005").rstrip("/"),
            smtp_host=os.environ.get("SMTP_HOST") or None,
            smtp_port=int(os.environ.get("SMTP_PORT") or "587"),
            smtp_user=os.environ.get("SMTP_USER") or None,
            smtp_password=os.environ.get("SMTP_PASSWORD") or None,
            smtp_from=os.environ.get("SMTP_FROM") or None,
            smtp_starttls=_flag("SMTP_STARTTLS", True),
            smtp_ca_file=os.environ.get("SMTP_CA_FILE") or None,
            outbox_max_attempts=max(1, int(os.environ.get("OUTBOX_MAX_ATTEMPTS") or "6")),
            live_chat_wait_seconds=int(os.environ.get("LIVE_CHAT_WAIT_SECONDS") or "180"),
            live_presence_seconds=int(os.environ.get("LIVE_PRESENCE_SECONDS") or "90"),
            live_poll_seconds=float(os.environ.get("LIVE_POLL_SECONDS") or "1.0"),
            rate_limit_messages=int(os.environ.get("RATE_LIMIT_MESSAGES") or "20"),
            rate_limit_seconds=float(os.environ.get("RATE_LIMIT_SECONDS") or "60"),
            rate_limit_address_messages=int(os.environ.get("RATE_LIMIT_ADDRESS_MESSAGES") or "100"),
            answer_refresh_seconds=answer_refresh_seconds(),
            tracker_cache_mb=int(os.environ.get("TRACKER_CACHE_MB") or "256"),
            metrics_token=os.environ.get("METRICS_TOKEN") or None,
        )


def get_settings() -> Settings:
    """Settings as the environment holds them now (read on each call: about 30 µs)."""
    return Settings.from_env()


def database_url() -> str:
    """`Settings.database_url` alone, for what runs several times per message."""
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def answer_refresh_seconds() -> float:
    """`Settings.answer_refresh_seconds` alone, for what runs several times per message."""
    return float(os.environ.get("ANSWER_REFRESH_SECONDS") or "10")


def answer_index_dir() -> Path:
    """Where fitted answer indexes are kept for every process on this machine (bot/answers/index_files.py)."""
    return Path(os.environ.get("ANSWER_INDEX_DIR") or PROJECT_ROOT / "var" / "answer-index")
