"""Secrets one machine can make for itself: the environment's value, or else a random one kept in
var/ (made on first use, readable by the owner only), so that every process `make run` starts
agrees on it without anyone setting it. Several machines (Kubernetes, more than one VM) must set
the environment variable to one value; docs/kubernetes.md lists them.
"""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path

from bot.settings import PROJECT_ROOT

SECRETS_DIR = PROJECT_ROOT / "var"


def local_secret(name: str, directory: Path = SECRETS_DIR) -> str:
    """The environment variable `name`, or the machine's own random value for it."""
    configured = (os.environ.get(name) or "").strip()
    if configured:
        return configured
    path = directory / name.lower().replace("_", "-")
    if not path.exists():
        directory.mkdir(parents=True, exist_ok=True)
        # Written whole under another name, then linked into place: a process that starts at the
        # same moment finds either no file or the whole value, and the first link wins.
        descriptor, temporary = tempfile.mkstemp(dir=directory, prefix=".secret-")
        try:
            with os.fdopen(descriptor, "w", encoding="ascii") as file:
                file.write(secrets.token_hex(32))
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="ascii").strip()
