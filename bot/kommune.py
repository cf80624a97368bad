"""The municipality's own facts from `kommune.yml`, and the placeholders responses use."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.opening_hours import WEEKDAYS, OpeningHours
from bot.settings import get_settings
from bot.yaml_files import read_yaml

__all__ = ["WEEKDAYS", "Kommune", "OpeningHours", "answer_language", "get_kommune"]

LANGUAGES = ("nb", "nn", "en")
# How long closed tickets and the conversations behind them are kept (`lagringstid_dager`).
DEFAULT_RETENTION_DAYS = 90
MAX_RETENTION_DAYS = 3650


def answer_language(language: str | None) -> str:
    """The language an answer is written in: nb, nn or en (English for every other language)."""
    return language if language in LANGUAGES else "en"


@dataclass(frozen=True)
class Kommune:
    """Everything local that answers, the desk and the widget may mention."""

    name: str
    default_language: str
    office_name: str
    phone: str
    email: str
    visiting_address: str
    location: str
    location_by_language: dict[str, str]
    postal_address: str
    opening_hours: OpeningHours
    water_emergency_phone: str
    privacy_officer_email: str
    links: dict[str, str]
    retention_days: int

    @classmethod
    def load(cls, path: Path) -> Kommune:
        data: dict[str, Any] = read_yaml(path) or {}
        office = data.get("servicekontor") or {}
        language = data.get("malform", "nb")
        if language not in ("nb", "nn"):
            raise ValueError("malform i kommune.yml må være nb eller nn")
        return cls(
            name=str(data["navn"]),
            default_language=language,
            office_name=str(office.get("navn", "Servicekontoret")),
            phone=str(office["telefon"]),
            email=str(office["epost"]),
            visiting_address=str(office["besoksadresse"]),
            location=_by_language(office.get("plassering"), language)[language],
            location_by_language=_by_language(office.get("plassering"), language),
            postal_address=str(office.get("postadresse", "")),
            opening_hours=OpeningHours.parse(office.get("apningstider"), office.get("avvik"), office.get("sommertid")),
            water_emergency_phone=str(data.get("vakttelefon_vann", office["telefon"])),
            privacy_officer_email=str(data.get("personvernombud_epost", office["epost"])),
            links={str(k): str(v) for k, v in (data.get("lenker") or {}).items()},
            retention_days=_retention_days(data.get("lagringstid_dager", DEFAULT_RETENTION_DAYS)),
        )

    def placeholders(self, language: str = "nb") -> dict[str, str]:
        """Values for `{placeholder}`s in domain.yml responses, in the answer's language."""
        language = answer_language(language)
        values = {
            "kommune": self.name,
            "servicekontor": self.office_name,
            "telefon": self.phone,
            "epost": self.email,
            "besoksadresse": self.visiting_address,
            "plassering": self.location_by_language.get(language, self.location),
            "postadresse": self.postal_address,
            "apningstider": self.opening_hours.as_text(language),
            "apningstider_avvik": self.opening_hours.deviations(language=language),
            "vakttelefon_vann": self.water_emergency_phone,
            "personvernombud_epost": self.privacy_officer_email,
            "lagringstid_dager": str(self.retention_days),
        }
        values.update({f"lenke_{key}": url for key, url in self.links.items()})
        values.setdefault("lenke_sok", self.links.get("nettside", ""))  # the website's search, else its front page
        return values


def _retention_days(value: Any) -> int:
    """`lagringstid_dager`: a whole number of days, at least one."""
    text = str(value).strip()
    if isinstance(value, bool) or not text.isdecimal() or not 1 <= int(text) <= MAX_RETENTION_DAYS:
        raise ValueError(
            f"lagringstid_dager i kommune.yml må være et helt antall dager fra 1 til {MAX_RETENTION_DAYS}, "
            f"for eksempel 90 (nå: {value!r})."
        )
    return int(text)


def _by_language(value: Any, default_language: str) -> dict[str, str]:
    """A text given once for all languages, or per language (`nb:`, `nn:`, `en:`)."""
    if isinstance(value, dict):
        texts = {str(k): str(v) for k, v in value.items() if v}
        fallback = texts.get(default_language) or next(iter(texts.values()), "")
        return {language: texts.get(language, fallback) for language in LANGUAGES}
    return {language: str(value or "") for language in LANGUAGES}


@lru_cache(maxsize=4)
def _load_cached(path: Path, mtime: float) -> Kommune:
    return Kommune.load(path)


def get_kommune() -> Kommune:
    """The configured municipality; re-read when the file changes."""
    path = get_settings().kommune_file
    return _load_cached(path, path.stat().st_mtime)
