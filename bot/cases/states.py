"""Ticket statuses and the transitions allowed between them."""

from __future__ import annotations

from enum import Enum


class Status(str, Enum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting_for_citizen"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def citizen_text(self) -> str:
        """How the status reads to the citizen who asks the bot."""
        return _CITIZEN_TEXT[self]


_CITIZEN_TEXT = {
    Status.NEW: "Vi har fått saken din, men ingen har begynt på den ennå.",
    Status.IN_PROGRESS: "Noen hos oss jobber med saken din nå.",
    Status.WAITING: "Vi venter på svar fra deg. Se etter en e-post eller en telefon fra oss.",
    Status.RESOLVED: "Saken din er løst.",
    Status.CLOSED: "Saken din er avsluttet.",
}

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
