"""The trained half of the safety layer: a small text classifier of its own, not the topic classifier.

A logistic regression over character n-grams (which carry misspellings, dialect and compounds)
and word n-grams, trained on the safety examples in `data/nlu/safety.yml` (emergency,
suicide_risk, urgent_health) against every other example in `data/nlu/` (ordinary questions,
chat, the «hard negatives» with alarming words) and its own negatives in `bot/safety/negatives.yml`
(ordinary messages it once took for an alarm, kept out of the topic model's data). `rasa train`
trains it with the rest of the model (`bot.nlu.safety.SafetyOverride`) and stores it in the model
file as plain arrays and a JSON vocabulary (`save`/`load`: no pickle), so a server loads it in
about a second instead of training it at every start. A process without a model (tests,
`bench/calibrate.py`) trains it from `data/nlu/` on first use (`get_classifier`).

It scores the whole message and each of its sentences, and keeps the highest score per kind: an
emergency in the middle of a long message counts as much as one on its own. Two exceptions, chosen
on the calibration sets and by cross-validation on the training data (README, «Safety first»):
in a message that asks something, the sentences around the question are its context, read only
with the whole message («Kva krevst for å bli fosterheim? Vi har tenkt på det lenge»: the second
sentence alone reads like despair); and a single word («blå») is left to the patterns, since a
word alone gives the classifier too little to go on.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from bot import tfidf
from bot.safety.patterns import normalise
from bot.yaml_files import read_yaml

if TYPE_CHECKING:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import Pipeline

DATA_DIR = Path(__file__).resolve().parents[2] / "data" / "nlu"
# Ordinary messages only this classifier learns from (not the topic model): its false alarms.
OWN_NEGATIVES = Path(__file__).with_name("negatives.yml")
SAFETY_INTENTS = ("emergency", "suicide_risk", "urgent_health")
NONE = "none"
# Rasa's inline entity annotation, «[SK-2026-00042](case_reference)»: keep the text.
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_SENTENCES = re.compile(r"(?<=[.!?;\n])\s+|\s+(?:men|og så|and then|but)\s+")


def own_negatives(path: Path = OWN_NEGATIVES) -> list[tuple[str, str]]:
    """(text, «none») for each message in the safety layer's own negatives (bot/safety/negatives.yml)."""
    data = read_yaml(path) or {}
    return [(str(text), NONE) for text in data.get("tekster") or []]


def load_examples(data_dir: Path = DATA_DIR) -> list[tuple[str, str]]:
    """(text, full intent) for every NLU example in the folder, e.g. («når blir søpla hentet», «faq/waste»)."""
    examples: list[tuple[str, str]] = []
    for path in sorted(data_dir.rglob("*.yml")):
        data = read_yaml(path) or {}
        for block in data.get("nlu") or []:
            intent = block.get("intent")
            if not intent:
                continue
            for line in (block.get("examples") or "").splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples.append((_ANNOTATION.sub(r"\1", line[2:].strip()), intent))
    return examples


_QUESTION_START = re.compile(
    r"^(?:hvordan|korleis|koss|åssen|hvor|kor|hva|kva|ka|når|hvem|kven|kem|hvilke\w*|kva for|kan|må|har|er|"
    r"skal|får|blir|finnes|fins|gjelder|trenger|how|what|where|when|who|which|can|do|does|is|are|should|"
    r"will)\b",
    re.IGNORECASE,
)


def asks_question(sentence: str) -> bool:
    """Whether a sentence asks something: it ends with «?» or starts with a question word."""
    sentence = sentence.strip()
    return sentence.endswith("?") or bool(_QUESTION_START.match(sentence))


def _parts(text: str) -> list[str]:
    return [p for p in (s.strip() for s in _SENTENCES.split(text)) if len(p) > 2]


def asks_something(text: str) -> bool:
    """Whether any sentence of the message asks something."""
    return any(asks_question(part) for part in _parts(text) or [text])


def sentences(text: str) -> list[str]:
    """The parts the classifier scores: the message and, when it asks nothing, each of its sentences."""
    parts = _parts(text)
    if len(parts) > 1 and not any(asks_question(part) for part in parts):
        return [text, *[part for part in parts if len(part.split()) > 1]]
    return [text]


@dataclass
class _Features:
    """One fitted TF-IDF vectorizer, read out for fast scoring of a few short texts."""

    analyzer: Callable[[str], list[str]]
    vocabulary: dict[str, int]
    idf: np.ndarray
    offset: int  # where its columns start in the joined feature vector


def _vectorizers() -> list[tuple[str, TfidfVectorizer]]:
    """The two feature sets, unfitted: character n-grams (misspellings, compounds) and words."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return [
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
        ("words", TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, token_pattern=r"(?u)\b\w+\b")),
    ]


class SafetyClassifier:
    """Scores a text for each safety kind: the probability the model gives it.

    `train` takes (text, intent) pairs: the safety intents against all others together.
    `pipeline` is the fitted scikit-learn pipeline when trained in this process (None when loaded).
    """

    ARRAYS = "safety_classifier.npz"
    VOCABULARIES = "safety_vocabularies.json"

    def __init__(
        self,
        classes: Iterable[str],
        coef: np.ndarray,
        intercept: np.ndarray,
        vocabularies: list[dict[str, int]],
        idfs: list[np.ndarray],
        pipeline: Pipeline | None = None,
    ) -> None:
        self.classes: tuple[str, ...] = tuple(classes)
        self._coef = np.asarray(coef, dtype=np.float64)
        self._intercept = np.asarray(intercept, dtype=np.float64)
        self.pipeline = pipeline
        self._features: list[_Features] = []
        offset = 0
        vectorizers = _vectorizers()
        for (_, vectorizer), vocabulary, idf in zip(vectorizers, vocabularies, idfs, strict=True):
            self._features.append(_Features(vectorizer.build_analyzer(), vocabulary, np.asarray(idf), offset))
            offset += len(vocabulary)

    @classmethod
    def train(cls, examples: Iterable[tuple[str, str]]) -> SafetyClassifier:
        """Fit on `examples` (the NLU examples) and the safety layer's own negatives."""
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import FeatureUnion, make_pipeline

        # Without repeats, as Rasa's TrainingData keeps them, so that `rasa train` and a fit from
        # the files give the same classifier.
        examples = list(dict.fromkeys([*examples, *own_negatives()]))
        texts = [normalise(text) for text, _ in examples]
        labels = [intent if intent in SAFETY_INTENTS else NONE for _, intent in examples]
        features = FeatureUnion(_vectorizers())
        model = LogisticRegression(C=20.0, class_weight="balanced", max_iter=3000)
        pipeline = make_pipeline(features, model)
        pipeline.fit(texts, labels)
        fitted = [vectorizer for _, vectorizer in features.transformer_list]
        return cls(
            model.classes_,
            model.coef_,
            model.intercept_,
            [{gram: int(column) for gram, column in v.vocabulary_.items()} for v in fitted],
            [v.idf_ for v in fitted],
            pipeline,
        )

    def save(self, directory: Path) -> None:
        """Write the classifier as arrays (.npz) and vocabularies (JSON) into `directory`."""
        np.savez_compressed(
            directory / self.ARRAYS,
            classes=np.array(self.classes),
            coef=self._coef,
            intercept=self._intercept,
            **{f"idf{i}": features.idf for i, features in enumerate(self._features)},
        )
        vocabularies = [features.vocabulary for features in self._features]
        (directory / self.VOCABULARIES).write_text(json.dumps(vocabularies, ensure_ascii=False), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> SafetyClassifier:
        """The classifier `save` wrote into `directory`."""
        vocabularies = json.loads((directory / cls.VOCABULARIES).read_text(encoding="utf-8"))
        with np.load(directory / cls.ARRAYS, allow_pickle=False) as arrays:
            idfs = [arrays[f"idf{i}"] for i in range(len(vocabularies))]
            return cls([str(c) for c in arrays["classes"]], arrays["coef"], arrays["intercept"], vocabularies, idfs)

    def _probabilities(self, text: str) -> np.ndarray:
        """What `pipeline.predict_proba([text])[0]` gives, without scikit-learn's per-call checks."""
        logits = self._intercept.copy()
        for features in self._features:
            found = tfidf.row(features.analyzer, features.vocabulary, features.idf, text)
            if found is not None:
                columns, weights = found
                logits += self._coef[:, columns + features.offset] @ weights
        exp = np.exp(logits - logits.max())
        return exp / exp.sum()

    def scores(self, text: str) -> dict[str, float]:
        """The highest probability per safety kind over the message and its sentences (none for one word)."""
        text = normalise(text)
        if len(text.split()) < 2:
            return dict.fromkeys((kind for kind in self.classes if kind != NONE), 0.0)
        probabilities = np.max([self._probabilities(part) for part in sentences(text)], axis=0)
        return {kind: float(p) for kind, p in zip(self.classes, probabilities, strict=True) if kind != NONE}


_lock = threading.Lock()
_classifier: SafetyClassifier | None = None


def install(classifier: SafetyClassifier) -> None:
    """Make `classifier` (the one in the loaded model) the process's classifier."""
    global _classifier
    with _lock:
        _classifier = classifier


def get_classifier() -> SafetyClassifier:
    """The process's classifier: the model's once it is loaded, else trained on first use from `data/nlu/`."""
    global _classifier
    if _classifier is None:
        with _lock:
            if _classifier is None:
                _classifier = SafetyClassifier.train(load_examples())
    return _classifier
