"""An answer as the bot gives it: in the conversation's language, filled from `kommune.yml`.

A text missing in nynorsk is given in bokmål; a text missing in English (or asked for in another
language) is given in English if there is one, else in bokmål. A placeholder `kommune.yml` does not
fill is left out rather than shown as `{name}` (publishing blocks such answers; this is the last guard).
"""

from __future__ import annotations

import re

from bot.answers.document import PLACEHOLDER, AnswerDoc, Texts
from bot.kommune import answer_language, get_kommune

_FALLBACK = {"nb": ("nb", "nn"), "nn": ("nn", "nb"), "en": ("en", "nb")}


def _language(language: str | None) -> str:
    """nb, nn or en: no language yet means the municipality's own written standard."""
    return answer_language(language) if language else get_kommune().default_language


def in_language(texts: Texts, language: str | None) -> str:
    for candidate in _FALLBACK[_language(language)]:
        if texts.get(candidate):
            return texts[candidate]
    return next(iter(texts.values()), "")


def fill(text: str, language: str | None) -> str:
    values = get_kommune().placeholders(_language(language))
    return re.sub(r"\s{2,}", " ", PLACEHOLDER.sub(lambda m: values.get(m.group(1), ""), text)).strip()


def answer_text(doc: AnswerDoc, language: str | None, part: str | None = None) -> str:
    """The answer (or one of its parts, when it has that part) in `language`, filled."""
    texts = doc.parts.get(part) if part else None
    return fill(in_language(texts or doc.text, language), language)


def title(doc: AnswerDoc, language: str | None) -> str:
    return in_language(doc.title, language)
