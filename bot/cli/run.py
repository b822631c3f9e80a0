"""`kawan run`: the Telegram bot when a token is set, else the same engine in the terminal."""

from __future__ import annotations

import argparse
from collections.abc import Mapping

from bot.cli import chat
from bot.cli.common import add_data_options, load_engine, settings_for

NO_TOKEN = ("TELEGRAM_BOT_TOKEN belum diisi, jadi bot berjalan di terminal. Untuk Telegram: buat bot lewat "
            "@BotFather, lalu jalankan TELEGRAM_BOT_TOKEN=<token> kawan run")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("run", help="jalankan bot Telegram (tanpa token: obrolan di terminal)")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_for(args, env)
    if settings.token:
        from bot.telegram.app import run_bot  # imported here: the core never needs telegram

        return run_bot(settings)
    engine = load_engine(settings)
    print(NO_TOKEN)
    chat.converse(engine, input, print)
    return 0
