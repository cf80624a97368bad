"""Topics: labels in three languages, their pages, and labels as training examples of their topic."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.kommune import get_kommune
from bot.topics import TOPICS, label, topic_by_label

ROOT = Path(__file__).resolve().parent.parent


def _training_examples() -> dict[str, str]:
    examples: dict[str, str] = {}
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    examples[line.strip()[2:].strip().lower()] = block.get("intent", "")
    return examples


def test_every_topic_has_an_answer_in_the_domain() -> None:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    assert {f"utter_{key}" for key in TOPICS} == {r for r in domain["responses"] if r.startswith("utter_faq/")}


def test_every_label_is_a_training_example_of_its_topic() -> None:
    """A «Mente du …?» button sends the label as the citizen's message: it must lead to its topic."""
    examples = _training_examples()
    for key, topic in TOPICS.items():
        for text in (topic.nb, topic.nn, topic.en):
            assert examples.get(text.lower()) == key, f"«{text}» is not an example of {key}"
            assert topic_by_label(text.upper()) == key


def test_labels_follow_the_language_and_pages_come_from_kommune_yml() -> None:
    assert label("faq/early_voting", "nn") == "Førehandsrøysting"
    assert label("faq/early_voting", "pl") == "Early voting"
    assert TOPICS["faq/waste"].link() == get_kommune().links["avfall"]
    assert TOPICS["faq/moving"].link() == "skatteetaten.no"
    assert all(topic.link() for topic in TOPICS.values())
