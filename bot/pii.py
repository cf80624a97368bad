"""Finds Norwegian national ID numbers (fødselsnummer, D-nummer) in free text and masks them.

Numbers are checked with python-stdnum, so dates, phone numbers and account numbers stay as
they are; digits split by spaces of any kind, line breaks, dots, commas, slashes, underscores or
dashes (up to three such characters between two digits, as in «010190 - 12345») are found too.
A text is also read in its normalised form (`bot.sanitize.for_matching`: NFKC, no zero-width or
other format characters), so «０１０１９０１２４８０» or digits with zero-width spaces between
them are masked; such a text is then kept in that form.

`pseudonymous_sender` replaces a conversation id that is an ID number (a portal that uses the
logged-in person's number as sender) with a keyed hash before Rasa stores it.

`mask_data` masks every string inside JSON-like data (a message's metadata). Importing this
module also installs `install_log_masking`: every log record the process makes afterwards
(Rasa, the action server, the desk) is masked before any handler writes it.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from functools import lru_cache
from typing import Any
from urllib.parse import unquote_plus

from stdnum.no import fodselsnummer

from bot.sanitize import for_matching

MASK = "[fødselsnummer fjernet]"

# A run of digits where a few separators may sit between the digits (\s: every kind of space,
# line breaks too).
_DIGIT_RUN = re.compile(r"\d(?:[\s.,/_\-\u2010-\u2015]{0,3}\d)*")
_NOT_DIGIT = re.compile(r"\D")


def _has_id_number(digits: str) -> bool:
    return any(fodselsnummer.is_valid(digits[start : start + 11]) for start in range(len(digits) - 10))


def mask_id_numbers(text: str) -> tuple[str, bool]:
    """Return the text with every ID number masked, and whether anything was masked.

    A text without one is returned as it came; one that hides an ID number behind format
    characters or compatibility forms comes back normalised, with the number masked.
    """
    masked, found = _mask(text)
    if text.isascii():  # nothing for normalising to change: the common case, kept cheap
        return masked, found
    normal = for_matching(text)
    if normal != text:
        normal_masked, normal_found = _mask(normal)
        if normal_found and normal_masked.count(MASK) > masked.count(MASK):
            return normal_masked, True
    return masked, found


def _mask(text: str) -> tuple[str, bool]:
    found = False

    def replace(match: re.Match[str]) -> str:
        nonlocal found
        digits = _NOT_DIGIT.sub("", match.group())
        if len(digits) >= 11 and _has_id_number(digits):
            found = True
            return MASK
        return match.group()

    return _DIGIT_RUN.sub(replace, text), found


def mask_text(text: str) -> str:
    """The text with every ID number masked."""
    return mask_id_numbers(text)[0]


def mask_data(value: Any) -> Any:
    """JSON-like data (dicts, lists, strings) with every ID number in its strings and keys masked."""
    if isinstance(value, str):
        return mask_text(value)
    if isinstance(value, dict):
        return {mask_data(key): mask_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(mask_data(item) for item in value)
    return value


# --- conversation ids ------------------------------------------------------------------------

SENDER_PREFIX = "person-"
SENDER_KEY = "SENDER_ID_KEY"


@lru_cache(maxsize=1)
def sender_key() -> bytes:
    """The key of the hashes that stand in for ID numbers and client addresses (SENDER_ID_KEY)."""
    from bot.local_secrets import local_secret

    return local_secret(SENDER_KEY).encode("utf-8")


def pseudonymous_sender(sender: str) -> str:
    """The conversation id to store: a keyed hash in place of an ID number, else the id itself.

    Only an id whose digits are exactly one valid ID number counts (a Messenger PSID has 15 or
    more digits and is kept: replies are addressed to it). The hash is the same for the same
    number, so the person's conversation continues; without the key it cannot be reversed by
    trying every birth date.
    """
    digits = _NOT_DIGIT.sub("", for_matching(sender))
    if len(digits) != 11 or not fodselsnummer.is_valid(digits):
        return sender
    return SENDER_PREFIX + keyed_hash("sender", digits, 32)


def keyed_digest(purpose: str, value: str) -> bytes:
    """HMAC-SHA256 of `value` under SENDER_ID_KEY, kept apart per `purpose`: the one keyed hash
    behind the pseudonyms of ID numbers, client addresses, login names and the web chat's ids."""
    return hmac.new(sender_key(), f"{purpose}:{value}".encode(), hashlib.sha256).digest()


def keyed_hash(purpose: str, value: str, chars: int) -> str:
    return keyed_digest(purpose, value).hex()[:chars]


# --- logs --------------------------------------------------------------------------------------

_BASE_FORMATTER = logging.Formatter()


def mask_log_record(record: logging.LogRecord) -> None:
    """Mask the record's message, its traceback and string extras (such as Sanic's `request`)."""
    try:
        message = record.getMessage()
    except Exception:  # a malformed call: leave it to the handler to report
        message = None
    if message is not None:
        masked, found = mask_id_numbers(message)
        if found:
            record.msg, record.args = masked, ()
    if record.exc_info and not record.exc_text:
        masked, found = mask_id_numbers(_BASE_FORMATTER.formatException(record.exc_info))
        if found:
            record.exc_text = masked
    elif record.exc_text:
        record.exc_text = mask_text(record.exc_text)
    for name in ("request", "host"):  # Sanic's access log passes these as extras: URLs
        value = record.__dict__.get(name)
        if isinstance(value, str):
            # «?q=010190+12345» or «%2012345»: look at the URL as the staff member typed it.
            masked, found = mask_id_numbers(unquote_plus(value))
            if found:
                record.__dict__[name] = masked


class MaskingFilter(logging.Filter):
    """A logging filter that masks ID numbers; it never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        mask_log_record(record)
        return True


_installed = False


def install_log_masking() -> None:
    """Mask every log record this process makes from now on (idempotent).

    A log record factory reaches every logger, whatever handlers Rasa, rasa-sdk or Sanic set
    up later; the access loggers also get a filter, since their extras arrive after the factory.
    """
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        mask_log_record(record)
        return record

    logging.setLogRecordFactory(factory)
    for name in ("sanic.access", "sanic.root", "sanic.error"):
        logging.getLogger(name).addFilter(MaskingFilter())
    _installed = True


install_log_masking()
