"""`kawan chat`: the whole conversation in a terminal, menu numbers included."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping

from bot.cli.common import add_data_options, load_engine, render_plain, settings_for
from bot.core.conversation import ACTION, Button, Engine

EXIT_WORDS = frozenset({"keluar", "exit", "quit", "/keluar"})
PROMPT = "Anda: "


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("chat", help="ngobrol dengan bot di terminal")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def converse(engine: Engine, read: Callable[[str], str], write: Callable[[str], None]) -> None:
    """Loop until EOF or an exit word; a number picks a choice from the last reply."""
    reply = engine.welcome()
    write(render_plain(reply))
    write("(Ketik nomor pilihan, pertanyaan Anda, atau 'keluar'.)")
    while True:
        try:
            text = read(PROMPT)
        except EOFError:
            write("")
            break
        choice = text.strip()
        if choice.lower() in EXIT_WORDS:
            break
        buttons: list[Button] = [b for row in reply.buttons for b in row]
        if choice.isdigit() and 1 <= int(choice) <= len(buttons):
            reply = engine.handle(buttons[int(choice) - 1].action)
        elif choice in ("/start", "/menu"):
            reply = engine.welcome() if choice == "/start" else engine.menu()
        elif choice == "/darurat":
            reply = engine.answer("darurat")
        elif ACTION.fullmatch(choice):
            reply = engine.handle(choice)
        else:
            reply = engine.respond(text)
        write(render_plain(reply))
    write("Sampai jumpa. Hati-hati dan tetap aman. 🙏")


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    engine = load_engine(settings_for(args, env))
    converse(engine, input, print)
    return 0
