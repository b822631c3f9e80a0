"""Logistic regression over the matcher's features: trained with scikit-learn, scored by the matcher."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

# Inverse regularisation strength; chosen by cross-validation on intents/ (benchmarks/compare_models.py).
C = 10.0
# Weights this small change no probability noticeably; dropping them keeps scoring fast and the cache small.
PRUNE = 0.05

Vector = dict[str, float]


@dataclass(frozen=True)
class LinearModel:
    """Per-feature class weights and per-class biases of a multinomial logistic regression."""

    weights: Mapping[str, tuple[tuple[int, float], ...]]
    bias: tuple[float, ...]


def softmax(scores: np.ndarray) -> np.ndarray:
    """Class scores as probabilities (shifted by the largest score, so exp never overflows)."""
    exps = np.exp(scores - scores.max())
    return exps / exps.sum()


def train(vectors: Sequence[Vector], labels: Sequence[int], classes: int) -> LinearModel:
    """Fit with scikit-learn (imported only here: a cache hit never pays its import time)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(vectors)
    model = LogisticRegression(C=C, max_iter=3000).fit(matrix, list(labels))
    known, coef, intercept = class_rows(model)
    weights: dict[str, list[tuple[int, float]]] = {}
    for j, feature in enumerate(vectorizer.feature_names_):
        column = [(known[row], float(coef[row][j])) for row in range(len(known)) if abs(coef[row][j]) >= PRUNE]
        if column:
            weights[feature] = column
    bias = [-1e9] * classes  # a class without examples in this training set can never win
    for row, k in enumerate(known):
        bias[k] = float(intercept[row])
    return LinearModel({f: tuple(c) for f, c in weights.items()}, tuple(bias))


def class_rows(model: Any) -> tuple[list[int], Sequence[Sequence[float]], Sequence[float]]:
    """A fitted scikit-learn LogisticRegression as (class labels, one coefficient row and intercept per class).
    For two classes scikit-learn keeps a single row; it is split in halves of opposite sign, which gives the same
    probabilities under a softmax."""
    known = [int(k) for k in model.classes_]
    if len(known) > 2:
        return known, model.coef_, model.intercept_
    return known, [-model.coef_[0] / 2, model.coef_[0] / 2], [-model.intercept_[0] / 2, model.intercept_[0] / 2]
