"""`kawan cek-tawaran`: warning and good signs in one job offer read from standard input."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping

from bot.cli.cek_pt import load_checker
from bot.cli.common import add_data_options, render_plain
from bot.core.conversation import Reply
from bot.errors import UsageError


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("cek-tawaran", help="cek satu teks tawaran kerja dari stdin")
    parser.add_argument("source", metavar="-", choices=["-"], help="'-': baca satu teks tawaran dari stdin")
    parser.add_argument("--json", action="store_true", help="cetak JSON: warnings, good, companies, verdict")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    checker = load_checker(args, env)
    text = sys.stdin.read()
    if not text.strip():
        raise UsageError("teks tawaran dari stdin kosong; kirim teksnya, misalnya: kawan cek-tawaran - < tawaran.txt")
    if args.json:
        result = checker.offer(text)
        assert result is not None
        print(json.dumps(result.as_json(), ensure_ascii=False))
    else:
        reply = checker.offer_reply(text)
        # The terminal cannot press buttons: show the questions as text instead of numbered choices.
        print(render_plain(Reply(text=reply.text, kind=reply.kind)))
    return 0
