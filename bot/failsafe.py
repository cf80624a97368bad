"""Makes Rasa's `FailSafeTrackerStore` raise our tracker store's errors instead of hiding them.

Rasa wraps every tracker store in `FailSafeTrackerStore`; on a database error it returns no
conversation (so the message starts a new, empty one) and saves into memory, so a citizen in the
middle of a form would silently start over and what they said would be lost at the next restart.
With our store (`bot.tracker_store.CachedSQLTrackerStore`, marked `raises_through_failsafe`) the
error is raised instead, and `bot.channels.guard` answers the citizen plainly.
`raise_errors_through_failsafe` replaces `FailSafeTrackerStore.__init__`; `bot.rasa_patches`
installs it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def _raise(error: Exception) -> None:
    raise error


def raise_errors_through_failsafe(original: Callable[..., None]) -> Callable[..., None]:
    """`FailSafeTrackerStore.__init__` that passes on errors of a store marked `raises_through_failsafe`."""

    def init(self: Any, tracker_store: Any, on_tracker_store_error: Any = None, *args: Any) -> None:
        if on_tracker_store_error is None and getattr(tracker_store, "raises_through_failsafe", False):
            on_tracker_store_error = _raise
        original(self, tracker_store, on_tracker_store_error, *args)

    return init
