"""One short text as a TF-IDF row of a fitted vectorizer, without scikit-learn's per-call overhead.

Both of our own text classifiers (the safety layer's, bot/safety/classifier.py, and the answer
library's index, bot/answers/index.py) score one message at a time against vocabularies fitted
by scikit-learn's `TfidfVectorizer(sublinear_tf=True)`. Its `transform` builds sparse matrices and
checks its input on every call; this gives the same row (the n-grams' columns and their L2-normed
weights) by counting the n-grams and looking them up. Each classifier's test compares the result
with scikit-learn's own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import numpy as np


def row(
    analyzer: Callable[[str], list[str]], vocabulary: dict[str, int], idf: np.ndarray, text: str
) -> tuple[np.ndarray, np.ndarray] | None:
    """(columns, weights) of `text`'s n-grams in the vocabulary, weights L2-normed; None when it has none."""
    counts = Counter(column for gram in analyzer(text) if (column := vocabulary.get(gram)) is not None)
    if not counts:
        return None
    columns = np.fromiter(counts, dtype=np.int64, count=len(counts))
    weights = (1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))) * idf[columns]
    return columns, weights / np.linalg.norm(weights)
