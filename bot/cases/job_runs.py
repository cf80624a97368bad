"""Runs of the scheduled jobs (the retention run), kept so that the desk's metrics can tell the
operator when a job last ran and last succeeded: a daily job that silently stopped is an alert.
Runs older than `KEEP` are deleted when a new one is recorded.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import sqlalchemy as sa

from bot.cases.models import JobRun, as_utc, utcnow
from bot.db import session_scope

RETENTION = "retention"
KEEP = dt.timedelta(days=90)


@dataclass(frozen=True)
class LastRuns:
    last_run: dt.datetime | None
    last_ok: bool | None
    last_success: dt.datetime | None


def record(job: str, started_at: dt.datetime, ok: bool, summary: str = "", *, url: str | None = None) -> None:
    with session_scope(url) as session:
        now = utcnow()
        session.add(JobRun(job=job, started_at=started_at, finished_at=now, ok=ok, summary=summary[:2000]))
        session.execute(sa.delete(JobRun).where(JobRun.job == job, JobRun.finished_at < now - KEEP))


def last_runs(job: str, *, url: str | None = None) -> LastRuns:
    with session_scope(url) as session:
        last = session.execute(
            sa.select(JobRun.finished_at, JobRun.ok).where(JobRun.job == job).order_by(JobRun.id.desc()).limit(1)
        ).first()
        success = session.execute(
            sa.select(sa.func.max(JobRun.finished_at)).where(JobRun.job == job, JobRun.ok.is_(True))
        ).scalar()
    return LastRuns(as_utc(last[0]) if last else None, last[1] if last else None, as_utc(success))
