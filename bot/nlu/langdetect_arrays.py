"""langdetect's detector with its per-language arithmetic on NumPy arrays: the same answers, faster.

langdetect guesses a language by drawing a text's n-grams at random, up to 1,000 times in each of
seven trials, and multiplying a probability for each of its 55 languages by the n-gram's weight
for that language. It does this in a Python loop over the 55 languages, about 9 ms for a message
the word lists in `bot/nlu/language.py` cannot place (7 % of a Rasa process's time under load,
py-spy, 6 December 2026). `ArrayDetector` does the same float64 operations in the same order on
arrays, in about 3 ms: each multiplication and division is rounded as Python rounds it, and the
sum that normalises is Python's own left-to-right sum. The random draws are the same too, so the
result is langdetect's, bit for bit; `tests/test_language.py` compares the two on texts from `data/` and
`tests/`. langdetect's library is unchanged: this is a subclass that `bot/nlu/language.py` creates.
"""

from __future__ import annotations

import numpy as np
from langdetect.detector import Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException


class ArrayDetector(Detector):  # type: ignore[misc]
    """`langdetect.detector.Detector` with `_detect_block` on NumPy arrays (same results)."""

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        distinct = list(dict.fromkeys(ngrams))
        position = {ngram: index for index, ngram in enumerate(distinct)}
        # random.choice draws an index below len(seq) whatever the items are, so choosing from the
        # positions draws exactly what langdetect draws from the n-grams.
        positions = [position[ngram] for ngram in ngrams]
        weights = np.array([self.word_lang_prob_map[ngram] for ngram in distinct], dtype=np.float64)

        langprob = np.zeros(len(self.langlist), dtype=np.float64)
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            prob = np.array(self._init_probability(), dtype=np.float64)
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            factors = alpha / self.BASE_FREQ + weights  # langdetect's `weight + lang_prob_map[i]`
            i = 0
            while True:
                prob *= factors[self.random.choice(positions)]
                if i % 5 == 0:
                    prob /= sum(prob.tolist())  # Python's sum, in langdetect's order
                    if prob.max() > self.CONV_THRESHOLD or i >= self.ITERATION_LIMIT:
                        break
                i += 1
            langprob += prob / self.n_trial
        self.langprob = langprob.tolist()
