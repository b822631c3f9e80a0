"""Intent matching: TF-IDF over words, word pairs and character n-grams, centroid plus nearest example."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from bot.core import index_cache
from bot.core.letter_model import LetterModel
from bot.core.letter_model import fit as fit_letters
from bot.core.linear_model import LinearModel, softmax, train
from bot.core.normalize import Normalizer, root, stem

# Weights of the feature families (see Matcher): words carry meaning, character n-grams survive typos the
# corrector misses, word pairs keep a little word order. Set by hand; check any change with
# `python -m benchmarks.tune` (cross-validation on intents/) and the held-out benchmark, never by eye.
BLOCK_WEIGHTS = {"w": 1.0, "b": 0.5, "c": 0.8}
# Share of the intent-centroid similarity in a score; the rest is the nearest single example.
CENTROID_SHARE = 0.85
# The intent whose examples have nothing in common, and how much its nearest example alone may count.
DIFFUSE_INTENT = "out_of_scope"
DIFFUSE_SHARE = 1.6
# Words also count by their root without Indonesian affixes ("dipukul", "memukul" -> "pukul").
AFFIXES = True
# Share of the logistic regression's probability in the final score (the rest is centroid + nearest example);
# chosen by cross-validation on intents/ and the dev split (benchmarks/tune_mix.py, 42 topics): 0.7-1.0 are on
# the CV plateau, 0.8-1.0 answer the most dev questions, and 0.8 keeps the most of the matcher among those.
LINEAR_SHARE = 0.8
# Share of a second regression, over the letter 2-5-grams of the words (bot/core/letter_model.py), mixed in last;
# `python -m benchmarks.tune_mix --letters`: 0.6 has the best cross-validated mean of in-scope accuracy and
# out-of-scope rejection (0.929, 0.925 without it) and the best dev split (0.978 / 0.959, 0.976 / 0.946 without).
LETTER_SHARE = 0.6
# A word in more than this share of the examples (and in more than MIN_COMMON) is not used to find the
# nearest example.
COMMON_SHARE = 0.03
MIN_COMMON = 50
# Words whose sums and corrections are kept; past this a memo starts again (a few MB at most).
_SUMS_LIMIT = 50_000

Vector = dict[str, float]
# Features, weights and the model depend on these modules: any change to them is a new cache key.
_CODE = ("matcher.py", "normalize.py", "linear_model.py", "letter_model.py", "index_cache.py")
_PARTS = frozenset({"idf", "intents", "centroids", "examples", "example_intent", "deletions", "vocabulary", "linear",
                    "letters"})


@dataclass(frozen=True)
class Match:
    """Ranked intents for one message; scores are similarities in [0, 1]."""

    ranked: tuple[tuple[str, float], ...]

    @property
    def intent(self) -> str | None:
        return self.ranked[0][0] if self.ranked else None

    @property
    def score(self) -> float:
        return self.ranked[0][1] if self.ranked else 0.0




def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _within_one_edit(a: str, b: str) -> bool:
    """Damerau distance <= 1 (one insertion, deletion, substitution or swap)."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def features(tokens: Sequence[str]) -> Counter[str]:
    """Raw counts of word, stem, root, word-pair and character n-gram features."""
    found: list[str] = []
    for token in tokens:
        found += _token_features(token)
    stems = [stem(t) for t in tokens]
    found += [f"b:{a}_{b}" for a, b in zip(stems, stems[1:], strict=False)]
    return Counter(found)


@lru_cache(maxsize=1 << 16)
def _token_features(token: str) -> tuple[str, ...]:
    """One word's features; cached because words repeat across thousands of examples and messages."""
    out = ["w:" + token]
    for form in {stem(token), root(token)} if AFFIXES else {stem(token)}:
        if form != token:
            out.append("w:" + form)
    padded = f"#{token}#"
    for n in (3, 4, 5):
        out.extend("c:" + padded[i : i + n] for i in range(len(padded) - n + 1))
    return tuple(out)


class Matcher:
    """An index over labelled examples; build once, then rank messages quickly.

    The algorithm, step by step:

    1. Words. The Normalizer turns a message into standard-Indonesian tokens (the admins' lexicon maps
       slang and SMS spellings). `correct` then replaces each unknown token of 4+ letters by a known
       word at most one edit away (insertion, deletion, substitution or swap of neighbours), found
       through an index of one-letter deletions; among several, the most common word (lowest IDF) wins.
    2. Features (`features`), three families, prefixed by their letter:
       "w:" each word, and its stem when a clitic or particle comes off ("gajinya" -> "gaji");
       "b:" each pair of neighbouring stems ("tidak_dibayar"), for a little word order;
       "c:" character 3-, 4- and 5-grams of each word padded with "#", which still overlap after a typo.
    3. Weights (`_weigh`): sublinear term frequency (1 + ln n) times smoothed IDF over the training
       examples (ln((1 + N) / (1 + df)) + 1); each family scaled to unit length and multiplied by its
       BLOCK_WEIGHTS entry, then the whole vector scaled to unit length. Features never seen in
       training are dropped: they carry no evidence.
    4. Score of an intent, a cosine similarity in [0, 1]:
       CENTROID_SHARE x (message . the intent's centroid: its example vectors summed, unit length)
       + (1 - CENTROID_SHARE) x (message . its nearest example, found through word and pair features
       only, as n-gram postings are long). The centroid rewards what an intent's examples share; the
       nearest example keeps a rare but exact wording from being averaged away.
    5. Out of scope (DIFFUSE_INTENT): its examples share nothing, so its centroid means little; its score
       is the larger of the mix above and DIFFUSE_SHARE x its nearest-example similarity.
    6. Two logistic regressions are mixed in: one over the features above (LINEAR_SHARE of the score), then one
       over the letter 2-5-grams of the words (bot/core/letter_model.py, LETTER_SHARE of the result).
    7. Scores are capped at 1 and rounded to 4 places; ties go to the intent name, so ranking is
       deterministic.

    The matcher only ranks. Whether to answer is the engine's decision (bot/core/conversation.py): the
    top intent is answered when it is not out of scope and scores at least conversation.THRESHOLD, chosen by
    `python -m benchmarks.tune_mix --letters` as the highest threshold on the plateau of the mean of in-scope accuracy
    and out-of-scope rejection over 5 cross-validation folds of intents/ (never the held-out set); the
    emergency cards come from the danger detector (bot/core/danger.py), and close runners-up make it ask "Maksud Anda…?".
    """

    def __init__(self, *, normalizer: Normalizer, idf: dict[str, float], intents: list[str],
                 centroid_index: Mapping[str, Sequence[tuple[int, float]]],
                 example_index: dict[str, list[tuple[int, float]]], example_intent: list[int],
                 deletion_index: dict[str, tuple[str, ...]], vocabulary: frozenset[str],
                 linear: LinearModel | None = None, letters: LetterModel | None = None) -> None:
        self.normalizer = normalizer
        self._idf = idf
        self.intents = intents
        self._centroids = centroid_index
        self._examples = example_index
        self._example_intent = example_intent
        self._deletions = deletion_index
        self._vocabulary = vocabulary
        self._linear = linear
        self._letters = letters
        self._diffuse = intents.index(DIFFUSE_INTENT) if DIFFUSE_INTENT in intents else None
        self._sums: dict[tuple[str, str], np.ndarray] = {}
        self._corrected: dict[str, str] = {}

    @classmethod
    def build(cls, examples: Iterable[tuple[str, str]], normalizer: Normalizer, *, linear: bool = True,
              cache_dir: Path | None = None) -> Matcher:
        """Index (text, intent) pairs; deterministic for the same input. With `linear`, also a logistic
        regression over the same features. The built index is kept in memory and in `cache_dir`, keyed by
        the normalised examples and this code, so a restart over the same intents/ skips building."""
        examples = list(examples)
        # Keyed by the raw examples and the normaliser's state, so a warm start need not normalise them all.
        key = index_cache.fingerprint("index", _CODE, linear, examples, index_cache.normalizer_state(normalizer))
        parts = index_cache.read(key, cache_dir)
        if parts is None or not parts.keys() >= _PARTS:
            pairs = [(normalizer.tokens(text), intent) for text, intent in examples]
            parts = _build_parts([(tokens, intent) for tokens, intent in pairs if tokens], linear)
            index_cache.write(key, parts, cache_dir)
        model, letters = parts["linear"], parts["letters"]
        return cls(normalizer=normalizer, idf=parts["idf"], intents=parts["intents"],
                   centroid_index=index_cache.Postings(parts["centroids"]), example_index=parts["examples"],
                   example_intent=parts["example_intent"], deletion_index=parts["deletions"],
                   vocabulary=parts["vocabulary"],
                   linear=LinearModel(index_cache.Postings(model[0]), tuple(model[1])) if model is not None else None,
                   letters=LetterModel.unpack(letters) if letters is not None else None)

    def correct(self, token: str) -> str:
        """The known word one typo away from an unknown token, else the token itself."""
        if token in self._vocabulary or len(token) < 4 or token.isdigit():
            return token
        known = self._corrected.get(token)
        if known is None:
            if len(self._corrected) > _SUMS_LIMIT:
                self._corrected.clear()
            known = self._corrected[token] = self._correct_unknown(token)
        return known

    def _correct_unknown(self, token: str) -> str:
        candidates = set(self._deletions.get(token, ()))
        for variant in _deletions(token):
            if variant in self._vocabulary:
                candidates.add(variant)
            candidates.update(self._deletions.get(variant, ()))
        # The most common known word (lowest IDF) is the likeliest intended one; ties by spelling.
        good = sorted((c for c in candidates if _within_one_edit(c, token)),
                      key=lambda c: (self._idf.get("w:" + c, math.inf), c))
        return good[0] if good else token

    def corrected_tokens(self, text: str) -> list[str]:
        """Normalised tokens with one-typo words replaced by the known word."""
        return [self.correct(t) for t in self.normalizer.tokens(text)]

    def vector(self, text: str) -> Vector:
        """The IDF-weighted features of a text, as the matcher reads it (benchmarks.compare_models fits a regression
        on them)."""
        return _weigh(features(self.corrected_tokens(text)), self._idf)

    def rank(self, text: str, limit: int = 5) -> Match:
        """Intents ranked by combined centroid and nearest-example similarity."""
        return self.rank_tokens(self.corrected_tokens(text), limit)

    def rank_tokens(self, tokens: Sequence[str], limit: int = 5) -> Match:
        """rank() for tokens already normalised and corrected (the engine reuses them for danger checks).

        Computed as in the class docstring, grouped by word for speed: each word's words and letter n-grams are
        summed against every centroid and class once (`_word_sums`, kept per word), then scaled by the
        message's block weights; features a message repeats are corrected to their sublinear weight. Only the
        summing order differs from `_weigh` followed by dot products, so scores agree to about 1e-15.
        """
        count = features(tokens)
        idf = self._idf
        raw: dict[str, float] = {}
        squares = dict.fromkeys(BLOCK_WEIGHTS, 0.0)
        for feature, n in count.items():
            weight = idf.get(feature)
            if weight is None:
                continue  # unseen in training: carries no evidence
            value = weight if n == 1 else (1.0 + math.log(n)) * weight
            raw[feature] = value
            squares[feature[0]] += value * value
        if not raw:
            return Match(())
        total = math.sqrt(sum(BLOCK_WEIGHTS[b] ** 2 for b, sq in squares.items() if sq)) or 1.0
        scale = {b: BLOCK_WEIGHTS[b] / (math.sqrt(sq) or 1.0) / total for b, sq in squares.items()}
        intents = len(self.intents)
        linear = self._linear
        # Row 0: similarity to each intent's centroid; row 1: the regression's class scores.
        both = np.zeros((2, intents))
        if linear is not None:
            both[1] = linear.bias
        # Words and n-grams, word by word (a word written twice counts twice here, corrected below).
        for block in ("w", "c"):
            if squares[block]:
                both += scale[block] * np.sum([self._word_sums(token, block) for token in tokens], axis=0)
        centroid, scores = both.tolist()  # lists: the sparse corrections below index them item by item
        # Word pairs, and the sublinear weight of words and n-grams the message repeats.
        weights = linear.weights if linear is not None else {}
        for feature, value in raw.items():
            block = feature[0]
            n = count[feature]
            if block == "b":
                factor = value * scale[block]
            elif n > 1:
                factor = (value - n * idf[feature]) * scale[block]
            else:
                continue
            for k, w in self._centroids.get(feature, ()):
                centroid[k] += factor * w
            for k, w in weights.get(feature, ()):
                scores[k] += factor * w
        nearest: defaultdict[int, float] = defaultdict(float)
        examples = self._examples
        for feature, value in raw.items():
            if feature[0] == "c" or feature not in examples:
                continue
            weight = value * scale[feature[0]]
            for i, w in examples[feature]:
                nearest[i] += weight * w
        best = [0.0] * intents
        for i, score in nearest.items():
            k = self._example_intent[i]
            if score > best[k]:
                best[k] = score
        combined = CENTROID_SHARE * np.array(centroid) + (1 - CENTROID_SHARE) * np.array(best)
        if linear is not None:
            combined = (1 - LINEAR_SHARE) * combined + LINEAR_SHARE * softmax(np.array(scores))
        if self._letters is not None and LETTER_SHARE:
            combined = (1 - LETTER_SHARE) * combined + LETTER_SHARE * self._letters.probabilities(tokens)
        combined = combined.tolist()
        if self._diffuse is not None:
            # Out-of-scope examples have nothing in common, so their centroid means little: nearest example only.
            k = self._diffuse
            combined[k] = max(combined[k], DIFFUSE_SHARE * best[k])
        order = sorted(range(len(combined)), key=lambda k: (-combined[k], self.intents[k]))[:limit]
        return Match(tuple((self.intents[k], round(min(1.0, combined[k]), 4)) for k in order if combined[k] > 0))

    def _word_sums(self, token: str, block: str) -> np.ndarray:
        """One word's features of a block (its words or its n-grams), each counted once per occurrence and
        weighted by IDF, summed against every centroid (row 0) and every class of the logistic regression (row 1)."""
        key = (token, block)
        known = self._sums.get(key)
        if known is not None:
            return known
        if len(self._sums) > _SUMS_LIMIT:
            self._sums.clear()  # odd messages must not grow the memo without bound
        intents = len(self.intents)
        c_sum, l_sum = [0.0] * intents, [0.0] * intents  # lists: item updates on numpy arrays are slower
        weights = self._linear.weights if self._linear is not None else {}
        for feature in _token_features(token):
            value = self._idf.get(feature)
            if feature[0] != block or value is None:
                continue
            for k, w in self._centroids.get(feature, ()):
                c_sum[k] += value * w
            for k, w in weights.get(feature, ()):
                l_sum[k] += value * w
        sums = self._sums[key] = np.array((c_sum, l_sum))
        return sums


def _build_parts(pairs: Sequence[tuple[Sequence[str], str]], linear: bool) -> dict:
    """Every part of the index, as plain data (it is cached with marshal)."""
    intents = sorted({intent for _, intent in pairs})
    position = {intent: i for i, intent in enumerate(intents)}
    labels = [position[intent] for _, intent in pairs]
    counts = [features(tokens) for tokens, _ in pairs]
    idf = _idf(counts)
    vectors = [_weigh(count, idf) for count in counts]
    vocabulary = frozenset(t for tokens, _ in pairs for t in tokens)
    model = train(vectors, labels, len(intents)) if linear else None
    letters = fit_letters([tokens for tokens, _ in pairs], labels, len(intents)) if linear else None
    return {"idf": idf, "intents": intents,
            "centroids": index_cache.pack(_centroid_postings(vectors, labels, len(intents))),
            "examples": _example_postings(vectors), "example_intent": labels,
            "deletions": _deletion_index(vocabulary), "vocabulary": vocabulary,
            "linear": (index_cache.pack(model.weights), list(model.bias)) if model is not None else None,
            "letters": letters.pack() if letters is not None else None}


def _idf(counts: Sequence[Counter[str]]) -> dict[str, float]:
    """Smoothed inverse document frequency of every feature seen in the examples."""
    df: Counter[str] = Counter()
    for count in counts:
        df.update(count.keys())
    total = len(counts)
    return {f: math.log((1 + total) / (1 + d)) + 1.0 for f, d in df.items()}


def _example_postings(vectors: Sequence[Vector]) -> dict[str, list[tuple[int, float]]]:
    """feature -> (example, weight), for word and pair features only: n-gram postings would be long, and
    nearest examples are found by words alone. Words in many examples ("saya", "di") are left out: their
    postings are what makes ranking slow, and their low weight barely moves the nearest example."""
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for i, vector in enumerate(vectors):
        for feature, weight in vector.items():
            if feature[0] != "c":
                index[feature].append((i, weight))
    longest = max(MIN_COMMON, int(COMMON_SHARE * len(vectors)))
    return {feature: postings for feature, postings in index.items() if len(postings) <= longest}


def _centroid_postings(vectors: Sequence[Vector], labels: Sequence[int],
                       intent_count: int) -> dict[str, list[tuple[int, float]]]:
    """feature -> (intent, weight) of each intent's summed example vectors, normalised to unit length."""
    sums: list[Vector] = [defaultdict(float) for _ in range(intent_count)]
    for vector, k in zip(vectors, labels, strict=True):
        for feature, weight in vector.items():
            sums[k][feature] += weight
    index: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for k, vector in enumerate(sums):
        norm = math.sqrt(sum(w * w for w in vector.values())) or 1.0
        for feature, weight in vector.items():
            index[feature].append((k, weight / norm))
    return dict(index)


def _deletion_index(vocabulary: frozenset[str]) -> dict[str, tuple[str, ...]]:
    """Every one-letter deletion of the known words (of 4+ letters) -> those words, for typo correction."""
    index: dict[str, list[str]] = defaultdict(list)
    for word in sorted(vocabulary):
        if len(word) >= 4:
            for variant in _deletions(word):
                index[variant].append(word)
    return {k: tuple(v) for k, v in index.items()}


def _weigh(count: Counter[str], idf: dict[str, float]) -> Vector:
    """Sublinear TF-IDF, normalised per block, blocks weighted, then normalised overall."""
    blocks: dict[str, list[tuple[str, float]]] = defaultdict(list)
    for feature, n in count.items():
        weight = idf.get(feature)
        if weight is None:
            continue  # unseen in training: carries no evidence
        blocks[feature[0]].append((feature, weight if n == 1 else (1.0 + math.log(n)) * weight))
    out: Vector = {}
    total = 0.0
    for block, weighted in blocks.items():
        norm = math.sqrt(sum(w * w for _, w in weighted)) or 1.0
        scale = BLOCK_WEIGHTS[block] / norm
        for feature, weight in weighted:
            out[feature] = weight * scale
        total += BLOCK_WEIGHTS[block] ** 2
    norm = math.sqrt(total) or 1.0  # each block has unit length before scaling, so the overall norm is known
    return {f: w / norm for f, w in out.items()}
