from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.emergency import EmergencyOverride, is_emergency


@pytest.mark.parametrize(
    "text",
    [
        "hjelp det brenner",
        "Det er brann i nabohuset og jeg lurer også på åpningstidene deres",
        "mamma puster ikkje",
        "han er bevisstløs",
        "jeg vil ikke leve lenger",
        "noen bryter seg inn hos meg nå",
        "my house is on fire",
        "RØYK I TRAPPEOPPGANGEN",
    ],
)
def test_emergencies_are_recognised(text: str) -> None:
    assert is_emergency(text)


@pytest.mark.parametrize(
    "text",
    [
        "når er dere åpne",
        "har dere brann- og feiingsgebyr på fakturaen",
        "jeg har fire barn i barnehagen",
        "kan jeg brenne bål i hagen",
        "hvem har ansvar for brannvarsler i kommunale boliger",
    ],
)
def test_ordinary_questions_are_not_emergencies(text: str) -> None:
    assert not is_emergency(text)


def test_override_puts_emergency_first_whatever_was_classified() -> None:
    message = Message(data={"text": "det brenner! og når tømmes søpla?"})
    message.set("intent", {"name": "faq", "confidence": 0.9})
    message.set("intent_ranking", [{"name": "faq", "confidence": 0.9}])
    EmergencyOverride().process([message])
    assert message.get("intent")["name"] == "emergency"
    assert [r["name"] for r in message.get("intent_ranking")][:2] == ["emergency", "faq"]
