"""`kawan actions`: the Rasa custom action server (rasa-sdk) over the same knowledge and engine."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Mapping

from bot.cli.common import add_data_options, load_engine, settings_for

DEFAULT_PORT = 5055  # where Rasa's endpoints.yml looks for the action server by default
ACTION_PACKAGE = "bot.actions"
NO_RASA_SDK = ("rasa-sdk belum terpasang, jadi server aksi Rasa tidak bisa dijalankan.\n"
               "Pasang dulu dari folder proyek:  pip install -e \".[rasa]\"\n"
               "lalu jalankan lagi:  kawan actions")


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("actions", help="jalankan server aksi Rasa (rasa-sdk) untuk asisten Rasa Anda")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port server aksi (bawaan {DEFAULT_PORT})")
    parser.add_argument("--host", default="0.0.0.0",
                        help="alamat yang didengar (bawaan 0.0.0.0; 127.0.0.1 = hanya komputer ini)")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    try:
        from rasa_sdk.endpoint import run as serve  # optional extra: heavy, only for those who run Rasa
        from rasa_sdk.executor import ActionExecutor
    except ImportError:
        print(NO_RASA_SDK, file=sys.stderr)
        return 1
    settings = settings_for(args, env)
    # Fail now, with every problem listed, rather than on the first question Rasa sends.
    engine = load_engine(settings)
    # The server's worker processes load the engine from the environment, so the chosen folders go there.
    os.environ["KAWAN_KNOWLEDGE"] = str(settings.knowledge_dir)
    os.environ["KAWAN_INTENTS"] = str(settings.intents_dir)
    os.environ["SANIC_HOST"] = args.host
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    executor = ActionExecutor()
    executor.register_package(ACTION_PACKAGE)
    print(f"Server aksi Rasa: {len(engine.kb.topics)} topik, http://{args.host}:{args.port}/webhook "
          "(endpoints.yml: action_endpoint url http://localhost:5055/webhook). Berhenti: Ctrl+C.", flush=True)
    serve(executor, port=args.port)
    return 0
