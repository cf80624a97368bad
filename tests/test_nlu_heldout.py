"""NLU quality on a held-out split that training never sees: ≥ 90 % intent accuracy per language."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.topics import TOPIC_LABELS
from tests.nlu_eval import load_heldout, predict, report

ROOT = Path(__file__).resolve().parent.parent


def test_heldout_split_is_not_in_training_data() -> None:
    import yaml

    training = set()
    for path in (ROOT / "data").rglob("*.yml"):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu", []):
            training.update(
                line[2:].strip().lower()
                for line in block.get("examples", "").splitlines()
                if line.strip().startswith("- ")
            )
    overlap = [text for examples in load_heldout().values() for text, _ in examples if text.lower() in training]
    assert not overlap, f"held-out examples also in training data: {overlap}"


def test_heldout_accuracy_per_language(agent: Any) -> None:
    accuracies = report(agent)
    assert set(accuracies) >= {"nb", "nn", "en"}
    for language, accuracy in accuracies.items():
        assert accuracy >= 0.90, f"{language}: {accuracy:.1%} < 90 %"


def test_topic_buttons_lead_to_their_topic(agent: Any) -> None:
    """Clarifying buttons send the topic label as text; it must be understood as that topic."""
    labels = {topic: text for topic, text in TOPIC_LABELS.items() if topic.startswith("faq/")}
    predicted = predict(agent, list(labels.values()))
    wrong = {text: got for (topic, text), got in zip(labels.items(), predicted, strict=True) if got != topic}
    assert not wrong, wrong
