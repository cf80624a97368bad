"""The growing wait after repeated failures, shared by the desk's logins (`bot/login_attempts.py`)
and the bot's case-status lookups (`bot/cases/status_lookups.py`)."""

from __future__ import annotations

import datetime as dt


def growing_wait(failures: int, free: int, cap: dt.timedelta) -> dt.timedelta:
    """After `free` failures none; then 1 minute, 2, 4 … up to `cap`."""
    if failures < free:
        return dt.timedelta(0)
    return min(dt.timedelta(minutes=2 ** (failures - free)), cap)
