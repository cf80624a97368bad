"""The municipality's facts the tests expect to see, read from the kommune.yml in use
(`KOMMUNE_FILE`), so that `make test` passes for any municipality, not only the example's.
`tests/fixtures/kommune-annen.yml` is a second municipality whose every value differs."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.kommune import WEEKDAYS, get_kommune
from bot.settings import get_settings

KOMMUNE = get_kommune()
PHONE = KOMMUNE.phone
NAME = KOMMUNE.name
OFFICE = KOMMUNE.office_name
WEBSITE = KOMMUNE.links["nettside"]
HOURS = {language: KOMMUNE.placeholders(language)["apningstider"] for language in ("nb", "nn", "en")}
# The first opening time as answers write it («08.00»): a short sign that the opening-hours answer came.
OPENS = min(opens for opens, _closes in KOMMUNE.opening_hours.by_weekday.values()).strftime("%H.%M")


def link(key: str) -> str:
    """One of the municipality's pages (`lenker:` in kommune.yml)."""
    return KOMMUNE.links[key]


def open_around_the_clock(folder: Path) -> Path:
    """A copy of the kommune file in use whose office is open every hour of the week (for live-chat
    tests, which must not depend on when they run)."""
    data = yaml.safe_load(get_settings().kommune_file.read_text(encoding="utf-8"))
    data["servicekontor"]["apningstider"] = {day: "00:00-24:00" for day in WEEKDAYS}
    path = folder / "kommune.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path
