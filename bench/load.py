"""The benchmark's load: citizens' conversations made from questions written apart from the
training data (`tests/heldout/`), not a short fixed script.

A conversation keeps one language (bokmål, nynorsk or English). It asks questions drawn from
across the answer library (`tests/heldout/library/`, every theme), now and then opens with a
greeting, follows an answer up («hva koster det?», `follow_ups.yml`), says something with no
question in it (a name, «test», `no_question.yml`) or ends with thanks. Most conversations are
short and some are long: 1 to 30 turns. The same seed gives the same conversations, so that two
configurations measured in one run get the same load.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "heldout"
LANGUAGES = ("nb", "nn", "en")
# Turns per conversation, and how often each length is drawn: mostly short chats, a long tail.
LENGTHS = (1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30)
WEIGHTS = (6, 10, 12, 12, 10, 8, 7, 6, 5, 4, 3, 2, 2)
GREETINGS = {"nb": ["hei", "hallo", "god morgen"], "nn": ["hei", "god dag"], "en": ["hello", "hi there"]}
THANKS = {
    "nb": ["takk", "tusen takk!", "takk for hjelpen"],
    "nn": ["takk", "takk for hjelpa"],
    "en": ["thanks", "thank you!"],
}


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _questions() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for path in sorted((HELDOUT / "library").glob("*.yml")):
        for item in _yaml(path)["sporsmal"]:
            for language in LANGUAGES:
                found[language] += item.get(language) or []
    return found


def _follow_ups() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {language: [] for language in LANGUAGES}
    for pair in _yaml(HELDOUT / "follow_ups.yml")["pairs"]:
        language = "nb" if pair["lang"] == "dialect" else pair["lang"]
        if language in found:
            found[language].append((pair["first"], pair["follow_up"]))
    return found


def _no_question() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {language: [] for language in LANGUAGES}
    for message in _yaml(HELDOUT / "no_question.yml")["messages"]:
        for language in LANGUAGES if message["lang"] == "any" else [message["lang"]]:
            if language in found:
                found[language].append(message["text"])
    return found


class Citizens:
    """Draws conversations; all of the held-out material is read once."""

    def __init__(self) -> None:
        self.questions = _questions()
        self.follow_ups = _follow_ups()
        self.no_question = _no_question()

    def conversation(self, rnd: random.Random, turns: int) -> list[str]:
        language = rnd.choices(LANGUAGES, weights=(6, 2, 2))[0]
        said: list[str] = []
        if turns > 1 and rnd.random() < 0.3:
            said.append(rnd.choice(GREETINGS[language]))
        while len(said) < turns:
            draw = rnd.random()
            if draw < 0.12 and self.follow_ups[language] and len(said) + 2 <= turns:
                said += rnd.choice(self.follow_ups[language])
            elif draw < 0.18 and self.no_question[language]:
                said.append(rnd.choice(self.no_question[language]))
            else:
                said.append(rnd.choice(self.questions[language]))
        if turns > 2 and rnd.random() < 0.4:
            said[-1] = rnd.choice(THANKS[language])
        return said[:turns]

    def conversations(self, count: int, seed: int) -> list[list[str]]:
        rnd = random.Random(seed)
        return [self.conversation(rnd, rnd.choices(LENGTHS, weights=WEIGHTS)[0]) for _ in range(count)]

    def questions_in_a_row(self, turns: int, seed: int, again_at: tuple[int, ...] = (), span: int = 6) -> list[str]:
        """One citizen asking question after question: the long conversation the turn costs use.

        From each turn of `again_at` (1-based) on, the citizen asks the conversation's first `span`
        questions again, so that the cost of a message late in the conversation is compared with
        the same messages early in it, not with other questions.
        """
        rnd = random.Random(seed)
        everything = [q for language in LANGUAGES for q in self.questions[language]]
        questions = [rnd.choice(everything) for _ in range(turns)]
        for start in again_at:
            end = min(turns, start - 1 + span)
            questions[start - 1 : end] = questions[: end - start + 1]
        return questions
