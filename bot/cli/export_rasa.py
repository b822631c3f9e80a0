"""`kawan export-rasa DIR`: a ready Rasa 3.x project over the same knowledge, answered by `kawan actions`."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from bot.cli.common import add_data_options, settings_for
from bot.content.validate import load_bundle
from bot.rasa.export import project_files, write_project


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("export-rasa", help="tulis proyek Rasa 3.x siap latih dari knowledge/ dan intents/")
    parser.add_argument("folder", metavar="FOLDER", type=Path, help="folder tujuan (dibuat bila belum ada)")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_for(args, env)
    bundle = load_bundle(settings.knowledge_dir, settings.intents_dir, stale_days=settings.stale_days)
    written = write_project(project_files(bundle), args.folder)
    print(f"Proyek Rasa ditulis ke {args.folder}:")
    for path in written:
        print(f"- {path.relative_to(args.folder).as_posix()}")
    print(f"Langkah berikutnya: cd {args.folder} && rasa train, lalu jalankan 'kawan actions' dan 'rasa shell' "
          "(lihat README.md di folder itu).")
    return 0
