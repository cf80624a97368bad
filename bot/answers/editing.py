"""The editor's side of an answer: the desk's form read into an answer, and what the editor sees
of it while writing (LIX per language, the answer as the bot would give it, what blocks publishing).

The form's field names are Norwegian, like the rest of the desk: `tittel_nb`, `tekst_nn`,
`del_pris_en`, `eksempler_nb` (one question per line), `kilder` (one link per line), `tema`,
`eier` and `kontrollert` (ticked: the editor has checked the answer today). The desk's views
only pass the form here and show what comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, replace

from bot.answers import render
from bot.answers.document import LANGUAGE_NAMES, MAX_LIX, AnswerDoc, publish_problems
from bot.answers.store import known_placeholders
from bot.answers.vocabulary import LANGUAGES, PARTS
from bot.readability import lix

# An answer nobody has checked for this long is marked in the editor's list.
CHECK_INTERVAL = dt.timedelta(days=365)
PART_LABELS = {
    "pris": "Pris",
    "frist": "Frist",
    "behandlingstid": "Behandlingstid",
    "hvem": "Hvem kan søke",
    "hvordan": "Slik søker du",
    "hvor": "Hvor",
    "dokumenter": "Dokumenter",
    "klage": "Klage",
}
assert set(PART_LABELS) == set(PARTS)


def needs_check(doc: AnswerDoc, today: dt.date | None = None) -> bool:
    """Whether nobody has checked the answer for twelve months."""
    return (today or dt.date.today()) - doc.checked_on > CHECK_INTERVAL


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def doc_from_form(form: Mapping[str, str], base: AnswerDoc, today: dt.date | None = None) -> AnswerDoc:
    """The answer as the editor's form has it; what the form does not hold comes from `base`.

    A field the form leaves out keeps what `base` has, so a partial form never wipes stored text;
    a field sent empty empties it.
    """

    def field(name: str) -> str:
        return str(form.get(name) or "").strip()

    def texts(prefix: str, stored: dict[str, str]) -> dict[str, str]:
        merged = {
            lang: field(f"{prefix}_{lang}") if f"{prefix}_{lang}" in form else stored.get(lang, "")
            for lang in LANGUAGES
        }
        return {lang: text for lang, text in merged.items() if text}

    def examples() -> dict[str, list[str]]:
        merged = {
            lang: _lines(field(f"eksempler_{lang}")) if f"eksempler_{lang}" in form else base.examples.get(lang, [])
            for lang in LANGUAGES
        }
        return {lang: items for lang, items in merged.items() if items}

    parts = {name: texts(f"del_{name}", base.parts.get(name, {})) for name in PARTS}
    return replace(
        base,
        theme=field("tema") or base.theme,
        owner=field("eier")[:100] or base.owner,
        title=texts("tittel", base.title),
        text=texts("tekst", base.text),
        parts={name: value for name, value in parts.items() if value},
        examples=examples(),
        sources=_lines(field("kilder")) if "kilder" in form else base.sources,
        checked_on=(today or dt.date.today()) if field("kontrollert") else base.checked_on,
    )


@dataclass(frozen=True)
class LanguagePreview:
    language: str
    name: str  # «bokmål»
    written: bool  # the answer has its own text in this language
    text: str  # as the bot gives it in a conversation in this language, filled from kommune.yml
    lix: float | None  # of the language's own text, filled; None when it has none

    @property
    def lix_ok(self) -> bool:
        return self.lix is None or self.lix < MAX_LIX


@dataclass(frozen=True)
class Preview:
    languages: list[LanguagePreview]
    problems: list[str]  # what blocks publishing; empty: it may be published

    def as_json(self) -> dict[str, object]:
        return {
            "languages": {
                p.language: {
                    "written": p.written,
                    "text": p.text,
                    "lix": None if p.lix is None else round(p.lix),
                    "lix_ok": p.lix_ok,
                }
                for p in self.languages
            },
            "problems": self.problems,
            "max_lix": MAX_LIX,
        }


def preview(doc: AnswerDoc) -> Preview:
    """What the editor sees beside the form: the bot's text per language, its LIX, what blocks publishing."""
    languages = []
    for lang in LANGUAGES:
        own = (doc.text.get(lang) or "").strip()
        languages.append(
            LanguagePreview(
                language=lang,
                name=LANGUAGE_NAMES[lang],
                written=bool(own),
                text=render.answer_text(doc, lang) if doc.text else "",
                lix=lix(render.fill(own, lang)) if own else None,
            )
        )
    return Preview(languages, publish_problems(doc, known_placeholders(), render.fill))


def changed(older: AnswerDoc | None, newer: AnswerDoc) -> list[str]:
    """What a version changed from the one before, in the editor's words («svar (nynorsk)», «status»)."""
    if older is None:
        return []
    found = [
        label
        for label, attribute in (
            ("tema", "theme"),
            ("eier", "owner"),
            ("kontrollert", "checked_on"),
            ("status", "status"),
        )
        if getattr(older, attribute) != getattr(newer, attribute)
    ]
    for label, attribute in (("tittel", "title"), ("svar", "text"), ("eksempler", "examples")):
        for lang in LANGUAGES:
            if getattr(older, attribute).get(lang) != getattr(newer, attribute).get(lang):
                found.append(f"{label} ({LANGUAGE_NAMES[lang]})")
    for name, label in PART_LABELS.items():
        if older.parts.get(name) != newer.parts.get(name):
            found.append(f"delen «{label.lower()}»")
    if older.sources != newer.sources:
        found.append("kilder")
    return found


def matches(doc: AnswerDoc, query: str) -> bool:
    """Whether the editor's search words are all in the answer (key, titles, texts or examples)."""
    haystack = " ".join(
        [
            doc.key,
            *doc.title.values(),
            *doc.text.values(),
            *(q for items in doc.examples.values() for q in items),
        ]
    ).casefold()
    return all(word in haystack for word in query.casefold().split())
