"""The action server answers only the Rasa server: every call but the health and metrics routes
must carry the shared token (ACTION_SERVER_TOKEN) as `Authorization: Bearer …`, which Rasa sends
from endpoints.yml.

Without it, anyone who reaches port 5055 could run the custom actions with a tracker of their
own making: create tickets, or look up a case's status without the rate limit. `make run` needs
no setting: the Rasa server and the action server read the machine's own token
(`bot.local_secrets`). The check is a rasa-sdk plugin (its `attach_sanic_app_extensions` hook),
registered by `bot.launch` before `rasa run actions` builds its app.
"""

from __future__ import annotations

import hmac
import sys

import pluggy
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.local_secrets import local_secret
from bot.operations import routes

TOKEN_VARIABLE = "ACTION_SERVER_TOKEN"
# Rasa-sdk's own health route and ours (bot/operations: /metrics checks its own caller).
OPEN_PATHS = frozenset({"/health"}) | routes.OPEN_PATHS
hookimpl = pluggy.HookimplMarker("rasa_sdk")


def token() -> str:
    return local_secret(TOKEN_VARIABLE)


@hookimpl
def attach_sanic_app_extensions(app: Sanic) -> None:
    expected = f"Bearer {token()}".encode()

    async def require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = (request.headers.get("Authorization") or "").encode("utf-8", "replace")
        if hmac.compare_digest(given, expected):
            return None
        return response.json({"error": "Handlingsserveren svarer bare Rasa-serveren."}, status=401)

    app.register_middleware(require_token, "request")


def install() -> None:
    """Register the check with rasa-sdk's plugin manager (before the action server starts)."""
    from rasa_sdk.plugin import plugin_manager

    manager = plugin_manager()
    module = sys.modules[__name__]
    if not manager.is_registered(module):
        manager.register(module)
