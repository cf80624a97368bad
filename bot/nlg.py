"""Rasa NLG that fills `{placeholders}` in domain.yml responses with the municipality's facts.

Configured in endpoints.yml as `nlg: type: bot.nlg.KommuneNLG`. It is Rasa's templated NLG
(responses from the domain, conditional variations, slot filling) plus the values of kommune.yml.
"""

from __future__ import annotations

from typing import Any

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.utils.endpoints import EndpointConfig

from bot.kommune import get_kommune


class KommuneNLG(TemplatedNaturalLanguageGenerator):
    """Templated NLG whose fill values include kommune.yml (slots win on a name clash)."""

    def __init__(self, endpoint_config: EndpointConfig | None = None, domain: Domain | None = None) -> None:
        super().__init__((domain or Domain.empty()).responses)

    @staticmethod
    def _response_variables(filled_slots: dict[str, Any], kwargs: dict[str, Any]) -> dict[str, Any]:
        values: dict[str, Any] = dict(get_kommune().placeholders())
        values.update({k: v for k, v in (filled_slots or {}).items() if v is not None})
        values.update(kwargs)
        return values
