"""`make check-kommune`: checks a municipality's `kommune.yml` before the bot uses it.

It loads the file (the one `KOMMUNE_FILE` names, else the project's), fills every answer the
citizen can see (`domain.yml`, the channel notices and the answer library's starter catalogue in
`data/answers/`) with its facts in the answer's language,
and checks that each filled answer is clear language (LIX below 40; for the short notices in
other languages, short sentences), that no answer asks for a fact the file does not have, that
every link is a full https address and that the phone numbers can be called. It reads no web
page (the links are not fetched). The messages are in Norwegian, for the municipality's IT.

    python -m bot.kommune_check [PATH]      # exit status 1 when something is wrong
"""

from __future__ import annotations

import re
import string
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import phonenumbers
import yaml

from bot.kommune import Kommune
from bot.readability import lix
from bot.settings import PROJECT_ROOT, get_settings
from bot.yaml_files import read_yaml

DOMAIN_FILE = PROJECT_ROOT / "domain.yml"
NOTICES_FILE = PROJECT_ROOT / "bot" / "channels" / "notices.yml"
MAX_LIX = 40
MAX_WORDS_PER_SENTENCE = 12  # for languages LIX is not made for (Polish, Somali …)

# What a conversation puts into answers besides the municipality's facts: an example of each.
SLOT_EXAMPLES = {
    "ticket_summary": "Søppeldunken er ikke tømt",
    "contact_name": "Kari Nordmann",
    "contact_method": "912 34 567",
    "ticket_reference": "SK-2026-00042",
    "topic": "Avfall og gjenvinning",
    "topic_link": "https://www.example.org/avfall",
    "max_chars": "2000",
}
# Responses that speak to someone who writes neither Norwegian nor English (in English, or in
# the citizen's own language by a `language` condition).
OTHER_LANGUAGE_RESPONSES = {
    "utter_other_language",
    "utter_ask_interpreter_contact",
    "utter_interpreter_result",
    "utter_other_language_declined",
}


@dataclass(frozen=True)
class Answer:
    name: str  # «utter_greet#2», or «notice:empty_message:nn»
    language: str  # nb, nn, en, or the citizen's language (pl, so …)
    text: str  # with its {placeholders}


def answers(domain_file: Path = DOMAIN_FILE, notices_file: Path = NOTICES_FILE) -> list[Answer]:
    """Every text the bot can send a citizen, with its language."""
    domain = read_yaml(domain_file)
    found = []
    for name, variants in domain["responses"].items():
        for index, variant in enumerate(variants):
            language = "en" if name in OTHER_LANGUAGE_RESPONSES else "nb"
            for condition in variant.get("condition") or []:
                if condition.get("name") == "language":
                    language = str(condition["value"])
            found.append(Answer(f"{name}#{index}", language, variant["text"]))
    notices = read_yaml(notices_file)
    for key, by_language in notices.items():
        found += [Answer(f"notice:{key}:{language}", language, text) for language, text in by_language.items()]
    return found + library_answers()


def library_answers(directory: Path | None = None) -> list[Answer]:
    """The starter catalogue's answers and their parts (what `make run` loads into the library)."""
    from bot.answers import catalogue

    found = []
    for doc in catalogue.read(directory or catalogue.CATALOGUE):
        texts = [("", doc.text), *((f":{name}", part) for name, part in doc.parts.items())]
        for suffix, by_language in texts:
            found += [Answer(f"svar:{doc.key}{suffix}", lang, text) for lang, text in by_language.items()]
    return found


def fill(answer: Answer, kommune: Kommune) -> str:
    """The answer as the citizen reads it, with this municipality's facts."""
    return answer.text.format(**kommune.placeholders(answer.language), **SLOT_EXAMPLES)


def unclear(answer: Answer, filled: str) -> str | None:
    """Why a filled answer is not clear language, or None."""
    if answer.language in ("nb", "nn", "en"):
        score = lix(filled)
        return f"LIX {score:.0f} (må være under {MAX_LIX})" if score >= MAX_LIX else None
    sentences = [s for s in re.split(r"[.!?؟።]+", filled) if s.strip()]
    words = len(filled.split()) / max(1, len(sentences))
    return f"{words:.0f} ord per setning (høyst {MAX_WORDS_PER_SENTENCE})" if words > MAX_WORDS_PER_SENTENCE else None


def _link_problems(kommune: Kommune) -> list[str]:
    found = []
    for key, url in kommune.links.items():
        parts = urlsplit(url)
        if parts.scheme != "https" or "." not in parts.netloc or " " in url:
            found.append(f"lenker.{key}: «{url}» er ikke en full https-adresse")
    return found


def _phone_problems(kommune: Kommune) -> list[str]:
    found = []
    for key, phone in (("servicekontor.telefon", kommune.phone), ("vakttelefon_vann", kommune.water_emergency_phone)):
        try:
            valid = phonenumbers.is_possible_number(phonenumbers.parse(phone, "NO"))
        except phonenumbers.NumberParseException:
            valid = False
        if not valid:
            found.append(f"{key}: «{phone}» er ikke et telefonnummer")
    return found


def problems(path: Path) -> tuple[list[str], int]:
    """What is wrong with the file at `path` (empty: nothing), and how many answers were checked."""
    try:
        kommune = Kommune.load(path)
    except FileNotFoundError:
        return [f"Fant ikke filen {path}."], 0
    except (KeyError, ValueError, TypeError, yaml.YAMLError) as error:
        missing = f"mangler «{error.args[0]}»" if isinstance(error, KeyError) else str(error)
        return [f"{path.name} kan ikke leses: {missing}"], 0
    found = _link_problems(kommune) + _phone_problems(kommune)
    facts = set(kommune.placeholders()) | set(SLOT_EXAMPLES)
    checked = answers()
    for answer in checked:
        wanted = {field for _, field, _, _ in string.Formatter().parse(answer.text) if field}
        if wanted - facts:
            found.append(f"{answer.name}: svaret bruker {', '.join(sorted(wanted - facts))}, som filen ikke har")
            continue
        filled = fill(answer, kommune)
        why = unclear(answer, filled)
        if why:
            found.append(f"{answer.name} ({answer.language}): {why}: {filled}")
    return found, len(checked)


def main(argv: list[str]) -> int:
    path = Path(argv[0]) if argv else get_settings().kommune_file
    found, checked = problems(path)
    if found:
        print(f"{path}: {len(found)} feil.")
        for problem in found:
            print(f"  - {problem}")
        return 1
    name = Kommune.load(path).name
    print(f"{path}: {name} er i orden. {checked} svar er fylt ut og sjekket (klarspråk, lenker, telefon).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
