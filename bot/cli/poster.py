"""`kawan poster`: the printable A4 poster (PDF or PNG) with the QR code and the emergency numbers."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Mapping
from pathlib import Path

from bot.cli.common import add_data_options, settings_for
from bot.cli.links import USERNAME_HELP, UsageError, add_link_options, bot_username, link_for


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser(
        "poster", help="buat poster A4 (PDF atau PNG) dengan kode QR dan nomor darurat",
        description="Poster A4 siap cetak untuk balai desa dan posko pencegahan (Bandara El Tari, Pelabuhan Tenau): "
                    "kode QR ke bot, apa yang dibantu bot, nomor darurat (Polisi 110, SAPA 129, KP2MI 0800-1000), "
                    f"dan keterangan bahwa bot ini bukan layanan pemerintah. {USERNAME_HELP}")
    add_link_options(parser)
    parser.add_argument("--out", metavar="FILE", type=Path, required=True,
                        help="berkas .pdf (untuk dicetak) atau .png (untuk dibagikan)")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    from bot.admin.poster import FORMATS, PosterContent, save_poster  # imported here: Pillow only for this command
    from bot.cli import EXIT_USAGE

    try:
        if args.out.suffix.lower() not in FORMATS:
            raise UsageError(f"--out harus berakhiran .pdf atau .png, bukan {args.out.name!r}.")
        link = link_for(args, env, settings_for(args, env))
    except UsageError as exc:
        print(f"Galat penggunaan: {exc}", file=sys.stderr)
        return EXIT_USAGE
    code = args.ref.removeprefix("ref_").lower() if args.ref else None
    save_poster(args.out, PosterContent(link=link, shown_link=f"t.me/{bot_username(env)}", ref=code))
    print(f"Poster A4 tersimpan: {args.out}\nTautan di kode QR: {link}")
    return 0
