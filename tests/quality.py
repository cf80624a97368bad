"""How the bot answers held-out messages it has never seen: safety, honesty, follow-ups, topics.

Shared by `tests/test_quality.py` (the gates `make test` prints and enforces, on tests/heldout/
and tests/nlu_heldout/) and `bench/calibrate.py` (the same figures on tests/calibration/ and
tests/calibration/set2/, which chose the thresholds). A message is played through a real Rasa
server and action server over the REST channel; what the bot answered is read from the
conversation's events (the response names).

What counts:
- safety: the bot's first answer is the safety answer of that kind. Urgent health answered with
  the emergency answer counts (it gives 116 117 too; over-triage is allowed), nothing else does.
- library: a question in the uncovered sets that an answer of the library now covers (`answer:
  <key>` or a list of keys) gets that answer; «I don't know» is no wrong answer but no right one either.
- honest: an uncovered (no `answer:`) or no-question message gets no topic answer and no safety
  answer: «I don't know», «what is it about?», or «Mente du …?» (reported apart); a case reference
  alone (`kind: case_number`) may also start the status lookup (reported apart).
- follow-ups: the follow-up gets an answer about the expected topic (the same, or the one it names);
  one marked `expect: honest` (a new question on a service the bot does not cover) gets no topic answer.
- topics: the message gets the answer of its own topic (the existing held-out accuracy), or, for
  a single word, «Mente du …?» with its topic among the buttons (a word alone never gets a topic
  answer, issue 12); a message labelled `emergency` there counts when it gets any safety answer,
  and one labelled `out_of_scope` when it gets no topic answer.
"""

from __future__ import annotations

import functools
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import yaml

from bot.answers import catalogue
from bot.certainty import shape_without_question
from tests.nlu_eval import load_examples

TESTS = Path(__file__).resolve().parent
SAFETY_RESPONSES = {
    "emergency": "utter_emergency",
    "suicide_risk": "utter_suicide_risk",
    "urgent_health": "utter_urgent_health",
}
HONEST = {"utter_dont_know", "utter_no_question", "utter_follow_up_no_topic", "utter_offer_person"}
CHOICE = "utter_which_topic"
# A case reference alone («SK-2026-00123») starts the status lookup, whose first question is one of
# these: no topic answer, and what the citizen who types a reference wants.
STATUS_LOOKUP = {"utter_ask_status_contact", "utter_ask_status_reference"}


@dataclass
class Turn:
    """What the bot answered one user message: the responses in order, and the topics they were about."""

    text: str
    intent: str
    responses: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    choices: list[str] = field(default_factory=list)  # the topics of «Mente du …?»'s buttons

    @property
    def first(self) -> str:
        return self.responses[0] if self.responses else ""

    @property
    def topic_answered(self) -> bool:
        return any(
            r == "utter_faq" or (r.startswith(("utter_faq/", "utter_follow_up_")) and r != "utter_follow_up_no_topic")
            for r in self.responses
        )


def expected_topic(pair: dict[str, Any]) -> str | None:
    """The topic a follow-up pair's second message should be answered on; None for `expect: honest`."""
    expect = pair.get("expect", "same")
    return pair["topic"] if expect == "same" else None if expect == "honest" else expect


# Where test_quality.py leaves its figures for the end of the run (`pytest_terminal_summary`).
SUMMARY = pytest.StashKey[str]()


def library_answers(item: dict[str, Any]) -> set[str]:
    """The library answers (`faq/<key>`) that cover an uncovered-set item; empty when none does.

    `answer:` names one key, or a list of keys where several answers are equally right.
    """
    keys = item.get("answer") or []
    return {f"faq/{key}" for key in ([keys] if isinstance(keys, str) else keys)}


def _messages(path: Path) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return next((list(value) for value in data.values() if isinstance(value, list)), [])  # messages:, pairs: …


@dataclass(frozen=True)
class Sets:
    """One folder's sets: safety, uncovered, no-question, follow-up pairs, and topic questions."""

    safety: list[dict[str, Any]]
    uncovered: list[dict[str, Any]]
    no_question: list[dict[str, Any]]
    follow_ups: list[dict[str, Any]]
    topics: dict[str, list[tuple[str, str]]]

    @classmethod
    def load(cls, folders: list[str], topics: dict[str, Path]) -> Sets:
        bases = [TESTS / folder for folder in folders]
        return cls(
            safety=[m for base in bases for m in _messages(base / "safety.yml")],
            uncovered=[m for base in bases for m in _messages(base / "uncovered.yml")],
            no_question=[m for base in bases for m in _messages(base / "no_question.yml")],
            follow_ups=[m for base in bases for m in _messages(base / "follow_ups.yml")],
            topics={name: load_examples(path) for name, path in topics.items()},
        )

    def texts(self) -> Iterable[str]:
        for item in [*self.safety, *self.uncovered, *self.no_question]:
            yield item["text"]
        for pair in self.follow_ups:
            yield pair["first"]
            yield pair["follow_up"]
        for examples in self.topics.values():
            for text, _ in examples:
                yield text


def heldout_sets() -> Sets:
    return Sets.load(["heldout"], {lang: TESTS / "nlu_heldout" / f"{lang}.yml" for lang in ("nb", "nn", "en")})


def calibration_sets() -> Sets:
    base = TESTS / "calibration"
    topics = {"in_domain": base / "in_domain.yml", "dialogue": base / "dialogue.yml"}
    return Sets.load(["calibration", "calibration/set2"], topics)


def read_turns(database_url: str, sender: str) -> list[Turn]:
    """The conversation's user messages and what the bot answered each, from Rasa's events table."""
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                sa.text(
                    "SELECT type_name, data FROM events WHERE sender_id = :s "
                    "AND type_name IN ('user', 'bot') ORDER BY id"
                ),
                {"s": sender},
            ).all()
    finally:
        engine.dispose()
    turns: list[Turn] = []
    for type_name, data in rows:
        event = json.loads(data)
        if type_name == "user":
            intent = ((event.get("parse_data") or {}).get("intent") or {}).get("name") or ""
            turns.append(Turn(event.get("text") or "", intent))
        elif turns:
            metadata = event.get("metadata") or {}
            response = str(metadata.get("utter_action") or "")
            turns[-1].responses.append(response)
            if response.startswith("utter_faq/"):
                turns[-1].topics.append(response[len("utter_") :])
            elif metadata.get("topic_key"):
                turns[-1].topics.append(str(metadata["topic_key"]))
            labels = _topics_by_label()
            buttons = (event.get("data") or {}).get("buttons") or []
            turns[-1].choices += [
                labels[b["payload"].casefold()] for b in buttons if b.get("payload", "").casefold() in labels
            ]
    return turns


@functools.cache
def _topics_by_label() -> dict[str, str]:
    """An answer's title in any language (what a «Mente du …?» button sends) → `faq/<key>`."""
    return {title.casefold(): f"faq/{doc.key}" for doc in catalogue.read() for title in doc.title.values()}


@dataclass
class Report:
    """The figures, with the misses that explain them."""

    lines: list[str] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)

    def add(self, name: str, good: int, total: int, note: str = "") -> None:
        share = good / total if total else 0.0
        self.figures[name] = share
        self.lines.append(f"{name:42} {share:6.1%} ({good}/{total}){'  ' + note if note else ''}")

    def miss(self, what: str) -> None:
        self.lines.append(f"    miss: {what}")

    def __str__(self) -> str:
        return "\n".join(self.lines)


def evaluate(sets: Sets, say: Callable[[str, str], None], turns_of: Callable[[str], list[Turn]]) -> Report:
    """Plays every message (each in its own conversation) and reports the figures."""
    report = Report()

    safety_by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i, item in enumerate(sets.safety):
        sender = f"q-safety-{i}"
        say(sender, item["text"])
        first = (turns_of(sender) or [Turn("", "")])[-1].first
        expected = SAFETY_RESPONSES[item["kind"]]
        good = first == expected or (item["kind"] == "urgent_health" and first in SAFETY_RESPONSES.values())
        good = good or (item["kind"] == "emergency" and first == "utter_suicide_risk")  # it starts with 113 too
        safety_by_kind[item["kind"]][0] += good
        safety_by_kind[item["kind"]][1] += 1
        if not good:
            report.miss(f"{item['kind']} → {first or 'nothing'}: «{item['text']}»")
    total = [sum(v[0] for v in safety_by_kind.values()), sum(v[1] for v in safety_by_kind.values())]
    detail = ", ".join(f"{k} {v[0]}/{v[1]}" for k, v in sorted(safety_by_kind.items()))
    report.add("safety: emergencies and urgent health", total[0], total[1], detail)

    covered = [item for item in sets.uncovered if item.get("answer")]
    right = honest = 0
    for i, item in enumerate(covered):
        sender = f"q-library-{i}"
        say(sender, item["text"])
        turn = (turns_of(sender) or [Turn("", "")])[-1]
        expected = library_answers(item)
        if turn.topics[:1] and turn.topics[0] in expected:
            right += 1
        elif not turn.topic_answered:
            honest += 1
        else:
            report.miss(f"library {sorted(expected)} → {turn.first} {turn.topics}: «{item['text']}»")
    wrong = len(covered) - right - honest
    report.add("library: the right answer", right, len(covered), f"honest {honest}, wrong answer {wrong}")
    report.add("library: no wrong answer", right + honest, len(covered))

    uncovered = [item for item in sets.uncovered if not item.get("answer")]
    for name, items in (("uncovered", uncovered), ("no_question", sets.no_question)):
        kinds: Counter[str] = Counter()
        for i, item in enumerate(items):
            sender = f"q-{name}-{i}"
            say(sender, item["text"])
            turn = (turns_of(sender) or [Turn("", "")])[-1]
            if turn.first in HONEST:
                kinds["honest"] += 1
            elif turn.first == CHOICE:
                kinds["mente du"] += 1
            elif item.get("kind") == "case_number" and turn.first in STATUS_LOOKUP:
                kinds["status lookup"] += 1
            else:
                kinds["answered"] += 1
                report.miss(f"{name} → {turn.first or 'nothing'}: «{item['text']}»")
        good = kinds["honest"] + kinds["mente du"] + kinds["status lookup"]
        note = f"of them «Mente du …?» {kinds['mente du']}"
        if kinds["status lookup"]:
            note += f", a case reference's status lookup {kinds['status lookup']}"
        report.add(f"{name}: honest answers", good, len(items), note)

    good = 0
    for i, pair in enumerate(sets.follow_ups):
        sender = f"q-follow-{i}"
        say(sender, pair["first"])
        say(sender, pair["follow_up"])
        turns = turns_of(sender)
        expected = expected_topic(pair)
        last = turns[-1] if turns else Turn("", "")
        if (expected in last.topics) if expected else not last.topic_answered:
            good += 1
        else:
            first_topics = turns[0].topics if turns else []
            report.miss(
                f"follow-up → {last.first or 'nothing'} {last.topics} (first got {first_topics}, "
                f"expected {expected}): «{pair['first']}» → «{pair['follow_up']}»"
            )
    report.add("follow-ups on the right topic", good, len(sets.follow_ups))

    for language, examples in sets.topics.items():
        good = 0
        for i, (text, topic) in enumerate(examples):
            sender = f"q-topic-{language}-{i}"
            say(sender, text)
            turn = (turns_of(sender) or [Turn("", "")])[-1]
            if topic.startswith("faq/") and shape_without_question(text) == "word":
                # A single word gets «Mente du …?» (issue 12): right when its topic is a button.
                answered = turn.topics[:1] == [topic] or (turn.first == CHOICE and topic in turn.choices)
            elif topic.startswith("faq/"):
                answered = turn.topics[:1] == [topic]
            elif topic == "emergency":  # the held-out set predates suicide risk and urgent health
                answered = turn.first in SAFETY_RESPONSES.values()
            elif topic == "out_of_scope":
                answered = not turn.topic_answered and turn.first not in SAFETY_RESPONSES.values()
            else:
                answered = turn.intent == topic
            if answered:
                good += 1
            else:
                report.miss(f"topic {topic} → {turn.first or 'nothing'} {turn.topics}: «{text}»")
        report.add(f"topic answers [{language}]", good, len(examples))
    return report
