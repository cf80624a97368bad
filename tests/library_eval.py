"""The answer library's held-out questions (tests/heldout/library*/), and how often its index ranks
the asked-for answer first, per language and per LOS theme (the test and bench/library_retrieval.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from bot.answers.document import AnswerDoc
from bot.answers.index import AnswerIndex, Match

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("nb", "nn", "en")
# Written by other people than the examples; the examples grew for the pairs this set showed
# confused (README), so its figures flatter.
STEERED = ROOT / "tests" / "heldout" / "library"
# Written later from the answers' titles and texts alone; nothing was changed after reading it.
FRESH = ROOT / "tests" / "heldout" / "library_fresh"
# Where test_library_heldout.py leaves its figures for the end of the run (`pytest_terminal_summary`).
SUMMARY = pytest.StashKey[str]()


@dataclass(frozen=True)
class Question:
    text: str
    language: str
    expected: str  # the answer's key


def read_questions(folder: Path) -> list[Question]:
    """Every question in the folder's theme files, in the three languages."""
    found: list[Question] = []
    for path in sorted(folder.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["sporsmal"]:
            for language in LANGUAGES:
                found += [Question(q, language, item["svar"]) for q in item.get(language) or []]
    return found


@dataclass(frozen=True)
class Ranked:
    """The index's three likeliest answers for each question, and the theme of each answer."""

    rankings: list[tuple[Question, list[Match]]]
    theme_of: dict[str, str]

    @staticmethod
    def right(question: Question, ranking: list[Match]) -> bool:
        return bool(ranking) and ranking[0].key == question.expected

    def hits(self, group: str) -> dict[str, list[bool]]:
        """Right or not per question, by language or by theme (`group`)."""
        found: dict[str, list[bool]] = defaultdict(list)
        for question, ranking in self.rankings:
            name = question.language if group == "language" else self.theme_of[question.expected]
            found[name].append(self.right(question, ranking))
        return found

    def share(self, language: str) -> float:
        hits = self.hits("language")[language]
        return sum(hits) / max(1, len(hits))

    @property
    def top1(self) -> float:
        return sum(self.right(q, r) for q, r in self.rankings) / max(1, len(self.rankings))

    @property
    def top3(self) -> float:
        return sum(q.expected in [m.key for m in r] for q, r in self.rankings) / max(1, len(self.rankings))

    def misses(self) -> list[tuple[Question, str | None]]:
        return [(q, r[0].key if r else None) for q, r in self.rankings if not self.right(q, r)]

    def table(self) -> str:
        """Top-1 per language and per theme, as `make test` prints it."""
        lines = [f"top-1 {100 * self.top1:.1f} %, top-3 {100 * self.top3:.1f} % of {len(self.rankings)} questions"]
        for group in ("language", "theme"):
            lines.append(f" per {group}:")
            for name, hits in sorted(self.hits(group).items()):
                lines.append(f"  {name}: {sum(hits)}/{len(hits)} = {100 * sum(hits) / len(hits):.1f} %")
        return "\n".join(lines)


def rank_all(index: AnswerIndex, docs: Iterable[AnswerDoc], questions: Iterable[Question]) -> Ranked:
    """Rank every question whose answer is among `docs`."""
    theme_of = {doc.key: doc.theme for doc in docs}
    rankings = [(q, index.rank(q.text, limit=3)) for q in questions if q.expected in theme_of]
    return Ranked(rankings, theme_of)
