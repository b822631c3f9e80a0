"""`kawan eval`: cross-validation over intents/ and the held-out set, per topic, for admins."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path

import yaml

from bot.cli.common import add_data_options, settings_for
from bot.content.validate import Bundle, load_bundle
from bot.core.conversation import Engine
from bot.core.evaluation import Predict, Prediction, Scores, cross_validate, engine_prediction, score
from bot.settings import PROJECT_ROOT


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("eval", help="ukur ketepatan per topik (validasi silang dan set uji)")
    parser.add_argument("--heldout", metavar="BERKAS", type=Path,
                        default=PROJECT_ROOT / "benchmarks" / "heldout.yml",
                        help="set uji yang tidak dipakai melatih (bawaan: benchmarks/heldout.yml)")
    parser.add_argument("--folds", type=int, default=5, help="jumlah lipatan validasi silang (bawaan 5)")
    parser.add_argument("--top", type=int, default=10, help="berapa pasangan paling tertukar ditampilkan")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def engine_predictor(bundle: Bundle, examples: list[tuple[str, str]]) -> Predict:
    """An engine trained only on the given examples, answering like the real bot."""
    chosen = set(examples)
    training = replace(bundle.training,
                       examples=tuple(e for e in bundle.training.examples if (e.text, e.intent) in chosen))
    engine = Engine(replace(bundle, training=training))

    def predict(text: str) -> Prediction:
        reply = engine.respond(text)
        return engine_prediction(reply.kind, reply.topic, reply.answered)

    return predict


def read_heldout(path: Path) -> list[tuple[str, str | None]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(q["text"]), q.get("topic")) for q in data["questions"]]


def report(title: str, scores: Scores, top: int) -> list[str]:
    lines = [f"== {title} ({scores.total} pertanyaan)",
             f"Ketepatan topik (dalam cakupan): {scores.in_scope_accuracy:.3f}",
             f"Penolakan di luar cakupan:      {scores.oos_rejection:.3f}",
             f"{'topik':<26} {'presisi':>7} {'recall':>7} {'jumlah':>6}"]
    for topic, (precision, recall, support) in sorted(scores.per_topic.items(), key=lambda x: (x[1][1], x[0])):
        lines.append(f"{topic:<26} {precision:>7.2f} {recall:>7.2f} {support:>6}")
    lines.append("Paling sering tertukar (diharapkan -> dijawab, '-' = tidak dijawab):")
    lines += [f"  {expected} -> {predicted}: {count}" for expected, predicted, count in scores.confused[:top]]
    return lines


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_for(args, env)
    bundle = load_bundle(settings.knowledge_dir, settings.intents_dir, stale_days=settings.stale_days)
    examples = [(e.text, e.intent) for e in bundle.training.examples]
    expected, predicted = cross_validate(examples, lambda part: engine_predictor(bundle, part), args.folds)
    print("\n".join(report(f"Validasi silang {args.folds} lipatan atas intents/", score(expected, predicted),
                           args.top)))
    if args.heldout.is_file():
        questions = read_heldout(args.heldout)
        predict = engine_predictor(bundle, examples)
        scores = score([t for _, t in questions], [predict(q) for q, _ in questions])
        print()
        print("\n".join(report(f"Set uji terpisah {args.heldout.name}", scores, args.top)))
    else:
        print(f"(Set uji {args.heldout} tidak ada; hanya validasi silang.)")
    return 0
