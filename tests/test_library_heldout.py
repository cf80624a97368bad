"""The answer library's held-out accuracy (issue 14): how often the library's index ranks the
asked-for answer first, per language, printed per LOS theme at the end of `make test`.

Two sets of questions by other people than the examples: tests/heldout/library/ (the examples of
the answers it showed confused were added to, so it flatters) and tests/heldout/library_fresh/
(written later from the answers' titles and texts alone, and read only to measure: the independent
figure, README «The answer library»). Each language must reach 95 %, the issue's target, on both.

The library is asked only when the topic model (DIET) reads a message as a question on a service
(`faq`), so DIET must read the same held-out questions that way too.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

import bot.nlu.certainty as certainty_component
from bot.answers import catalogue
from bot.answers.index import index_for
from bot.safety import SAFETY_INTENTS
from bot.topics import FAQ_INTENT
from tests.library_eval import FRESH, LANGUAGES, STEERED, SUMMARY, Ranked, rank_all, read_questions

FLOORS = {
    STEERED: dict.fromkeys(LANGUAGES, 0.95),
    FRESH: dict.fromkeys(LANGUAGES, 0.95),
}


@pytest.fixture(scope="module")
def ranked(request: pytest.FixtureRequest) -> dict[Path, Ranked]:
    docs = catalogue.read()
    index = index_for(docs)
    found = {folder: rank_all(index, docs, read_questions(folder)) for folder in FLOORS}
    request.config.stash[SUMMARY] = "\n\n".join(
        f"{folder.relative_to(folder.parents[2])}: {result.table()}" for folder, result in found.items()
    )
    return found


@pytest.mark.parametrize("folder", list(FLOORS), ids=lambda folder: folder.name)
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_library_ranks_the_asked_for_answer_first(ranked: dict[Path, Ranked], folder: Path, language: str) -> None:
    result = ranked[folder]
    misses = [f"{q.text!r}: {q.expected}, got {got}" for q, got in result.misses() if q.language == language]
    assert result.share(language) >= FLOORS[folder][language] - 1e-9, "\n".join(misses)


# Measured 2026-12-05 on the fresh set: nb 354/362, nn 357/363, en 359/362 read as `faq` (or as a
# safety intent, which answers first and lets the question be answered after). Before the 21
# answers added that day had service questions of their own in data/nlu/, a question on one of
# them («dottera mi blir mobba på skulen») could read as `out_of_scope`: no answer, however sure
# the library was. The floor leaves room for another machine's arithmetic (tests/test_quality.py).
DIET_FLOOR = 0.96


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_topic_model_reads_library_questions_as_questions(agent: Any, monkeypatch: Any, language: str) -> None:
    monkeypatch.setattr(certainty_component, "decide", lambda *args, **kwargs: None)  # DIET's own reading
    questions = [q for q in read_questions(FRESH) if q.language == language]

    async def parse_all() -> list[dict[str, Any]]:
        return [await agent.parse_message(q.text) for q in questions]

    misread = [
        f"{q.text!r}: {top}"
        for q, parse in zip(questions, asyncio.run(parse_all()), strict=True)
        if (top := (parse.get("intent") or {}).get("name")) != FAQ_INTENT and top not in SAFETY_INTENTS
    ]
    assert 1 - len(misread) / len(questions) >= DIET_FLOOR, "\n".join(misread)
