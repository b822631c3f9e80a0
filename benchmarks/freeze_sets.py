"""Freeze writers' evaluation sets into benchmarks/sets/ with a stratified, deterministic dev/test split."""

from __future__ import annotations

import hashlib
import sys
from collections import defaultdict
from pathlib import Path

import yaml

SETS = Path(__file__).resolve().parent / "sets"


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def split(items: list[dict], strata: tuple[str, ...]) -> list[dict]:
    """Half of each stratum goes to dev, half to test, chosen by a hash of the text (no peeking)."""
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for item in items:
        groups[tuple(str(item.get(s)) for s in strata)].append(item)
    for group in groups.values():
        group.sort(key=lambda item: _key(item["text"]))
        for i, item in enumerate(group):
            item["split"] = "dev" if i % 2 == 0 else "test"
    return items


def freeze(kind: str, sources: list[Path], list_key: str, strata: tuple[str, ...], only: str | None = None) -> Path:
    """Write benchmarks/sets/KIND.yml; `only` puts every item in one split (a second tuning set: "dev2")."""
    items: list[dict] = []
    seen: set[str] = set()
    for source in sources:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        for item in data[list_key]:
            text = item["text"].strip()
            if text.lower() in seen:
                continue
            seen.add(text.lower())
            items.append({**item, "text": text, "writer": data["writer"]})
    if only:
        for item in items:
            item["split"] = only
    else:
        split(items, strata)
    out = SETS / f"{kind}.yml"
    header = (f"# Frozen evaluation set ({kind}); written by independent writers who never saw intents/.\n"
              "# Never train or tune on split: test. Made by benchmarks/freeze_sets.py; do not edit by hand.\n")
    out.write_text(header + yaml.safe_dump({list_key: items}, allow_unicode=True, sort_keys=False, width=1000),
                   encoding="utf-8")
    return out


if __name__ == "__main__":
    # python benchmarks/freeze_sets.py KIND LIST_KEY STRATA FILE... [--only SPLIT]
    args = sys.argv[1:]
    only = args[args.index("--only") + 1] if "--only" in args else None
    if only:
        del args[args.index("--only"):args.index("--only") + 2]
    kind, list_key, strata, *paths = args
    print(freeze(kind, [Path(p) for p in paths], list_key, tuple(strata.split(",")), only))
