"""Language codes as staff read them (bokmål), and which languages need an interpreter."""

from __future__ import annotations

ANSWERED = ("nb", "nn", "en")  # the chat answers in these; every other language gets an interpreter
NAMES = {
    "nb": "bokmål",
    "nn": "nynorsk",
    "en": "engelsk",
    "pl": "polsk",
    "uk": "ukrainsk",
    "ru": "russisk",
    "ar": "arabisk",
    "lt": "litauisk",
    "so": "somali",
    "ti": "tigrinja",
    "de": "tysk",
    "fr": "fransk",
    "es": "spansk",
    "fa": "persisk",
    "tr": "tyrkisk",
    "ro": "rumensk",
    "th": "thai",
    "vi": "vietnamesisk",
    "tl": "tagalog",
    "ur": "urdu",
    "sv": "svensk",
    "da": "dansk",
    "lv": "latvisk",
    "et": "estisk",
    "sq": "albansk",
    "hr": "kroatisk",
    "bg": "bulgarsk",
    "sw": "swahili",
    "zh": "kinesisk",
}


def language_name(code: str | None) -> str:
    """«polsk» for «pl»; an unknown code stays as it is."""
    return NAMES.get((code or "").lower(), code or "ukjent")


def needs_interpreter(code: str | None) -> bool:
    return bool(code) and code not in ANSWERED
