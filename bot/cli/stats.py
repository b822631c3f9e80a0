"""`kawan stats`: usage statistics from the bot's database, in Indonesian, optionally with the chart as PNG."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from bot.cli import common
from bot.cli.common import add_db_option, open_existing_store, positive_days, settings_for
from bot.content.markup import to_plain


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "stats", help="statistik pemakaian: pesan, pengguna, topik, umpan balik, darurat, relawan",
        description="Statistik pemakaian bot dari database KAWAN_DB. Pengguna dihitung dari kode acak (hash), "
                    "bukan ID Telegram. Hari dihitung dalam UTC.")
    parser.add_argument("--days", metavar="N", type=positive_days, default=7, help="jumlah hari terakhir (bawaan: 7)")
    parser.add_argument("--chart", metavar="FILE.png", type=Path, help="simpan juga grafik pesan per hari sebagai PNG")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from bot.admin.stats_report import summary_chart_png, summary_text  # imported here: Pillow only for this command

    settings = settings_for(args, env)
    now = common.utc_now()
    with open_existing_store(args, settings) as store:
        print(to_plain(summary_text(store, args.days, now)))
        if args.chart:
            args.chart.write_bytes(summary_chart_png(store, args.days, now))
            print(f"\nGrafik tersimpan: {args.chart}")
    return 0
