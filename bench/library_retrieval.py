"""How well the answer library's index (bot/answers/index.py) finds the right answer for questions
written by other people than its examples (tests/heldout/library/), per language and per theme, and
what building it and asking it cost, and how often its confidence alone (DIET's `faq` confidence
left out) would let the bot answer, and how often rightly then. Prints figures; the thresholds for
answering are chosen on the calibration set (bench/calibrate.py), not here.

    .venv/bin/python bench/library_retrieval.py [--misses]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import certainty  # noqa: E402
from bot.answers import catalogue  # noqa: E402
from bot.answers.index import AnswerIndex  # noqa: E402

HELDOUT = ROOT / "tests" / "heldout" / "library"


def heldout() -> list[tuple[str, str, str]]:
    """(question, language, expected answer key) for every held-out question."""
    found = []
    for path in sorted(HELDOUT.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["sporsmal"]:
            for language in ("nb", "nn", "en"):
                found += [(q, language, item["svar"]) for q in item.get(language) or []]
    return found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list every question answered wrongly")
    args = parser.parse_args()
    docs = catalogue.read()
    theme_of = {doc.key: doc.theme for doc in docs}
    started = time.perf_counter()
    index = AnswerIndex(docs)
    built = time.perf_counter() - started
    questions = [q for q in heldout() if q[2] in theme_of]
    per_language: dict[str, list[int]] = defaultdict(list)
    per_theme: dict[str, list[int]] = defaultdict(list)
    top3: list[int] = []
    sure: list[tuple[bool, bool]] = []  # (sure enough to answer, right)
    th = certainty.THRESHOLDS
    timings, misses = [], []
    for question, language, expected in questions:
        started = time.perf_counter()
        ranking = index.rank(question, limit=3)
        timings.append(time.perf_counter() - started)
        right = int(bool(ranking) and ranking[0].key == expected)
        per_language[language].append(right)
        per_theme[theme_of[expected]].append(right)
        top3.append(int(expected in [m.key for m in ranking]))
        lead = ranking[0].confidence - (ranking[1].confidence if len(ranking) > 1 else 0.0) if ranking else 0.0
        sure.append((bool(ranking) and ranking[0].confidence >= th.topic and lead >= th.topic_lead, bool(right)))
        if not right:
            misses.append((language, question, expected, ranking[0].key if ranking else None))
    examples = sum(len(items) for doc in docs for items in doc.examples.values())
    print(f"{len(docs)} answers, {examples} examples; index built in {built * 1000:.0f} ms")
    total = max(1, len(questions))
    right = sum(sum(hits) for hits in per_language.values())
    print(f"{len(questions)} held-out questions; top-1 {100 * right / total:.1f} %", end="")
    print(f", top-3 {100 * sum(top3) / total:.1f} %")
    for language, hits in sorted(per_language.items()):
        print(f"  {language}: {sum(hits)}/{len(hits)} = {100 * sum(hits) / len(hits):.1f} %")
    for theme, hits in sorted(per_theme.items()):
        print(f"  {theme}: {sum(hits)}/{len(hits)} = {100 * sum(hits) / len(hits):.1f} %")
    answered = [right for is_sure, right in sure if is_sure]
    print(
        f"sure enough to answer (confidence ≥ {th.topic}, lead ≥ {th.topic_lead}): {len(answered)}/{total}"
        f" = {100 * len(answered) / total:.1f} %, right {100 * sum(answered) / max(1, len(answered)):.1f} %"
    )
    if timings:
        timings.sort()
        p95 = timings[int(0.95 * len(timings))]
        print(f"per question: median {statistics.median(timings) * 1000:.2f} ms, p95 {p95 * 1000:.2f} ms")
    if args.misses:
        for language, question, expected, got in misses:
            print(f"  [{language}] {question!r}: expected {expected}, got {got}")


if __name__ == "__main__":
    main()
