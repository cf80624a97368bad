"""The benchmark's stock configuration (bench/stock_project.py) is Rasa's own default, and it
knows every answer of the catalogue as a retrieval intent, as a Rasa developer would give them."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml
from rasa.shared.importers.importer import TrainingDataImporter

from bench import stock_project
from bot.answers import catalogue


def test_the_configuration_is_rasas_default_but_for_epochs_and_language() -> None:
    rasa_default = yaml.safe_load(stock_project.RASA_DEFAULT_CONFIG.read_text(encoding="utf-8"))
    ours = stock_project.default_config(7)

    def without_epochs(components: list[dict]) -> list[dict]:
        return [{k: v for k, v in c.items() if k != "epochs"} for c in components]

    assert without_epochs(ours["pipeline"]) == without_epochs(rasa_default["pipeline"])
    assert without_epochs(ours["policies"]) == without_epochs(rasa_default["policies"])
    assert [c["name"] for c in [*ours["pipeline"], *ours["policies"]] if c.get("epochs") == 7] == [
        "DIETClassifier",
        "ResponseSelector",
        "UnexpecTEDIntentPolicy",
        "TEDPolicy",
    ]
    assert ours["language"] == "no"


def test_every_answer_is_a_retrieval_intent_with_its_examples_and_response(tmp_path: Path) -> None:
    config = stock_project.build(tmp_path / "stock", epochs=1)
    importer = TrainingDataImporter.load_from_config(
        str(config), str(tmp_path / "stock" / "domain.yml"), [str(tmp_path / "stock" / "data")]
    )
    nlu = importer.get_nlu_data()
    domain = importer.get_domain()
    docs = catalogue.read()

    keyed = {m.get("intent_response_key") for m in nlu.intent_examples if m.get("intent") == "faq"}
    assert keyed == {f"faq/{doc.key}" for doc in docs}
    assert all(m.get("intent_response_key") for m in nlu.intent_examples if m.get("intent") == "faq")
    counts = Counter(m.get("intent_response_key") for m in nlu.intent_examples if m.get("intent") == "faq")
    for doc in docs:
        distinct = {" ".join(q.split()) for questions in doc.examples.values() for q in questions}
        assert counts[f"faq/{doc.key}"] == len(distinct)
        assert domain.responses[f"utter_faq/{doc.key}"][0]["text"] == doc.text["nb"]
    # The dialogue's own intents and rules are ours.
    assert {"greet", "human_handoff", "case_status", "emergency"} <= set(nlu.intents)
    assert importer.get_stories().story_steps
