"""`kawan qr`: a QR code PNG of the bot's link, optionally with a volunteer code or a topic."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.cli.common import add_data_options, settings_for
from bot.cli.links import USERNAME_HELP, UsageError, add_link_options, link_for


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "qr", help="buat kode QR (PNG) untuk tautan bot, kode relawan, atau satu topik",
        description=f"Membuat kode QR berisi tautan t.me ke bot. {USERNAME_HELP}")
    add_link_options(parser)
    parser.add_argument("--out", metavar="FILE.png", type=Path, required=True, help="berkas PNG yang ditulis")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from bot.admin.qr import qr_png  # imported here: segno and Pillow only for this command
    from bot.cli import EXIT_USAGE

    try:
        if args.out.suffix.lower() != ".png":
            raise UsageError(f"--out harus berakhiran .png, bukan {args.out.name!r}.")
        link = link_for(args, env, settings_for(args, env))
    except UsageError as exc:
        print(f"Galat penggunaan: {exc}", file=sys.stderr)
        return EXIT_USAGE
    args.out.write_bytes(qr_png(link))
    print(f"Kode QR tersimpan: {args.out}\nTautan: {link}")
    return 0
