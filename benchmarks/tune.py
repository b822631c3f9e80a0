"""Tune the fallback threshold by cross-validation on intents/ only (never on the held-out set).

Usage: python -m benchmarks.tune  ->  prints the threshold that maximises the mean of in-scope
accuracy and out-of-scope rejection over 5 stratified folds (on a plateau, the highest threshold
within 0.005 of the best mean: when in doubt the bot should rather say it does not know); copy it
to THRESHOLD in bot/core/conversation.py.
"""

from __future__ import annotations

from pathlib import Path

from bot.content.training import OUT_OF_SCOPE, read_training
from bot.core.evaluation import folds, score
from bot.core.matcher import Matcher
from bot.core.normalize import Normalizer

ROOT = Path(__file__).resolve().parent.parent
PLATEAU = 0.005


def load_examples() -> tuple[list[tuple[str, str]], Normalizer]:
    """intents/ as (text, intent) pairs, and the normaliser the engine would build over them."""
    training, problems = read_training(ROOT / "intents")
    assert training is not None, problems
    examples = [(e.text, e.intent) for e in training.examples]
    return examples, Normalizer.from_examples(training.lexicon, (text for text, _ in examples))


def main() -> None:
    examples, normalizer = load_examples()
    labels = [intent for _, intent in examples]
    ranked: list[tuple[str | None, float]] = [(None, 0.0)] * len(examples)
    for fold in folds(labels, 5):
        held = set(fold)
        matcher = Matcher.build([ex for i, ex in enumerate(examples) if i not in held], normalizer)
        for i in fold:
            match = matcher.rank(examples[i][0])
            ranked[i] = (match.intent, match.score)
    expected = [None if label == OUT_OF_SCOPE else label for label in labels]
    means: list[tuple[float, float]] = []
    print("threshold  in-scope  oos-rejection  mean")
    for step in range(0, 61):
        threshold = step / 100
        predicted = [None if intent in (None, OUT_OF_SCOPE) or s < threshold else intent for intent, s in ranked]
        result = score(expected, predicted)
        mean = (result.in_scope_accuracy + result.oos_rejection) / 2
        if step % 5 == 0:
            print(f"{threshold:9.2f}  {result.in_scope_accuracy:8.3f}  {result.oos_rejection:13.3f}  {mean:.3f}")
        means.append((threshold, mean))
    top = max(mean for _, mean in means)
    chosen = max(threshold for threshold, mean in means if mean >= top - PLATEAU)
    print(f"best mean {top:.3f}; chosen threshold: {chosen:.2f} (mean {dict(means)[chosen]:.3f})")


if __name__ == "__main__":
    main()
