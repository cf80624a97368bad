"""Figures read from the database at each scrape: tickets by status, the outbox, live chats
waiting and the last retention run. They describe the shared state, not one process, so only
the desk exposes them (`install`): with several Rasa servers they would otherwise be counted
once per server.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import sqlalchemy as sa
from prometheus_client.core import REGISTRY, GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.cases import job_runs
from bot.cases.models import LiveChat, OutboxMessage, Ticket, as_utc, utcnow
from bot.cases.vocabulary import ChatStatus, Status
from bot.db import session_scope
from bot.operations.metrics import PREFIX

logger = logging.getLogger(__name__)


def _gauge(name: str, documentation: str, value: float | None = None) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"{PREFIX}_{name}", documentation, value=value)


class DatabaseCollector(Collector):
    """Collects the database's figures on each scrape; nothing when the database cannot be read."""

    def __init__(self, url: str | None = None) -> None:
        self.url = url

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            yield from self._read()
        except Exception as error:  # a scrape must not fail: readiness reports the database
            logger.warning("Metrics from the database not read: %s", error.__class__.__name__)
            yield _gauge("database_metrics_ok", "1 when the database's figures could be read", 0)

    def _read(self) -> Iterator[GaugeMetricFamily]:
        now = utcnow()
        unsent = OutboxMessage.sent_at.is_(None)
        with session_scope(self.url) as session:
            by_status = dict(session.execute(sa.select(Ticket.status, sa.func.count()).group_by(Ticket.status)).all())
            outbox_waiting = session.execute(
                sa.select(sa.func.count()).where(unsent, OutboxMessage.failed_at.is_(None))
            ).scalar()
            outbox_failed = session.execute(
                sa.select(sa.func.count()).where(unsent, OutboxMessage.failed_at.is_not(None))
            ).scalar()
            waiting_count, oldest = session.execute(
                sa.select(sa.func.count(), sa.func.min(LiveChat.requested_at)).where(
                    LiveChat.status == ChatStatus.WAITING.value
                )
            ).one()
        runs = job_runs.last_runs(job_runs.RETENTION, url=self.url)

        tickets = GaugeMetricFamily(f"{PREFIX}_tickets", "Tickets by status", labels=["status"])
        for status in Status:
            tickets.add_metric([status.value], by_status.get(status.value, 0))
        yield tickets
        yield _gauge("outbox_waiting", "E-mail replies waiting to be sent", outbox_waiting or 0)
        yield _gauge("outbox_failed", "E-mail replies given up after every try", outbox_failed or 0)
        yield _gauge("live_chats_waiting", "Citizens waiting for a staff member in live chat", waiting_count or 0)
        longest = (now - as_utc(oldest)).total_seconds() if oldest is not None else 0.0
        yield _gauge("live_chat_longest_wait_seconds", "How long the longest-waiting citizen has waited", longest)
        if runs.last_run is not None:
            yield _gauge(
                "retention_last_run_timestamp_seconds", "When the retention run last ran", runs.last_run.timestamp()
            )
            yield _gauge(
                "retention_last_run_ok", "1 when the last retention run did everything", int(bool(runs.last_ok))
            )
        if runs.last_success is not None:
            yield _gauge(
                "retention_last_success_timestamp_seconds",
                "When the retention run last did everything",
                runs.last_success.timestamp(),
            )
        yield _gauge("database_metrics_ok", "1 when the database's figures could be read", 1)


_installed: set[str | None] = set()


def install(url: str | None = None) -> None:
    """Add the database's figures to this process's /metrics (once per database)."""
    if url not in _installed:
        REGISTRY.register(DatabaseCollector(url))
        _installed.add(url)
