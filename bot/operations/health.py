"""The readiness checks of a process, each answering ok or not with a short reason.

Liveness needs no check: a process that answers `/health/live` is alive. Readiness asks what a
citizen's answer needs: the database reachable and migrated to this version's head, Redis
reachable when LOCK_STORE_URL names it, the answer library read, and on the Rasa server a loaded
model. Each check runs in a thread with a time limit, so a hanging database makes the process
«not ready» rather than making the probe hang.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

import sqlalchemy as sa
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from bot.db import get_engine
from bot.db.migrate import VERSION_TABLE, alembic_config
from bot.settings import get_settings

CHECK_SECONDS = 5.0


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str

    def as_json(self) -> dict[str, object]:
        return {"ok": self.ok, "detail": self.detail}


Probe = Callable[[], Check]


@lru_cache(maxsize=1)
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def migration_head() -> str | None:
    """The newest migration this version of the code has."""
    return _scripts().get_current_head()


def migrations_check(current: str | None) -> Check:
    """At this code's head; or ahead of it: during a rolling upgrade the new version has migrated
    and the old pods keep serving until they are replaced (migrations add, they do not break)."""
    head = migration_head()
    if current == head:
        return Check(True, f"versjon {current}")
    known = {script.revision for script in _scripts().walk_revisions()}
    if current is not None and current not in known:
        return Check(True, f"versjon {current}, nyere enn koden ({head})")
    return Check(False, f"versjon {current}, koden krever {head}")


def database() -> dict[str, Check]:
    """The database answers, and its schema is at this version's migration head."""
    try:
        with get_engine().connect() as connection:
            connection.execute(sa.text("SELECT 1"))
            current = MigrationContext.configure(
                connection, opts={"version_table": VERSION_TABLE}
            ).get_current_revision()
    except Exception as error:  # any failure to reach it means «not ready», with its name
        failed = Check(False, f"ikke tilgjengelig: {error.__class__.__name__}")
        return {"database": failed, "migrations": Check(False, "databasen svarer ikke")}
    return {"database": Check(True, "svarer"), "migrations": migrations_check(current)}


def redis() -> dict[str, Check]:
    """Redis answers, when LOCK_STORE_URL names it (several Rasa servers share locks there)."""
    url = (os.environ.get("LOCK_STORE_URL") or "").strip()
    if not url:
        return {}
    import redis as redis_client  # Rasa's dependency; only needed when Redis is configured

    try:
        redis_client.Redis.from_url(url, socket_timeout=CHECK_SECONDS, socket_connect_timeout=CHECK_SECONDS).ping()
    except Exception as error:  # any failure to reach it means «not ready»
        return {"redis": Check(False, f"ikke tilgjengelig: {error.__class__.__name__}")}
    return {"redis": Check(True, "svarer")}


def answer_library() -> dict[str, Check]:
    """This process has read the published answers (it keeps them if the database goes away)."""
    from bot.answers.live import library

    snapshot = library(get_settings().database_url).snapshot()
    if snapshot.revision < 0:
        return {"answers": Check(False, "svarbiblioteket er ikke lest")}
    count = len(snapshot.answers)
    return {"answers": Check(count > 0, f"{count} publiserte svar")}


def standard_probes() -> list[Callable[[], dict[str, Check]]]:
    """What every process needs: database, migrations, Redis (when configured), answer library."""
    return [database, redis, answer_library]


async def run_checks(probes: list[Callable[[], dict[str, Check]]]) -> dict[str, Check]:
    """Every probe's checks, each in a thread and at most CHECK_SECONDS."""
    found: dict[str, Check] = {}
    for probe in probes:
        try:
            found.update(await asyncio.wait_for(asyncio.to_thread(probe), CHECK_SECONDS))
        except asyncio.TimeoutError:
            found[probe.__name__] = Check(False, f"svarte ikke innen {CHECK_SECONDS:.0f} s")
    return found
