"""What `make run` exposes (issue 15, item 14): the Rasa server and the action server listen on
127.0.0.1 unless told otherwise, the action server answers only the Rasa server's token, and no
password is printed."""

from __future__ import annotations

import os
import re
import socket
import subprocess
from pathlib import Path

import aiohttp
import pytest

from bot import action_auth
from tests.live import ROOT, Process, free_port, rasa_env, start_actions, wait_for

PROCFILE = {
    name: command.strip()
    for name, _, command in (line.partition(":") for line in (ROOT / "Procfile").read_text().splitlines() if line)
}


def _expanded(command: str, **env: str) -> list[str]:
    """The Procfile line as honcho's shell runs it (its ${VAR:-default} filled in)."""
    script = f"set -- {command}; printf '%s\\n' \"$@\""
    clean = {k: v for k, v in os.environ.items() if k not in ("RASA_HOST", "ACTIONS_HOST")}
    done = subprocess.run(["bash", "-c", script], env={**clean, **env}, capture_output=True, text=True, check=True)
    return done.stdout.split()


def test_the_rasa_server_listens_on_localhost_unless_told_otherwise() -> None:
    words = _expanded(PROCFILE["rasa"])
    assert words[words.index("--interface") + 1] == "127.0.0.1"
    words = _expanded(PROCFILE["rasa"], RASA_HOST="0.0.0.0")
    assert words[words.index("--interface") + 1] == "0.0.0.0"


def _outside_address() -> str | None:
    """An address of this machine that is not loopback, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the route's source
            address = probe.getsockname()[0]
        except OSError:
            return None
    return None if address.startswith("127.") else address


def test_the_action_server_from_the_procfile_listens_on_localhost_only(tmp_path: Path) -> None:
    outside = _outside_address()
    if outside is None:
        pytest.skip("this machine has no address but loopback")
    port = free_port()
    command = PROCFILE["actions"].replace("--port 5055", f"--port {port}")
    env = {k: v for k, v in rasa_env().items() if k != "ACTIONS_HOST"}
    log = tmp_path / "actions.log"
    popen = subprocess.Popen(["bash", "-c", command], cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
    process = Process("actions", popen, log)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", process, timeout=120)
        with pytest.raises(OSError):
            socket.create_connection((outside, port), timeout=3).close()
    finally:
        process.stop()


async def test_the_action_server_answers_only_with_the_token(tmp_path: Path) -> None:
    port = free_port()
    server = start_actions(port, f"sqlite:///{tmp_path}/db.sqlite", tmp_path)
    try:
        wait_for(f"http://127.0.0.1:{port}/health", server, timeout=120)
        call = {"next_action": "action_submit_ticket", "sender_id": "x", "tracker": {}, "domain": {}}
        url = f"http://127.0.0.1:{port}"
        async with aiohttp.ClientSession() as session:
            async with session.post(f"{url}/webhook", json=call) as answer:
                assert answer.status == 401
            async with session.get(f"{url}/actions") as answer:
                assert answer.status == 401
            wrong = {"Authorization": "Bearer " + "0" * 64}
            async with session.post(f"{url}/webhook", json=call, headers=wrong) as answer:
                assert answer.status == 401
            right = {"Authorization": f"Bearer {action_auth.token()}"}
            async with session.get(f"{url}/actions", headers=right) as answer:
                assert answer.status == 200 and {"name": "action_submit_ticket"} in await answer.json()
            async with session.get(f"{url}/health") as answer:
                assert answer.status == 200  # the probes need no token
    finally:
        server.stop()


def test_make_run_never_prints_the_database_password() -> None:
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert not re.search(r"echo[^\n]*\$\(DATABASE_URL\)", recipe)
    printed = [line for line in recipe.splitlines() if "Database:" in line]
    assert printed
    command = re.search(r"\$\$\((.*)\)\"", printed[0]).group(1).replace("$(PY)", str(ROOT / ".venv/bin/python"))
    out = subprocess.run(
        ["bash", "-c", command.replace("$$", "$")],
        env={**os.environ, "DATABASE_URL": "postgresql://sk:hemmelig-passord@db.example.no/sk"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "hemmelig" not in out and "db.example.no" in out
