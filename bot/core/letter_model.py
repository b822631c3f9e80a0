"""A second opinion for the matcher: logistic regression over the letter 2-5-grams of the message's words."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from bot.core.linear_model import class_rows, softmax

# Letter n-grams of each word padded with spaces (scikit-learn's "char_wb"): they survive the spellings and typos
# the lexicon and the corrector miss. 2-grams are what the matcher's own n-grams (3-5) lack.
SIZES = (2, 3, 4, 5)
# Inverse regularisation strength, as the TF-IDF + logistic regression baseline of benchmarks/run.py.
C = 10.0
# Words whose n-gram rows are kept; past this the memo starts again (odd messages must not grow it without bound).
_MEMO_LIMIT = 50_000


@lru_cache(maxsize=1 << 16)
def word_grams(word: str) -> tuple[str, ...]:
    """The letter n-grams of one word, padded with a space each side; a word shorter than n gives itself once."""
    padded = f" {word} "
    out: list[str] = []
    for n in SIZES:
        out.extend(padded[i : i + n] for i in range(max(1, len(padded) - n + 1)))
        if len(padded) <= n:
            break
    return tuple(out)


def grams(tokens: Sequence[str]) -> Counter[str]:
    counted: Counter[str] = Counter()
    for token in tokens:
        counted.update(word_grams(token))
    return counted


@dataclass(frozen=True)
class LetterModel:
    """Smoothed IDF and the regression's weights by n-gram (rows) and class (columns), as numpy arrays: one
    message is a few hundred n-grams against every class, which plain Python sums too slowly for a chat."""

    rows: Mapping[str, int]
    idf: np.ndarray
    weights: np.ndarray
    bias: np.ndarray
    _memo: dict[str, np.ndarray] = field(default_factory=dict, compare=False, repr=False)

    def probabilities(self, tokens: Sequence[str]) -> np.ndarray:
        """Sublinear TF x IDF of the known n-grams, unit length, through the regression and a softmax."""
        scores = self.bias.copy()
        found = [self._rows_of(token) for token in tokens]
        if found:
            index, counts = np.unique(np.concatenate(found), return_counts=True)
            if len(index):
                values = (1.0 + np.log(counts)) * self.idf[index]
                values /= math.sqrt(float(values @ values))
                scores += values @ self.weights[index]
        return softmax(scores)

    def _rows_of(self, token: str) -> np.ndarray:
        """The rows of a word's known n-grams (repeats kept); memoised, words repeat across messages."""
        known = self._memo.get(token)
        if known is None:
            if len(self._memo) > _MEMO_LIMIT:
                self._memo.clear()
            rows = self.rows
            known = self._memo[token] = np.array([rows[g] for g in word_grams(token) if g in rows], dtype=np.intp)
        return known

    def pack(self) -> tuple[list[str], bytes, bytes, bytes, int]:
        """Plain data for the index cache (marshal): n-grams in row order, arrays as bytes, class count."""
        order = sorted(self.rows, key=self.rows.__getitem__)
        return order, self.idf.tobytes(), self.weights.tobytes(), self.bias.tobytes(), len(self.bias)

    @classmethod
    def unpack(cls, packed: Sequence) -> LetterModel:
        order, idf, weights, bias, classes = packed
        return cls({g: i for i, g in enumerate(order)}, np.frombuffer(idf, dtype=np.float64),
                   np.frombuffer(weights, dtype=np.float64).reshape(len(order), classes),
                   np.frombuffer(bias, dtype=np.float64))


def fit(token_lists: Sequence[Sequence[str]], labels: Sequence[int], classes: int) -> LetterModel:
    """TF-IDF as scikit-learn's TfidfVectorizer(sublinear_tf=True) computes it, and LogisticRegression on it."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    counts = [grams(tokens) for tokens in token_lists]
    df: Counter[str] = Counter()
    for count in counts:
        df.update(count.keys())
    order = sorted(df)
    rows = {g: i for i, g in enumerate(order)}
    total = len(counts)
    idf = np.array([math.log((1 + total) / (1 + df[g])) + 1.0 for g in order])
    data, indices, starts = [], [], [0]
    for count in counts:
        values = [(rows[g], (1.0 + math.log(n)) * idf[rows[g]]) for g, n in count.items()]
        norm = math.sqrt(sum(v * v for _, v in values)) or 1.0
        indices += [r for r, _ in values]
        data += [v / norm for _, v in values]
        starts.append(len(indices))
    matrix = csr_matrix((data, indices, starts), shape=(len(counts), len(order)))
    model = LogisticRegression(C=C, max_iter=3000).fit(matrix, list(labels))
    weights = np.zeros((len(order), classes))
    bias = np.full(classes, -1e9)  # a class without examples in this training set can never win
    known, coef, intercept = class_rows(model)
    for row, k in enumerate(known):
        weights[:, k] = coef[row]
        bias[k] = intercept[row]
    return LetterModel(rows, idf, weights, bias)
