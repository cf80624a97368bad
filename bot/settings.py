"""One settings object, read from the environment, with embedded defaults for a single machine."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATABASE_URL = f"sqlite:///{PROJECT_ROOT / 'var' / 'servicekontor.db'}"


@dataclass(frozen=True)
class Settings:
    """Runtime configuration shared by the Rasa server, the action server and the desk."""

    database_url: str
    kommune_file: Path
    max_message_chars: int

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            database_url=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL,
            kommune_file=Path(os.environ.get("KOMMUNE_FILE") or PROJECT_ROOT / "kommune.yml"),
            max_message_chars=int(os.environ.get("MAX_MESSAGE_CHARS", "2000")),
        )


def get_settings() -> Settings:
    """Settings as the environment holds them now (cheap; read on each call)."""
    return Settings.from_env()
