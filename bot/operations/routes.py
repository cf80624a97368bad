"""`/health/live`, `/health/ready` and `/metrics`: the same three routes on every process.

The Rasa server mounts them through an input channel (`bot.channels.operations`), the action
server through a rasa-sdk plugin (`install_on_action_server`), the desk in its app. Readiness
answers 200 with every check ok and 503 otherwise, with each check in the JSON body; the body
names no secret and no citizen, so the probes need no login.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import pluggy
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.operations import metrics
from bot.operations.health import Check, run_checks, standard_probes

Probes = Callable[[Request], list[Callable[[], dict[str, Check]]]]
OPEN_PATHS = frozenset({"/health/live", "/health/ready", "/metrics"})

hookimpl = pluggy.HookimplMarker("rasa_sdk")


def blueprint(name: str, probes: Probes | None = None) -> Blueprint:
    """The three routes; `probes` gives the readiness checks for a request (standard ones by default)."""
    routes = Blueprint(name)

    @routes.get("/health/live")
    async def live(_: Request) -> HTTPResponse:
        return response.json({"status": "ok"})

    @routes.get("/health/ready")
    async def ready(request: Request) -> HTTPResponse:
        checks = await run_checks(probes(request) if probes else standard_probes())
        ok = all(check.ok for check in checks.values())
        body = {"status": "ok" if ok else "fail", "checks": {key: check.as_json() for key, check in checks.items()}}
        return response.json(body, status=200 if ok else 503)

    @routes.get("/metrics")
    async def exposition(request: Request) -> HTTPResponse:
        if not metrics.may_read(request.ip or "", request.headers):
            return response.text("Målingene svarer bare denne maskinen, eller med METRICS_TOKEN.\n", status=403)
        body, content_type = metrics.exposition()
        return response.raw(body, content_type=content_type)

    return routes


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    app.blueprint(blueprint("operations"), url_prefix="/")


def install_on_action_server() -> None:
    """Register the routes with rasa-sdk's plugin manager (before the action server starts)."""
    from rasa_sdk.plugin import plugin_manager

    manager = plugin_manager()
    module = sys.modules[__name__]
    if not manager.is_registered(module):
        manager.register(module)
