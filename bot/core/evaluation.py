"""Cross-validation and held-out scoring of the matcher, so admins see which topics need work."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bot.content.training import OUT_OF_SCOPE

# A topic id, None for a fallback, or (card, topic) for an emergency card that also answered a topic: the reply
# then counts for both (the numbers and the answer the person asked for are on one screen).
Prediction = str | tuple[str, ...] | None
Predict = Callable[[str], Prediction]


def labels(predicted: Prediction) -> tuple[str, ...]:
    """Every topic a prediction answers, the main one first."""
    if predicted is None:
        return ()
    return (predicted,) if isinstance(predicted, str) else predicted


def right(expected: str | None, predicted: Prediction) -> bool:
    """The one rule of every score: the expected topic is among those answered, or, out of scope, none is."""
    found = labels(predicted)
    return expected in found if expected is not None else not found


@dataclass(kw_only=True, frozen=True)
class Scores:
    """Per-topic precision/recall and the most confused pairs for one set of predictions."""

    total: int
    in_scope_accuracy: float
    oos_rejection: float
    per_topic: dict[str, tuple[float, float, int]]  # topic -> (precision, recall, support)
    confused: list[tuple[str, str, int]]  # (expected, predicted, count); "-" means fallback


def folds(labels: Sequence[str], k: int) -> list[list[int]]:
    """Deterministic stratified folds: every k-th example of each label goes to the same fold."""
    out: list[list[int]] = [[] for _ in range(k)]
    seen: Counter[str] = Counter()
    for i, label in enumerate(labels):
        out[seen[label] % k].append(i)
        seen[label] += 1
    return out


def score(expected: Sequence[str | None], predicted: Sequence[Prediction]) -> Scores:
    """Compare expected and predicted topics; None stands for out of scope / fallback."""
    pairs = [(e, labels(p)) for e, p in zip(expected, predicted, strict=False)]
    in_scope = [(e, p) for e, p in pairs if e is not None]
    oos = [(e, p) for e, p in pairs if e is None]
    accuracy = sum(right(e, p) for e, p in in_scope) / len(in_scope) if in_scope else 0.0
    rejection = sum(right(e, p) for e, p in oos) / len(oos) if oos else 0.0
    topics = sorted({e for e, _ in in_scope} | {t for _, p in pairs for t in p})
    per_topic = {}
    for topic in topics:
        tp = sum(1 for e, p in pairs if e == topic and topic in p)
        predicted_n = sum(1 for _, p in pairs if topic in p)
        support = sum(1 for e, _ in pairs if e == topic)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / support if support else 0.0
        per_topic[topic] = (precision, recall, support)
    confusion: Counter[tuple[str, str]] = Counter(
        (e or OUT_OF_SCOPE, p[0] if p else "-") for e, p in pairs if not right(e, p))
    confused = [(e, p, n) for (e, p), n in sorted(confusion.items(), key=lambda x: (-x[1], x[0]))]
    return Scores(total=len(pairs), in_scope_accuracy=accuracy, oos_rejection=rejection, per_topic=per_topic,
                  confused=confused)


def cross_validate(examples: Sequence[tuple[str, str]], train: Callable[[list[tuple[str, str]]], Predict],
                   k: int = 5) -> tuple[list[str | None], list[Prediction]]:
    """Train on k-1 folds, predict the held-out fold; returns expected and predicted, in input order."""
    labels = [intent for _, intent in examples]
    expected: list[str | None] = [None if label == OUT_OF_SCOPE else label for label in labels]
    predicted: list[Prediction] = [None] * len(examples)
    for fold in folds(labels, k):
        held = set(fold)
        predict = train([ex for i, ex in enumerate(examples) if i not in held])
        for i in fold:
            predicted[i] = predict(examples[i][0])
    return expected, predicted


def engine_topic(reply_kind: str, topic: str | None) -> str | None:
    """The topic a reply counts as, None for a fallback (same rule as the JSON output).

    Every emergency card (darurat_luar_negeri, darurat_jiwa, ...) counts as the emergency topic.
    """
    if reply_kind in ("fallback", "empty"):
        return None
    return "darurat" if reply_kind == "emergency" else topic


def engine_prediction(reply_kind: str, topic: str | None, answered: str | None = None) -> Prediction:
    """What a reply answers: its topic (as engine_topic), and the topic answered under an emergency card."""
    main = engine_topic(reply_kind, topic)
    return (main, answered) if main is not None and answered is not None else main
