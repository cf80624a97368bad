from __future__ import annotations

import pytest

from bot.pii import MASK, mask_id_numbers

VALID_FNR = "01019012480"  # valid check digits, not a real person's
VALID_DNR = "41019012474"


@pytest.mark.parametrize(
    "text",
    [
        f"fødselsnummeret mitt er {VALID_FNR}",
        "010190 12480",
        "01.01.90 124 80",
        "0101-9012480",
        f"D-nummer {VALID_DNR} takk",
        f"x{VALID_FNR}y",
    ],
)
def test_id_numbers_are_masked(text: str) -> None:
    masked, found = mask_id_numbers(text)
    assert found
    assert MASK in masked
    assert "12480" not in masked and "12474" not in masked


@pytest.mark.parametrize(
    "text",
    ["ring 51 33 50 00", "kontonummer 1234.56.78903", "saken SK-2026-00042", "01019012481", "tlf 912 34 567"],
)
def test_other_numbers_are_left_alone(text: str) -> None:
    assert mask_id_numbers(text) == (text, False)
