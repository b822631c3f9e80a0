"""Cek tawaran benchmark: per-sign precision and recall of the rules (knowledge/cek/tanda_tawaran.yaml) together
with the learned model (bot/core/offer_model.py) on the frozen offers set.

python -m benchmarks.offers          # labelled offers, dev, dev2 and the held-out test, test2, test3 (aggregate only;
                                     # never read their items)
python -m benchmarks.offers --dev    # labelled offers, dev and dev2 only: test left out
python -m benchmarks.offers --rules-only  # the rules without the model (add --dev to leave test out)
python -m benchmarks.offers --errors # the dev items the detector gets wrong, to tune on dev only
python -m benchmarks.offers --errors --dev2  # the same for dev2 (benchmarks/sets/offers_dev2.yml, a new writer)
python -m benchmarks.offers --errors --train # the same for the labelled offers of knowledge/cek/contoh_tawaran/
python -m benchmarks.offers --fresh FILE     # a new labelled offers file nobody has tuned on: aggregates only
python -m benchmarks.offers --cv     # labelled offers cross-validated (model never trained on the offer it scores),
                                     # dev and dev2: every sign, the whole detector; no test numbers

"train" is the labelled offers the model is trained on, so its numbers there flatter the model; its honest
numbers are the cross-validated ones of `python -m benchmarks.tune_offers`.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

from bot.content.offer_rules import GOOD_IDS, WARNING_IDS, OfferExample, read_offer_rules
from bot.core.offer_check import RULES_ONLY, find_signs
from bot.core.offer_model import OfferModel, fit

ROOT = Path(__file__).resolve().parent.parent
SET = Path(__file__).resolve().parent / "sets" / "offers.yml"
# A second tuning set from a writer who saw neither the rules nor the first set: every item is split "dev2".
DEV2 = Path(__file__).resolve().parent / "sets" / "offers_dev2.yml"
# A second held-out set, all of it split "test2": a later writer labelled it by the perekrut_perorangan guideline in
# knowledge/cek/tanda_tawaran.yaml, and it was frozen before the round that followed it.
TEST2 = Path(__file__).resolve().parent / "sets" / "offers_test2.yml"
# A third held-out set, all of it split "test3" (writer PB, same guideline), frozen before round six.
TEST3 = Path(__file__).resolve().parent / "sets" / "offers_test3.yml"
# The later held-out splits by name, each a whole file.
LATER_TESTS = {"test2": TEST2, "test3": TEST3}
# Labelled offers from writers who never saw the frozen set: no split, all of it may be read and tuned on.
TRAIN = ROOT / "knowledge" / "cek" / "contoh_tawaran"
TARGET = 0.90
# Cross-validation over the labelled offers (here and in benchmarks.tune_offers): fixed folds.
FOLDS = 5
SEED = 13


def load_file(path: Path) -> list[dict]:
    """The offers of one labelled file (`offers:` with text, warnings, good)."""
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["offers"])


def load(split: str) -> list[dict]:
    if split == "train":
        return [item for path in sorted(TRAIN.glob("*.yml")) for item in load_file(path)]
    path = {"dev2": DEV2, **LATER_TESTS}.get(split, SET)
    if not path.is_file():
        return []
    items = yaml.safe_load(path.read_text(encoding="utf-8"))["offers"]
    return [item for item in items if item["split"] == split]


def counts(rules, items: list[dict], model: OfferModel | None = None) -> tuple[Counter, Counter, Counter]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for item in items:
        got = set(find_signs(rules, item["text"], model))
        want = set(item.get("warnings") or []) | set(item.get("good") or [])
        for sign in got & want:
            tp[sign] += 1
        for sign in got - want:
            fp[sign] += 1
        for sign in want - got:
            fn[sign] += 1
    return tp, fp, fn


def folds(n: int, k: int = FOLDS) -> list[list[int]]:
    order = list(range(n))
    random.Random(SEED).shuffle(order)
    return [order[i::k] for i in range(k)]


def cross_counts(rules) -> tuple[Counter, Counter, Counter]:
    """The whole detector on every labelled offer, with a model trained on the other folds only (so these
    numbers, unlike "train", do not flatter the model; the rules were still written from these offers)."""
    items = load("train")
    examples = [OfferExample(i["text"], frozenset(i.get("warnings") or []) | frozenset(i.get("good") or []))
                for i in items]
    total: tuple[Counter, Counter, Counter] = (Counter(), Counter(), Counter())
    for held in folds(len(items)):
        keep = set(held)
        model = fit([e for n, e in enumerate(examples) if n not in keep])
        for part, add in zip(counts(rules, [items[n] for n in held], model), total, strict=True):
            add.update(part)
    return total


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="show dev mistakes (dev only)")
    parser.add_argument("--train", action="store_true", help="with --errors: mistakes on the labelled offers")
    parser.add_argument("--dev2", action="store_true", help="with --errors: mistakes on dev2")
    parser.add_argument("--dev", action="store_true", help="labelled offers, dev and dev2 only, no test numbers")
    parser.add_argument("--rules-only", action="store_true", help="the rules without the learned model")
    parser.add_argument("--cv", action="store_true",
                        help="labelled offers cross-validated, then dev and dev2 (no test numbers)")
    parser.add_argument("--fresh", type=Path, metavar="FILE",
                        help="per-sign numbers on one labelled offers file only (no items shown, no test numbers)")
    args = parser.parse_args()
    rules, problems = read_offer_rules(ROOT / "knowledge", date.today())
    assert rules is not None, problems
    model = RULES_ONLY if args.rules_only else None
    if args.errors:
        for n, item in enumerate(load("train" if args.train else "dev2" if args.dev2 else "dev")):
            got = set(find_signs(rules, item["text"], model))
            want = set(item["warnings"]) | set(item["good"])
            if got != want:
                print(f"[{n}] lebih: {sorted(got - want)} kurang: {sorted(want - got)}\n{item['text']}\n")
        return
    if args.fresh:
        table = {"fresh": counts(rules, load_file(args.fresh), model)}
    elif args.cv:
        table = {"cv": cross_counts(rules) if model is None else counts(rules, load("train"), model)}
        table |= {split: counts(rules, load(split), model) for split in ("dev", "dev2")}
    else:
        held_out = ("test", *(name for name, path in LATER_TESTS.items() if path.is_file()))
        splits = ("train", "dev", "dev2") if args.dev else ("train", "dev", "dev2", *held_out)
        table = {split: counts(rules, load(split), model) for split in splits}
    print_table(table)


def print_table(table: dict[str, tuple[Counter, Counter, Counter]]) -> None:
    """Per-sign precision and recall for each part, and the micro average."""
    splits = list(table)
    last = splits[-1]
    print("| tanda | jenis | " + " | ".join(f"{s} presisi | {s} recall" for s in splits) + f" | {last} n |")
    print("|---|---|" + "---:|---:|" * len(splits) + "---:|")
    totals = {split: [0, 0, 0] for split in table}
    for sign in WARNING_IDS + GOOD_IDS:
        row = [sign, "bahaya" if sign in WARNING_IDS else "baik"]
        for split, (tp, fp, fn) in table.items():
            row += [f"{ratio(tp[sign], tp[sign] + fp[sign]):.2f}", f"{ratio(tp[sign], tp[sign] + fn[sign]):.2f}"]
            totals[split][0] += tp[sign]
            totals[split][1] += fp[sign]
            totals[split][2] += fn[sign]
        tp, _, fn = table[last]
        row.append(str(tp[sign] + fn[sign]))
        print("| " + " | ".join(row) + " |")
    row = ["semua (mikro)", ""]
    for split in table:
        tp_, fp_, fn_ = totals[split]
        row += [f"{ratio(tp_, tp_ + fp_):.3f}", f"{ratio(tp_, tp_ + fn_):.3f}"]
    print("| " + " | ".join(row) + " | |")


if __name__ == "__main__":
    main()
