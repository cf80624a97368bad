"""LIX readability (läsbarhetsindex) for Norwegian text: words per sentence + % words over 6 letters.

Below 40 is easy to read. Links count as one short word: the citizen clicks, not reads them.
A number (a phone number, a year) is one short word: it is read as digits, not as a long word.
"""

from __future__ import annotations

import re

# A link or an address; the punctuation that ends a sentence after it is not part of it.
_LINK = re.compile(r"(?:(?:https?://|www\.)\S+?|\b[\w.-]+\.(?:no|com|org)\b(?:/\S*?)?|\S+@\S+?)(?=[.,;:!?)]*(?:\s|$))")
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*|\d+(?:[ .,]\d+)*")
_SENTENCE_END = re.compile(r"[.!?:]+(?=\s|$)|\n+")


def lix(text: str) -> float:
    text = _LINK.sub("lenke", text)
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(1, len([s for s in _SENTENCE_END.split(text.strip()) if _WORD.search(s)]))
    long_words = sum(1 for w in words if len(w) > 6 and not w[0].isdigit())
    return len(words) / sentences + 100 * long_words / len(words)
