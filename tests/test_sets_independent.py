"""The frozen evaluation sets stay out of the training data: no sentence, nor a near copy, in intents/."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "benchmarks" / "sets"
INTENTS = ROOT / "intents"
# Two sentences sharing this share of their distinct words (Jaccard) count as one sentence.
NEAR_COPY = 0.8
_WORD = re.compile(r"[a-z0-9]+")


def words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.casefold()))


def intents_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted(INTENTS.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            lines += [line.strip()[2:].strip() for line in str(block.get("examples", "")).splitlines()
                      if line.strip().startswith("- ")]
    return lines


def set_sentences() -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    for path in sorted(SETS.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for items in data.values():
            found += [(path.stem, item["text"]) for item in items if isinstance(item, dict) and "text" in item]
    return found


@cache
def _index() -> tuple[list[frozenset[str]], dict[str, list[int]], set[str]]:
    bags = [words(line) for line in intents_lines()]
    postings: dict[str, list[int]] = defaultdict(list)
    for i, bag in enumerate(bags):
        for word in bag:
            postings[word].append(i)
    exact = {" ".join(sorted(bag)) for bag in bags}
    return bags, postings, exact


def nearest_copy(text: str) -> float:
    """The highest word-overlap (Jaccard) between the text and any training line."""
    bags, postings, exact = _index()
    bag = words(text)
    if not bag:
        return 0.0
    if " ".join(sorted(bag)) in exact:
        return 1.0
    shared: Counter[int] = Counter()
    for word in bag:
        shared.update(postings.get(word, ()))
    best = 0.0
    for i, overlap in shared.items():
        best = max(best, overlap / len(bag | bags[i]))
    return best


@pytest.mark.slow
def test_the_frozen_sets_are_there() -> None:
    kinds = Counter(kind for kind, _ in set_sentences())
    assert kinds["understanding"] >= 1050 and kinds["danger"] >= 600 and kinds["offers"] >= 150


@pytest.mark.parametrize(("text", "expected"), [
    ("Syarat jadi PMI apa saja?", 1.0),  # a sentence of intents/prosedur.yml, case and punctuation aside
    ("planet saturnus punya cincin dari es dan debu", 0.0),  # (a Christmas-cake recipe is in intents now)
])
def test_near_copy_measure(text: str, expected: float) -> None:
    if expected == 1.0:
        text = next(line for line in intents_lines() if len(words(line)) >= 4).upper() + " !"
    assert nearest_copy(text) == pytest.approx(expected, abs=0.35)


@pytest.mark.slow
def test_no_evaluation_sentence_or_near_copy_is_in_intents() -> None:
    copies = [(kind, text) for kind, text in set_sentences()
              if len(words(text)) >= 3 and nearest_copy(text) >= NEAR_COPY]
    exact_short = [(kind, text) for kind, text in set_sentences()
                   if len(words(text)) < 3 and nearest_copy(text) == 1.0]
    assert copies + exact_short == []


def test_no_labelled_offer_is_a_near_copy_of_the_frozen_offers() -> None:
    """The offers the model learns from (knowledge/cek/contoh_tawaran/) share no near copy with the frozen set;
    only the count is compared, so a failure never prints a held-out text."""
    frozen = [words(text) for kind, text in set_sentences() if kind.startswith("offers")]
    labelled = [words(item["text"])
                for path in sorted((ROOT / "knowledge" / "cek" / "contoh_tawaran").glob("*.yml"))
                for item in yaml.safe_load(path.read_text(encoding="utf-8"))["offers"]]
    near = sum(any(len(bag & other) / len(bag | other) >= NEAR_COPY for other in frozen) for bag in labelled if bag)
    assert len(labelled) >= 450
    assert near == 0
