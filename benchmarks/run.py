"""Accuracy and speed benchmark: the embedded engine against two baselines, on the held-out set.

Usage: pip install -e ".[bench]" && python -m benchmarks.run
All engines learn from the same intents/. Thresholds of every engine are tuned by 5-fold
cross-validation on intents/ only; benchmarks/heldout.yml is used for scoring and nothing else.
"""

from __future__ import annotations

import json
import statistics
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import yaml

from benchmarks.tune import PLATEAU
from bot.content.training import OUT_OF_SCOPE
from bot.content.validate import load_bundle
from bot.core.conversation import Engine
from bot.core.evaluation import Prediction, cross_validate, engine_prediction, right, score

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
Predict = Callable[[str], Prediction]


@dataclass
class Row:
    name: str
    in_scope: float
    oos: float
    emergency: float
    p50_ms: float
    p99_ms: float
    load_s: float
    peak_mb: float | None
    note: str = ""


def heldout() -> list[dict]:
    return yaml.safe_load((ROOT / "benchmarks" / "heldout.yml").read_text(encoding="utf-8"))["questions"]


def tune_threshold(examples: list[tuple[str, str]], train_scored: Callable) -> float:
    """CV-tuned threshold (mean of in-scope accuracy and out-of-scope rejection) for a scored model."""
    expected, predictions = cross_validate(examples, train_scored)
    ranked = cast("list[tuple[str, float] | None]", predictions)  # (label, score) pairs from a scored model
    means = []
    for step in range(0, 100):
        threshold = step / 100
        predicted = [None if r is None or r[0] == OUT_OF_SCOPE or r[1] < threshold else r[0] for r in ranked]
        result = score(expected, predicted)
        means.append((threshold, (result.in_scope_accuracy + result.oos_rejection) / 2))
    top = max(mean for _, mean in means)
    # Same rule as benchmarks/tune.py for the engine: on a plateau, the most cautious threshold.
    return max(threshold for threshold, mean in means if mean >= top - PLATEAU)


def lr_scored(part: list[tuple[str, str]]) -> Callable[[str], tuple[str, float]]:
    """Baseline: TF-IDF over character 2-5-grams + logistic regression (scikit-learn)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    model = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True),
                          LogisticRegression(C=10, max_iter=3000))
    model.fit([t for t, _ in part], [i for _, i in part])

    def scored(text: str) -> tuple[str, float]:
        probabilities = model.predict_proba([text])[0]
        k = int(probabilities.argmax())
        return str(model.classes_[k]), float(probabilities[k])

    return scored


def fuzzy_scored(part: list[tuple[str, str]]) -> Callable[[str], tuple[str, float]]:
    """Baseline: the nearest training example by rapidfuzz ratio."""
    from rapidfuzz import fuzz, process

    texts = [t.lower() for t, _ in part]
    labels = [i for _, i in part]

    def scored(text: str) -> tuple[str, float]:
        found = process.extractOne(text.lower(), texts, scorer=fuzz.ratio)
        return (labels[found[2]], found[1] / 100) if found else (OUT_OF_SCOPE, 0.0)

    return scored


def measure(name: str, build: Callable[[], Predict], questions: list[dict], note: str = "") -> Row:
    started = time.perf_counter()
    predict = build()
    load = time.perf_counter() - started
    # Memory is measured on a second build: tracing slows Python down and would inflate the load time.
    tracemalloc.start()
    traced = build()
    traced(questions[0]["text"])
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del traced
    predicted: list[Prediction] = []
    latencies: list[float] = []
    for _ in range(2):  # second pass is timed; the first warms caches
        predicted, latencies = [], []
        for q in questions:
            t0 = time.perf_counter()
            predicted.append(predict(q["text"]))
            latencies.append((time.perf_counter() - t0) * 1000)
    expected = [q.get("topic") for q in questions]
    result = score(expected, predicted)
    emergencies = [p for q, p in zip(questions, predicted, strict=True) if q.get("emergency")]
    recall = sum(right("darurat", p) for p in emergencies) / len(emergencies)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(round(0.99 * (len(latencies) - 1))))]
    return Row(name=name, in_scope=result.in_scope_accuracy, oos=result.oos_rejection, emergency=recall,
               p50_ms=statistics.median(latencies), p99_ms=p99, load_s=load,
               peak_mb=peak / 1e6, note=note)


def main() -> None:
    questions = heldout()
    bundle = load_bundle(ROOT / "knowledge", ROOT / "intents")
    examples = [(e.text, e.intent) for e in bundle.training.examples]
    rows: list[Row] = []

    def build_engine() -> Predict:
        engine = Engine.from_dirs(ROOT / "knowledge", ROOT / "intents")

        def predict(text: str) -> Prediction:
            reply = engine.respond(text)
            return engine_prediction(reply.kind, reply.topic, reply.answered)

        return predict

    rows.append(measure("Kawan Migran (bawaan, pure Python)", build_engine, questions,
                        "termasuk validasi + indeks saat muat"))

    for name, scored_factory in (("TF-IDF char 2-5 + regresi logistik", lr_scored),
                                 ("Contoh terdekat, fuzzy ratio", fuzzy_scored)):
        threshold = tune_threshold(examples, scored_factory)

        def build(factory=scored_factory, threshold=threshold) -> Predict:
            model = factory(examples)

            def predict(text: str) -> str | None:
                label, value = model(text)
                return None if label == OUT_OF_SCOPE or value < threshold else label

            return predict

        rows.append(measure(name, build, questions, f"ambang {threshold:.2f} dari validasi silang"))

    diet = RESULTS / "rasa_diet.json"
    if diet.is_file():
        d = json.loads(diet.read_text(encoding="utf-8"))
        rows.append(Row(name=d["engine"], in_scope=d["in_scope_accuracy"], oos=d["oos_rejection"],
                        emergency=d["emergency_recall"], p50_ms=d["p50_ms"], p99_ms=d["p99_ms"], load_s=d["load_s"],
                        peak_mb=d.get("peak_mb"), note=d.get("notes", "dijalankan terpisah (Python 3.10)")))

    in_scope = sum(1 for q in questions if q.get("topic"))
    lines = [f"Set uji: {len(questions)} pertanyaan ({in_scope} dalam cakupan, {len(questions) - in_scope} di luar "
             f"cakupan, {sum(1 for q in questions if q.get('emergency'))} darurat).", "",
             "| mesin | ketepatan dalam cakupan | penolakan luar cakupan | recall darurat | p50 ms | p99 ms | "
             "waktu muat s | memori puncak MB | catatan |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in rows:
        peak = f"{r.peak_mb:.1f}" if r.peak_mb is not None else "-"
        lines.append(f"| {r.name} | {r.in_scope:.3f} | {r.oos:.3f} | {r.emergency:.3f} | {r.p50_ms:.2f} | "
                     f"{r.p99_ms:.2f} | {r.load_s:.2f} | {peak} | {r.note} |")
    table = "\n".join(lines)
    print(table)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "latest.md").write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
