"""Finds Norwegian national ID numbers (fødselsnummer, D-nummer) in free text and masks them.

Numbers are checked with python-stdnum, so dates, phone numbers and account numbers stay as
they are; digits split by spaces, dots or dashes are found too.
"""

from __future__ import annotations

import re

from stdnum.no import fodselsnummer

MASK = "[fødselsnummer fjernet]"

# A run of digits where single spaces, dots or dashes may sit between the digits.
_DIGIT_RUN = re.compile(r"\d(?:[ .\-]?\d)*")


def _has_id_number(digits: str) -> bool:
    return any(fodselsnummer.is_valid(digits[start : start + 11]) for start in range(len(digits) - 10))


def mask_id_numbers(text: str) -> tuple[str, bool]:
    """Return the text with every ID number masked, and whether anything was masked."""
    found = False

    def replace(match: re.Match[str]) -> str:
        nonlocal found
        digits = re.sub(r"\D", "", match.group())
        if len(digits) >= 11 and _has_id_number(digits):
            found = True
            return MASK
        return match.group()

    return _DIGIT_RUN.sub(replace, text), found
