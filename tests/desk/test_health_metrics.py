"""The desk's /health/live, /health/ready and /metrics (bot/operations): the database's figures
move with tickets, the outbox, live chats and retention runs; /metrics answers only this machine or
METRICS_TOKEN; readiness names each check.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest

from bot import cases
from bot.cases import job_runs, live, queue
from bot.cases.models import LiveChat
from bot.db import session_scope
from bot.db.migrate import downgrade, upgrade
from bot.operations.health import migration_head
from tests.desk.conftest import Desk, make_ticket
from tests.test_metrics import scraped


async def test_the_desks_metrics_follow_the_database(desk: Desk, db_url: str) -> None:
    status_new = ("servicekontor_tickets", (("status", "new"),))
    first = scraped((await desk.api(None, "GET", "/metrics")).text)
    assert first[status_new] == 0 and first[("servicekontor_outbox_waiting", ())] == 0
    assert ("servicekontor_retention_last_run_ok", ()) not in first  # never ran

    ticket = make_ticket("m1", contact="kari@example.no")
    await asyncio.to_thread(queue.reply, ticket.reference, "Vi har sendt en ny dunk.", actor="kari")
    chat = live.request_chat("conv-live", "socketio", "nb", "faq/waste")
    with session_scope() as session:  # the citizen has waited five minutes
        session.get(LiveChat, chat.id).requested_at = cases.models.utcnow() - dt.timedelta(minutes=5)
    started = cases.models.utcnow() - dt.timedelta(seconds=5)
    job_runs.record(job_runs.RETENTION, started, True, "Anonymiserte saker: 0")
    job_runs.record(job_runs.RETENTION, started, False, "1 sak kunne ikke anonymiseres")

    after = scraped((await desk.api(None, "GET", "/metrics")).text)
    assert after[("servicekontor_tickets", (("status", "in_progress"),))] == 1
    assert after[("servicekontor_outbox_waiting", ())] == 1
    assert after[("servicekontor_outbox_failed", ())] == 0
    assert after[("servicekontor_live_chats_waiting", ())] == 1
    assert 300 <= after[("servicekontor_live_chat_longest_wait_seconds", ())] < 3600
    assert after[("servicekontor_retention_last_run_ok", ())] == 0
    success = after[("servicekontor_retention_last_success_timestamp_seconds", ())]
    assert success <= after[("servicekontor_retention_last_run_timestamp_seconds", ())]
    assert after[("servicekontor_database_metrics_ok", ())] == 1


async def test_metrics_answer_this_machine_or_the_token(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    proxied = {"X-Forwarded-For": "203.0.113.9"}  # through a proxy on this machine: not this machine
    assert (await desk.api(None, "GET", "/metrics")).status == 200
    refused = await desk.api(None, "GET", "/metrics", headers=proxied)
    assert refused.status == 403 and "servicekontor_" not in refused.text
    monkeypatch.setenv("METRICS_TOKEN", "hemmelig-maalenokkel")
    assert (await desk.api("feil", "GET", "/metrics", headers=proxied)).status == 403
    assert (await desk.api("hemmelig-maalenokkel", "GET", "/metrics", headers=proxied)).status == 200


async def test_readiness_names_each_check(desk: Desk, db_url: str) -> None:
    live_answer = await desk.api(None, "GET", "/health/live")
    assert live_answer.status == 200 and live_answer.json() == {"status": "ok"}
    ready = await desk.api(None, "GET", "/health/ready")
    assert ready.status == 200, ready.text
    checks = ready.json()["checks"]
    assert checks["database"]["ok"] and checks["migrations"]["ok"] and checks["answers"]["ok"]
    assert "redis" not in checks  # LOCK_STORE_URL is not set


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
async def test_a_database_behind_the_code_is_not_ready(desk: Desk, db_url: str) -> None:
    head = migration_head()
    assert head is not None
    downgrade(db_url, str(int(head) - 1).zfill(4))
    try:
        answer = await desk.api(None, "GET", "/health/ready")
        assert answer.status == 503
        migrations = answer.json()["checks"]["migrations"]
        assert not migrations["ok"] and f"koden krever {head}" in migrations["detail"]
    finally:
        upgrade(db_url)
    assert (await desk.api(None, "GET", "/health/ready")).status == 200


async def test_redis_is_checked_when_configured(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOCK_STORE_URL", "redis://127.0.0.1:1/0")  # nothing listens there
    answer = await desk.api(None, "GET", "/health/ready")
    assert answer.status == 503 and answer.json()["checks"]["redis"]["ok"] is False
