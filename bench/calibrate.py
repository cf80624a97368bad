"""Chooses the certainty thresholds (bot/certainty.py) on the calibration set, tests/calibration/.

Every calibration message is parsed once by the trained model with the certainty step switched
off; then each combination of thresholds is applied to those parses with the same functions the
bot uses (`bot.certainty.decide`, `bot.replies`), and the figures are printed:

The grid varies the topic threshold, the lead over the next topic and the threshold for the
other intents.

- topic answers: share of in-domain questions answered with their own topic;
- library, (wrong): share of the uncovered set's questions that an answer of the library covers
  (`answer:`) answered with that answer, and with another one;
- dialogue: share of greetings, yes, no, «avbryt» … understood as such;
- uncovered honest, no-question honest: share of those messages that get no topic answer;
- follow-ups: share of follow-ups answered on the expected topic.

The held-out sets in tests/heldout/ and tests/nlu_heldout/ are never read here: they test the
choice (`make test`). Run: `.venv/bin/python bench/calibrate.py` (after `make train`).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot import certainty, replies  # noqa: E402
from bot.launch import prepare  # noqa: E402
from bot.safety import SAFETY_INTENTS  # noqa: E402
from tests.library_db import prepare_database  # noqa: E402
from tests.quality import Sets, calibration_sets, expected_topic, library_answers  # noqa: E402

MODEL = ROOT / "models" / "servicekontor.tar.gz"


def parse_all(model: Path, texts: list[str]) -> dict[str, dict[str, Any]]:
    """The model's parse of each text, with the certainty step left out."""
    prepare()
    from rasa.core.agent import Agent

    import bot.nlu.certainty as component

    component.decide = lambda *args, **kwargs: None  # type: ignore[assignment]
    agent = Agent.load(str(model))

    async def run() -> dict[str, dict[str, Any]]:
        return {text: await agent.parse_message(text) for text in dict.fromkeys(texts)}

    return asyncio.run(run())


def outcome(parse: dict[str, Any], events: list[dict[str, Any]], th: certainty.Thresholds) -> tuple[str, str | None]:
    """(kind, topic) of the bot's answer: `topic`, `safety`, `honest`, `choice` or `other`."""
    intent = (parse.get("intent") or {}).get("name")
    decided = certainty.decide(parse, th)
    if decided:
        parse = {**parse, "intent": {"name": decided, "confidence": 1.0}}
        intent = decided
    if intent in SAFETY_INTENTS:
        return "safety", None
    if intent not in ("faq", "follow_up", *replies.MISS_INTENTS):
        return "intent", intent
    if intent == "faq":
        reply = replies.question_in_context(parse, events, th)
        if reply is None:
            return "topic", certainty.ranked_topics(parse)[0][0]
    elif intent == "follow_up":
        reply = replies.follow_up(parse, events, th)
    elif intent in replies.MISS_INTENTS:
        reply = replies.misunderstanding(parse, events, th)
    if reply.topic:
        return "topic", reply.topic
    return ("choice" if reply.response == "utter_which_topic" else "honest"), None


def figures(
    sets: Sets, parses: dict[str, dict[str, Any]], th: certainty.Thresholds, misses: list[str] | None = None
) -> dict[str, float]:
    """The figures for one choice of thresholds; `misses` collects what went wrong."""
    misses = [] if misses is None else misses
    result: dict[str, float] = {}
    groups = (("topics", sets.topics["in_domain"], "topic"), ("dialogue", sets.topics["dialogue"], "intent"))
    for figure, examples, kind in groups:
        good = 0
        for text, expected in examples:
            got = outcome(parses[text], [], th)
            good += got == (kind, expected)
            if got != (kind, expected):
                misses.append(f"{figure} {expected} → {got}: «{text}»")
        result[figure] = good / len(examples)
    covered = [m for m in sets.uncovered if m.get("answer")]
    kinds = [outcome(parses[m["text"]], [], th) for m in covered]
    right = [k[0] == "topic" and k[1] in library_answers(m) for m, k in zip(covered, kinds, strict=True)]
    wrong = [k[0] == "topic" and not r for k, r in zip(kinds, right, strict=True)]
    for m, k, w in zip(covered, kinds, wrong, strict=True):
        if w:
            misses.append(f"library {sorted(library_answers(m))} → {k}: «{m['text']}»")
    result["library"] = sum(right) / max(len(covered), 1)
    result["library_wrong"] = sum(wrong) / max(len(covered), 1)
    uncovered = [m for m in sets.uncovered if not m.get("answer")]
    for name, items in (("uncovered", uncovered), ("no_question", sets.no_question)):
        kinds = [outcome(parses[m["text"]], [], th) for m in items]
        misses += [f"{name} → {k}: «{m['text']}»" for m, k in zip(items, kinds, strict=True) if k[0] != "honest"]
        result[name] = sum(k[0] in ("honest", "choice") for k in kinds) / len(items)
        result[name + "_dont_know"] = sum(k[0] == "honest" for k in kinds) / len(items)
    good = 0
    for pair in sets.follow_ups:
        first = parses[pair["first"]]
        kind, topic = outcome(first, [], th)
        events: list[dict[str, Any]] = [{"event": "user", "parse_data": first}]
        if kind == "topic" and topic:
            events.append({"event": "bot", "metadata": {"utter_action": "utter_faq", "topic_key": topic}})
        events.append({"event": "user", "parse_data": parses[pair["follow_up"]]})
        expected = expected_topic(pair)
        got = outcome(parses[pair["follow_up"]], events, th)
        right = got[1] == expected and (expected is not None or got[0] in ("honest", "choice"))
        good += right
        if not right:
            intent = (parses[pair["follow_up"]].get("intent") or {}).get("name")
            misses.append(
                f"follow-up {expected} → {got} ({intent}; first {kind} {topic}): "
                f"«{pair['first']}» → «{pair['follow_up']}»"
            )
    result["follow_ups"] = good / len(sets.follow_ups)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--misses", action="store_true", help="list what the thresholds in use get wrong")
    parser.add_argument("--sharpness", type=float, help="try another sharpness of the answer index's confidence")
    parser.add_argument("--none-margin", type=float, help="try another margin of «none of these» in the answer index")
    parser.add_argument("--switch", type=float, nargs="+", help="try these thresholds for a topic named in a follow-up")
    parser.add_argument("--stay", type=float, nargs="+", help="try these thresholds for another topic after an answer")
    args = parser.parse_args()
    if args.sharpness:
        from bot.answers import index

        index._SHARPNESS = args.sharpness
    if args.none_margin is not None:
        from bot.answers import index

        index._NONE_MARGIN = args.none_margin
    from rasa.utils.log_utils import configure_structlog

    configure_structlog(logging.WARNING)  # else Rasa logs every parse
    sets = calibration_sets()
    # The answers the bot chooses from: the starter catalogue, as `make run` loads it.
    library = tempfile.mkdtemp(prefix="calibrate-")
    os.environ["DATABASE_URL"] = prepare_database(f"sqlite:///{library}/library.db")
    started = time.monotonic()
    parses = parse_all(args.model, list(sets.texts()))
    print(f"Parsed {len(parses)} calibration messages in {time.monotonic() - started:.0f} s.\n")
    columns = ("topics", "library", "(wrong)", "dialog", "uncov", "(dk)", "noq", "(dk)", "follow")
    header = f"{'topic':>6} {'lead':>5} {'intent':>6} | " + " ".join(f"{c:>7}" for c in columns)
    print(header)
    print("-" * len(header))
    current = certainty.THRESHOLDS
    grid = itertools.product((0.2, 0.3, 0.4, 0.5, 0.6, 0.7), (0.0, 0.05, 0.1, 0.2), (0.3, 0.4, 0.5))
    candidates = [replace(current, topic=topic, topic_lead=lead, intent=intent) for topic, lead, intent in grid]
    if args.switch:
        candidates = [replace(current, switch=switch) for switch in args.switch]
    if args.stay:
        candidates = [replace(current, stay=stay) for stay in args.stay]
    for th in [current, *([] if args.misses else candidates)]:
        topic, lead, intent = th.topic, th.topic_lead, th.intent
        f = figures(sets, parses, th)
        mark = "  ← in use" if th == current else ""
        if mark and args.misses:
            wrong: list[str] = []
            figures(sets, parses, th, wrong)
            print("\n".join(wrong))
        print(
            f"{topic:6.2f} {lead:5.2f} {intent:6.2f} | {f['topics']:7.1%} "
            f"{f['library']:7.1%} {f['library_wrong']:7.1%} "
            f"{f['dialogue']:7.1%} {f['uncovered']:7.1%} "
            f"{f['uncovered_dont_know']:6.1%} {f['no_question']:7.1%} {f['no_question_dont_know']:6.1%} "
            f"{f['follow_ups']:7.1%}{mark}"
            + (f"  (switch {th.switch})" if args.switch else "")
            + (f"  (stay {th.stay})" if args.stay else "")
        )


if __name__ == "__main__":
    main()
