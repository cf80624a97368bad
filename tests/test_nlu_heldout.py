"""The held-out topic questions (tests/nlu_heldout) stay apart from training; topic buttons lead to their topic.

The accuracy on them is measured end to end, with the other held-out sets, in tests/test_quality.py.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.topics import TOPICS
from tests.nlu_eval import load_heldout, normalised, predict, training_texts

ROOT = Path(__file__).resolve().parent.parent


def test_heldout_split_is_not_in_training_data() -> None:
    training = training_texts()
    overlap = [text for examples in load_heldout().values() for text, _ in examples if normalised(text) in training]
    assert not overlap, f"held-out examples also in training data: {overlap}"


def test_topic_buttons_lead_to_their_topic(agent: Any) -> None:
    """«Mente du …?» buttons send the topic's label, in the conversation's language, as text."""
    labels = [(key, text) for key, topic in TOPICS.items() for text in dict.fromkeys(topic.doc.title.values())]
    assert len(labels) >= 300  # every published answer's title, in each of its languages
    predicted = predict(agent, [text for _, text in labels])
    wrong = {text: got for (key, text), got in zip(labels, predicted, strict=True) if got != key}
    assert not wrong, wrong
