"""The answer library's held-out questions (tests/heldout/library*/), and how often its index ranks
the asked-for answer first, per language and per LOS theme (the test and bench/library_retrieval.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
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


@dataclass
class Ranked:
    """The index's ranking of each question, with the right and wrong ones counted per group."""

    per_language: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    per_theme: dict[str, list[bool]] = field(default_factory=lambda: defaultdict(list))
    in_top3: list[bool] = field(default_factory=list)
    rankings: list[tuple[Question, list[Match]]] = field(default_factory=list)

    def share(self, language: str) -> float:
        hits = self.per_language[language]
        return sum(hits) / max(1, len(hits))

    @property
    def top1(self) -> float:
        hits = [hit for group in self.per_language.values() for hit in group]
        return sum(hits) / max(1, len(hits))

    @property
    def top3(self) -> float:
        return sum(self.in_top3) / max(1, len(self.in_top3))

    def misses(self) -> list[tuple[Question, str | None]]:
        return [(q, r[0].key if r else None) for q, r in self.rankings if not r or r[0].key != q.expected]

    def table(self) -> str:
        """Top-1 per language and per theme, as `make test` prints it."""
        lines = [f"top-1 {100 * self.top1:.1f} %, top-3 {100 * self.top3:.1f} % of {len(self.in_top3)} questions"]
        for title, groups in (("language", self.per_language), ("theme", self.per_theme)):
            lines.append(f" per {title}:")
            for name, hits in sorted(groups.items()):
                lines.append(f"  {name}: {sum(hits)}/{len(hits)} = {100 * sum(hits) / len(hits):.1f} %")
        return "\n".join(lines)


def rank_all(index: AnswerIndex, docs: Iterable[AnswerDoc], questions: Iterable[Question]) -> Ranked:
    """Rank every question whose answer is among `docs`."""
    theme_of = {doc.key: doc.theme for doc in docs}
    ranked = Ranked()
    for question in questions:
        if question.expected not in theme_of:
            continue
        ranking = index.rank(question.text, limit=3)
        right = bool(ranking) and ranking[0].key == question.expected
        ranked.per_language[question.language].append(right)
        ranked.per_theme[theme_of[question.expected]].append(right)
        ranked.in_top3.append(question.expected in [m.key for m in ranking])
        ranked.rankings.append((question, ranking))
    return ranked


# Where test_library_heldout.py leaves its figures for the end of the run (`pytest_terminal_summary`).
SUMMARY = pytest.StashKey[str]()
