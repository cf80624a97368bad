from __future__ import annotations

import pytest

from bot.cases import ContactError, find_contact, normalize_contact, parse_reference


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


@pytest.mark.parametrize("typed", ["912 34 567", "+46 70 123 45 67", "+48 512 345 678", "Kari@Example.no"])
def test_what_staff_and_the_citizen_read_reads_back_to_the_same_contact(typed: str) -> None:
    """The forms keep `display`, and the ticket is made from it: a foreign number must survive that."""
    contact = normalize_contact(typed)
    assert normalize_contact(contact.display) == contact


@pytest.mark.parametrize(
    "typed,phone,email",
    [
        ("912 34 567", "+4791234567", None),
        ("du kan ringe meg på 912 34 567", "+4791234567", None),
        ("mój numer to +47 912 34 567", "+4791234567", None),
        ("send det til kari@example.no takk", None, "kari@example.no"),
    ],
)
def test_a_contact_is_found_inside_a_sentence(typed: str, phone: str | None, email: str | None) -> None:
    contact = find_contact(typed)
    assert (contact.phone, contact.email) == (phone, email)


@pytest.mark.parametrize("typed", ["ring meg", "saken min er 1234", "ola@ i morgen"])
def test_a_sentence_without_a_valid_contact_is_refused(typed: str) -> None:
    with pytest.raises(ContactError):
        find_contact(typed)


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
