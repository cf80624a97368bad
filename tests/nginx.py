"""Runs Debian's nginx with the deployment's own site (deploy/nginx/servicekontor.conf) in front of
test processes: the same file an operator installs, with the ports, the host name and a self-signed
certificate put in for the test.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.live import ROOT, free_port

NGINX = Path("/usr/sbin/nginx")
SITE = ROOT / "deploy" / "nginx" / "servicekontor.conf"


@dataclass
class Nginx:
    process: subprocess.Popen
    https_port: int
    folder: Path

    @property
    def url(self) -> str:
        return f"https://localhost:{self.https_port}"

    @property
    def access_log(self) -> str:
        return (self.folder / "access.log").read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def available() -> bool:
    return NGINX.exists() and shutil.which("openssl") is not None


def site_for_test(rasa_port: int, desk_port: int, https_port: int, http_port: int, folder: Path) -> str:
    """The deployment's site with this test's ports, host name and certificate."""
    site = SITE.read_text(encoding="utf-8")
    replacements = {
        "server 127.0.0.1:5005;": f"server 127.0.0.1:{rasa_port};",
        "server 127.0.0.1:8000;": f"server 127.0.0.1:{desk_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        "listen [::]:443 ssl;": "",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "ssl_certificate /etc/ssl/servicekontor/fullchain.pem;": f"ssl_certificate {folder / 'cert.pem'};",
        "ssl_certificate_key /etc/ssl/servicekontor/privkey.pem;": f"ssl_certificate_key {folder / 'key.pem'};",
        "server_name chat.example.kommune.no;": "server_name localhost;",
    }
    for old, new in replacements.items():
        assert old in site, f"{SITE} no longer has «{old}»: update tests/nginx.py with it"
        site = site.replace(old, new)
    return re.sub(r"^\s*include\s+snippets/[^;]+;", "", site, flags=re.MULTILINE)


def start(rasa_port: int, desk_port: int, folder: Path) -> Nginx:
    """nginx in the foreground on free ports, logging into `folder`; waits until it answers."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost",
            "-keyout",
            str(folder / "key.pem"),
            "-out",
            str(folder / "cert.pem"),
        ],
        check=True,
        capture_output=True,
    )
    https_port, http_port = free_port(), free_port()
    (folder / "site.conf").write_text(site_for_test(rasa_port, desk_port, https_port, http_port, folder))
    temp = {name: folder / name for name in ("body", "proxy", "fastcgi", "uwsgi", "scgi")}
    for path in temp.values():
        path.mkdir(exist_ok=True)
    # As root (CI), nginx's workers would run as «nobody», who cannot read the test's folder.
    user = "user root;\n" if os.geteuid() == 0 else ""
    (folder / "nginx.conf").write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'} info;\n"
        "events { worker_connections 256; }\n"
        "http {\n  include /etc/nginx/mime.types;\n"
        f"  access_log {folder / 'access.log'};\n"
        f"  client_body_temp_path {temp['body']};\n  proxy_temp_path {temp['proxy']};\n"
        f"  fastcgi_temp_path {temp['fastcgi']};\n  uwsgi_temp_path {temp['uwsgi']};\n"
        f"  scgi_temp_path {temp['scgi']};\n"
        f"  include {folder / 'site.conf'};\n}}\n"
    )
    test = subprocess.run(
        [str(NGINX), "-t", "-c", str(folder / "nginx.conf")], check=False, capture_output=True, text=True
    )
    assert test.returncode == 0, test.stderr
    log = (folder / "nginx.out").open("w")
    process = subprocess.Popen([str(NGINX), "-c", str(folder / "nginx.conf")], stdout=log, stderr=subprocess.STDOUT)
    server = Nginx(process, https_port, folder)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and process.poll() is None:
        try:
            socket.create_connection(("127.0.0.1", https_port), timeout=2).close()
            return server
        except OSError:
            time.sleep(0.2)
    server.stop()
    raise RuntimeError(f"nginx did not start: {(folder / 'error.log').read_text()}")
