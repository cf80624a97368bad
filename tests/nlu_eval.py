"""Evaluates the trained model on the held-out split (tests/nlu_heldout), per language."""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

HELDOUT = Path(__file__).resolve().parent / "nlu_heldout"


def load_heldout() -> dict[str, list[tuple[str, str]]]:
    """{language: [(text, full intent)]} from tests/nlu_heldout/<language>.yml."""
    split: dict[str, list[tuple[str, str]]] = {}
    for path in sorted(HELDOUT.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        split[path.stem] = [
            (line[2:].strip(), block["intent"])
            for block in data["nlu"]
            for line in block["examples"].splitlines()
            if line.strip().startswith("- ")
        ]
    return split


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


def report(agent: Any) -> dict[str, float]:
    """Prints accuracy per language and the most common confusions; returns the accuracies."""
    accuracies: dict[str, float] = {}
    for language, examples in load_heldout().items():
        predicted = predict(agent, [text for text, _ in examples])
        misses = [(text, gold, got) for (text, gold), got in zip(examples, predicted, strict=True) if gold != got]
        accuracy = 1 - len(misses) / len(examples)
        accuracies[language] = accuracy
        print(
            f"\nHeld-out intent accuracy [{language}]: {accuracy:.1%} ({len(examples) - len(misses)}/{len(examples)})"
        )
        confusions = Counter((gold, got) for _, gold, got in misses)
        by_gold: dict[str, int] = defaultdict(int)
        for (gold, _), count in confusions.items():
            by_gold[gold] += count
        for text, gold, got in misses:
            print(f"  miss: {gold:28} -> {got:28} «{text}»")
    return accuracies
