"""How well the answer library's index (bot/answers/index.py) finds the right answer for questions
written by other people than its examples (tests/heldout/library/ and tests/heldout/library_fresh/),
per language and per theme, and what building it and asking it cost, and how often its confidence
alone (DIET's `faq` confidence left out) would let the bot answer, and how often rightly then.
Prints figures; the thresholds for answering are chosen on the calibration set
(bench/calibrate.py), not here.

    .venv/bin/python bench/library_retrieval.py [--misses]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import certainty  # noqa: E402
from bot.answers import catalogue  # noqa: E402
from bot.answers.index import AnswerIndex  # noqa: E402
from tests.library_eval import FRESH, STEERED, rank_all, read_questions  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true", help="list every question answered wrongly")
    args = parser.parse_args()
    docs = catalogue.read()
    started = time.perf_counter()
    index = AnswerIndex(docs)
    built = time.perf_counter() - started
    examples = sum(len(items) for doc in docs for items in doc.examples.values())
    print(f"{len(docs)} answers, {examples} examples; index built in {built * 1000:.0f} ms")
    th = certainty.THRESHOLDS
    for name, folder in (("steered", STEERED), ("fresh", FRESH)):
        questions = read_questions(folder)
        if not questions:
            continue
        started = time.perf_counter()
        ranked = rank_all(index, docs, questions)
        per_question = (time.perf_counter() - started) / max(1, len(ranked.rankings))
        print(f"\n{folder.relative_to(ROOT)} ({name}): {ranked.table()}")
        sure = [r[0].key == q.expected for q, r in ranked.rankings if certainty.sure_enough([m.confidence for m in r])]
        total = max(1, len(ranked.rankings))
        print(
            f"sure enough to answer (confidence ≥ {th.topic}, lead ≥ {th.topic_lead}): {len(sure)}/{total}"
            f" = {100 * len(sure) / total:.1f} %, right {100 * sum(sure) / max(1, len(sure)):.1f} %"
        )
        print(f"per question: mean {per_question * 1000:.2f} ms")
        if args.misses:
            for question, got in ranked.misses():
                print(f"  [{question.language}] {question.text!r}: expected {question.expected}, got {got}")


if __name__ == "__main__":
    main()
