"""Understanding benchmark: the engine against two baselines on the frozen understanding set, per style and topic.

Usage: python -m benchmarks.understanding [--split dev|test|test2|test3|all] [--errors] [--only ours]
Thresholds of the baselines come from cross-validation on intents/ only. `--errors` lists the engine's
misses and is refused for the held-out splits (test; test2 and test3: later writers' questions, all held out):
their items are scored, never read.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

from benchmarks.intents_digest import intents_digest
from bot.content.training import OUT_OF_SCOPE
from bot.content.validate import load_bundle
from bot.core.conversation import Engine
from bot.core.evaluation import Prediction, engine_prediction, engine_topic, right

ROOT = Path(__file__).resolve().parent.parent
SETS = ROOT / "benchmarks" / "sets"
# understanding.yml (dev and test), understanding_2.yml (test2) and understanding_3.yml (test3), each frozen before
# the round that followed it
SET_FILES = ("understanding.yml", "understanding_2.yml", "understanding_3.yml")
SPLITS = ("dev", "test", "test2", "test3")
RESULTS = ROOT / "benchmarks" / "results"
STRICT = "Kawan Migran, ketat (kartu darurat dihitung `darurat` saja)"
DIET_SETS = RESULTS / "rasa_diet_sets.json"
RERUN_DIET = "benchmarks/refresh_diet.sh"
STYLES = ("formal", "sehari", "sms", "kupang", "campur", "english", "voice", "cerita")
Predict = Callable[[str], Prediction]


@dataclass(frozen=True)
class Result:
    """Scores of one engine on one split."""

    name: str
    split: str
    in_scope: float
    known: float  # in-scope accuracy on the topics the bot has an answer for
    oos: float
    per_style: dict[str, float]
    per_topic: dict[str, float]
    count: int


@cache
def _all_questions() -> tuple[dict, ...]:
    """Every frozen question of every set file, read once per process."""
    return tuple(q for name in SET_FILES if (SETS / name).is_file()
                 for q in yaml.safe_load((SETS / name).read_text(encoding="utf-8"))["questions"])


def questions(split: str) -> list[dict]:
    """Items of one split (fresh dicts); the OOS label becomes None (the engine's 'no topic')."""
    return [{**q, "topic": None if q["topic"] == OUT_OF_SCOPE else q["topic"]}
            for q in _all_questions() if q["split"] == split]


def evaluate(name: str, split: str, items: list[dict], predict: Predict,
             known_topics: frozenset[str] = frozenset()) -> tuple[Result, list[Prediction]]:
    predicted = [predict(q["text"]) for q in items]
    hits: dict[str, list[bool]] = defaultdict(list)
    topics: dict[str, list[bool]] = defaultdict(list)
    oos: list[bool] = []
    for q, p in zip(items, predicted, strict=True):
        if q["topic"] is None:
            oos.append(right(None, p))
            continue
        hit = right(q["topic"], p)
        if not known_topics or q["topic"] in known_topics:  # per style: topics the bot can answer
            hits[q["style"]].append(hit)
        topics[q["topic"]].append(hit)
    in_scope = [h for values in topics.values() for h in values]
    known = [h for topic, values in topics.items() if topic in known_topics for h in values]
    result = Result(name, split, sum(in_scope) / len(in_scope), sum(known) / len(known) if known else 0.0,
                    sum(oos) / len(oos) if oos else 0.0,
                    {s: sum(v) / len(v) for s, v in sorted(hits.items())},
                    {t: sum(v) / len(v) for t, v in sorted(topics.items())}, len(items))
    return result, predicted


def engine_predict(engine: Engine, strict: bool = False) -> Predict:
    """The engine as a person reads it: an emergency card with an answer under it counts for both topics.
    `strict` counts every emergency card as the emergency topic only (the rule before answers under cards)."""
    def predict(text: str) -> Prediction:
        reply = engine.respond(text)
        if strict:
            return engine_topic(reply.kind, reply.topic)
        return engine_prediction(reply.kind, reply.topic, reply.answered)

    return predict


def baselines(examples: list[tuple[str, str]]) -> list[tuple[str, Predict]]:
    """TF-IDF + logistic regression and fuzzy nearest example, thresholds tuned by CV on intents/."""
    from benchmarks.run import fuzzy_scored, lr_scored, tune_threshold

    out: list[tuple[str, Predict]] = []
    for name, factory in (("TF-IDF char 2-5 + regresi logistik", lr_scored), ("Contoh terdekat, fuzzy ratio",
                                                                             fuzzy_scored)):
        threshold = tune_threshold(examples, factory)
        model = factory(examples)

        def predict(text: str, model=model, threshold=threshold) -> str | None:
            label, value = model(text)
            return None if label == OUT_OF_SCOPE or value < threshold else label

        out.append((f"{name} (ambang {threshold:.2f})", predict))
    return out


def table(results: list[Result]) -> str:
    head = ("| mesin | set | dalam cakupan, semua topik | dalam cakupan, topik yang ada | luar cakupan ditolak | "
            + " | ".join(f"{s}*" for s in STYLES) + " |")
    lines = [head, "|" + "---|" * (5 + len(STYLES))]
    for r in results:
        styles = " | ".join(f"{r.per_style[s]:.2f}" if s in r.per_style else "-" for s in STYLES)
        lines.append(f"| {r.name} | {r.split} | {r.in_scope:.3f} | {r.known:.3f} | {r.oos:.3f} | {styles} |")
    return "\n".join(lines)


def topic_table(results: list[Result]) -> str:
    names = [f"{r.name.split(' (')[0]} ({r.split})" for r in results]
    lines = ["| topik | " + " | ".join(names) + " |", "|" + "---|" * (1 + len(names))]
    for topic in sorted({t for r in results for t in r.per_topic}):
        cells = " | ".join(f"{r.per_topic[topic]:.2f}" if topic in r.per_topic else "-" for r in results)
        lines.append(f"| `{topic}` | {cells} |")
    return "\n".join(lines)


def diet_results(splits: tuple[str, ...], path: Path | None = None) -> tuple[list[Result], str]:
    """Rasa DIET's rows from benchmarks/rasa_diet.py --sets, and a note saying what they were trained on.

    DIET is trained in a separate Python 3.10, so its scores are read, not computed here. When intents/ changed
    after that training the rows are marked stale instead of passing for a comparison on today's data.
    """
    path = path or DIET_SETS
    if not path.is_file():
        return [], (f"Rasa DIET: belum diukur pada set ini (`{RERUN_DIET}` menulis `{display(path)}`).")
    d = json.loads(path.read_text(encoding="utf-8"))
    current = intents_digest(ROOT / "intents")
    stale = d["intents_sha"] != current
    # "USANG" before the bracket, so the per-topic table's short column name says it too.
    label = (f"Rasa DIET {d['rasa_version']}{' USANG' if stale else ''} ({d['epochs']} epoch, "
             f"ambang {d['fallback_threshold']:.2f}; "
             f"dilatih {d['trained_on']}, intents/ {d['intents_sha']})")
    rows = [Result(name=label, split=split, **d["splits"][split]) for split in splits if split in d["splits"]]
    trained = f"latihan {d['train_s']} s" if d.get("train_s") else "DIET dari cache latihan Rasa"
    note = (f"Rasa DIET dari `{display(path)}`: dilatih {d['trained_on']} pada intents/ {d['intents_sha']}, "
            f"{d['epochs']} epoch, FallbackClassifier {d['fallback_threshold']:.2f} ({d['threshold_source']}); "
            f"{trained}.")
    if stale:
        note += (f" **USANG**: intents/ sekarang {current}, berbeda dari yang dipakai melatih DIET; angka DIET di atas "
                 f"bukan perbandingan dengan data hari ini. Latih ulang: `{RERUN_DIET}`.")
    return rows, note


def display(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="list the engine's misses (dev only)")
    parser.add_argument("--only", choices=("ours", "all"), default="all")
    args = parser.parse_args(argv)
    if args.errors and args.split != "dev":
        parser.error("--errors hanya untuk --split dev: butir set uji tidak boleh dibaca.")
    splits = tuple(s for s in SPLITS if questions(s)) if args.split == "all" else (args.split,)
    engine = Engine.from_dirs(ROOT / "knowledge", ROOT / "intents")
    engines: list[tuple[str, Predict]] = [("Kawan Migran", engine_predict(engine)),
                                          (STRICT, engine_predict(engine, strict=True))]
    if args.only == "all":
        bundle = load_bundle(ROOT / "knowledge", ROOT / "intents")
        engines += baselines([(e.text, e.intent) for e in bundle.training.examples])
    results = []
    for split in splits:
        items = questions(split)
        for name, predict in engines:
            result, predicted = evaluate(name, split, items, predict, frozenset(engine.kb.topics))
            results.append(result)
            if args.errors and name == "Kawan Migran":
                misses: Counter[tuple[str | None, Prediction]] = Counter()
                for q, p in zip(items, predicted, strict=True):
                    if not right(q["topic"], p):
                        misses[(q["topic"], p)] += 1
                        print(f"[{q['style']}] {q['topic']} -> {p}: {q['text']}")
                print(misses.most_common(25))
    diet_note = ""
    if args.only == "all":
        diet, diet_note = diet_results(splits)
        results = sorted(results + diet, key=lambda r: splits.index(r.split))  # stable: DIET last in its split
    missing = sorted({q["topic"] for s in splits for q in questions(s) if q["topic"] and q["topic"] not in engine.kb.topics})
    out = [f"Set pemahaman: {', '.join(f'{s} {len(questions(s))}' for s in splits)} pertanyaan. "
           f"Topik set yang belum ada di knowledge/: {', '.join(missing) or '-'}. "
           "* = per gaya, pertanyaan dalam cakupan dengan topik yang ada.", "", table(results),
           "", diet_note, "", topic_table(results)]
    text = "\n".join(out)
    print(text)
    RESULTS.mkdir(parents=True, exist_ok=True)
    if args.split == "all" and args.only == "all":
        (RESULTS / "understanding.md").write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
