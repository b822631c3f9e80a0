"""The understanding benchmark's Rasa DIET row: read from rasa_diet_sets.json, marked stale when intents/ changed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from benchmarks.intents_digest import intents_digest
from benchmarks.understanding import diet_results, table

ROOT = Path(__file__).resolve().parent.parent
SPLIT = {"in_scope": 0.8, "known": 0.8, "oos": 0.7, "per_style": {"formal": 0.9, "kupang": 0.6},
         "per_topic": {"darurat": 1.0}, "count": 10}


def stored(tmp_path: Path, digest: str) -> Path:
    path = tmp_path / "rasa_diet_sets.json"
    path.write_text(json.dumps({
        "engine": "Rasa DIET", "rasa_version": "3.6.21", "trained_on": "2026-11-29", "intents_sha": digest,
        "epochs": 100, "fallback_threshold": 0.65, "ambiguity_threshold": 0.1, "threshold_source": "uji",
        "train_s": 480, "splits": {"dev": SPLIT, "test": {**SPLIT, "in_scope": 0.75}},
    }), encoding="utf-8")
    return path


@pytest.mark.parametrize("stale", [False, True], ids=["same-intents", "intents-changed"])
def test_row_says_what_it_was_trained_on(tmp_path: Path, stale: bool) -> None:
    digest = "0" * 12 if stale else intents_digest(ROOT / "intents")
    rows, note = diet_results(("dev", "test"), stored(tmp_path, digest))
    assert [(r.split, r.in_scope) for r in rows] == [("dev", 0.8), ("test", 0.75)]
    assert all("2026-11-29" in r.name and digest in r.name and "100 epoch" in r.name for r in rows)
    assert all(("USANG" in r.name) is stale for r in rows)
    assert ("USANG" in note) is stale
    assert "| 0.800 | 0.800 | 0.700 | 0.90 | - | - | 0.60 |" in table(rows)


def test_only_the_asked_splits(tmp_path: Path) -> None:
    rows, _ = diet_results(("dev",), stored(tmp_path, "0" * 12))
    assert [r.split for r in rows] == ["dev"]


def test_missing_file_is_said_not_hidden(tmp_path: Path) -> None:
    rows, note = diet_results(("dev", "test"), tmp_path / "absent.json")
    assert rows == [] and "belum diukur" in note


def test_digest_follows_content_not_copies(tmp_path: Path) -> None:
    copy = tmp_path / "intents"
    shutil.copytree(ROOT / "intents", copy)
    assert intents_digest(copy) == intents_digest(ROOT / "intents")
    danger_examples = copy / "contoh_bahaya.yml"  # the danger model's data: not in the Rasa export
    danger_examples.write_text(danger_examples.read_text(encoding="utf-8") + "\n# diubah\n", encoding="utf-8")
    assert intents_digest(copy) == intents_digest(ROOT / "intents")
    example = copy / "prosedur.yml"
    example.write_text(example.read_text(encoding="utf-8") + "\n# diubah\n", encoding="utf-8")
    assert intents_digest(copy) != intents_digest(ROOT / "intents")


@pytest.mark.slow
def test_sets_scores_both_splits_with_the_understanding_rule(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """benchmarks.rasa_diet.sets without Rasa: a model that always falls back rejects every OOS item, answers none."""
    from benchmarks import rasa_diet
    from bot.content.validate import load_bundle

    monkeypatch.setattr(rasa_diet, "WORKDIR", tmp_path)
    monkeypatch.setattr(rasa_diet, "train_nlu", lambda python, project, name: (tmp_path / "m.tar.gz", False))
    monkeypatch.setattr(rasa_diet, "rasa_version", lambda python: "0.0")
    monkeypatch.setattr(rasa_diet, "parse", lambda python, model, texts, workdir: {
        "predictions": [{"intent": "nlu_fallback", "confidence": 0.65, "ranking": [], "ms": 1.0} for _ in texts]})
    bundle = load_bundle(ROOT / "knowledge", ROOT / "intents")
    result = rasa_diet.sets("python", bundle, 0.7, "uji")
    assert result["intents_sha"] == intents_digest(ROOT / "intents") and result["fallback_threshold"] == 0.7
    for split in ("dev", "test"):
        scores = result["splits"][split]
        assert (scores["in_scope"], scores["oos"]) == (0.0, 1.0)
        assert scores["count"] > 100 and set(scores["per_style"]) <= set(rasa_diet.understanding.STYLES)
