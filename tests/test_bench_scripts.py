"""Every benchmark script in bench/ starts: its imports resolve and `--help` answers.

Nothing else runs the scripts in `make test` (they take minutes), so a rename elsewhere could
leave one that no longer starts: bench/long_messages.py imported a function the library bench
had lost, and nobody saw it until the figures were wanted.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(
    p for p in (ROOT / "bench").glob("*.py") if 'if __name__ == "__main__"' in p.read_text(encoding="utf-8")
)


def test_there_are_benchmark_scripts() -> None:
    assert {"conversations.py", "calibrate.py", "long_messages.py"} <= {p.name for p in SCRIPTS}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_a_benchmark_script_starts(script: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(script), "--help"], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0 and "usage" in done.stdout.lower(), done.stderr[-2000:]
