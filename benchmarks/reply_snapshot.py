"""Every reply to the dev questions, dev danger messages and intents/ examples, to prove a speed change answers alike.

Usage: python -m benchmarks.reply_snapshot OUT.json [--compare BEFORE.json]
Only `dev` items of the frozen sets are read; texts are stored in the snapshot file (keep it outside the repository)
and, on --compare, only the number of differing replies is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path

import yaml

from benchmarks.understanding import questions
from bot.core.conversation import Engine
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def texts(engine: Engine) -> list[str]:
    """Dev understanding questions, dev danger messages, every intents/ example and danger example."""
    danger = yaml.safe_load((ROOT / "benchmarks" / "sets" / "danger.yml").read_text(encoding="utf-8"))["messages"]
    training = engine.bundle.training
    found = [q["text"] for q in questions("dev")]
    found += [m["text"] for m in danger if m["split"] == "dev"]
    found += [e.text for e in training.examples]
    found += [text for text, _ in training.danger_examples]
    return list(dict.fromkeys(found))


def snapshot(engine: Engine) -> dict[str, dict]:
    out = {}
    for text in texts(engine):
        reply = engine.respond(text)
        out[text] = {**asdict(reply), "model": repr(engine.danger_check.model.score(text))}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--compare", type=Path)
    args = parser.parse_args()
    engine = Engine.from_dirs(ROOT / "knowledge", ROOT / "intents", cache_dir=Settings.from_env(os.environ).cache_dir)
    now = snapshot(engine)
    args.out.write_text(json.dumps(now, ensure_ascii=False, indent=0, sort_keys=True), encoding="utf-8")
    print(f"{len(now)} replies written")
    if args.compare:
        before = json.loads(args.compare.read_text(encoding="utf-8"))
        now = json.loads(args.out.read_text(encoding="utf-8"))
        differ = sum(1 for text in before.keys() | now.keys() if _reply(before.get(text)) != _reply(now.get(text)))
        # The model's sums run in set order, which follows the per-process string hash seed: the last digits of its
        # score differ from run to run even without any change, so scores are compared to 12 places.
        scores = sum(1 for text in before.keys() & now.keys()
                     if abs(float(before[text]["model"]) - float(now[text]["model"])) > 1e-12)
        print(f"{differ} of {len(before)} replies differ; {scores} danger-model scores differ by more than 1e-12")
        sys.exit(1 if differ or scores else 0)


def _reply(entry: dict | None) -> dict | None:
    return None if entry is None else {k: v for k, v in entry.items() if k != "model"}


if __name__ == "__main__":
    main()
