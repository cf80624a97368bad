"""Finding the library's answer to a question, without retraining the bot's model.

A linear classifier over every published answer's example questions and titles, in all its
languages, on two kinds of features: character n-grams (2–5 letters inside words, which carry
bokmål, nynorsk, dialect and misspelled compounds alike) and words and word pairs, TF-IDF weighted.
Classes are weighted by their number of examples, so an answer with 200 examples does not
crowd out one with 20. Fitting it on 184 answers and 20,000 examples takes about 20 s, so a
published change is picked up by refitting it in the background (bot/answers/live.py), and a
fitted index is kept on disk (bot/answers/index_files.py): every other process on the machine,
and every later start, loads it in well under a second instead of fitting it again.

An answer's `confidence` is the classifier's softmax over the answers and «none of these» (a
fixed margin: a question every answer rejects belongs to none of them). Whether the bot answers is
decided from it by `bot.certainty`, with thresholds chosen on held-out questions
(bench/calibrate.py). Only the vocabularies, the IDF weights and the classifier's weights are kept
after fitting: ranking a question costs counting its n-grams and one product with the weights of
the n-grams it has.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import sklearn
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize
from sklearn.svm import LinearSVC

from bot import tfidf
from bot.answers import index_files
from bot.answers.document import AnswerDoc
from bot.answers.index_files import Fitted

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
# The words' share beside the character n-grams in a question's vector.
_WORD_WEIGHT = 0.5
# Part of the fingerprint of an index kept on disk: raise it when a change here fits another index
# from the same examples, so that no process loads one fitted the old way.
FORMAT = 1


def _vectorizers() -> tuple[TfidfVectorizer, TfidfVectorizer]:
    """The two feature sets, unfitted: character n-grams inside words, and words and word pairs."""
    return (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True),
        TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True),
    )


@dataclass(frozen=True)
class Match:
    key: str
    confidence: float  # 0–1, the classifier's share for this answer


def training_texts(docs: Iterable[AnswerDoc]) -> tuple[list[str], list[str], list[int]]:
    """The answers that have any title or example, and every such text with its answer's position."""
    keys: list[str] = []
    texts: list[str] = []
    owners: list[int] = []
    for doc in docs:
        questions = [*doc.title.values(), *(q for items in doc.examples.values() for q in items)]
        questions = [q for q in questions if q.strip()]
        if not questions:
            continue
        keys.append(doc.key)
        texts += questions
        owners += [len(keys) - 1] * len(questions)
    return keys, texts, owners


def fit(docs: Iterable[AnswerDoc]) -> Fitted:
    """Fit the vectorizers and the classifier on the answers' titles and examples."""
    keys, texts, owners = training_texts(docs)
    chars, words = _vectorizers()
    if not texts:
        return Fitted([], ({}, {}), (np.zeros(0), np.zeros(0)), np.zeros((0, 0)), np.zeros(0))
    matrix = _joined(chars.fit_transform(texts), words.fit_transform(texts))
    char_columns, word_columns = ({gram: int(column) for gram, column in v.vocabulary_.items()} for v in (chars, words))
    vocabularies = (char_columns, word_columns)
    idfs = (np.asarray(chars.idf_, dtype=np.float64), np.asarray(words.idf_, dtype=np.float64))
    if len(keys) == 1:
        return Fitted(keys, vocabularies, idfs, np.zeros((matrix.shape[1], 0)), np.zeros(0))
    classifier = LinearSVC(C=_C, class_weight="balanced", random_state=_SEED)
    classifier.fit(matrix, np.asarray(owners, dtype=np.int64))
    weights = np.ascontiguousarray(classifier.coef_.T, dtype=np.float64)
    intercept = np.asarray(classifier.intercept_, dtype=np.float64)
    return Fitted(keys, vocabularies, idfs, weights, intercept)


def _joined(chars: sparse.spmatrix, words: sparse.spmatrix) -> sparse.csr_matrix:
    return normalize(sparse.hstack([chars, _WORD_WEIGHT * words]).tocsr())


class AnswerIndex:
    """Ranks answers by how likely a question is to be asking for them."""

    def __init__(self, docs: Iterable[AnswerDoc] | None = None, *, fitted: Fitted | None = None) -> None:
        self.fitted = fitted if fitted is not None else fit(docs or [])
        self.keys = self.fitted.keys
        analyzers = tuple(vectorizer.build_analyzer() for vectorizer in _vectorizers())
        self._analyzers: tuple[Callable[[str], list[str]], ...] = analyzers
        self._offsets = (0, len(self.fitted.vocabularies[0]))

    def __len__(self) -> int:
        return len(self.keys)

    def vector(self, question: str) -> tuple[np.ndarray, np.ndarray]:
        """The question's TF-IDF vector as (columns, values), as the fitted vectorizers would give it."""
        columns: list[np.ndarray] = []
        values: list[np.ndarray] = []
        scales = (1.0, _WORD_WEIGHT)
        parts = zip(self._analyzers, self.fitted.vocabularies, self.fitted.idfs, self._offsets, scales, strict=True)
        for analyzer, vocabulary, idf, offset, scale in parts:
            found = tfidf.row(analyzer, vocabulary, idf, question)
            if found is not None:
                columns.append(found[0] + offset)
                values.append(found[1] * scale)
        if not columns:
            return np.zeros(0, dtype=np.int64), np.zeros(0)
        joined = np.concatenate(values)
        return np.concatenate(columns), joined / np.linalg.norm(joined)

    def margins(self, question: str) -> np.ndarray:
        """The classifier's margin for each answer (LinearSVC's decision_function)."""
        columns, values = self.vector(question)
        margins = self.fitted.intercept + values @ self.fitted.weights[columns]
        if len(self.keys) == 2:  # a binary classifier gives one margin, for the second class
            return np.array([-margins[0], margins[0]])
        return margins

    def rank(self, question: str, limit: int = 5) -> list[Match]:
        """The likeliest answers, best first."""
        if not self.keys or not question.strip():
            return []
        if len(self.keys) == 1:
            confidence = np.ones(1)
        else:
            logits = np.append(self.margins(question), _NONE_MARGIN) * _SHARPNESS  # the last: «none of these»
            shares = np.exp(logits - logits.max())
            confidence = shares[:-1] / shares.sum()
        order = np.argsort(-confidence, kind="stable")[:limit]
        return [Match(self.keys[i], float(confidence[i])) for i in order]


def fingerprint(docs: Sequence[AnswerDoc]) -> str:
    """Names the index `docs` give: their keys, titles and examples, and how this code fits them."""
    content = [(d.key, d.title, d.examples) for d in sorted(docs, key=lambda d: d.key)]
    fitting = {"format": FORMAT, "scikit-learn": sklearn.__version__, "C": _C, "seed": _SEED}
    payload = json.dumps([fitting, content], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


_built: OrderedDict[str, AnswerIndex] = OrderedDict()
_built_lock = threading.Lock()
_KEPT = 2  # the index in use and the one being built beside it


def index_for(docs: Iterable[AnswerDoc]) -> AnswerIndex:
    """The index over `docs`, built once per process, and once per machine, for the same titles and examples.

    A change that touches neither (a new text, a status that leaves the same answers published)
    reuses the index instead of spending seconds on an identical one; so do several databases
    with the same library in one process (the tests). Another process that fitted it already
    left it on disk (bot/answers/index_files.py).
    """
    docs = list(docs)
    name = fingerprint(docs)
    with _built_lock:
        found = _built.get(name)
        if found is None:
            found = _built[name] = AnswerIndex(fitted=index_files.fitted(name, lambda: fit(docs)))
            while len(_built) > _KEPT:
                _built.popitem(last=False)
        _built.move_to_end(name)
        return found
