"""Starts real Rasa and action servers and the desk for end-to-end tests, and talks to them over REST."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RASA = str(Path(sys.executable).with_name("rasa"))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rasa_env(**extra: str) -> dict[str, str]:
    """The environment `make run` gives Rasa, plus `extra`."""
    env = dict(os.environ)
    env.update(
        PYTHONPATH=str(ROOT),
        SQLALCHEMY_SILENCE_UBER_WARNING="1",
        TF_CPP_MIN_LOG_LEVEL="2",
        RASA_TELEMETRY_ENABLED="false",
    )
    env.update(extra)
    return env


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    log: Path

    def stop(self) -> None:
        if self.popen.poll() is None:
            self.popen.send_signal(signal.SIGINT)
            try:
                self.popen.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()


def start_actions(port: int, database_url: str, log_dir: Path) -> Process:
    log = log_dir / f"actions-{port}.log"
    popen = subprocess.Popen(
        [RASA, "run", "actions", "--actions", "actions", "--port", str(port)],
        cwd=ROOT,
        env=rasa_env(DATABASE_URL=database_url),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return Process("actions", popen, log)


def start_rasa(
    port: int, action_port: int, database_url: str, model: Path, log_dir: Path, endpoints: Path | None = None
) -> Process:
    log = log_dir / f"rasa-{port}.log"
    popen = subprocess.Popen(
        [
            RASA,
            "run",
            "--model",
            str(model),
            "--port",
            str(port),
            "--credentials",
            "credentials.yml",
            "--endpoints",
            str(endpoints or ROOT / "endpoints.yml"),
        ],
        cwd=ROOT,
        env=rasa_env(DATABASE_URL=database_url, ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook"),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return Process("rasa", popen, log)


def start_desk(port: int, database_url: str, log_dir: Path, **env: str) -> Process:
    log = log_dir / f"desk-{port}.log"
    popen = subprocess.Popen(
        [sys.executable, "-m", "bot.desk", "serve", "--host", "127.0.0.1", "--port", str(port)],
        cwd=ROOT,
        env=rasa_env(DATABASE_URL=database_url, **env),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return Process("desk", popen, log)


def wait_for(url: str, process: Process, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise RuntimeError(f"{process.name} exited:\n{process.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer:\n{process.log.read_text()[-3000:]}")


@dataclass
class Chat:
    """One citizen talking to the REST channel."""

    port: int
    sender: str
    replies: list[dict[str, Any]] = field(default_factory=list)

    def say(self, text: str) -> str:
        body = json.dumps({"sender": self.sender, "message": text}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            self.replies = json.loads(response.read())
        return "\n".join(r.get("text", "") for r in self.replies)
