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
