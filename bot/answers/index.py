"""Finding the library's answer to a question, without retraining the bot's model.

A linear classifier over every published answer's example questions and titles, in all its
languages, on two kinds of features: character n-grams (2–5 letters inside words, which carry
bokmål, nynorsk, dialect and misspelled compounds alike) and words and word pairs, TF-IDF weighted.
Classes are weighted by their number of examples, so an answer with 200 examples does not
crowd out one with 20. Fitting it on 160 answers and 9,000 examples takes a few seconds, so a
published change is picked up by refitting it in the background (bot/answers/live.py).

An answer's `confidence` is the classifier's softmax over the answers and «none of these» (a
fixed margin: a question every answer rejects belongs to none of them). Whether the bot answers is
decided from it by `bot.certainty`, with thresholds chosen on held-out questions
(bench/calibrate.py). Only the vectorisers and the classifier's weights are kept after fitting:
ranking a question costs its two TF-IDF transforms and one product with the weights.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from bot.answers.document import AnswerDoc

# Chosen on tests/heldout/library/ (bench/library_retrieval.py): balanced class weights gained
# five points of top-1 accuracy, C=0.5 one more over C=1.
_C = 0.5
# Fixed, so that every Rasa process builds the same index from the same library and gives the same
# answer to the same question (liblinear shuffles its coordinates).
_SEED = 0
# The softmax's sharpness over the classifier's margins (about -1 … 1), so that the confidence
# `bot.certainty.Thresholds` reads fits how often the answer is right: at 8 the expected
# calibration error on the calibration set's topic questions was 0.030 (6: 0.128; 10: 0.022) and
# the threshold grid gave the most honest answers for the same topic figures (README).
_SHARPNESS = 8.0
# The margin of «none of these», a class of its own in the softmax beside the answers. The softmax
# over the answers alone only compares them: a question on a subject the library does not cover,
# which every answer's margin rejects, came out sure of whichever answer was least far off. With
# this class it gets a low confidence, and the bot says it does not know. -inf: no such class.
# Chosen on the calibration set with the thresholds of bot.certainty (README).
_NONE_MARGIN = -0.4


@dataclass(frozen=True)
class Match:
    key: str
    confidence: float  # 0–1, the classifier's share for this answer


class AnswerIndex:
    """Ranks answers by how likely a question is to be asking for them."""

    def __init__(self, docs: Iterable[AnswerDoc]) -> None:
        texts: list[str] = []
        owners: list[int] = []
        self.keys: list[str] = []
        for doc in docs:
            questions = [*doc.title.values(), *(q for items in doc.examples.values() for q in items)]
            questions = [q for q in questions if q.strip()]
            if not questions:
                continue
            self.keys.append(doc.key)
            texts += questions
            owners += [len(self.keys) - 1] * len(questions)
        owner_of = np.asarray(owners, dtype=np.int64)
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True)
        self._words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
        self._classifier: LinearSVC | None = None
        if texts:
            matrix = self._vectors(texts, fit=True)
            if len(self.keys) > 1:
                self._classifier = LinearSVC(C=_C, class_weight="balanced", random_state=_SEED).fit(matrix, owner_of)

    def __len__(self) -> int:
        return len(self.keys)

    def _vectors(self, texts: list[str], *, fit: bool = False) -> sparse.csr_matrix:
        chars = self._chars.fit_transform(texts) if fit else self._chars.transform(texts)
        words = self._words.fit_transform(texts) if fit else self._words.transform(texts)
        return normalize(sparse.hstack([chars, 0.5 * words]).tocsr())

    def rank(self, question: str, limit: int = 5) -> list[Match]:
        """The likeliest answers, best first."""
        if not self.keys or not question.strip():
            return []
        if self._classifier is None:
            confidence = np.ones(1)
        else:
            vector = self._vectors([question])
            margins = self._classifier.decision_function(vector).ravel() * _SHARPNESS
            if len(self.keys) == 2:  # a binary classifier gives one margin, for the second class
                margins = np.array([-margins[0], margins[0]])
            logits = np.append(margins, _NONE_MARGIN * _SHARPNESS)  # the last: «none of these»
            shares = np.exp(logits - logits.max())
            confidence = shares[:-1] / shares.sum()
        order = np.argsort(-confidence)[:limit]
        return [Match(self.keys[i], float(confidence[i])) for i in order]


_built: OrderedDict[str, AnswerIndex] = OrderedDict()
_built_lock = threading.Lock()
_KEPT = 2  # the index in use and the one being built beside it


def index_for(docs: Iterable[AnswerDoc]) -> AnswerIndex:
    """The index over `docs`, built once per process for the same titles and examples.

    A change that touches neither (a new text, a status that leaves the same answers published)
    reuses the index instead of spending seconds on an identical one; so do several databases
    with the same library in one process (the tests).
    """
    docs = list(docs)
    content = [(d.key, d.title, d.examples) for d in sorted(docs, key=lambda d: d.key)]
    fingerprint = hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
    with _built_lock:
        found = _built.get(fingerprint)
        if found is None:
            found = _built[fingerprint] = AnswerIndex(docs)
            while len(_built) > _KEPT:
                _built.popitem(last=False)
        _built.move_to_end(fingerprint)
        return found
