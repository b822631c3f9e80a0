"""A small learned danger score: logistic regression over word and letter n-grams, trained from intents/."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from bot.core import index_cache
from bot.core.normalize import Normalizer, stem

# Letter n-grams catch spellings the lexicon does not know ("dipukulin", "kunciin", "tamparr").
CHAR_SIZES = (3, 4)
# A negation colours the next few words ("tidak pernah sekalipun dipukul"), as in the rule detector.
NEGATION_REACH = 3
EPOCHS = 8
LEARNING_RATE = 0.5
L2 = 1e-4
SEED = 9
# The weights depend on these modules (features, settings above, tokens): a change to them trains again.
_CODE = ("danger_model.py", "normalize.py", "index_cache.py")


def features(tokens: Sequence[str], negators: frozenset[str], question: bool) -> frozenset[str]:
    """Words, stems, word pairs, letter n-grams, negated words and whether the message asks.

    A negated word gives only its negated features, not its own: with both, "my madam never hits me" kept the full
    weight of "hits" and scored 0.88 (0.52 without). A negation that is itself the harm ("tidak dikasih makan")
    is learnt from its negated features. On 5-fold cross-validation over the training messages this caught 4 more
    of 2,027 danger messages with 8 fewer of 6,238 false alarms (rules and model together)."""
    out: set[str] = {"bias"}
    negated = 0
    previous = "^"
    for token in tokens:
        if negated:
            out.add(f"n:{stem(token)}")
            out.add(f"nw:{token}")
            negated -= 1
        else:
            out.update(_word_features(token))
        out.add(f"b:{previous}_{token}")
        if token in negators:
            negated = NEGATION_REACH
        previous = token
    out.add(f"b:{previous}_$")
    if question:
        out.add("q")
    return frozenset(out)


@lru_cache(maxsize=1 << 16)
def _word_features(token: str) -> tuple[str, ...]:
    """The features of one word alone (the word, its stem, its letter n-grams); cached, words repeat."""
    padded = f" {token} "
    grams = (f"c:{padded[i:i + size]}" for size in CHAR_SIZES for i in range(len(padded) - size + 1))
    return (f"w:{token}", f"s:{stem(token)}", *grams)


@dataclass(frozen=True)
class DangerModel:
    """Weights by feature; `score` is the probability that a message describes present danger."""

    weights: dict[str, float]
    negators: frozenset[str]
    normalizer: Normalizer | None = None

    def message_features(self, text: str, tokens: Sequence[str] | None = None) -> frozenset[str]:
        """Features of a message; `tokens`, when given, are its tokens by this model's normaliser."""
        if tokens is None:
            tokens = self.normalizer.tokens(text) if self.normalizer else tuple(text.lower().split())
        return features(tokens, self.negators, "?" in text)

    def score(self, text: str, tokens: Sequence[str] | None = None) -> float:
        found = self.message_features(text, tokens)
        weights = self.weights
        z = sum(weights.get(f, 0.0) for f in found) / math.sqrt(len(found))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def fit(rows: Sequence[tuple[frozenset[str], bool]], epochs: int = EPOCHS) -> dict[str, float]:
    """Logistic regression by AdaGrad over shuffled rows (fixed seed: the same data gives the same model)."""
    weights: dict[str, float] = {}
    squares: dict[str, float] = {}
    order = list(range(len(rows)))
    rng = random.Random(SEED)
    for _ in range(epochs):
        rng.shuffle(order)
        for index in order:
            found, label = rows[index]
            scale = 1.0 / math.sqrt(len(found))
            z = sum(weights.get(f, 0.0) for f in found) * scale
            p = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
            gradient = (p - float(label)) * scale
            for f in found:
                w = weights.get(f, 0.0)
                g = gradient + L2 * w
                s = squares.get(f, 1e-8) + g * g
                squares[f] = s
                weights[f] = w - LEARNING_RATE * g / math.sqrt(s)
    return weights


def train(examples: Iterable[tuple[str, bool]], normalizer: Normalizer, negators: frozenset[str],
          cache_dir: Path | None = None) -> DangerModel:
    """The model for these labelled messages. Training takes seconds in pure Python, so the weights are kept in
    memory and in `cache_dir`, keyed by the messages, the normaliser, the negators and this code: an edit to
    intents/ or to the settings above trains again, a restart over the same data does not."""
    examples = tuple(examples)
    settings = (CHAR_SIZES, NEGATION_REACH, EPOCHS, LEARNING_RATE, L2, SEED)
    key = index_cache.fingerprint("danger", _CODE, settings, examples, sorted(negators),
                                  index_cache.normalizer_state(normalizer))
    weights = index_cache.read(key, cache_dir)
    if weights is None or not all(isinstance(w, float) for w in weights.values()):
        model = DangerModel({}, negators, normalizer)
        rows = tuple((model.message_features(text), label) for text, label in examples)
        weights = fit(rows) if rows else {}
        index_cache.write(key, weights, cache_dir)
    return DangerModel(weights, negators, normalizer)
