"""A learned score for offer signs the rules miss: logistic regression over word and letter n-grams."""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from bot.content.offer_rules import OfferExample
from bot.core import index_cache

# Signs a model helps: the rules find them from a short list of words, writers phrase them in many ways.
# Chosen by cross-validation over the labelled offers (python -m benchmarks.tune_offers), never on test.
LEARNED_SIGNS = ("perekrut_perorangan", "tanpa_kontrak")
# Without a rule hit, the model alone adds a sign only at this probability (cross-validated per sign).
# perekrut_perorangan re-tuned after relabelling by the guideline in tanda_tawaran.yaml and widening the rules:
# 0.8 is balanced now (cross-validated P 0.96 R 0.99, writer to writer P 0.97 R 0.98 over 690 offers, with the
# rules and the floor below); 0.7 or 0.75 buy no recall on CV, writer to writer, dev or dev2, only cost precision.
THRESHOLDS: Mapping[str, float] = {"perekrut_perorangan": 0.8, "tanpa_kontrak": 0.6}
# A rule hit the model gives less than this is dropped: company staff named as contact ("sy Kak Ningsih dr bagian
# rekrutmen PT ..."), a parent introducing herself ("saya mama Agnes dari Ruteng") or a story about a calo avoided
# read like a recruiter to the rules; never a hit of the rules' `sure` patterns ("sponsor", "calo").
# Cross-validated with the thresholds (python -m benchmarks.tune_offers).
FLOORS: Mapping[str, float] = {"perekrut_perorangan": 0.1}
# ... and never against what the rules read: a contract signed before departure is not "no contract".
UNLESS: Mapping[str, tuple[str, ...]] = {"tanpa_kontrak": ("kontrak_tertulis",)}
# Letter n-grams inside words catch spellings and affixes ("kontraknya", "ditawarin", "omnya").
CHAR_SIZES = (3, 4, 5)
# A negation colours the next few words ("tidak ada kontrak", "son pake PT").
NEGATION_REACH = 3
NEGATORS = frozenset({"tidak", "tdk", "tak", "gak", "ga", "gk", "nggak", "ngga", "bukan", "bkn", "tanpa", "tnp",
                      "son", "sonde", "no", "without", "belum", "blm", "nda", "ndak", "tra", "kagak"})
# Inverse regularisation strength of scikit-learn's LogisticRegression (cross-validated).
C = 16.0
# Weights this small change no probability noticeably; dropping them keeps the cache small.
PRUNE = 0.01
FORMAT = 1  # bump when the cached layout changes
_TOKEN = re.compile(r"[a-z]+|\d+|\?")

Vector = dict[str, float]


def features(text: str) -> Vector:
    """Words, word pairs, negated words and letter n-grams of a text, scaled to unit length so that long adverts
    and short messages weigh alike."""
    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())
    found: set[str] = set()
    previous = "^"
    negated = 0
    for token in tokens:
        found.update((f"w:{token}", f"b:{previous}_{token}"))
        if negated:
            found.add(f"n:{token}")
            negated -= 1
        if token in NEGATORS:
            negated = NEGATION_REACH
        padded = f" {token} "
        for size in CHAR_SIZES:
            found.update(f"c:{padded[i:i + size]}" for i in range(len(padded) - size + 1))
        previous = token
    if not found:
        return {}
    value = 1.0 / math.sqrt(len(found))
    return {f: value for f in found}


@dataclass(frozen=True)
class SignModel:
    """One sign's weights by feature and bias; `probability` is the chance that the sign is in the offer."""

    weights: dict[str, float]
    bias: float

    def probability(self, vector: Vector) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) * v for f, v in vector.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


@dataclass(frozen=True)
class OfferModel:
    """A model per learned sign and the probability above which it adds the sign without a rule."""

    signs: dict[str, SignModel]
    thresholds: Mapping[str, float]
    floors: Mapping[str, float] = field(default_factory=dict)

    def scores(self, text: str) -> dict[str, float]:
        vector = features(text)
        return {sign: model.probability(vector) for sign, model in self.signs.items()}

    def found(self, text: str, ruled: Iterable[str] = ()) -> set[str]:
        """Signs the model is sure of on its own, given the signs the rules found (`ruled`)."""
        return self.judge(text, ruled)[0]

    def judge(self, text: str, ruled: Iterable[str] = ()) -> tuple[set[str], set[str]]:
        """The signs the model adds on its own and the rule hits it drops, given the signs the rules found."""
        ruled = set(ruled)
        scores = self.scores(text)
        added = {sign for sign, p in scores.items()
                 if p >= self.thresholds.get(sign, 1.0) and not ruled & set(UNLESS.get(sign, ()))}
        dropped = {sign for sign, p in scores.items() if sign in ruled and p < self.floors.get(sign, 0.0)}
        return added - ruled, dropped


def fit_sign(vectors: Sequence[Vector], labels: Sequence[bool], c: float = C) -> SignModel:
    """Fit with scikit-learn (imported only here: a cache hit never pays its import time)."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    if len(set(labels)) < 2:  # nothing to learn: the model never adds the sign
        return SignModel({}, -30.0)
    vectorizer = DictVectorizer()
    matrix = vectorizer.fit_transform(vectors)
    model = LogisticRegression(C=c, max_iter=5000, class_weight="balanced").fit(matrix, [int(x) for x in labels])
    weights = {f: float(w) for f, w in zip(vectorizer.feature_names_, model.coef_[0], strict=True) if abs(w) >= PRUNE}
    return SignModel(weights, float(model.intercept_[0]))


def fit(examples: Sequence[OfferExample], signs: Iterable[str] = LEARNED_SIGNS, c: float = C,
        thresholds: Mapping[str, float] = THRESHOLDS, floors: Mapping[str, float] = FLOORS) -> OfferModel:
    """A model per sign from labelled offers."""
    vectors = [features(e.text) for e in examples]
    return OfferModel({s: fit_sign(vectors, [s in e.signs for e in examples], c) for s in signs}, dict(thresholds),
                      dict(floors))


def fingerprint(examples: Sequence[OfferExample]) -> str:
    """Same examples, same settings, same code: same model."""
    digest = hashlib.sha256(f"{FORMAT}|{C}|{LEARNED_SIGNS}".encode())  # thresholds apply after the cache
    digest.update(Path(__file__).read_bytes())
    for example in examples:
        digest.update(repr((example.text, sorted(example.signs))).encode())
    return "offer-" + digest.hexdigest()[:32]


@lru_cache(maxsize=4)
def model_for(examples: tuple[OfferExample, ...], cache_dir: Path | None = None) -> OfferModel:
    """The model for these examples: trained once, then kept in memory and in `cache_dir`."""
    key = fingerprint(examples)
    parts = index_cache.read(key, cache_dir)
    if parts is None:
        model = fit(examples)
        parts = {sign: {"weights": m.weights, "bias": m.bias} for sign, m in model.signs.items()}
        index_cache.write(key, parts, cache_dir)
    return OfferModel({sign: SignModel(dict(p["weights"]), float(p["bias"])) for sign, p in parts.items()},
                      dict(THRESHOLDS), dict(FLOORS))
