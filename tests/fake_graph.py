"""A fake Facebook Graph API for tests: records every Send API call the bot makes.

A small `http.server` in a thread on a free local port. Every POST under /me/messages is
recorded with its path, query, JSON body and Authorization header. Recipients listed in `failing` get a Graph-style
error answer (HTTP 400), to test that the channel logs it and carries on.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class GraphCall:
    path: str
    query: dict[str, list[str]]
    body: dict[str, Any]
    authorization: str | None = None

    @property
    def recipient(self) -> str | None:
        return (self.body.get("recipient") or {}).get("id")

    @property
    def message(self) -> dict[str, Any] | None:
        return self.body.get("message")

    @property
    def text(self) -> str | None:
        return (self.message or {}).get("text")


@dataclass
class FakeGraph:
    """Start with `start()` (or as a context manager); point FACEBOOK_GRAPH_URL at `url`."""

    failing: set[str] = field(default_factory=set)
    calls: list[GraphCall] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "FakeGraph is not started"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/v18.0"

    def start(self) -> FakeGraph:
        graph = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                if "/me/messages" not in parts.path:
                    self._answer(404, {"error": {"message": "unknown path", "code": 803}})
                    return
                try:
                    body = json.loads(raw or b"{}")
                except ValueError:
                    self._answer(400, {"error": {"message": "invalid JSON", "code": 100}})
                    return
                call = GraphCall(parts.path, parse_qs(parts.query), body, self.headers.get("Authorization"))
                with graph._lock:
                    graph.calls.append(call)
                if call.recipient in graph.failing:
                    self._answer(400, {"error": {"message": "No matching user found", "type": "OAuthException"}})
                    return
                self._answer(200, {"recipient_id": call.recipient, "message_id": f"m_{len(graph.calls)}"})

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True, name="fake-graph").start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeGraph:
        return self.start()

    def __exit__(self, *_: Any) -> None:
        self.stop()

    # --- reading what was sent ---

    def to(self, recipient: str) -> list[GraphCall]:
        """Every call for one recipient, in order."""
        with self._lock:
            return [c for c in self.calls if c.recipient == recipient]

    def messages_to(self, recipient: str) -> list[dict[str, Any]]:
        """The messages (not sender actions) sent to one recipient, in order."""
        return [c.message for c in self.to(recipient) if c.message is not None]

    def texts_to(self, recipient: str) -> list[str]:
        return [m["text"] for m in self.messages_to(recipient) if "text" in m]

    def wait_for(
        self, recipient: str, done: Callable[[list[dict[str, Any]]], bool], timeout: float = 30
    ) -> list[dict[str, Any]]:
        """Wait until `done(messages_to(recipient))` holds; return those messages."""
        deadline = time.monotonic() + timeout
        while True:
            messages = self.messages_to(recipient)
            if done(messages):
                return messages
            if time.monotonic() > deadline:
                raise TimeoutError(f"no such messages to {recipient} within {timeout} s; got {messages}")
            time.sleep(0.05)

    def wait_for_text(self, recipient: str, fragment: str, after: int = 0, timeout: float = 30) -> str:
        """Wait for a text containing `fragment` among the messages after the first `after`;
        return all texts since `after`, joined by newlines."""

        def found(messages: list[dict[str, Any]]) -> bool:
            return any(fragment in m.get("text", "") for m in messages[after:])

        messages = self.wait_for(recipient, found, timeout)
        return "\n".join(m.get("text", "") for m in messages[after:])
