"""Tune the matcher/logistic-regression mix and the answer threshold on intents/ (CV) and the dev split only.

Usage: python -m benchmarks.tune_mix [--letters]  ->  for each LINEAR_SHARE (with --letters: each LETTER_SHARE, the
letter-n-gram regression's share), the cross-validated threshold (cautious plateau rule of benchmarks/tune.py) and
the engine's in-scope accuracy and out-of-scope rejection on the dev split with that threshold. The test split is
never read here.
"""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.tune import PLATEAU, load_examples
from benchmarks.understanding import engine_predict, questions
from bot.content.training import OUT_OF_SCOPE
from bot.core import matcher as matcher_module
from bot.core.conversation import Engine
from bot.core.evaluation import folds, score
from bot.core.matcher import Match, Matcher
from bot.core.normalize import Normalizer

ROOT = Path(__file__).resolve().parent.parent
SHARES = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0)
LETTER_SHARES = (0.0, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)


def cv_ranked(examples: list[tuple[str, str]], normalizer: Normalizer, parameter: str,
              shares: tuple[float, ...]) -> dict[float, list[Match]]:
    """Out-of-fold matches of every example, for every value of the matcher setting (one build per fold)."""
    labels = [intent for _, intent in examples]
    ranked: dict[float, list[Match]] = {s: [Match(())] * len(examples) for s in shares}
    for fold in folds(labels, 5):
        held = set(fold)
        model = Matcher.build([ex for i, ex in enumerate(examples) if i not in held], normalizer)
        for share in shares:
            setattr(matcher_module, parameter, share)
            for i in fold:
                ranked[share][i] = model.rank(examples[i][0])
    return ranked


def plateau(expected: list[str | None], matches: list[Match]) -> tuple[float, float, float, float]:
    """(threshold, in-scope, OOS rejection, mean): the highest threshold within PLATEAU of the best mean."""
    rows = []
    for step in range(61):
        threshold = step / 100
        predicted = [None if m.intent in (None, OUT_OF_SCOPE) or m.score < threshold else m.intent for m in matches]
        result = score(expected, predicted)
        rows.append((threshold, result.in_scope_accuracy, result.oos_rejection,
                     (result.in_scope_accuracy + result.oos_rejection) / 2))
    top = max(r[3] for r in rows)
    return max((r for r in rows if r[3] >= top - PLATEAU), key=lambda r: r[0])


def dev_scores(engine: Engine, dev: list[dict]) -> tuple[float, float, float]:
    """The engine's in-scope accuracy, OOS rejection and cerita accuracy on the dev split."""
    predict = engine_predict(engine)
    predicted = [predict(q["text"]) for q in dev]
    result = score([q["topic"] for q in dev], predicted)
    stories = [p == q["topic"] for q, p in zip(dev, predicted, strict=True)
               if q["topic"] is not None and q["style"] == "cerita"]
    return result.in_scope_accuracy, result.oos_rejection, sum(stories) / len(stories)


def main(argv: list[str] | None = None) -> None:
    # The word-feature regression's share, or with --letters the letter regression's.
    letters = "--letters" in (sys.argv[1:] if argv is None else argv)
    parameter, shares = ("LETTER_SHARE", LETTER_SHARES) if letters else ("LINEAR_SHARE", SHARES)
    examples, normalizer = load_examples()
    expected = [None if intent == OUT_OF_SCOPE else intent for _, intent in examples]
    ranked = cv_ranked(examples, normalizer, parameter, shares)
    engine = Engine.from_dirs(ROOT / "knowledge", ROOT / "intents")
    dev = questions("dev")
    print(f"| {parameter} | ambang (CV) | CV dalam cakupan | CV luar cakupan | CV rata-rata "
          "| dev dalam cakupan | dev luar cakupan | dev cerita |")
    print("|---|---|---|---|---|---|---|---|")
    for share in shares:
        threshold, cv_in, cv_oos, mean = plateau(expected, ranked[share])
        setattr(matcher_module, parameter, share)
        engine.threshold = threshold
        dev_in, dev_oos, stories = dev_scores(engine, dev)
        print(f"| {share:.1f} | {threshold:.2f} | {cv_in:.3f} | {cv_oos:.3f} | {mean:.3f} | {dev_in:.3f} | "
              f"{dev_oos:.3f} | {stories:.2f} |", flush=True)


if __name__ == "__main__":
    main()
