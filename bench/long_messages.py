"""What a long, hostile message costs compared with an ordinary question (issue 15, item 12).

A pattern with an unbounded gap (`.*` between two words) or overlapping runs costs time
quadratic in the message's length, so a citizen's channel could be slowed by messages built of
repeated half-matches. This times, in one run, the text steps every message goes through before
and inside Rasa (the safety layer on up to 4 × MAX_MESSAGE_CHARS, the no-question shapes, the
follow-up reading, ID-number masking) and the trained model's whole parse, on the held-out
questions of tests/heldout/library/ and on messages of 2,000 and 8,000 characters built of
repeated fragments of the patterns.

    .venv/bin/python bench/long_messages.py [--no-model]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import structlog

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import certainty, replies, safety  # noqa: E402
from bot.pii import mask_id_numbers  # noqa: E402
from bot.sanitize import clean_text  # noqa: E402
from tests.library_eval import STEERED, read_questions  # noqa: E402

MODEL = ROOT / "models" / "servicekontor.tar.gz"
# Fragments that start a pattern and then fail: each repetition is a new starting point.
FRAGMENTS = [
    "please help ",
    "hjelp ",
    "x",
    "x ",
    "fastlegen min han ",
    "og bassenget ",
    "a@",
    "1 ",
    "skrik ",
    "falt ",
    "vondt ",
    "hører ",
    ", ",
]


def adversarial(length: int) -> list[str]:
    return [(fragment * (length // len(fragment) + 1))[:length] for fragment in FRAGMENTS]


def text_steps(text: str) -> None:
    cleaned = clean_text(text)
    safety.assess(cleaned)
    short = cleaned[:2000]  # what passes the length cap reaches Rasa
    certainty.shape_without_question(short)
    replies._brings_new_subject(short)
    replies._points_back(short)
    mask_id_numbers(short)


def timed(step: Callable[[str], Any], texts: list[str]) -> list[float]:
    found = []
    for text in texts:
        started = time.perf_counter()
        step(text)
        found.append((time.perf_counter() - started) * 1000)
    return found


def line(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p95 = ordered[int(0.95 * (len(ordered) - 1))]
    median = statistics.median(times)
    return f"  {label:32s} n={len(times):5d}  median {median:7.2f} ms  p95 {p95:7.2f} ms  max {max(times):7.2f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-model", action="store_true", help="the text steps only, not the model's parse")
    args = parser.parse_args()
    ordinary = [question.text for question in read_questions(STEERED)]
    sets = {
        "held-out questions": ordinary,
        "hostile, 2,000 characters": adversarial(2000),
        "hostile, 8,000 characters": adversarial(8000),
    }
    safety.assess("hei")  # the classifier is trained or loaded once, not in the first timing
    print("Text steps (cleaning, safety layer, no-question shapes, follow-up reading, masking):")
    for label, texts in sets.items():
        print(line(label, timed(text_steps, texts)))
    if args.no_model or not MODEL.exists():
        print("(the model's parse skipped: --no-model, or no model; run `make train`)")
        return
    from bot.launch import prepare
    from tests.library_db import prepare_database

    os.environ["DATABASE_URL"] = prepare_database(f"sqlite:///{tempfile.mkdtemp(prefix='long-')}/library.db")
    prepare()
    from rasa.core.agent import Agent

    agent = Agent.load(str(MODEL))
    logging.getLogger().setLevel(logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))

    async def parse_times(texts: list[str]) -> list[float]:
        found = []
        for text in texts:
            started = time.perf_counter()
            await agent.parse_message(text)
            found.append((time.perf_counter() - started) * 1000)
        return found

    print("The model's whole parse (what Rasa does with a message of at most 2,000 characters):")
    asyncio.run(parse_times(ordinary[:20]))  # warm-up
    for label, texts in (("held-out questions", ordinary[:400]), ("hostile, 2,000 characters", adversarial(2000))):
        print(line(label, asyncio.run(parse_times(texts))))


if __name__ == "__main__":
    main()
