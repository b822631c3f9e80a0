"""Cek PT benchmark: top-1 accuracy on misspelt listed names and the false "found" rate on names not listed.

python -m benchmarks.companies          # dev and test numbers with the thresholds in bot/core/company_check.py
python -m benchmarks.companies --tune   # choose thresholds on split: dev only
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.content.p3mi_list import read_p3mi
from bot.core.company_check import FOUND_MARGIN, FOUND_SCORE, SIMILAR_SCORE, CompanyIndex

ROOT = Path(__file__).resolve().parent.parent
SET = Path(__file__).resolve().parent / "sets" / "companies.yml"


@dataclass(frozen=True)
class Scores:
    listed: int
    top1: float           # the right company is the answer (found) or the first candidate (similar)
    found_right: float    # answered "found" with the right company
    found_wrong: int      # answered "found" with another company
    not_listed: int
    false_found: float    # names not on the list answered "found"


def load(split: str) -> list[dict]:
    items = yaml.safe_load(SET.read_text(encoding="utf-8"))["queries"]
    return [item for item in items if item["split"] == split]


def score(index: CompanyIndex, items: list[dict]) -> Scores:
    listed = [i for i in items if i["expected"] is not None]
    others = [i for i in items if i["expected"] is None]
    top1 = found_right = found_wrong = false_found = 0
    for item in listed:
        result = index.check(item["query"])
        first = result.matches[0].id if result.matches else None
        same = first is not None and index.by_id(first) is not None and _same(index, first, item["expected"])
        top1 += same
        found_right += result.status == "found" and same
        found_wrong += result.status == "found" and not same
    for item in others:
        false_found += index.check(item["query"]).status == "found"
    return Scores(len(listed), top1 / len(listed), found_right / len(listed), found_wrong,
                  len(others), false_found / max(len(others), 1))


def _same(index: CompanyIndex, got: str, expected: str) -> bool:
    # The copy lists two companies twice under different ids; either row is the right company.
    a, b = index.by_id(got), index.by_id(expected)
    return got == expected or (a is not None and b is not None and index.keys[index.p3mi.companies.index(a)]
                               == index.keys[index.p3mi.companies.index(b)])


def tune(p3mi) -> tuple[float, float, float]:
    dev = load("dev")
    best: tuple[tuple[float, ...], tuple[float, float, float]] | None = None
    for found, similar, margin in itertools.product(range(80, 100, 2), range(60, 86, 4), range(0, 12, 2)):
        if similar > found:
            continue
        s = score(CompanyIndex(p3mi, found, similar, margin), dev)
        if s.false_found > 0.01 or s.found_wrong:
            continue
        # Prefer the most right answers, then the most "found" (fewer taps), then the strictest threshold.
        key = (s.top1, s.found_right, found)
        if best is None or key > best[0]:
            best = (key, (float(found), float(similar), float(margin)))
    assert best is not None
    return best[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tune", action="store_true")
    args = parser.parse_args()
    from datetime import date
    p3mi, _ = read_p3mi(ROOT / "knowledge", date.today())
    assert p3mi is not None
    if args.tune:
        found, similar, margin = tune(p3mi)
        print(f"dipilih pada dev: FOUND_SCORE={found} SIMILAR_SCORE={similar} FOUND_MARGIN={margin}")
        return
    index = CompanyIndex(p3mi, FOUND_SCORE, SIMILAR_SCORE, FOUND_MARGIN)
    print("| bagian | nama terdaftar | top-1 | 'found' benar | 'found' salah | nama tidak terdaftar | 'found' palsu |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for split in ("dev", "test"):
        s = score(index, load(split))
        print(f"| {split} | {s.listed} | {s.top1:.3f} | {s.found_right:.3f} | {s.found_wrong} | {s.not_listed} "
              f"| {s.false_found:.3f} |")


if __name__ == "__main__":
    main()
