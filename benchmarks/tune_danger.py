"""Choose the danger model's thresholds: cross-validation over intents/ and the dev split only (never test).

Usage: python -m benchmarks.tune_danger
Prints recall and false alarms of rules, model and combinations for a grid of thresholds.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from benchmarks.danger import TUNING_SPLITS, load_items
from bot.core.conversation import Engine
from bot.core.danger_check import training_examples
from bot.core.danger_model import train
from bot.settings import Settings

FOLDS = 5


def rates(fired: Sequence[bool], labels: Sequence[bool]) -> tuple[float, float]:
    danger = [f for f, y in zip(fired, labels, strict=True) if y]
    harmless = [f for f, y in zip(fired, labels, strict=True) if not y]
    return sum(danger) / len(danger), sum(harmless) / len(harmless)


def main() -> None:
    engine = Engine.from_settings(Settings.from_env({}))
    examples = list(training_examples(engine.bundle.training))
    negators = engine.danger_check.model.negators
    # Cross-validated scores for the training messages: each scored by a model that never saw it.
    order = list(range(len(examples)))
    random.Random(1).shuffle(order)
    cv_scores = [0.0] * len(examples)
    for fold in range(FOLDS):
        held = set(order[fold::FOLDS])
        model = train([e for i, e in enumerate(examples) if i not in held], engine.normalizer, negators)
        for i in held:
            cv_scores[i] = model.score(examples[i][0])
    model = train(examples, engine.normalizer, negators)
    items = load_items()
    groups = {"latih (cv)": ([t for t, _ in examples], [y for _, y in examples], cv_scores)}
    for split in TUNING_SPLITS:
        chosen = [item for item in items if item["split"] == split]
        groups[split] = ([i["text"] for i in chosen], [bool(i["danger"]) for i in chosen],
                         [model.score(i["text"]) for i in chosen])
    for name, (texts, labels, scores) in groups.items():
        rules = [engine.danger.detect(t) is not None for t in texts]
        print(f"\n## {name} ({sum(labels)} bahaya, {len(labels) - sum(labels)} aman)")
        print("aturan saja: recall {:.3f} alarm {:.3f}".format(*rates(rules, labels)))
        for high in (0.5, 0.6, 0.65, 0.7, 0.8, 0.9):
            print(f"model >= {high}: recall %.3f alarm %.3f" % rates([s >= high for s in scores], labels))
            for low in (0.0, 0.05, 0.1, 0.2, 0.3):
                fired = [(r and s >= low) or s >= high for r, s in zip(rules, scores, strict=True)]
                print(f"  (aturan & model >= {low}) | model >= {high}: recall %.3f alarm %.3f" % rates(fired, labels))


if __name__ == "__main__":
    main()
