"""Model comparison by cross-validation on intents/ and on the dev split: matcher, logistic regression, ensembles.

Usage: pip install -e ".[bench]" && python -m benchmarks.compare_models
Every model sees the same features (the matcher's TF-IDF vector of normalised, corrected words). Each model's
threshold is chosen by 5-fold cross-validation on intents/ (mean of in-scope accuracy and out-of-scope
rejection, cautious on a plateau); the dev split is then scored once with that threshold. The test split
is never touched here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from benchmarks.tune import PLATEAU, load_examples
from benchmarks.understanding import questions
from bot.content.training import OUT_OF_SCOPE
from bot.core import matcher as matcher_module
from bot.core.evaluation import folds, score
from bot.core.matcher import Matcher
from bot.core.normalize import Normalizer

ROOT = Path(__file__).resolve().parent.parent
Scored = Callable[[str], dict[str, float]]  # text -> intent scores
Factory = Callable[[list[tuple[str, str]]], Scored]


def matcher_factory(normalizer: Normalizer, linear: bool = False) -> Factory:
    """The matcher alone, or (linear=True) as shipped: matcher and logistic regression mixed by LINEAR_SHARE."""
    def train(part: list[tuple[str, str]]) -> Scored:
        model = Matcher.build(part, normalizer, linear=linear)
        return lambda text: dict(model.rank(text, limit=len(model.intents)).ranked)

    return train


def logistic_factory(normalizer: Normalizer, c: float = 10.0) -> Factory:
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    def train(part: list[tuple[str, str]]) -> Scored:
        index = Matcher.build(part, normalizer, linear=False)
        vectorizer = DictVectorizer()
        x = vectorizer.fit_transform([index.vector(text) for text, _ in part])
        model = LogisticRegression(C=c, max_iter=2000).fit(x, [intent for _, intent in part])

        def scored(text: str) -> dict[str, float]:
            probabilities = model.predict_proba(vectorizer.transform([index.vector(text)]))[0]
            return {str(k): float(p) for k, p in zip(model.classes_, probabilities, strict=True)}

        return scored

    return train


def ensemble_factory(first: Factory, second: Factory, share: float) -> Factory:
    def train(part: list[tuple[str, str]]) -> Scored:
        a, b = first(part), second(part)

        def scored(text: str) -> dict[str, float]:
            sa, sb = a(text), b(text)
            return {k: share * sa.get(k, 0.0) + (1 - share) * sb.get(k, 0.0) for k in set(sa) | set(sb)}

        return scored

    return train


def decide(scores: dict[str, float], threshold: float) -> str | None:
    if not scores:
        return None
    top = max(sorted(scores), key=lambda k: scores[k])
    return None if top == OUT_OF_SCOPE or scores[top] < threshold else top


def tuned(expected: Sequence[str | None], ranked: Sequence[dict[str, float]]) -> tuple[float, float, float, float]:
    """(threshold, in-scope accuracy, OOS rejection, mean) with the benchmarks' cautious plateau rule."""
    rows = []
    for step in range(100):
        result = score(expected, [decide(r, step / 100) for r in ranked])
        rows.append((step / 100, result.in_scope_accuracy, result.oos_rejection,
                     (result.in_scope_accuracy + result.oos_rejection) / 2))
    top = max(r[3] for r in rows)
    return max((r for r in rows if r[3] >= top - PLATEAU), key=lambda r: r[0])


def evaluate(name: str, factory: Factory, examples: list[tuple[str, str]], dev: list[dict]) -> str:
    labels = [intent for _, intent in examples]
    expected = [None if label == OUT_OF_SCOPE else label for label in labels]
    ranked: list[dict[str, float]] = [{} for _ in examples]
    for fold in folds(labels, 5):
        held = set(fold)
        model = factory([ex for i, ex in enumerate(examples) if i not in held])
        for i in fold:
            ranked[i] = model(examples[i][0])
    threshold, cv_in, cv_oos, _ = tuned(expected, ranked)
    model = factory(examples)
    known = set(labels)
    items = [q for q in dev if q["topic"] is None or q["topic"] in known]
    result = score([q["topic"] for q in items], [decide(model(q["text"]), threshold) for q in items])
    return (f"| {name} | {threshold:.2f} | {cv_in:.3f} | {cv_oos:.3f} | {result.in_scope_accuracy:.3f} | "
            f"{result.oos_rejection:.3f} |")


def main() -> None:
    examples, normalizer = load_examples()
    dev = questions("dev")
    ours, logistic = matcher_factory(normalizer), logistic_factory(normalizer)
    candidates: list[tuple[str, Factory]] = [
        ("pencocok (pusat topik + contoh terdekat)", ours),
        ("regresi logistik atas fitur yang sama", logistic),
        ("gabungan 0.5 pencocok + 0.5 regresi logistik", ensemble_factory(ours, logistic, 0.5)),
        ("seperti dipasang (gabungan di dalam pencocok)", matcher_factory(normalizer, linear=True)),
        ("gabungan 0.7 pencocok + 0.3 regresi logistik", ensemble_factory(ours, logistic, 0.7)),
    ]
    print("| model | ambang (CV) | CV dalam cakupan | CV luar cakupan | dev dalam cakupan | dev luar cakupan |")
    print("|---|---|---|---|---|---|")
    for name, factory in candidates:
        print(evaluate(name, factory, examples, dev), flush=True)
    matcher_module.AFFIXES = False
    matcher_module._token_features.cache_clear()
    print(evaluate("pencocok tanpa imbuhan (di-/me-/ber-/-kan)", matcher_factory(normalizer), examples, dev))


if __name__ == "__main__":
    main()
