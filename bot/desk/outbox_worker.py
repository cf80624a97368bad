"""The desk's background sender: every `INTERVAL_SECONDS` it sends the outbox's due e-mails
(`bot.cases.queue.deliver_outbox`: tries again after a growing wait, gives up after
OUTBOX_MAX_ATTEMPTS). Without SMTP_HOST it does nothing. Several desk processes may run it: each
message is claimed before it is sent.
"""

from __future__ import annotations

import asyncio
import logging

from sanic import Sanic

from bot.cases import queue
from bot.settings import get_settings

logger = logging.getLogger(__name__)
INTERVAL_SECONDS = 60.0


async def send_due_mail(interval: float = INTERVAL_SECONDS) -> None:
    """Runs until cancelled; a failure is logged and the next round tries again."""
    while True:
        await asyncio.sleep(interval)
        if not get_settings().smtp_host:
            continue
        try:
            sent = await asyncio.to_thread(queue.deliver_outbox)
            if sent:
                logger.info("Outbox: %d e-mails sent", sent)
        except Exception:  # the database may be away for a while; the desk must go on
            logger.exception("Outbox round failed")


def install(app: Sanic) -> None:
    """Start the sender with the desk's server, and stop it with it."""

    async def start(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        app.ctx.outbox_task = asyncio.get_running_loop().create_task(send_due_mail())

    async def stop(app: Sanic, _loop: asyncio.AbstractEventLoop) -> None:
        task = getattr(app.ctx, "outbox_task", None)
        if task is not None:
            task.cancel()

    app.register_listener(start, "after_server_start")
    app.register_listener(stop, "before_server_stop")
