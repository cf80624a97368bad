"""Commands an operator runs that could lose data ask first or refuse (issue 16)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import sqlalchemy as sa

from bot.db.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent


def test_downgrade_without_a_target_refuses_and_drops_nothing(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sk.db'}"
    upgrade(url)
    done = subprocess.run(
        [sys.executable, "-m", "bot.db", "downgrade"],
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and "downgrade trenger en revisjon" in done.stderr
    assert "sk_tickets" in sa.inspect(sa.create_engine(url)).get_table_names()


def _clean(folder: Path, answer: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["make", "-s", "clean"], cwd=folder, input=answer, capture_output=True, text=True, check=False
    )


def test_make_clean_deletes_the_database_only_when_asked_to(tmp_path: Path) -> None:
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "var").mkdir()
    (tmp_path / "models").mkdir()
    database = tmp_path / "var" / "servicekontor.db"
    database.write_text("saker")
    for answer in ("", "ja\n", "nei\n"):
        done = _clean(tmp_path, answer)
        assert done.returncode == 0 and "ikke slettet" in done.stdout
        assert database.exists()
    assert not (tmp_path / "models").exists()  # the model goes without asking
    done = _clean(tmp_path, "slett\n")
    assert "Slettet" in done.stdout and not database.exists()


def test_make_migrates_the_database_the_env_file_names(tmp_path: Path) -> None:
    """A DATABASE_URL set only in .env is the database `make run` migrates, not the default one."""
    database = tmp_path / "from-env-file.db"
    env_file = tmp_path / "servicekontor.env"
    env_file.write_text(f"# as an operator writes it\nDATABASE_URL=sqlite:///{database}\n")
    environment = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    done = subprocess.run(
        ["make", "-s", "migrate", f"ENV_FILE={env_file}", "DATABASE_URL=sqlite:////nonexistent/default.db"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    with sa.create_engine(f"sqlite:///{database}").connect() as connection:
        assert connection.execute(sa.text("SELECT version_num FROM sk_alembic_version")).scalar()
        assert connection.execute(sa.text("SELECT COUNT(*) FROM sk_answers")).scalar() > 150
