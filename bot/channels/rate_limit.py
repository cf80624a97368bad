"""A per-sender sliding-window rate limit for citizen messages, used by `bot.channels.guard`.

At most `limit` messages per sender in any `window` seconds reach Rasa; the guard answers the
rest with the notice `rate_limited`. Only accepted messages count, so a citizen who waits is
let through again as soon as the oldest counted message leaves the window.

Memory is bounded: a sender is forgotten once its newest counted message has left the window,
each sender keeps at most `limit` timestamps, and at most `max_senders` senders are kept (the
longest idle go first). The counts live in memory, per Rasa process and per channel: with
several Rasa servers behind a load balancer each server counts on its own.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable

DEFAULT_MAX_SENDERS = 100_000


class RateLimiter:
    """Sliding-window counter per sender (see the module docstring). Not thread-safe: one event loop."""

    def __init__(
        self,
        limit: int,
        window: float,
        clock: Callable[[], float] = time.monotonic,
        max_senders: int = DEFAULT_MAX_SENDERS,
    ) -> None:
        self.limit = limit
        self.window = window
        self.clock = clock
        self.max_senders = max(1, max_senders)
        # Ordered by each sender's newest counted message, oldest first.
        self._senders: OrderedDict[str, deque[float]] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.limit > 0 and self.window > 0

    def __len__(self) -> int:
        """How many senders are remembered now."""
        return len(self._senders)

    def _forget_idle(self, now: float) -> None:
        horizon = now - self.window
        while self._senders:
            sender, stamps = next(iter(self._senders.items()))
            if stamps and stamps[-1] > horizon:
                break
            del self._senders[sender]

    def allow(self, sender: str) -> bool:
        """Count a message from `sender` and say whether it may go on; refused messages are not counted."""
        if not self.enabled:
            return True
        now = self.clock()
        self._forget_idle(now)
        stamps = self._senders.get(sender)
        if stamps is None:
            stamps = deque(maxlen=self.limit)
        horizon = now - self.window
        while stamps and stamps[0] <= horizon:
            stamps.popleft()
        if len(stamps) >= self.limit:
            return False
        stamps.append(now)
        self._senders[sender] = stamps
        self._senders.move_to_end(sender)
        while len(self._senders) > self.max_senders:
            self._senders.popitem(last=False)
        return True
