"""The desk's Sanic app, assembled: configuration, static files, middleware (`auth.py`), the six
blueprints (staff pages, the answer editor and its review list, live chat, JSON API, the citizens'
chat widget), the operator's health and metrics routes (`bot.operations`) and the error handlers
(`web.py`). Nothing here handles a request itself.
"""

from __future__ import annotations

import uuid

from sanic import Sanic
from sanic.exceptions import SanicException

from bot.desk import api, auth, editor, live, outbox_worker, pages, review, widget
from bot.desk.web import HERE, on_sanic_error, on_unexpected, templates
from bot.operations import database_metrics
from bot.operations import routes as operations


def create_app(name: str | None = None) -> Sanic:
    """The desk. `name` must be unique per process (tests make several)."""
    app = Sanic(name or f"desk_{uuid.uuid4().hex[:8]}")
    app.config.REQUEST_MAX_SIZE = 1_000_000
    app.config.FALLBACK_ERROR_FORMAT = "html"
    app.ctx.templates = templates()
    app.static("/static", str(HERE / "static"), name="static")
    app.register_middleware(auth.authenticate, "request")
    app.register_middleware(auth.refuse_unstorable, "request")
    app.register_middleware(auth.security_headers, "response")
    blueprints = (pages, editor, review, live, api, widget)
    for blueprint in (module.blueprint() for module in blueprints):
        app.blueprint(blueprint)
    # /health/live, /health/ready and /metrics, with the database's figures (tickets, outbox …).
    app.blueprint(operations.blueprint("operations"))
    database_metrics.install()
    outbox_worker.install(app)  # sends the outbox's due e-mails again, with a growing wait
    app.exception(SanicException)(on_sanic_error)
    app.exception(Exception)(on_unexpected)
    return app
