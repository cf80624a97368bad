"""One answer of the library, and what must hold before it is given to citizens.

`AnswerDoc` is the same in the database (a JSON snapshot per version), in the catalogue's YAML
(Norwegian field names, for the people who read those files) and in the desk. `publish_problems`
lists what blocks publishing, in Norwegian, for the editor: a missing bokmål text, a text with
LIX 40 or more in any language, a placeholder `kommune.yml` does not fill, an example list that
is too short to find the answer by.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from bot.answers.vocabulary import LANGUAGES, PARTS, THEMES, AnswerStatus
from bot.readability import lix

KEY = re.compile(r"^[a-z0-9_]{2,80}$")
PLACEHOLDER = re.compile(r"\{(\w+)\}")
MAX_LIX = 40
MIN_EXAMPLES = 8  # per language the answer is written in
LANGUAGE_NAMES = {"nb": "bokmål", "nn": "nynorsk", "en": "engelsk"}

Texts = dict[str, str]  # language → text


@dataclass(frozen=True)
class AnswerDoc:
    """An answer's content and its editorial facts (status, owner, last checked)."""

    key: str
    theme: str
    title: Texts
    text: Texts
    parts: dict[str, Texts] = field(default_factory=dict)  # `vocabulary.PARTS` name → texts
    examples: dict[str, list[str]] = field(default_factory=dict)  # language → questions
    sources: list[str] = field(default_factory=list)
    owner: str = "Servicekontoret"
    checked_on: dt.date = field(default_factory=dt.date.today)
    status: AnswerStatus = AnswerStatus.PUBLISHED

    def content(self) -> dict[str, Any]:
        """The JSON snapshot stored per version (everything but the editorial columns)."""
        return {
            "title": _clean(self.title),
            "text": _clean(self.text),
            "parts": {name: _clean(texts) for name, texts in self.parts.items() if _clean(texts)},
            "examples": {lang: [e.strip() for e in items if e.strip()] for lang, items in self.examples.items()},
            "sources": [s.strip() for s in self.sources if s.strip()],
        }

    def content_hash(self) -> str:
        snapshot = {"theme": self.theme, "owner": self.owner, **self.content()}
        return hashlib.sha256(json.dumps(snapshot, sort_keys=True, ensure_ascii=False).encode()).hexdigest()

    @classmethod
    def from_content(
        cls, key: str, theme: str, content: dict[str, Any], *, owner: str, checked_on: dt.date, status: str
    ) -> AnswerDoc:
        return cls(
            key=key,
            theme=theme,
            title=dict(content.get("title") or {}),
            text=dict(content.get("text") or {}),
            parts={name: dict(texts) for name, texts in (content.get("parts") or {}).items()},
            examples={lang: list(items) for lang, items in (content.get("examples") or {}).items()},
            sources=list(content.get("sources") or []),
            owner=owner,
            checked_on=checked_on,
            status=AnswerStatus(status),
        )

    def with_status(self, status: AnswerStatus) -> AnswerDoc:
        return replace(self, status=status)

    def placeholders(self) -> set[str]:
        """The `kommune.yml` values the answer uses (`{telefon}`, `{lenke_byggesak}` …)."""
        texts = [*self.text.values(), *(t for part in self.parts.values() for t in part.values())]
        return {name for text in texts for name in PLACEHOLDER.findall(text)}

    def languages(self) -> list[str]:
        return [lang for lang in LANGUAGES if (self.text.get(lang) or "").strip()]


def _clean(texts: Texts) -> Texts:
    return {lang: " ".join(str(texts[lang]).split()) for lang in LANGUAGES if str(texts.get(lang) or "").strip()}


def shape_problems(doc: AnswerDoc) -> list[str]:
    """What makes the answer unusable even as a draft (it cannot be stored like this)."""
    problems = []
    if not KEY.match(doc.key):
        problems.append("Nøkkelen kan bare ha små bokstaver a–z, tall og _ (2–80 tegn).")
    if doc.theme not in THEMES:
        problems.append(f"Ukjent tema «{doc.theme}». Bruk et av de 14 hovedtemaene i LOS.")
    if not (doc.title.get("nb") or "").strip():
        problems.append("Svaret mangler tittel på bokmål.")
    unknown_parts = set(doc.parts) - set(PARTS)
    if unknown_parts:
        problems.append(f"Ukjente deler: {', '.join(sorted(unknown_parts))}.")
    return problems


def publish_problems(
    doc: AnswerDoc, known_placeholders: set[str], fill: Callable[[str, str], str] | None = None
) -> list[str]:
    """What blocks publishing, each as a sentence the editor can act on (empty: it may be published).

    LIX is measured on the text as the citizen reads it: `fill(text, language)` puts in the
    municipality's facts (a link or a phone number reads as one short word).
    """
    problems = shape_problems(doc)
    if not (doc.text.get("nb") or "").strip():
        problems.append("Svaret mangler tekst på bokmål.")
    texts = [("Svaret", doc.text)] + [(f"Delen «{name}»", texts) for name, texts in doc.parts.items()]
    for label, by_language in texts:
        for lang, text in _clean(by_language).items():
            score = lix(fill(text, lang) if fill else text)
            if score >= MAX_LIX:
                problems.append(
                    f"{label} på {LANGUAGE_NAMES[lang]} har LIX {score:.0f}. "
                    f"Skriv kortere setninger og ord (under {MAX_LIX})."
                )
    for name in sorted(doc.placeholders() - known_placeholders):
        problems.append(f"«{{{name}}}» finnes ikke i kommune.yml. Legg den inn der, eller fjern den fra teksten.")
    for lang in doc.languages():
        count = len([e for e in doc.examples.get(lang, []) if e.strip()])
        if count < MIN_EXAMPLES:
            problems.append(
                f"Svaret har {count} eksempelspørsmål på {LANGUAGE_NAMES[lang]}; det trenger minst {MIN_EXAMPLES}."
            )
    for source in doc.sources:
        if not source.startswith("https://"):
            problems.append(f"Kilden «{source}» må være en https-lenke.")
    return problems
