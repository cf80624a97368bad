"""The Rasa server's `/health/live`, `/health/ready` and `/metrics` (`bot.operations.routes`).

Rasa mounts an input channel's blueprint under `/webhooks/<prefix>`; this channel's prefix is
`/`, which `urljoin` turns into the server's root, so the routes need no change to Rasa. Its
readiness adds the model to the standard checks: Rasa answers `/` before the model is loaded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint
from sanic.request import Request

from bot.operations.health import Check, standard_probes
from bot.operations.routes import blueprint


def _model(request: Request) -> Callable[[], dict[str, Check]]:
    def model() -> dict[str, Check]:
        agent = getattr(request.app.ctx, "agent", None)
        loaded = agent is not None and agent.is_ready()
        return {"model": Check(loaded, "lastet" if loaded else "ikke lastet")}

    return model


class OperationsChannel(InputChannel):
    """Not a citizen channel: the health and metrics routes of the Rasa server."""

    @classmethod
    def name(cls) -> str:
        return "operations"

    def url_prefix(self) -> str:
        return "/"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        return blueprint("operations", lambda request: [_model(request), *standard_probes()])
