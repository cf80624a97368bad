"""Ticket statuses and the transitions allowed between them.

What a status reads like to the citizen is the dialogue's response `utter_case_status` in domain.yml.
"""

from __future__ import annotations

from bot.cases.vocabulary import Status

__all__ = ["ALLOWED", "Status", "StatusError", "check_transition"]


ALLOWED: dict[Status, set[Status]] = {
    Status.NEW: {Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED},
    Status.IN_PROGRESS: {Status.NEW, Status.WAITING, Status.RESOLVED, Status.CLOSED},
    Status.WAITING: {Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED},
    Status.RESOLVED: {Status.CLOSED, Status.IN_PROGRESS},
    Status.CLOSED: {Status.IN_PROGRESS},
}


class StatusError(ValueError):
    """A transition the status machine does not allow."""


def check_transition(current: Status, new: Status) -> None:
    if new not in ALLOWED[current]:
        raise StatusError(f"Kan ikke gå fra «{current.value}» til «{new.value}».")
