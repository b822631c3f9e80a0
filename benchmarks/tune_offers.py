"""Choose the learned offer signs' settings by cross-validation over the labelled offers, then check them on dev.

python -m benchmarks.tune_offers            # CV over knowledge/cek/contoh_tawaran/, per file, then dev (never test)
python -m benchmarks.tune_offers --all      # the same for every sign, to see which signs a model helps
"""

from __future__ import annotations

import argparse
import random
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from benchmarks.offers import load
from bot.content.offer_rules import GOOD_IDS, WARNING_IDS, OfferExample, read_offer_examples, read_offer_rules
from bot.core.offer_check import rule_signs
from bot.core.offer_model import LEARNED_SIGNS, THRESHOLDS, features, fit_sign

ROOT = Path(__file__).resolve().parent.parent
FOLDS = 5
SEED = 13
GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
C_GRID = (1.0, 4.0, 16.0)


def folds(n: int, k: int = FOLDS) -> list[list[int]]:
    order = list(range(n))
    random.Random(SEED).shuffle(order)
    return [order[i::k] for i in range(k)]


def cross_scores(examples: Sequence[OfferExample], sign: str, c: float) -> list[float]:
    """Each example's probability from a model that never saw it."""
    vectors = [features(e.text) for e in examples]
    scores = [0.0] * len(examples)
    for held in folds(len(examples)):
        rest = sorted(set(range(len(examples))) - set(held))
        model = fit_sign([vectors[i] for i in rest], [sign in examples[i].signs for i in rest], c)
        for i in held:
            scores[i] = model.probability(vectors[i])
    return scores


def pr(got: Sequence[bool], want: Sequence[bool]) -> tuple[float, float, int]:
    tp = sum(g and w for g, w in zip(got, want, strict=True))
    fp = sum(g and not w for g, w in zip(got, want, strict=True))
    fn = sum(w and not g for g, w in zip(got, want, strict=True))
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0), tp + fn


def show(label: str, got: Sequence[bool], want: Sequence[bool]) -> None:
    p, r, n = pr(got, want)
    print(f"    {label:28s} P {p:.2f}  R {r:.2f}  (n {n})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", action="store_true", help="every sign, not only the learned ones")
    args = parser.parse_args()
    rules, problems = read_offer_rules(ROOT / "knowledge", date.today())
    assert rules is not None, problems
    examples, _ = read_offer_examples(ROOT / "knowledge")
    folder = ROOT / "knowledge" / "cek" / "contoh_tawaran"
    sizes = [(path.name, len(read_offer_examples_of(path))) for path in sorted(folder.glob("*.yml"))]
    sources: list[str] = [name for name, size in sizes for _ in range(size)]
    ruled = [rule_signs(rules, e.text) for e in examples]
    dev = load("dev")
    dev_ruled = [rule_signs(rules, item["text"]) for item in dev]
    dev_vectors = [features(item["text"]) for item in dev]
    signs = WARNING_IDS + GOOD_IDS if args.all else LEARNED_SIGNS
    for sign in signs:
        print(f"== {sign}")
        want = [sign in e.signs for e in examples]
        for c in C_GRID:
            scores = cross_scores(examples, sign, c)
            print(f"  C {c} (cross-validation, {FOLDS} folds over {len(examples)} offers)")
            for name in sorted(set(sources)):
                part = [i for i, s in enumerate(sources) if s == name]
                print(f"   {name}")
                show("aturan saja", [sign in ruled[i] for i in part], [want[i] for i in part])
                show("model saja >= 0.5", [scores[i] >= 0.5 for i in part], [want[i] for i in part])
                for t in GRID:
                    show(f"aturan ATAU model >= {t}", [sign in ruled[i] or scores[i] >= t for i in part],
                         [want[i] for i in part])
        model = fit_sign([features(e.text) for e in examples], want)
        dev_want = [sign in set(item["warnings"]) | set(item["good"]) for item in dev]
        print("  dev (model trained on all labelled offers)")
        show("aturan saja", [sign in r for r in dev_ruled], dev_want)
        threshold = THRESHOLDS.get(sign, 0.5)
        show(f"aturan ATAU model >= {threshold}",
             [sign in r or model.probability(v) >= threshold for r, v in zip(dev_ruled, dev_vectors, strict=True)],
             dev_want)


def read_offer_examples_of(path: Path) -> list[object]:
    import yaml

    return yaml.safe_load(path.read_text(encoding="utf-8"))["offers"]


if __name__ == "__main__":
    main()
