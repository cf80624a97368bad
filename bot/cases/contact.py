"""Validation and normalisation of how a citizen wants to be contacted: a name, and phone or e-mail.

`find_contact` is what every form and the status lookup use: the whole answer, or the number or
address inside a sentence («Mój numer to 912 34 567», «ring meg på 91234567»).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from bot.sanitize import clean_text


class ContactError(ValueError):
    """Neither a valid Norwegian phone number nor a valid e-mail address."""


@dataclass(frozen=True)
class Contact:
    phone: str | None = None  # E.164, e.g. +4791234567
    email: str | None = None  # lower case

    @property
    def display(self) -> str:
        """How staff and the citizen read it; `normalize_contact` reads it back to the same contact."""
        if self.phone:
            number = phonenumbers.parse(self.phone)
            # A foreign number keeps its country code: «070-123 45 67» would read as Norwegian.
            formats = phonenumbers.PhoneNumberFormat
            style = formats.NATIONAL if number.country_code == 47 else formats.INTERNATIONAL
            return phonenumbers.format_number(number, style)
        return self.email or ""


def _phone(text: str) -> str | None:
    candidate = re.sub(r"(?i)^(tlf|telefon|mobil|nr)\.?:?\s*", "", text.strip())
    if not re.fullmatch(r"[+\d][\d\s.\-()]{6,}", candidate):
        return None
    try:
        number = phonenumbers.parse(candidate, "NO")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _email(text: str) -> str | None:
    candidate = text.strip().strip("<>").rstrip(".")
    if "@" not in candidate or " " in candidate:
        return None
    try:
        return validate_email(candidate, check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        return None


def normalize_contact(text: str) -> Contact:
    """A phone number in any usual Norwegian spelling, or an e-mail address.

    Digits from other scripts count as 0-9 (`bot.sanitize`), as they do in the chat itself.
    """
    text = clean_text(text or "").strip()
    if phone := _phone(text):
        return Contact(phone=phone)
    if email := _email(text):
        return Contact(email=email)
    raise ContactError(text)


_EMAIL_IN_TEXT = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")
_PHONE_IN_TEXT = re.compile(r"\+?\d[\d\s.()-]{6,}\d")


def find_contact(text: str) -> Contact:
    """The contact the text gives: all of it, or an e-mail address or phone number inside it."""
    try:
        return normalize_contact(text)
    except ContactError:
        cleaned = clean_text(text or "")
        found = _EMAIL_IN_TEXT.search(cleaned) or _PHONE_IN_TEXT.search(cleaned)
        if found is None:
            raise
        return normalize_contact(found.group())


_NAME_LEAD_IN = re.compile(r"(?i)^(jeg heter|eg heiter|jeg er|mitt navn er|navnet mitt er)\s+")
_MAX_NAME_WORDS = 6
# What citizens say to the chat rather than give a name when asked for one: a thanks, a greeting,
# a yes or no. «Hva heter du?» – «takk» made a ticket from «takk».
_NOT_A_NAME = re.compile(
    r"(?i)^(?:(?:tusen |mange )?takk(?: skal du ha| for hjelpa?| for hjelpen)?|takker|hei(?: hei)?|hallo|heisann|"
    r"god (?:morgen|dag|kveld)|ja|jepp|nei|ok|okei|okay|greit|fint|flott|supert?|hade|ha det|"
    r"thanks?(?: you)?|thx|hi|hello|hey|yes|yeah|no|nope|fine|great|bye|goodbye|hm+|eh+)[\s.!,]*$"
)


def contact_name(text: str) -> str | None:
    """The name a citizen typed when asked for it, or None when the text cannot be one.

    A question («How do I apply for a parking permit for the street») is no name, nor is a
    sentence of more than six words, nor a thanks, a greeting, a yes or a no; «Jeg heter Kari
    Nordmann» is «Kari Nordmann».
    """
    name = _NAME_LEAD_IN.sub("", " ".join(clean_text(text or "").split()))
    if not re.search(r"[^\W\d_]", name) or name.endswith("?") or len(name.split()) > _MAX_NAME_WORDS:
        return None
    if _NOT_A_NAME.match(name):
        return None
    return name[:100]
