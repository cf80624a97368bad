"""Input hygiene for what citizens type: one clean form of the text before anything stores it.

Used by `bot.channels.guard` (every citizen message, before Rasa sees it), by the channels for
sender ids, and by the form validators in `actions/`. It imports nothing but the standard
library, so the action server can use it without loading Rasa.

`clean_text`:
- drops NUL and every other control character except newline and tab (PostgreSQL text cannot
  hold NUL; the others only confuse NLU and the desk); CR LF, CR and the Unicode line and
  paragraph separators become newlines; vertical tab and form feed become spaces;
- drops lone surrogates (half an emoji from a broken client: no database encoding can store
  them), noncharacters, the byte-order mark and the bidi embedding/override/isolate controls
  (they can reorder the text a staff member reads in the desk);
- drops the zero-width space, the word joiner and the soft hyphen (invisible; they only split
  words and numbers);
- writes digits from other scripts (fullwidth, Arabic-Indic ...) as 0-9, so an ID number
  typed with them is masked like any other and phone numbers validate;
- normalises to NFC and strips surrounding whitespace.

`for_matching` is the stricter form that masking (`bot.pii`) looks at: NFKC, and no format
characters at all (the zero-width joiners of emoji sequences included).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

MAX_SENDER_CHARS = 128

_LINE_BREAKS = re.compile(r"\r\n?|[\u0085\u2028\u2029]")
# C0 and C1 controls except tab and newline, DEL, lone surrogates, noncharacters, bidi controls.
_DROPPED = re.compile(
    "[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff\u202a-\u202e\u2066-\u2069\ufeff"
    "\u200b\u2060\u00ad]"
)
_SPACES = re.compile("[\x0b\x0c]")
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")


def _ascii_digit(match: re.Match[str]) -> str:
    return str(unicodedata.decimal(match.group(), 0))


def clean_text(text: str | None) -> str:
    """The text with control characters, lone surrogates and odd digits handled (module docstring)."""
    if not text:
        return ""
    text = _LINE_BREAKS.sub("\n", text)
    text = _SPACES.sub(" ", text)
    text = _DROPPED.sub("", text)
    text = unicodedata.normalize("NFC", text)
    text = _OTHER_DIGIT.sub(_ascii_digit, text)
    return text.strip()


def for_matching(text: str) -> str:
    """The text as a pattern should see it: NFKC (fullwidth and other compatibility forms become
    plain), every format character dropped, digits of any script as 0-9."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    return _OTHER_DIGIT.sub(_ascii_digit, text)


def has_visible_text(text: str) -> bool:
    """Whether the text shows anything: letters, digits, punctuation, symbols or emoji.

    Whitespace, zero-width characters and other format characters alone do not count.
    """
    return any(unicodedata.category(char)[0] not in "CZ" for char in text)


def clean_sender_id(value: Any) -> str | None:
    """A conversation id from a channel, or None when it is unusable.

    Accepts a non-empty string (or an integer, as Messenger ids sometimes arrive) of at most
    `MAX_SENDER_CHARS` printable characters after stripping: no control characters, no lone
    surrogates, no line breaks. The tracker store keys conversations on it.
    """
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    sender = str(value).strip()
    if not sender or len(sender) > MAX_SENDER_CHARS or not sender.isprintable():
        return None
    return sender
