from __future__ import annotations

import pytest

from bot.cases import ContactError, normalize_contact, parse_reference


@pytest.mark.parametrize(
    "typed",
    ["91234567", "912 34 567", "91 23 45 67", "+47 912 34 567", "0047 91234567", "tlf: 912.34.567", "912-34-567"],
)
def test_norwegian_phone_spellings(typed: str) -> None:
    assert normalize_contact(typed).phone == "+4791234567"


def test_landline_numbers_are_valid() -> None:
    assert normalize_contact("51 33 50 00").phone == "+4751335000"


@pytest.mark.parametrize("typed", ["Ola.Nordmann@Example.no", " ola.nordmann@example.no. "])
def test_email_is_normalised(typed: str) -> None:
    assert normalize_contact(typed).email == "ola.nordmann@example.no"


@pytest.mark.parametrize("typed", ["", "hei", "1234", "12345678", "ola@", "ola nordmann@example.no", "@example.no"])
def test_invalid_contacts_are_refused(typed: str) -> None:
    with pytest.raises(ContactError):
        normalize_contact(typed)


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("SK-2026-00042", "SK-2026-00042"),
        ("sk 2026 42", "SK-2026-00042"),
        ("status på SK2026-7 takk", "SK-2026-00007"),
        ("2026-00042", "SK-2026-00042"),
        ("hei", None),
        ("42", None),
    ],
)
def test_reference_parsing(typed: str, expected: str | None) -> None:
    assert parse_reference(typed) == expected
