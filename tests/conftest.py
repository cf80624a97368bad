"""Shared fixtures: databases (SQLite always, PostgreSQL when TEST_DATABASE_URL is set) and the model."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from bot.db import get_engine
from bot.db.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "servicekontor.tar.gz"


def _database_urls(tmp_dir: Path) -> list[str]:
    urls = [f"sqlite:///{tmp_dir / 'cases.db'}"]
    if os.environ.get("TEST_DATABASE_URL"):
        urls.append(os.environ["TEST_DATABASE_URL"])
    return urls


def _reset(url: str) -> None:
    engine = get_engine(url)
    with engine.begin() as connection:
        for table in ("sk_ticket_events", "sk_tickets"):
            if sa.inspect(connection).has_table(table):
                connection.execute(sa.text(f"DELETE FROM {table}"))


@pytest.fixture(
    params=["sqlite", "postgresql"],
)
def db_url(request: pytest.FixtureRequest, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A migrated, empty case-queue database; the environment points at it."""
    if request.param == "postgresql":
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.skip("TEST_DATABASE_URL is not set (PostgreSQL tests run in CI)")
    else:
        url = f"sqlite:///{tmp_path / f'cases-{uuid.uuid4().hex[:6]}.db'}"
    upgrade(url)
    _reset(url)
    monkeypatch.setenv("DATABASE_URL", url)
    yield url


@pytest.fixture(scope="session")
def model_path() -> Path:
    if not MODEL.exists():
        pytest.fail("No trained model: run `make test` (it trains once, then shares the model).")
    return MODEL
