"""`kawan cek-pt`: is a company in the dated copy of the licensed P3MI list?"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping

from bot.cli.common import add_data_options, render_plain, settings_for
from bot.content.validate import load_bundle
from bot.core.check_replies import Checker
from bot.errors import KawanError


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("cek-pt", help="cek nama perusahaan di salinan daftar P3MI berizin")
    parser.add_argument("name", metavar="NAMA", type=company_name, help='nama perusahaan, misalnya "PT Sumber Rejeki Abadi"')
    parser.add_argument("--json", action="store_true", help='cetak JSON: status, copy_date, matches')
    add_data_options(parser)
    parser.set_defaults(handler=run)


def company_name(text: str) -> str:
    """argparse type for NAMA: an empty name would be reported as a company missing from the list."""
    if not text.strip():
        raise argparse.ArgumentTypeError("nama perusahaan kosong; tulis namanya, misalnya \"PT Sumber Rejeki Abadi\"")
    return text


def load_checker(args: argparse.Namespace, env: Mapping[str, str]) -> Checker:
    settings = settings_for(args, env)
    checker = Checker(load_bundle(settings.knowledge_dir, settings.intents_dir, stale_days=settings.stale_days))
    if not checker.available:
        raise KawanError(f"folder {settings.knowledge_dir}/cek tidak ada; Cek PT dan Cek tawaran membutuhkannya.")
    return checker


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    checker = load_checker(args, env)
    result = checker.company(args.name)
    assert result is not None
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        print(render_plain(checker.company_result_reply(result)))
    return 0
