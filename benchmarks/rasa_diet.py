"""Rasa's DIET as a benchmark peer: export the project, train it with real Rasa, score it on the held-out set.

Usage (after pip install -e ".[rasa]"):
    KAWAN_RASA_PYTHON=/path/to/py310/bin/python python -m benchmarks.rasa_diet     # -> results/rasa_diet.json
    KAWAN_RASA_PYTHON=... python -m benchmarks.rasa_diet --tune    # FallbackClassifier threshold, CV on intents/
    KAWAN_RASA_PYTHON=... python -m benchmarks.rasa_diet --sets    # understanding set dev+test -> rasa_diet_sets.json
    KAWAN_RASA_PYTHON=... python -m benchmarks.rasa_diet --tune --sets   # both: the sets scored at the fresh threshold

The held-out and frozen sets are only evaluated, never trained or tuned on; only aggregate numbers are printed or
stored. Rasa runs in its own Python (it needs <= 3.10), so training is `rasa train nlu` and parsing is
benchmarks/rasa_parse.py, both as subprocesses.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, replace
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # also runs as `python benchmarks/rasa_diet.py`

import yaml  # noqa: E402

from benchmarks import understanding  # noqa: E402
from benchmarks.intents_digest import intents_digest  # noqa: E402
from bot.content.knowledge import EMERGENCY_TOPIC  # noqa: E402
from bot.content.training import OUT_OF_SCOPE  # noqa: E402
from bot.content.validate import Bundle, load_bundle  # noqa: E402
from bot.core.evaluation import folds, score  # noqa: E402
from bot.rasa.export import (  # noqa: E402
    AMBIGUITY_THRESHOLD,
    DIET_EPOCHS,
    FALLBACK_THRESHOLD,
    NLU_FALLBACK,
    project_files,
    write_project,
)

RESULTS = ROOT / "benchmarks" / "results"
HELDOUT = ROOT / "benchmarks" / "heldout.yml"
PARSER = ROOT / "benchmarks" / "rasa_parse.py"
# Kept between runs so Rasa's training cache can skip components whose data and settings did not change.
WORKDIR = Path(tempfile.gettempdir()) / "kawan-rasa-diet"
TUNE_FOLDS = 3  # each fold is a full 100-epoch DIET training (minutes on 2 cores)
REJECTED = (None, NLU_FALLBACK, OUT_OF_SCOPE)
SETS_RESULT = RESULTS / "rasa_diet_sets.json"
TUNED = RESULTS / "rasa_threshold.json"


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.setdefault("RASA_CACHE_DIRECTORY", str(WORKDIR / "cache"))
    return env


def train_nlu(python: str, project: Path, name: str) -> tuple[Path, bool]:
    """`rasa train nlu` on an exported project; returns the model file and whether DIET came from Rasa's cache."""
    command = [python, "-m", "rasa", "train", "nlu", "--config", "config.yml", "--nlu", "data/nlu.yml",
               "--out", "models", "--fixed-model-name", name]
    log = project / f"train-{name}.log"
    with log.open("w", encoding="utf-8") as out:
        done = subprocess.run(command, cwd=project, env=rasa_env(), stdout=out, stderr=subprocess.STDOUT, check=False)
    if done.returncode != 0:
        raise SystemExit(f"rasa train nlu gagal (kode {done.returncode}); lihat {log}")
    cached = "Restored component 'DIETClassifier' from cache" in log.read_text(encoding="utf-8", errors="replace")
    return project / "models" / f"{name}.tar.gz", cached


def parse(python: str, model: Path, texts: list[str], workdir: Path) -> dict:
    questions, out = workdir / "questions.json", workdir / "parsed.json"
    questions.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run([python, str(PARSER), str(model), str(questions), str(out)], env=rasa_env(),
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"rasa_parse.py gagal (kode {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(out.read_text(encoding="utf-8"))


def diet_ranking(prediction: dict) -> list[tuple[str, float]]:
    """DIET's own ranking, without the nlu_fallback the FallbackClassifier puts on top."""
    return [(name, conf) for name, conf in prediction["ranking"] if name != NLU_FALLBACK]


def as_topic(intent: str | None) -> str | None:
    return None if intent in REJECTED else intent


def export(bundle: Bundle, target: Path, threshold: float = FALLBACK_THRESHOLD, epochs: int = DIET_EPOCHS) -> Path:
    write_project(project_files(bundle, threshold, epochs), target)
    return target


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def with_actions(bundle: Bundle, questions: list[dict], predictions: list[dict]) -> str:
    """What a Rasa user of our action server gets: DIET's intent through action_jawab (danger check, matcher)."""
    try:
        from bot.actions import choose_reply
    except ImportError:  # rasa-sdk is an optional extra
        return ""
    from bot.core.conversation import Engine
    from bot.core.evaluation import engine_topic

    engine = Engine(bundle)
    topics, emergency = [], []
    for q, p in zip(questions, predictions, strict=True):
        reply = choose_reply(engine, p["intent"], p["confidence"], q["text"])
        topics.append(engine_topic(reply.kind, reply.topic))
        emergency.append(reply.emergency)
    result = score([q.get("topic") for q in questions], topics)
    flagged = [e for q, e in zip(questions, emergency, strict=True) if q.get("emergency")]
    return (f"Dengan action_jawab (DIET + deteksi bahaya dan pencocok Kawan Migran): dalam cakupan "
            f"{result.in_scope_accuracy:.3f}, luar cakupan {result.oos_rejection:.3f}, "
            f"recall darurat {sum(flagged) / len(flagged):.3f}.")


def benchmark(python: str, bundle: Bundle) -> dict:
    questions = yaml.safe_load(HELDOUT.read_text(encoding="utf-8"))["questions"]
    project = export(bundle, WORKDIR / "project")
    started = time.perf_counter()
    model, cached = train_nlu(python, project, "diet")
    train_s = time.perf_counter() - started
    training = "DIET dari cache latihan Rasa" if cached else f"latihan {train_s:.0f} s di 2 inti"
    parsed = parse(python, model, [str(q["text"]) for q in questions], WORKDIR)
    predictions = parsed["predictions"]
    predicted = [as_topic(p["intent"]) for p in predictions]
    result = score([q.get("topic") for q in questions], predicted)
    emergencies = [p for q, p in zip(questions, predicted, strict=True) if q.get("emergency")]
    latencies = [p["ms"] for p in predictions]
    notes = (f"Rasa 3.6 DIET 100 epoch, FallbackClassifier {FALLBACK_THRESHOLD}; Python 3.10 terpisah. "
             f"Waktu muat = Agent.load saja (+{parsed['import_s']:.1f} s impor Rasa/TensorFlow); memori = RSS puncak "
             f"proses; {training}. {with_actions(bundle, questions, predictions)}")
    return {
        "engine": "Rasa DIET",
        "in_scope_accuracy": round(result.in_scope_accuracy, 4),
        "oos_rejection": round(result.oos_rejection, 4),
        "emergency_recall": round(sum(p == EMERGENCY_TOPIC for p in emergencies) / len(emergencies), 4),
        "p50_ms": round(statistics.median(latencies), 3),
        "p99_ms": round(percentile(latencies, 0.99), 3),
        "load_s": round(parsed["load_s"], 3),
        "peak_mb": round(parsed["peak_mb"], 1),
        "notes": notes.strip(),
    }


def tune(python: str, bundle: Bundle) -> dict:
    """Cross-validate DIET over intents/ and pick the FallbackClassifier threshold (never the held-out set)."""
    examples = list(bundle.training.examples)
    labels = [e.intent for e in examples]
    rankings: list[list[tuple[str, float]]] = [[] for _ in examples]
    for number, fold in enumerate(folds(labels, TUNE_FOLDS)):
        held = set(fold)
        part = replace(bundle.training, examples=tuple(e for i, e in enumerate(examples) if i not in held))
        project = export(replace(bundle, training=part), WORKDIR / f"fold{number}")
        model, _ = train_nlu(python, project, f"fold{number}")
        parsed = parse(python, model, [examples[i].text for i in fold], project)
        for i, prediction in zip(fold, parsed["predictions"], strict=True):
            rankings[i] = diet_ranking(prediction)
        print(f"lipatan {number + 1}/{TUNE_FOLDS} selesai", flush=True)
    expected = [None if label == OUT_OF_SCOPE else label for label in labels]
    table, best, best_mean = [], 0.0, -1.0
    for step in range(20, 96, 5):
        threshold = step / 100
        predicted = []
        for ranking in rankings:
            top, conf = ranking[0] if ranking else (None, 0.0)
            second = ranking[1][1] if len(ranking) > 1 else 0.0
            # The FallbackClassifier's two rules: too unsure, or the top two too close.
            rejected = conf < threshold or conf - second < AMBIGUITY_THRESHOLD
            predicted.append(None if rejected else as_topic(top))
        result = score(expected, predicted)
        mean = (result.in_scope_accuracy + result.oos_rejection) / 2
        table.append({"threshold": threshold, "in_scope_accuracy": round(result.in_scope_accuracy, 4),
                      "oos_rejection": round(result.oos_rejection, 4), "mean": round(mean, 4)})
        print(f"{threshold:.2f}  dalam cakupan {result.in_scope_accuracy:.3f}  luar cakupan {result.oos_rejection:.3f}"
              f"  rata-rata {mean:.3f}")
        if mean > best_mean + 1e-9:
            best, best_mean = threshold, mean
    print(f"ambang terbaik: {best:.2f} (rata-rata {best_mean:.3f})")
    return {"folds": TUNE_FOLDS, "ambiguity_threshold": AMBIGUITY_THRESHOLD, "best": best,
            "intents_sha": intents_digest(ROOT / "intents"), "tuned_on": date.today().isoformat(), "table": table}


def rasa_version(python: str) -> str:
    done = subprocess.run([python, "-c", "import rasa; print(rasa.__version__)"], env=rasa_env(),
                          capture_output=True, text=True, check=False)
    return done.stdout.strip() or "?"


def stored_threshold() -> tuple[float, str]:
    """The tuned threshold for today's intents/ if --tune ran on them, else the one bot/rasa/export.py ships."""
    if TUNED.is_file():
        tuned = json.loads(TUNED.read_text(encoding="utf-8"))
        if tuned.get("intents_sha") == intents_digest(ROOT / "intents"):
            return float(tuned["best"]), (f"validasi silang {tuned['folds']} lipatan atas intents/ ini "
                                          f"({TUNED.relative_to(ROOT)}, {tuned['tuned_on']})")
    return FALLBACK_THRESHOLD, ("ambang tersimpan di bot/rasa/export.py (validasi silang atas intents/ yang lebih "
                                "lama; jalankan --tune --sets untuk menyetel ulang)")


def sets(python: str, bundle: Bundle, threshold: float, source: str, epochs: int = DIET_EPOCHS) -> dict:
    """Train (or restore) DIET on intents/ and score it on the understanding set's dev and test splits.

    Scored with benchmarks/understanding.py's own evaluate(), so the rule is the same as for our engine and the
    baselines. Only aggregates leave this function: no item text or prediction is printed or stored.
    """
    digest = intents_digest(ROOT / "intents")
    project = export(bundle, WORKDIR / "project", threshold, epochs)
    started = time.perf_counter()
    model, cached = train_nlu(python, project, "diet")
    train_s = time.perf_counter() - started
    splits = {split: understanding.questions(split) for split in understanding.SPLITS if understanding.questions(split)}
    texts = sorted({q["text"] for items in splits.values() for q in items})
    parsed = parse(python, model, texts, WORKDIR)
    topic_of = {text: as_topic(p["intent"]) for text, p in zip(texts, parsed["predictions"], strict=True)}
    (WORKDIR / "questions.json").unlink(missing_ok=True)  # parse()'s scratch files held set items
    (WORKDIR / "parsed.json").unlink(missing_ok=True)
    known = frozenset(bundle.knowledge.topics)
    scored = {}
    for split, items in splits.items():
        result, _ = understanding.evaluate("Rasa DIET", split, items, topic_of.__getitem__, known)
        scored[split] = {k: v for k, v in asdict(result).items() if k not in ("name", "split")}
    return {
        "engine": "Rasa DIET",
        "rasa_version": rasa_version(python),
        "trained_on": date.today().isoformat(),
        "intents_sha": digest,
        "epochs": epochs,
        "fallback_threshold": threshold,
        "ambiguity_threshold": AMBIGUITY_THRESHOLD,
        "threshold_source": source,
        "train_s": None if cached else round(train_s),
        "splits": scored,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tune", action="store_true", help="pilih ambang FallbackClassifier dengan validasi silang")
    parser.add_argument("--sets", action="store_true",
                        help=f"ukur pada set pemahaman (dev dan test) -> {SETS_RESULT.relative_to(ROOT)}")
    parser.add_argument("--threshold", type=float, help="ambang FallbackClassifier untuk --sets (bawaan: hasil --tune "
                        "untuk intents/ ini, bila ada, atau ambang di bot/rasa/export.py)")
    parser.add_argument("--epochs", type=int, default=DIET_EPOCHS,
                        help=f"epoch DIET untuk --sets (bawaan {DIET_EPOCHS}, seperti proyek ekspor; kurang = lebih "
                             "cepat tetapi bukan DIET bawaan, dan labelnya menyebut jumlah epoch)")
    args = parser.parse_args(argv)
    python = os.environ.get("KAWAN_RASA_PYTHON", "")
    if not python:
        print("Lewati: KAWAN_RASA_PYTHON belum diisi (Python 3.10 dengan `pip install rasa==3.6.21`).")
        return 0
    bundle = load_bundle(ROOT / "knowledge", ROOT / "intents")
    WORKDIR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.tune:
        result = tune(python, bundle)
        TUNED.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        if not args.sets:
            return 0
    if args.sets:
        threshold, source = ((args.threshold, "diberikan dengan --threshold") if args.threshold is not None
                             else stored_threshold())
        result = sets(python, bundle, threshold, source, args.epochs)
        SETS_RESULT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(json.dumps({k: v for k, v in result.items() if k != "splits"}, indent=2, ensure_ascii=False))
        rows = [understanding.Result(name="Rasa DIET", split=split, **values)
                for split, values in result["splits"].items()]
        print(understanding.table(rows))
        return 0
    result = benchmark(python, bundle)
    (RESULTS / "rasa_diet.json").write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
