"""What an operator sees when `make run` starts the processes (bot/launch.py): the start lines and
addresses, not pages of dependencies' deprecation warnings."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

from tests.live import ROOT, free_port, rasa_env, start_actions, start_rasa, wait_for


def _until(log: Path, text: str, timeout: float = 120) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        content = log.read_text()
        if text in content:
            return content
        time.sleep(0.3)
    raise TimeoutError(f"{text!r} did not appear:\n{log.read_text()[-3000:]}")


def test_the_action_server_starts_without_deprecation_warnings(tmp_path: Path) -> None:
    port = free_port()
    process = start_actions(port, f"sqlite:///{tmp_path}/t.db", tmp_path)
    try:
        output = _until(process.log, "Action endpoint is up and running")
    finally:
        process.stop()
    assert f":{port}" in output
    assert "DeprecationWarning" not in output
    assert "Registered function for 'action_submit_ticket'" in output


def test_the_rasa_server_starts_without_deprecation_warnings(tmp_path: Path, model_path: Path) -> None:
    port = free_port()
    process = start_rasa(port, free_port(), f"sqlite:///{tmp_path}/t.db", model_path, tmp_path)
    try:
        wait_for(f"http://127.0.0.1:{port}/", process)
        output = _until(process.log, "Rasa server is up and running")
    finally:
        process.stop()
    assert f"Starting Rasa server on http://0.0.0.0:{port}" in output
    assert "DeprecationWarning" not in output


def test_sanic_turns_deprecation_warnings_back_on_without_the_launcher() -> None:
    """Why bot/launch.py exists: with PYTHONWARNINGS alone, importing Sanic shows them again."""
    check = "import warnings, sanic.app; warnings.warn('old', DeprecationWarning)"
    plain = subprocess.run(
        [sys.executable, "-c", check], check=True, cwd=ROOT, env=rasa_env(), capture_output=True, text=True
    )
    launched = subprocess.run(
        [sys.executable, "-c", "from bot.launch import quiet_deprecations; quiet_deprecations(); " + check],
        check=True,
        cwd=ROOT,
        env=rasa_env(),
        capture_output=True,
        text=True,
    )
    assert "DeprecationWarning: old" in plain.stderr
    assert "DeprecationWarning" not in launched.stderr
