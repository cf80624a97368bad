"""Shared fixtures: databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set) and the model."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from bot.answers import live
from bot.db import get_engine
from bot.db.migrate import upgrade
from bot.launch import prepare
from tests import library_eval
from tests.library_db import prepare_database
from tests.quality import SUMMARY

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "servicekontor.tar.gz"

# The tests run Rasa in this process as a Rasa server does: with our changes to Rasa installed.
prepare()


@pytest.fixture(scope="session", autouse=True)
def library_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The database this process reads the answer library from, with the starter catalogue.

    Code that runs in the tests' own process (the loaded model, the replies' topics) reads topics
    from DATABASE_URL; a test that needs an empty case queue points it elsewhere (`db_url`).
    """
    url = prepare_database(f"sqlite:///{tmp_path_factory.mktemp('library') / 'library.db'}")
    before = os.environ.get("DATABASE_URL")
    os.environ["DATABASE_URL"] = url
    yield url
    if before is None:
        os.environ.pop("DATABASE_URL", None)
    else:
        os.environ["DATABASE_URL"] = before


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """A fresh PostgreSQL database for this test run, on the server TEST_DATABASE_URL names.

    The tests never depend on what an earlier run or another checkout left in that server.
    """
    server = os.environ.get("TEST_DATABASE_URL")
    if not server:
        yield None
        return
    with fresh_postgres_database(server, "sk_test") as url:
        yield url


@contextmanager
def fresh_postgres_database(server: str, prefix: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server of the URL `server`, dropped afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(sa.engine.make_url(server), isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    url = sa.engine.make_url(server).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        get_engine(url).dispose()
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _reset(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as connection:
        for table in (
            "sk_answer_versions",
            "sk_answers",
            "sk_live_deliveries",
            "sk_live_chats",
            "sk_staff_presence",
            "sk_outbox",
            "sk_ticket_events",
            "sk_tickets",
            "sk_sessions",
            "sk_api_tokens",
            "sk_login_attempts",
            "sk_status_lookups",
            "sk_job_runs",
            "sk_staff",
        ):
            if sa.inspect(connection).has_table(table):
                connection.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture(
    params=["sqlite", "postgresql"],
)
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, postgres_url: str | None
) -> Iterator[str]:
    """A migrated, empty case-queue database; the environment points at it."""
    if request.param == "postgresql":
        url = postgres_url
        if not url:
            pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests run in CI)")
    else:
        url = f"sqlite:///{tmp_path / f'cases-{uuid.uuid4().hex[:6]}.db'}"
    upgrade(url)
    _reset(url)
    live.forget(url)  # a snapshot read before the reset would be stale
    monkeypatch.setenv("DATABASE_URL", url)
    yield url


@pytest.fixture(scope="session")
def model_path() -> Path:
    if not MODEL.exists():
        pytest.fail("No trained model: run `make test` (it trains once, then shares the model).")
    return MODEL


@pytest.fixture(scope="session")
def domain() -> Any:
    """The project's domain (`domain.yml`), loaded once."""
    from rasa.shared.core.domain import Domain

    return Domain.load(str(ROOT / "domain.yml"))


@pytest.fixture(scope="session")
def agent(model_path: Path) -> Any:
    """The trained model loaded in this process (Rasa's `Agent`), shared by the tests."""
    from rasa.core.agent import Agent

    return Agent.load(str(model_path))


def pytest_terminal_summary(terminalreporter: Any, config: pytest.Config) -> None:
    """`make test` prints the held-out figures (test_quality.py, test_library_heldout.py), pass or fail."""
    summary = config.stash.get(SUMMARY, None)
    if summary:
        terminalreporter.write_sep("=", "held-out quality")
        terminalreporter.write_line(summary)
    library = config.stash.get(library_eval.SUMMARY, None)
    if library:
        terminalreporter.write_sep("=", "answer library, held-out top-1")
        terminalreporter.write_line(library)


_LIVE = ("start_rasa", "start_actions", "start_desk")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Marks each test by what it needs (pyproject.toml lists the markers; CONTRIBUTING.md).

    `model`: the trained model; `live`: real Rasa, action or desk processes; `postgres`: the
    PostgreSQL run of a test (TEST_DATABASE_URL); `browser`: Debian's Chromium; `fast`: none of these.
    """
    for item in items:
        module = getattr(item, "module", None)
        names = vars(module) if module else {}
        fixtures = set(getattr(item, "fixturenames", ()))
        params = getattr(getattr(item, "callspec", None), "params", {})
        kinds = {
            "model": bool(fixtures & {"model_path", "agent"}),
            "live": any(name in names for name in _LIVE),
            "postgres": "postgres_url" in fixtures and params.get("db_url", "postgresql") == "postgresql",
            "browser": "CHROMIUM" in names,
        }
        for kind, needed in kinds.items():
            if needed:
                item.add_marker(kind)
        if not any(kinds.values()):
            item.add_marker("fast")
