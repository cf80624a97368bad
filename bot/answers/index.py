"""Finding the library's answer to a question, without retraining the bot's model.

An index over every published answer's example questions and titles, in all its languages:
character n-grams (2–5 letters inside words, which carry bokmål, nynorsk, dialect and misspelled
compounds alike) and word pairs, TF-IDF weighted. An answer's score for a question is its best
example's cosine similarity. Building the index for 150 answers and 5,000 examples takes well
under a second, so a published change can be picked up by rebuilding it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

from bot.answers.document import AnswerDoc


@dataclass(frozen=True)
class Match:
    key: str
    score: float  # cosine similarity of the closest example, 0–1


class AnswerIndex:
    """Ranks answers by how close a question is to their examples and titles."""

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
        self._owners = np.asarray(owners, dtype=np.int64)
        self._chars = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, lowercase=True)
        self._words = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True, lowercase=True)
        if texts:
            self._matrix = self._vectors(texts, fit=True)

    def _vectors(self, texts: list[str], *, fit: bool = False) -> sparse.csr_matrix:
        chars = self._chars.fit_transform(texts) if fit else self._chars.transform(texts)
        words = self._words.fit_transform(texts) if fit else self._words.transform(texts)
        return normalize(sparse.hstack([chars, 0.5 * words]).tocsr())

    def rank(self, question: str, limit: int = 5) -> list[Match]:
        """The closest answers, best first."""
        if not self.keys or not question.strip():
            return []
        similarities = (self._matrix @ self._vectors([question]).T).toarray().ravel()
        best = np.zeros(len(self.keys))
        np.maximum.at(best, self._owners, similarities)
        order = np.argsort(-best)[:limit]
        return [Match(self.keys[i], float(best[i])) for i in order]
