"""Conversation ids the server issues to the website chat: unguessable, and signed.

An id is `w-<144 random bits>.<HMAC of them>` (keyed with SENDER_ID_KEY, the same on every Rasa
server). The widget keeps it in sessionStorage and asks for it again when it reconnects; the
Socket.IO channel (`bot.channels.socketio`) accepts only an id with a valid signature and issues
a new one otherwise, so a client can neither choose a conversation (a Messenger PSID, a
guessed id) nor be handed one it was not given. Each connection is then bound to its id.
"""

from __future__ import annotations

import base64
import hmac
import secrets

from bot.pii import keyed_digest

PREFIX = "w-"


def _signature(random_part: str) -> str:
    digest = keyed_digest("socketio", random_part)
    return base64.urlsafe_b64encode(digest[:16]).decode("ascii").rstrip("=")


def issue() -> str:
    """A new conversation id."""
    random_part = secrets.token_urlsafe(18)  # 144 bits
    return f"{PREFIX}{random_part}.{_signature(random_part)}"


def verified(value: object) -> str | None:
    """The id if this server issued it, else None."""
    if not isinstance(value, str) or not value.startswith(PREFIX) or len(value) > 100:
        return None
    random_part, _, signature = value[len(PREFIX) :].partition(".")
    if not random_part or not signature or not random_part.isascii():
        return None
    expected = _signature(random_part).encode()
    return value if hmac.compare_digest(signature.encode("ascii", "replace"), expected) else None
