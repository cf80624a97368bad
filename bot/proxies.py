"""Who sent a request: the client's address and whether it came over https, trusting the
`X-Forwarded-For` and `X-Forwarded-Proto` headers only from the reverse proxies the operator
names in TRUSTED_PROXIES (addresses or networks, comma-separated: «127.0.0.1, 10.0.0.0/8»).

From anyone else the headers are ignored: a client that sets them itself cannot choose the
address its rate limits count on, nor make a plain-http request look secure.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from functools import lru_cache

from bot.settings import get_settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(setting: str) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(part.strip(), strict=False) for part in setting.split(",") if part.strip())


def trusted_networks() -> tuple[Network, ...]:
    return _networks(get_settings().trusted_proxies)


def is_trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in network for network in trusted_networks())


def client_address(peer: str, headers: Mapping[str, str]) -> str:
    """The client's address: the peer's own, or behind trusted proxies the nearest untrusted hop."""
    if not is_trusted(peer):
        return peer
    hops = [hop.strip() for hop in (headers.get("x-forwarded-for") or "").split(",") if hop.strip()]
    for hop in reversed(hops):  # each proxy appends the address it saw: read from the right
        if not is_trusted(hop):
            return hop
    return hops[0] if hops else peer


def forwarded_https(peer: str, headers: Mapping[str, str]) -> bool:
    """Whether a trusted proxy says the client's request came over https."""
    if not is_trusted(peer):
        return False
    proto = (headers.get("x-forwarded-proto") or "").split(",")[0].strip().lower()
    return proto in ("https", "wss")


FORWARDING_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def is_local_caller(peer: str, headers: Mapping[str, str]) -> bool:
    """Whether a request comes from this machine itself and not through a proxy on it."""
    try:
        loopback = ipaddress.ip_address(peer.strip().strip("[]")).is_loopback
    except ValueError:
        return False
    return loopback and not any(headers.get(name) for name in FORWARDING_HEADERS)
