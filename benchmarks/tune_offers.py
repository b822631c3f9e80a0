"""Choose the learned offer signs' settings by cross-validation over the labelled offers, then check them on dev.

python -m benchmarks.tune_offers            # the learned signs: CV, writer-to-writer, then dev (never test)
python -m benchmarks.tune_offers --all      # the same for every sign, to see which signs a model helps

Three views, because the rules were written from all labelled offers and so look perfect on them:
- cross-validation: 5 folds over all labelled offers (the model never sees the offer it scores);
- writer to writer: the model trained on one file scores the other (a new writer, as the frozen set is);
- dev and dev2: the model trained on every labelled offer, on the dev half of benchmarks/sets/offers.yml and on
  benchmarks/sets/offers_dev2.yml (a writer who saw neither the rules nor the first set).
Each table also shows the rule hits the model drops below its floor (FLOORS in bot/core/offer_model.py).
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from benchmarks.offers import FOLDS, folds, load
from bot.content.offer_rules import GOOD_IDS, WARNING_IDS, OfferExample, read_offer_rules
from bot.core.offer_check import rule_signs
from bot.core.offer_model import FLOORS, LEARNED_SIGNS, THRESHOLDS, UNLESS, C, Vector, features, fit_sign

ROOT = Path(__file__).resolve().parent.parent
GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
FLOOR_GRID = (0.1, 0.15, 0.2, 0.3)
C_GRID = (1.0, 4.0, 16.0)


def cross_scores(vectors: Sequence[Vector], labels: Sequence[bool], c: float) -> list[float]:
    """Each offer's probability from a model that never saw it."""
    scores = [0.0] * len(vectors)
    for held in folds(len(vectors)):
        rest = sorted(set(range(len(vectors))) - set(held))
        model = fit_sign([vectors[i] for i in rest], [labels[i] for i in rest], c)
        for i in held:
            scores[i] = model.probability(vectors[i])
    return scores


def writer_scores(vectors: Sequence[Vector], labels: Sequence[bool], groups: Sequence[str], c: float) -> list[float]:
    """Each offer's probability from a model trained only on the other writers' files."""
    scores = [0.0] * len(vectors)
    for group in sorted(set(groups)):
        rest = [i for i, g in enumerate(groups) if g != group]
        model = fit_sign([vectors[i] for i in rest], [labels[i] for i in rest], c)
        for i, g in enumerate(groups):
            if g == group:
                scores[i] = model.probability(vectors[i])
    return scores


def pr(got: Sequence[bool], want: Sequence[bool]) -> str:
    tp = sum(g and w for g, w in zip(got, want, strict=True))
    fp = sum(g and not w for g, w in zip(got, want, strict=True))
    fn = sum(w and not g for g, w in zip(got, want, strict=True))
    return f"P {tp / (tp + fp) if tp + fp else 1.0:.2f} R {tp / (tp + fn) if tp + fn else 1.0:.2f} (n {tp + fn})"


def table(title: str, ruled: Sequence[bool], scores: Sequence[float], want: Sequence[bool],
          vetoed: Sequence[bool], threshold: float, sure: Sequence[bool] | None = None) -> None:
    """Rules alone, the model alone, rules OR the model (where the rules do not veto it) per threshold, and
    with the threshold in use and the next one up, rule hits the model scores below a floor dropped (never the
    hits of the rules' `sure` patterns)."""
    sure = sure if sure is not None else [False] * len(ruled)
    print(f"  {title}")
    print(f"    aturan saja              {pr(ruled, want)}")
    print(f"    model saja >= 0.5        {pr([s >= 0.5 for s in scores], want)}")
    for t in GRID:
        got = [r or (s >= t and not v) for r, s, v in zip(ruled, scores, vetoed, strict=True)]
        print(f"    aturan ATAU model >= {t}  {pr(got, want)}")
    for limit in (threshold, round(threshold + 0.1, 2)):
        for floor in FLOOR_GRID:
            got = [(r and (s >= floor or u)) or (s >= limit and not v)
                   for r, s, v, u in zip(ruled, scores, vetoed, sure, strict=True)]
            print(f"    >= {limit}, aturan dibuang < {floor}  {pr(got, want)}")


def labelled() -> tuple[list[OfferExample], list[str]]:
    """Every labelled offer and the file (writer) it comes from."""
    import yaml

    examples, groups = [], []
    for path in sorted((ROOT / "knowledge" / "cek" / "contoh_tawaran").glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["offers"]:
            examples.append(OfferExample(item["text"], frozenset(item["warnings"]) | frozenset(item["good"])))
            groups.append(path.name)
    return examples, groups


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--all", action="store_true", help="every sign, not only the learned ones")
    parser.add_argument("--c", type=float, nargs="*", default=[C], help="regularisation values to compare")
    args = parser.parse_args()
    rules, problems = read_offer_rules(ROOT / "knowledge", date.today())
    assert rules is not None, problems
    examples, groups = labelled()
    vectors = [features(e.text) for e in examples]
    ruled = [rule_signs(rules, e.text) for e in examples]
    sure = [rule_signs(rules, e.text, sure_only=True) for e in examples]
    tuning = {split: load(split) for split in ("dev", "dev2")}
    tuning_ruled = {split: [rule_signs(rules, item["text"]) for item in items] for split, items in tuning.items()}
    tuning_sure = {split: [rule_signs(rules, item["text"], sure_only=True) for item in items]
                   for split, items in tuning.items()}
    tuning_vectors = {split: [features(item["text"]) for item in items] for split, items in tuning.items()}
    for sign in WARNING_IDS + GOOD_IDS if args.all else LEARNED_SIGNS:
        print(f"== {sign}")
        want = [sign in e.signs for e in examples]
        hits = [sign in r for r in ruled]
        sure_hits = [sign in r for r in sure]
        veto = set(UNLESS.get(sign, ()))
        vetoed = [bool(r & veto) for r in ruled]
        threshold = THRESHOLDS.get(sign, 0.5)
        for c in args.c:
            print(f" C {c}")
            table(f"cross-validation, {FOLDS} folds over {len(examples)} offers", hits,
                  cross_scores(vectors, want, c), want, vetoed, threshold, sure_hits)
            scores = writer_scores(vectors, want, groups, c)
            for group in sorted(set(groups)):
                part = [i for i, g in enumerate(groups) if g == group]
                table(f"writer to writer: trained without {group}, scored on it", [hits[i] for i in part],
                      [scores[i] for i in part], [want[i] for i in part], [vetoed[i] for i in part], threshold,
                      [sure_hits[i] for i in part])
            model = fit_sign(vectors, want, c)
            for split, items in tuning.items():
                split_want = [sign in set(item["warnings"]) | set(item["good"]) for item in items]
                table(f"{split}, model trained on every labelled offer", [sign in r for r in tuning_ruled[split]],
                      [model.probability(v) for v in tuning_vectors[split]], split_want,
                      [bool(r & veto) for r in tuning_ruled[split]], threshold,
                      [sign in r for r in tuning_sure[split]])
        print(f"  threshold in use: {THRESHOLDS.get(sign, 'none')}, floor in use: {FLOORS.get(sign, 'none')}")


if __name__ == "__main__":
    main()
