"""The published answers as each process sees them (bot/answers/live.py): a change reaches every
process within the refresh interval, without a restart, and a database outage keeps what it has."""

from __future__ import annotations

import time

import pytest

from bot.answers import live, store
from bot.answers.vocabulary import AnswerStatus
from bot.cases.service import CaseStoreError
from tests.test_answers import _doc


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_published_change_reaches_every_process_after_the_refresh_interval(db_url: str) -> None:
    store.create(_doc("a1"), "kari")
    clock = Clock()
    processes = [live.LiveLibrary(db_url, refresh_seconds=10, clock=clock, background=False) for _ in range(2)]
    assert all(list(p.snapshot().answers) == ["a1"] for p in processes)

    store.create(_doc("a2"), "kari")
    store.set_status("a1", AnswerStatus.DRAFT, 1, "kari")
    clock.now += 5
    assert all(list(p.snapshot().answers) == ["a1"] for p in processes)  # not asked again yet
    clock.now += 5
    assert all(list(p.snapshot().answers) == ["a2"] for p in processes)
    assert processes[0].snapshot().index.rank("korleis søkjer eg om båtplass")[0].key == "a2"


def test_readers_keep_answering_while_the_new_answers_load(db_url: str) -> None:
    store.create(_doc("a1"), "kari")
    clock = Clock()
    library = live.LiveLibrary(db_url, refresh_seconds=1, clock=clock)
    first = library.snapshot()
    store.create(_doc("a2"), "kari")
    clock.now += 2
    assert library.snapshot() is first  # the reload runs in the background
    deadline = time.monotonic() + 10
    while "a2" not in library.snapshot().answers and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(library.snapshot().answers) == ["a1", "a2"]


def test_a_database_outage_keeps_the_answers_the_process_has(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    store.create(_doc("a1"), "kari")
    clock = Clock()
    library = live.LiveLibrary(db_url, refresh_seconds=1, clock=clock, background=False)
    assert list(library.snapshot().answers) == ["a1"]

    def down(**_: object) -> int:
        raise CaseStoreError("connection refused")

    monkeypatch.setattr(store, "revision", down)
    clock.now += 2
    assert list(library.snapshot().answers) == ["a1"]


def test_the_command_line_shows_which_answers_are_closest_to_a_question(
    db_url: str, capsys: pytest.CaptureFixture
) -> None:
    from bot.answers.__main__ import main

    store.create(_doc("a1"), "kari")
    assert main(["ask", "hvordan søker jeg om båtplass"]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.split()[1:] == ["a1", "Båtplass"] and float(first.split()[0]) > 0.5
