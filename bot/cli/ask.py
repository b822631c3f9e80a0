"""`kawan ask`: one answer, or one JSON line per input line, for people and other programs."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping

from bot.cli.common import add_data_options, load_engine, render_plain, settings_for
from bot.content.markup import to_plain
from bot.core.conversation import ACTION, Engine, Reply


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("ask", help="tanya satu pertanyaan dan cetak jawabannya")
    parser.add_argument("text", metavar="TEKS", help="pertanyaan, atau aksi tombol seperti more:ID_TOPIK "
                        "(isi tombol Selengkapnya); '-' membaca satu pertanyaan per baris dari stdin")
    parser.add_argument("--json", action="store_true", help="cetak JSON: topic, confidence, text, alternatives, emergency")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def as_json(reply: Reply) -> str:
    """The public JSON shape; `topic` is null exactly when the bot falls back."""
    fallback = reply.kind in ("fallback", "empty")
    payload = {
        "topic": None if fallback else reply.topic,
        "confidence": round(float(reply.confidence), 4),
        "text": to_plain(reply.text),
        "alternatives": list(reply.alternatives),
        "emergency": bool(reply.emergency),
    }
    return json.dumps(payload, ensure_ascii=False)


def reply_to(engine: Engine, text: str) -> Reply:
    """A question, or a button's action ("more:biaya_penempatan") to open what that button opens."""
    return engine.handle(text.strip()) if ACTION.fullmatch(text.strip()) else engine.respond(text)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    engine = load_engine(settings_for(args, env))
    show = as_json if args.json else render_plain
    if args.text != "-":
        print(show(reply_to(engine, args.text)))
        return 0
    first = True
    for line in sys.stdin:
        reply = reply_to(engine, line.rstrip("\r\n"))
        if not args.json and not first:
            print("---")
        print(show(reply), flush=True)
        first = False
    return 0
