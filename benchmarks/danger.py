"""Danger benchmark: recall and false alarms per style, old detector against new, on the frozen danger set.

Usage: python -m benchmarks.danger [--test | --fresh] [--errors dev|dev2|...|dev7]
Without --test only the tuning splits (dev and every danger_dev*.yml) are scored; --test adds the held-out splits
(test, test4 and every danger_test*.yml) and writes the JSON; --fresh adds the newest held-out split alone (test6).
Only aggregate numbers are printed; the items of the held-out splits are never shown (tune on the dev splits only).
Columns: rules only (intents/sinyal_darurat.yml), model only (intents/contoh_bahaya.yml), both combined
(bot/core/danger_check.py), and the bot as a person sees it (the emergency card, also via the topic matcher).
"old" is the detector before issue 9: the phrase list in benchmarks/baseline/ with one-word-back negation,
plus the engine rule that turned a weak `darurat` topic match (score >= 0.10) into an emergency.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

import yaml

from bot.core.conversation import Engine
from bot.core.normalize import Normalizer, stem
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SET = ROOT / "benchmarks" / "sets" / "danger.yml"
# Later tuning sets, each from a writer who came later (danger_dev2.yml is split "dev2", danger_dev3.yml "dev3"):
# dev was tuned on until it said 1.000, so a fresh set shows how far that tuning carries before test is touched.
LATER_DEVS = tuple(sorted((ROOT / "benchmarks" / "sets").glob("danger_dev*.yml")))
TUNING_SPLITS = ("dev", *(path.stem.removeprefix("danger_") for path in LATER_DEVS))
# Held out: the first set's test half; half of danger_dev4.yml ("test4", split by hash like the first), a second
# test from a writer who came after every tuning round, for when the first test has been looked at often; and
# danger_test5.yml ("test5") and danger_test6.yml ("test6"), whole sets from later writers, each frozen before the
# round that followed it.
LATER_TESTS = tuple(sorted((ROOT / "benchmarks" / "sets").glob("danger_test*.yml")))
HELD_OUT = ("test", "test4", *(path.stem.removeprefix("danger_") for path in LATER_TESTS))
FRESH = HELD_OUT[-1]
SPLITS = (*TUNING_SPLITS, *HELD_OUT)
OLD_PHRASES = ROOT / "benchmarks" / "baseline" / "sinyal_darurat_lama.yml"
RESULTS = ROOT / "benchmarks" / "results" / "danger.json"
OLD_NEGATORS = frozenset({"tidak", "belum", "bukan", "jangan"})
OLD_EMERGENCY_FLOOR = 0.10
Detect = Callable[[str], bool]


class OldDetector:
    """The phrase detector as it was: a phrase anywhere, unless the word right before it is a negation."""

    def __init__(self, phrases: Sequence[str], normalizer: Normalizer) -> None:
        self._by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for text in phrases:
            tokens = normalizer.tokens(text)
            if tokens:
                self._by_first[tokens[0]].append(tokens)

    def find(self, tokens: Sequence[str]) -> bool:
        stems = [stem(t) for t in tokens]
        for sequence in (list(tokens), stems):
            for i, token in enumerate(sequence):
                if i > 0 and sequence[i - 1] in OLD_NEGATORS and token not in OLD_NEGATORS:
                    continue
                for candidate in self._by_first.get(token, ()):
                    if tuple(sequence[i : i + len(candidate)]) == candidate:
                        return True
        return False


def old_detector(engine: Engine) -> Detect:
    data = yaml.safe_load(OLD_PHRASES.read_text(encoding="utf-8"))
    phrases = [line[2:].strip() for item in data["nlu"] for line in item["examples"].splitlines() if line.strip()]
    old = OldDetector(phrases, engine.normalizer)

    def detect(text: str) -> bool:
        tokens = engine.normalizer.tokens(text)
        corrected = [engine.matcher.correct(t) for t in tokens]
        found = engine.matcher.rank_tokens(corrected)
        return (old.find(tokens) or old.find(corrected)
                or (found.intent == "darurat" and found.score >= OLD_EMERGENCY_FLOOR))
    return detect


def new_detector(engine: Engine) -> Detect:
    return lambda text: engine.danger.detect(text) is not None


def model_only(engine: Engine) -> Detect:
    model = engine.danger_check.model
    return lambda text: model.score(text) >= engine.danger_check.model_alone


def combined(engine: Engine) -> Detect:
    return lambda text: engine.danger_check.detect(text) is not None


def new_engine(engine: Engine) -> Detect:
    """What a person sees: the emergency card (any variant), also when the topic matcher chose it."""
    return lambda text: engine.respond(text).emergency


def measure(items: Sequence[dict], detect: Detect) -> dict[str, dict[str, float | int]]:
    """Per style and overall: danger caught / danger, harmless alarmed / harmless."""
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for item in items:
        fired = detect(item["text"])
        for key in (item["style"], "semua"):
            row = counts[key]
            if item["danger"]:
                row[0] += fired
                row[1] += 1
            else:
                row[2] += fired
                row[3] += 1
    return {key: {"recall": round(c[0] / c[1], 3) if c[1] else None, "danger": c[1],
                  "false_alarm": round(c[2] / c[3], 3) if c[3] else None, "harmless": c[3]}
            for key, c in sorted(counts.items(), key=lambda kv: (kv[0] == "semua", kv[0]))}


def latency(engine: Engine, texts: Sequence[str]) -> dict[str, float]:
    """Per-message time of the combined check (rules + model), in milliseconds."""
    times = []
    for text in texts:
        start = time.perf_counter()
        engine.danger_check.detect(text)
        times.append(1000 * (time.perf_counter() - start))
    times.sort()
    return {"p50": round(times[len(times) // 2], 3), "p99": round(times[min(len(times) - 1, int(len(times) * 0.99))], 3)}


def load_items() -> list[dict]:
    items = yaml.safe_load(SET.read_text(encoding="utf-8"))["messages"]
    for path in (*LATER_DEVS, *LATER_TESTS):
        items += yaml.safe_load(path.read_text(encoding="utf-8"))["messages"]
    return items


def show_errors(engine: Engine, items: Sequence[dict], split: str) -> None:
    """The bot's misses and false alarms on a tuning split (never on test)."""
    for item in items:
        if item["split"] != split:
            continue
        reply = engine.respond(item["text"])
        if reply.emergency != item["danger"]:
            label = "TERLEWAT" if item["danger"] else "ALARM PALSU"
            print(f"[{label}] {item['style']}/{item.get('kind')} signal={reply.signal}: {item['text']}")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--errors", choices=TUNING_SPLITS, help="list the bot's errors on a tuning split")
    parser.add_argument("--test", action="store_true",
                        help="also score the held-out splits and write results/danger.json (once, at the end of tuning)")
    parser.add_argument("--fresh", action="store_true",
                        help=f"also score the newest held-out split ({FRESH}) only, without writing results")
    args = parser.parse_args(argv)
    splits = SPLITS if args.test else (*TUNING_SPLITS, FRESH) if args.fresh else TUNING_SPLITS
    items = load_items()
    engine = Engine.from_settings(Settings.from_env({}))
    if args.errors:
        show_errors(engine, items, args.errors)
        return
    detectors = {"lama": old_detector(engine), "aturan": new_detector(engine), "model": model_only(engine),
                 "aturan+model": combined(engine), "bot": new_engine(engine)}
    results: dict[str, dict] = {}
    for split in splits:
        chosen = [item for item in items if item["split"] == split]
        results[split] = {name: measure(chosen, detect) for name, detect in detectors.items()}
    results["latensi_ms"] = latency(engine, [item["text"] for item in items])
    if args.test:
        RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print("latensi per pesan (aturan+model): p50 {p50:.2f} ms, p99 {p99:.2f} ms".format(**results["latensi_ms"]))
    for split in splits:
        by_name = results[split]
        print(f"\n## {split}")
        print("| gaya | " + " | ".join(f"{n}: recall / alarm palsu" for n in by_name) + " |")
        print("| --- |" + " --- |" * len(by_name))
        for style in next(iter(by_name.values())):
            cells = []
            for rows in by_name.values():
                row = rows[style]
                recall = "-" if row["recall"] is None else f"{row['recall']:.3f}"
                alarm = "-" if row["false_alarm"] is None else f"{100 * row['false_alarm']:.1f} %"
                cells.append(f"{recall} / {alarm}")
            row = next(iter(by_name.values()))[style]
            print(f"| {style} ({row['danger']}+{row['harmless']}) | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
