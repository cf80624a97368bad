"""Ticket references as citizens see them, e.g. SK-2026-00042, and parsing of what they type."""

from __future__ import annotations

import re

PREFIX = "SK"
_TYPED = re.compile(r"\bsk\s*[-–.]?\s*(\d{4})\s*[-–.]?\s*(\d{1,6})\b", re.IGNORECASE)
_BARE = re.compile(r"^\s*(\d{4})\s*[-–.]\s*(\d{1,6})\s*$")


def format_reference(year: int, number: int) -> str:
    return f"{PREFIX}-{year}-{number:05d}"


def parse_reference(text: str) -> str | None:
    """Canonical reference found in what the citizen typed («sk 2026 42» → SK-2026-00042)."""
    match = _TYPED.search(text or "") or _BARE.match(text or "")
    if not match:
        return None
    return format_reference(int(match.group(1)), int(match.group(2)))
