"""`kawan backup FILE`: a consistent copy of the statistics database, safe while the bot is running."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from bot.admin.storage import SECRET_SUFFIX
from bot.cli.common import add_db_option, open_existing_store, settings_for


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "backup", help="cadangkan database statistik (aman saat bot berjalan)",
        description="Salin database KAWAN_DB lewat backup daring SQLite: salinannya utuh walau bot sedang menulis. "
                    "Berkas cadangan hanya bisa dibaca pemiliknya (0600).")
    parser.add_argument("file", metavar="FILE", type=Path, help="berkas cadangan baru (tidak boleh sudah ada)")
    add_db_option(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_for(args, env)
    with open_existing_store(args, settings) as store:
        pages = store.backup(args.file)
        source = store.path
    print(f"Cadangan tersimpan: {args.file} ({pages} halaman dari {source}).")
    if not settings.secret:
        print(f"Simpan juga berkas rahasia {source.name}{SECRET_SUFFIX} (di samping database) di tempat aman: "
              "tanpa berkas itu, pengguna dan kode relawan di cadangan tidak bisa dicocokkan lagi.")
    return 0
