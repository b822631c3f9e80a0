"""`kawan unanswered`: anonymised questions the bot could not answer well, grouped; optionally a Rasa YAML draft."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.admin.storage import window
from bot.admin.unanswered import PLACEHOLDER_INTENT, format_groups, group_questions, rasa_draft
from bot.cli import common
from bot.cli.common import add_db_option, open_existing_store, positive_days, settings_for


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "unanswered", help="pertanyaan yang tidak terjawab, kurang yakin, atau dapat 👎 (sudah disamarkan)",
        description="Daftar pertanyaan yang jatuh ke jawaban 'belum mengerti', dijawab dengan yakin rendah, "
                    "ditanya balik, atau mendapat 👎; nomor HP, e-mail, NIK dan sejenisnya sudah disamarkan.")
    parser.add_argument("--days", metavar="N", type=positive_days, default=30, help="jumlah hari terakhir (bawaan: 30)")
    parser.add_argument("--export", metavar="FILE", type=Path,
                        help=f"tulis draf YAML Rasa (intent '{PLACEHOLDER_INTENT}') untuk dipilah ke intents/; "
                             "simpan di luar folder intents/")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_for(args, env)
    now = common.utc_now()
    with open_existing_store(args, settings) as store:
        questions = store.unanswered(args.days, now)
    first, last = window(args.days, now)
    groups = group_questions(questions)
    print(format_groups(groups, first, last))
    if args.export:
        args.export.write_text(rasa_draft(groups, first, last), encoding="utf-8")
        print(f"\nDraf YAML Rasa tersimpan: {args.export} ({len(groups)} contoh di intent {PLACEHOLDER_INTENT}).")
        if args.export.resolve().parent == settings.intents_dir.resolve():
            # The bot reloads intents/ by itself, and an intent without an answer makes the data invalid.
            print(f"PERINGATAN: berkas ini ada di {settings.intents_dir}/. Bot menolak data selama intent "
                  f"{PLACEHOLDER_INTENT} ada; pindahkan contohnya ke topik yang benar lalu hapus berkas ini.",
                  file=sys.stderr)
    return 0
