"""The stock `rasa init` configuration as a Rasa developer would give it our answers: a project
directory for `rasa train`.

Without the answer library a stock Rasa assistant knows its answers the way `rasa init`'s FAQ
examples do: a retrieval intent `faq/<key>` per answer, its example questions as NLU data, a
response `utter_faq/<key>` in the domain, and Rasa's ResponseSelector to pick one. This builds
that project from the same sources as ours: `domain.yml`, `data/` (rules, stories and the
dialogue's intents; our unkeyed `faq` examples are left out, the library's keyed ones take
their place) and the catalogue in `data/answers/`. The configuration is Rasa's own default
pipeline and policies (`rasa/engine/recipes/config_files/default_config.yml`), with the epochs
ours to set: what a message costs to predict depends on the layers and the vocabulary, not on how
long they were trained, and 100 epochs over 12,000 questions would train for hours here.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import rasa.engine.recipes
import yaml

from bot.answers import catalogue

ROOT = Path(__file__).resolve().parent.parent
FAQ = "faq"
RASA_DEFAULT_CONFIG = Path(rasa.engine.recipes.__file__).parent / "config_files" / "default_config.yml"


def default_config(epochs: int) -> dict[str, Any]:
    """Rasa's own default configuration (what `rasa init` trains), with `epochs` epochs wherever
    it names epochs, our language and an assistant id of its own."""
    config = yaml.safe_load(RASA_DEFAULT_CONFIG.read_text(encoding="utf-8"))
    config.update(language="no", assistant_id="servicekontor_stock")
    for component in [*config["pipeline"], *config["policies"]]:
        if "epochs" in component:
            component["epochs"] = epochs
    return config


def _nlu_without_unkeyed_faq(path: Path) -> dict[str, Any] | None:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if "nlu" not in data:
        return data or None
    data["nlu"] = [item for item in data["nlu"] if item.get("intent") != FAQ]
    return data


def _examples(questions: list[str]) -> str:
    return "".join(f"- {' '.join(q.split())}\n" for q in questions)


def build(directory: Path, epochs: int) -> Path:
    """Writes the stock project into `directory` (emptied first); returns its config path."""
    shutil.rmtree(directory, ignore_errors=True)
    (directory / "data").mkdir(parents=True)
    config = directory / "config.yml"
    config.write_text(yaml.safe_dump(default_config(epochs), sort_keys=False), encoding="utf-8")

    for name in ("rules.yml", "stories.yml"):
        shutil.copy(ROOT / "data" / name, directory / "data" / name)
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        data = _nlu_without_unkeyed_faq(path)
        if data:
            (directory / "data" / path.name).write_text(
                yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
            )

    domain = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    nlu: list[dict[str, Any]] = []
    for doc in catalogue.read():
        questions = [q for language in ("nb", "nn", "en") for q in doc.examples.get(language, [])]
        nlu.append({"intent": f"{FAQ}/{doc.key}", "examples": _examples(questions)})
        domain["responses"][f"utter_{FAQ}/{doc.key}"] = [{"text": doc.text["nb"]}]
    (directory / "data" / "faq_library.yml").write_text(
        yaml.safe_dump({"version": "3.1", "nlu": nlu}, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    (directory / "domain.yml").write_text(yaml.safe_dump(domain, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return config
