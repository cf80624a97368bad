"""The API's OpenAPI 3 document, built from the routes the app serves.

Each API handler carries its description (`@operation(...)`: summary, request body, query
parameters, the success status, whether it needs an administrator); `openapi_document(app)` walks
the app's routes under /api/v1 and puts every one in. A route without a description is an error
(`tests/desk/test_api.py` builds the document), not a gap in it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TypeVar

from sanic import Sanic

from bot.cases.states import Status

STATUS_ENUM = [s.value for s in Status]
API_PREFIX = "api/v1"  # Sanic's route paths have no leading slash

F = TypeVar("F", bound=Callable[..., Any])

_TICKET_SCHEMA = {
    "type": "object",
    "properties": {
        "reference": {"type": "string"},
        "status": {"type": "string", "enum": STATUS_ENUM},
        "topic": {"type": "string"},
        "summary": {"type": "string"},
        "language": {"type": "string"},
        "channel": {"type": "string"},
        "conversation_id": {"type": "string"},
        "contact_name": {"type": "string"},
        "contact_phone": {"type": "string", "nullable": True},
        "contact_email": {"type": "string", "nullable": True},
        "assignee": {"type": "string", "nullable": True},
        "created_at": {"type": "string", "format": "date-time"},
        "updated_at": {"type": "string", "format": "date-time", "nullable": True},
    },
}
_ERROR_RESPONSE = {
    "description": "Feil",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
}
_HEADER: dict[str, Any] = {
    "openapi": "3.0.3",
    "info": {
        "title": "Servicekontoret – sakskøen",
        "version": "1",
        "description": "Saker fra chatboten: liste, ta, gi videre, notater, svar og status. "
        "Hver endring lagres i sakens historikk med hvem og når.",
    },
    "servers": [{"url": "/"}],
    "security": [{"bearer": []}],
    "components": {
        "securitySchemes": {
            "bearer": {"type": "http", "scheme": "bearer", "description": "python -m bot.desk create-token <bruker>"}
        },
        "schemas": {
            "Ticket": _TICKET_SCHEMA,
            "Error": {
                "type": "object",
                "properties": {"error": {"type": "string"}, "message": {"type": "string"}},
                "required": ["error", "message"],
            },
        },
        "responses": {
            "Unauthorized": {**_ERROR_RESPONSE, "description": "Mangler gyldig API-nøkkel"},
            "Error": _ERROR_RESPONSE,
        },
    },
}
_REFERENCE = {
    "name": "reference",
    "in": "path",
    "required": True,
    "schema": {"type": "string"},
    "example": "SK-2026-00042",
}


def operation(
    summary: str,
    *,
    body: dict[str, Any] | None = None,
    ok: str = "200",
    admin: bool = False,
    ref: bool = True,
    query: list[dict[str, Any]] | None = None,
) -> Callable[[F], F]:
    """Describe an API handler for the OpenAPI document."""
    described: dict[str, Any] = {
        "summary": summary,
        "responses": {
            ok: {"description": "OK", "content": {"application/json": {"schema": {"type": "object"}}}},
            "401": {"$ref": "#/components/responses/Unauthorized"},
        },
    }
    error = {"$ref": "#/components/responses/Error"}
    if ref:
        described["parameters"] = [_REFERENCE]
        described["responses"].update({"404": error, "409": error})
    if query:
        described["parameters"] = query
    if admin:
        described["responses"]["403"] = error
    if body:
        described["requestBody"] = {"required": True, "content": {"application/json": {"schema": body}}}
        described["responses"]["400"] = error

    def mark(handler: F) -> F:
        handler.__openapi__ = described  # type: ignore[attr-defined]
        return handler

    return mark


def openapi_document(app: Sanic) -> dict[str, Any]:
    """Every route of `app` under /api/v1, with the description its handler carries."""
    paths: dict[str, dict[str, Any]] = {}
    for route in sorted(app.router.routes, key=lambda r: r.path):
        if not route.path.startswith(API_PREFIX):
            continue
        described = getattr(route.handler, "__openapi__", None)
        if described is None:
            raise LookupError(f"/{route.path} has no @operation description")
        path = "/" + re.sub(r"<(\w+)(:[^>]*)?>", r"{\1}", route.path)
        for method in sorted(route.methods):
            paths.setdefault(path, {})[method.lower()] = described
    return {**_HEADER, "paths": paths}
