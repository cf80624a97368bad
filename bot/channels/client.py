"""The address of the citizen's client behind a message, for limits counted per address.

The Socket.IO channel sets it for the message it hands on, from the request that opened the
connection (`bot.proxies` decides whether a forwarded address counts). Messenger's requests come
from Facebook, and the REST channel's from a trusted back end that relays many citizens, so
there it stays unset. `pseudonym` is what leaves the
Rasa process (in the message's metadata, for the action server's status-lookup limit): a keyed
hash, never the address itself.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from bot import proxies
from bot.cases.status_lookups import CLIENT_METADATA_KEY
from bot.pii import keyed_hash

CLIENT_ADDRESS: ContextVar[str | None] = ContextVar("sk_client_address", default=None)
# The metadata key the guard sets (and overwrites, whatever the client sent under it).
METADATA_KEY = CLIENT_METADATA_KEY


def from_request(request: Any) -> str | None:
    """The client's address for a Sanic request (None when it has none)."""
    peer = getattr(request, "ip", None) or ""
    return proxies.client_address(peer, request.headers) if peer else None


def pseudonym(address: str | None) -> str | None:
    if not address:
        return None
    return keyed_hash("client", address, 24)
