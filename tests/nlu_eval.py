"""The held-out topic questions (tests/nlu_heldout) per language, and the model's topic for a text."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "nlu_heldout"


def load_examples(path: Path) -> list[tuple[str, str]]:
    """[(text, full intent)] from a file in Rasa's NLU format."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [
        (line.strip()[2:].strip(), block["intent"])
        for block in data.get("nlu") or []
        if block.get("intent")
        for line in (block.get("examples") or "").splitlines()
        if line.strip().startswith("- ")
    ]


def normalised(text: str) -> str:
    """Lower case without punctuation or spaces: «Hvor stemmer jeg?» and «hvor stemmer jeg» are one text."""
    return re.sub(r"[\W_]+", "", text.lower())


def training_texts() -> set[str]:
    """Every training example in data/nlu, `normalised`, except the topics' labels.

    The labels (topic_labels.yml) are what a «Mente du …?» button sends: the bot answers them by
    design, so a held-out question that happens to be a label («Flytting») may stay.
    """
    return {
        normalised(text)
        for path in (ROOT / "data" / "nlu").glob("*.yml")
        if path.name != "topic_labels.yml"
        for text, _ in load_examples(path)
    }


def load_heldout() -> dict[str, list[tuple[str, str]]]:
    """{language: [(text, full intent)]} from tests/nlu_heldout/<language>.yml."""
    return {path.stem: load_examples(path) for path in sorted(HELDOUT.glob("*.yml"))}


def full_intent(parse: dict[str, Any]) -> str:
    intent = (parse.get("intent") or {}).get("name") or ""
    if intent == "faq":
        selector = (parse.get("response_selector") or {}).get("faq") or {}
        return (selector.get("response") or {}).get("intent_response_key") or "faq"
    return intent


def predict(agent: Any, texts: list[str]) -> list[str]:
    async def run() -> list[str]:
        return [full_intent(await agent.parse_message(text)) for text in texts]

    return asyncio.run(run())
