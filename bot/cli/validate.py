"""`kawan validate`: every problem in knowledge/ and intents/ at once, in Indonesian."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from bot.cli.common import add_data_options, settings_for
from bot.content.validate import validate


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("validate", help="periksa semua berkas jawaban dan contoh pertanyaan")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_for(args, env)
    bundle, problems = validate(settings.knowledge_dir, settings.intents_dir, stale_days=settings.stale_days)
    for problem in problems:
        print(problem)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if bundle is None:
        print(f"Ditemukan {errors} galat dan {warnings} peringatan. Bot tidak akan memuat data ini sebelum "
              "galat diperbaiki.")
        return 1
    topics = len(bundle.knowledge.topics)
    examples = len(bundle.training.examples)
    print(f"Data baik: {topics} topik, {examples} contoh pertanyaan, {warnings} peringatan.")
    return 0
