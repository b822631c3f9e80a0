"""Cek tawaran benchmark: per-sign precision and recall of knowledge/cek/tanda_tawaran.yaml on the frozen offers set.

python -m benchmarks.offers          # dev and test (test numbers are aggregate only; never read test items)
python -m benchmarks.offers --errors # the dev items a rule gets wrong, to tune on dev only
python -m benchmarks.offers --errors --train # the same for the tuning set benchmarks/tuning/offers_train.yml
"""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import date
from pathlib import Path

import yaml

from bot.content.offer_rules import GOOD_IDS, WARNING_IDS, read_offer_rules
from bot.core.offer_check import find_signs

ROOT = Path(__file__).resolve().parent.parent
SET = Path(__file__).resolve().parent / "sets" / "offers.yml"
# Tuning data from a third writer who never saw the frozen set: no split, all of it may be read and tuned on.
TRAIN = Path(__file__).resolve().parent / "tuning" / "offers_train.yml"
TARGET = 0.90


def load(split: str) -> list[dict]:
    if split == "train":
        return yaml.safe_load(TRAIN.read_text(encoding="utf-8"))["offers"]
    items = yaml.safe_load(SET.read_text(encoding="utf-8"))["offers"]
    return [item for item in items if item["split"] == split]


def counts(rules, items: list[dict]) -> tuple[Counter, Counter, Counter]:
    tp, fp, fn = Counter(), Counter(), Counter()
    for item in items:
        got = set(find_signs(rules, item["text"]))
        want = set(item["warnings"]) | set(item["good"])
        for sign in got & want:
            tp[sign] += 1
        for sign in got - want:
            fp[sign] += 1
        for sign in want - got:
            fn[sign] += 1
    return tp, fp, fn


def ratio(a: int, b: int) -> float:
    return a / b if b else 1.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--errors", action="store_true", help="show dev mistakes (dev only)")
    parser.add_argument("--train", action="store_true", help="with --errors: mistakes on the tuning set")
    args = parser.parse_args()
    rules, problems = read_offer_rules(ROOT / "knowledge", date.today())
    assert rules is not None, problems
    if args.errors:
        for n, item in enumerate(load("train" if args.train else "dev")):
            got = set(find_signs(rules, item["text"]))
            want = set(item["warnings"]) | set(item["good"])
            if got != want:
                print(f"[{n}] lebih: {sorted(got - want)} kurang: {sorted(want - got)}\n{item['text']}\n")
        return
    table = {split: counts(rules, load(split)) for split in ("train", "dev", "test")}
    print("| tanda | jenis | train presisi | train recall | dev presisi | dev recall | test presisi | test recall"
          " | test n |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    totals = {split: [0, 0, 0] for split in table}
    for sign in WARNING_IDS + GOOD_IDS:
        row = [sign, "bahaya" if sign in WARNING_IDS else "baik"]
        for split, (tp, fp, fn) in table.items():
            row += [f"{ratio(tp[sign], tp[sign] + fp[sign]):.2f}", f"{ratio(tp[sign], tp[sign] + fn[sign]):.2f}"]
            totals[split][0] += tp[sign]
            totals[split][1] += fp[sign]
            totals[split][2] += fn[sign]
        tp, _, fn = table["test"]
        row.append(str(tp[sign] + fn[sign]))
        print("| " + " | ".join(row) + " |")
    row = ["semua (mikro)", ""]
    for split in table:
        tp_, fp_, fn_ = totals[split]
        row += [f"{ratio(tp_, tp_ + fp_):.3f}", f"{ratio(tp_, tp_ + fn_):.3f}"]
    print("| " + " | ".join(row) + " | |")


if __name__ == "__main__":
    main()
