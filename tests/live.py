"""Starts real Rasa and action servers and the desk for end-to-end tests, and talks to them over REST."""

from __future__ import annotations

import json
import os
import pwd
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# As the Procfile starts them: Rasa's command line through bot/launch.py.
RASA = [sys.executable, "-m", "bot.launch"]


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
        PYTHONWARNINGS="ignore::DeprecationWarning",
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
        [*RASA, "run", "actions", "--actions", "actions", "--port", str(port)],
        cwd=ROOT,
        env=rasa_env(DATABASE_URL=database_url),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return Process("actions", popen, log)


def start_rasa(
    port: int,
    action_port: int,
    database_url: str,
    model: Path,
    log_dir: Path,
    endpoints: Path | None = None,
    **env: str,
) -> Process:
    log = log_dir / f"rasa-{port}.log"
    popen = subprocess.Popen(
        [
            *RASA,
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
        env=rasa_env(DATABASE_URL=database_url, ACTION_ENDPOINT_URL=f"http://127.0.0.1:{action_port}/webhook", **env),
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


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, str]:
    """A GET's status and body, also for an error status."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def eventually(fetch: Callable[[], list[Any]], timeout: float = 30) -> list[Any]:
    """What fetch returns once it is not empty: a channel may answer before Rasa has saved the turn."""
    deadline = time.monotonic() + timeout
    while not (found := fetch()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return found


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


def _postgres_bindir() -> Path | None:
    """Where Debian (or PATH) keeps initdb and pg_ctl, or None."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).parent
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "pg_ctl").exists() and (candidate / "initdb").exists():
            return candidate
    return None


class PostgresServer:
    """A private, throwaway PostgreSQL server that tests may stop, start and restart at will.

    Tests that take the database away must not take it from other tests running at the same
    time, so they get their own server (initdb in a temporary directory, its own port, trust
    auth on 127.0.0.1) instead of the shared one. PostgreSQL refuses to run as root: as root,
    the server runs as the `postgres` user.
    """

    def __init__(self, bindir: Path, user: str | None) -> None:
        self.bindir = bindir
        self.user = user
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="sk-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        if user:
            entry = pwd.getpwnam(user)
            os.chown(self.dir, entry.pw_uid, entry.pw_gid)
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync")

    @classmethod
    def create(cls) -> PostgresServer | None:
        """A new server, or None when PostgreSQL's server binaries are not installed here."""
        bindir = _postgres_bindir()
        if bindir is None:
            return None
        user = None
        if os.geteuid() == 0:
            try:
                pwd.getpwnam("postgres")
            except KeyError:
                return None
            user = "postgres"
        return cls(bindir, user)

    def _command(self, program: str, *args: str) -> list[str]:
        command = [str(self.bindir / program), *args]
        return ["runuser", "-u", self.user, "--", *command] if self.user else command

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(self._command(program, *args), check=True, capture_output=True, timeout=120)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start")

    def stop(self) -> None:
        """A fast shutdown: open transactions are rolled back and connections are cut."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def restart(self) -> None:
        self.stop()
        self.start()

    def is_running(self) -> bool:
        command = self._command("pg_ctl", "-D", str(self.data), "status")
        status = subprocess.run(command, check=False, capture_output=True)
        return status.returncode == 0

    def create_database(self, name: str) -> str:
        import sqlalchemy as sa

        admin = sa.create_engine(self.url(), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        return self.url(name)

    def destroy(self) -> None:
        """Stop the server (if running) and delete its files."""
        try:
            if self.is_running():
                self.stop()
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)


@dataclass
class Reply:
    """What one message got over REST: the HTTP status and the bot's texts (empty on an error)."""

    status: int
    texts: list[str]

    @property
    def text(self) -> str:
        return "\n".join(self.texts)


def send(port: int, sender: str, text: str, timeout: float = 120) -> Reply:
    """Send one message; an HTTP error or a refused connection is returned, not raised."""
    body = json.dumps({"sender": sender, "message": text}).encode()
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhooks/rest/webhook",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            replies = json.loads(response.read())
            return Reply(response.status, [r.get("text", "") for r in replies])
    except urllib.error.HTTPError as error:
        return Reply(error.code, [])
    except OSError:
        return Reply(0, [])


async def serve_in_loop(app: Any) -> tuple[str, Any]:
    """Runs a Sanic app in the test's own event loop on a free port; returns its URL and server."""
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    await server.before_start()
    await server.start_serving()
    await server.after_start()
    return f"http://127.0.0.1:{port}", server


async def stop_in_loop(server: Any) -> None:
    """Stops a server `serve_in_loop` started."""
    await server.before_stop()
    server.close()
    await server.wait_closed()
    await server.after_stop()


def oversized_request(port: int, path: str, *, chunked: bool, total: int = 50_000_000) -> tuple[str, int]:
    """POST a body of `total` bytes to 127.0.0.1:`port`, sending until the server answers or closes.

    Returns the server's status line and how many body bytes went out before it did.
    """
    head = f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    head += "Transfer-Encoding: chunked\r\n\r\n" if chunked else f"Content-Length: {total}\r\n\r\n"
    piece = b"x" * 65_536
    sent = 0
    answer = b""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(head.encode())
        try:
            while sent < total and not select.select([sock], [], [], 0)[0]:
                sock.sendall(f"{len(piece):x}\r\n".encode() + piece + b"\r\n" if chunked else piece)
                sent += len(piece)
            answer = sock.recv(65_536)
        except OSError:  # the server answered and closed while we were still sending
            # Its answer may wait in our receive buffer: a reset stops sending, not reading it.
            try:
                answer = sock.recv(65_536)
            except OSError:
                pass
    return answer.split(b"\r\n", 1)[0].decode("latin-1"), sent


def rss_bytes(process: Process) -> int:
    """The process's resident memory now (Linux)."""
    for line in Path(f"/proc/{process.popen.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")
