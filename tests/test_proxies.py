"""Forwarded headers count only from the configured reverse proxies (bot/proxies.py; issue 15)."""

from __future__ import annotations

import pytest

from bot import proxies


def test_without_trusted_proxies_the_headers_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRUSTED_PROXIES", raising=False)
    headers = {"x-forwarded-for": "203.0.113.9", "x-forwarded-proto": "https"}
    assert proxies.client_address("198.51.100.4", headers) == "198.51.100.4"
    assert not proxies.forwarded_https("198.51.100.4", headers)


def test_a_trusted_proxy_names_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")
    # The client wrote a false first hop itself; the proxy appended the address it saw.
    headers = {"x-forwarded-for": "1.2.3.4, 203.0.113.9, 10.0.0.2", "x-forwarded-proto": "https"}
    assert proxies.client_address("10.0.0.1", headers) == "203.0.113.9"
    assert proxies.forwarded_https("10.0.0.1", headers)
    assert proxies.client_address("127.0.0.1", {}) == "127.0.0.1"
    assert proxies.client_address("10.0.0.1", {"x-forwarded-for": "10.0.0.5"}) == "10.0.0.5"
    # The same headers from a client that is not the proxy count for nothing.
    assert proxies.client_address("203.0.113.50", headers) == "203.0.113.50"
    assert not proxies.forwarded_https("203.0.113.50", headers)
    assert not proxies.forwarded_https("10.0.0.1", {"x-forwarded-proto": "http"})
    assert not proxies.is_trusted("not an address")
