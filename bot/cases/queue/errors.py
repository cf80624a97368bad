"""What the queue refuses, for staff to read: the desk and the API answer each the same way
(`bot.desk.web.problem`)."""

from __future__ import annotations


class TicketNotFound(LookupError):
    """No ticket has that reference."""


class ClaimConflict(RuntimeError):
    """Someone else already holds the ticket."""

    def __init__(self, holder: str) -> None:
        super().__init__(f"Saken er allerede tatt av {holder}.")
        self.holder = holder


class QueueError(ValueError):
    """An operation the queue does not allow; the message is for staff to read."""


class InvalidAssignee(QueueError):
    """A ticket can only be given to an active staff member."""
