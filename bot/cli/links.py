"""Options shared by `kawan qr` and `kawan poster`: which bot, which volunteer code, which topic."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import date

from bot.admin.referral import CODE_PATTERN, DEFAULT_BOT_USERNAME, REF_PREFIX, USERNAME, bot_link, share_link, topic_link
from bot.content.knowledge import read_knowledge
from bot.errors import KawanError
from bot.settings import Settings

USERNAME_HELP = (f"Nama bot diambil dari variabel lingkungan KAWAN_BOT_USERNAME (bawaan: {DEFAULT_BOT_USERNAME}), "
                 "tanpa tanda @.")


class UsageError(KawanError):
    """The options contradict each other or have the wrong form (exit code 2)."""


def add_link_options(parser: argparse.ArgumentParser) -> None:
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--ref", metavar="KODE", help="kode relawan dari /bagikan: tautan mencatat rujukan relawan ini")
    target.add_argument("--topic", metavar="ID", help="id topik di knowledge/: tautan langsung membuka jawaban itu")


def bot_username(env: Mapping[str, str]) -> str:
    username = env.get("KAWAN_BOT_USERNAME", "").strip().lstrip("@") or DEFAULT_BOT_USERNAME
    if not USERNAME.match(username):
        raise UsageError(f"KAWAN_BOT_USERNAME {username!r} bukan nama bot Telegram (huruf, angka, garis bawah; "
                         "5-32 karakter).")
    return username


def link_for(args: argparse.Namespace, env: Mapping[str, str], settings: Settings) -> str:
    """The t.me link the options ask for: plain, with a volunteer code, or opening one topic."""
    username = bot_username(env)
    if args.ref:
        code = args.ref.removeprefix(REF_PREFIX).lower()
        if not CODE_PATTERN.match(code):
            raise UsageError(f"kode relawan {args.ref!r} tidak sah: kode terdiri dari 8 huruf a-z dan angka 2-7, "
                             "seperti yang diberikan /bagikan.")
        return share_link(username, code)
    if args.topic:
        kb, _ = read_knowledge(settings.knowledge_dir, date.today(), settings.stale_days)
        if kb is None:
            raise KawanError("data pengetahuan bermasalah, jadi id topik tidak bisa diperiksa; jalankan 'kawan validate'.")
        if args.topic not in kb.topics:
            raise KawanError(f"topik {args.topic!r} tidak ada di {settings.knowledge_dir}/. Contoh id: "
                             f"{', '.join(list(kb.topics)[:4])}.")
        return topic_link(username, args.topic)
    return bot_link(username)
