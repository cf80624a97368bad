"""Notices when a custom action fails while Rasa handles one message (the action server is down).

Rasa logs such a failure, drops the action's events and goes on predicting, so the citizen
would get whatever the fallback says next («I did not understand»). `bot.channels.guard`
watches for failures instead: from the first failure on it holds back the bot's messages and
tells the citizen plainly that something is wrong, with the phone number.

`ActionExecutionRejection` is not a failure: forms use it to hand a turn back to the policies.
`_run` replaces `RemoteAction.run`; `bot.rasa_patches` installs it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction

_failures: ContextVar[list[str] | None] = ContextVar("servicekontor_action_failures", default=None)
_original_run = RemoteAction.run


async def _run(self: RemoteAction, *args: Any, **kwargs: Any) -> Any:
    try:
        return await _original_run(self, *args, **kwargs)
    except ActionExecutionRejection:
        raise
    except Exception:
        failures = _failures.get()
        if failures is not None:
            failures.append(self.name())
        raise


@contextmanager
def watch() -> Iterator[list[str]]:
    """The names of the custom actions that failed while the block ran (in this task)."""
    failures: list[str] = []
    token = _failures.set(failures)
    try:
        yield failures
    finally:
        _failures.reset(token)
