"""The `kawan` command: parses arguments and turns domain errors into messages and exit codes."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from bot.errors import KawanError, KnowledgeError, UsageError

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2

# argparse words its fixed texts in English; everything a user reads here is Indonesian.
_ARGPARSE_WORDS = {
    "usage: ": "cara pakai: ",
    "options": "pilihan",
    "positional arguments": "argumen",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "the following arguments are required: %s": "argumen wajib belum diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)": "pilihan tidak dikenal: %(value)r (pilih dari %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "expected one argument": "perlu satu nilai",
    "invalid %(type)s value: %(value)r": "nilai %(type)s tidak sah: %(value)r",
    "not allowed with argument %s": "tidak boleh bersama argumen %s",
}
argparse._ = lambda text: _ARGPARSE_WORDS.get(text, text)  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    commands: dict[str, argparse.ArgumentParser] = {}

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"Galat penggunaan: {message}\nLihat: {self.prog} --help\n")

    def parse_args(self, args: Sequence[str] | None = None,  # type: ignore[override]
                   namespace: argparse.Namespace | None = None) -> argparse.Namespace:
        """Unknown options are reported by the sub-command they were given to, with its own usage."""
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            owner = self.commands.get(getattr(parsed, "command", None) or "", self)
            owner.error(argparse._("unrecognized arguments: %s") % " ".join(extras))  # type: ignore[attr-defined]
        return parsed


# One module per sub-command under bot/cli/, each with register(commands); listed in help order.
COMMANDS = ("run", "chat", "ask", "validate", "eval", "actions", "export-rasa", "stats", "unanswered", "backup", "qr",
            "poster", "cek-pt", "cek-tawaran", "p3mi")


def build_parser(only: str | None = None) -> _Parser:
    """Every sub-command, or only `only`: a command that runs imports its own module and not the other
    fourteen (Telegram, images, encryption), which keeps `kawan ask` quick to start."""
    parser = _Parser(prog="kawan", description="Kawan Migran: bot informasi migrasi aman untuk calon PMI.")
    commands = parser.add_subparsers(dest="command", metavar="PERINTAH", parser_class=_Parser)
    for name in (only,) if only in COMMANDS else COMMANDS:
        module = importlib.import_module(f"bot.cli.{name.replace('-', '_')}")
        module.register(commands)
    parser.commands = dict(commands.choices)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser: _Parser = build_parser(argv[0] if argv else None)
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.handler(args, os.environ) or EXIT_OK)
    except BrokenPipeError:
        # The reader went away (`kawan ask … | head`): stop quietly; Python's own flush at exit must not fail too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_DATA
    except UsageError as exc:
        parser.commands.get(args.command, parser).print_usage(sys.stderr)
        print(f"Galat penggunaan: {exc}\nLihat: kawan {args.command} --help", file=sys.stderr)
        return EXIT_USAGE
    except KnowledgeError as exc:
        print(f"Data pengetahuan bermasalah ({len(exc.problems)} galat); bot tidak memuatnya:", file=sys.stderr)
        for problem in exc.problems:
            print(f"- {problem}", file=sys.stderr)
        print("Jalankan 'kawan validate' untuk daftar lengkap.", file=sys.stderr)
        return EXIT_DATA
    except KawanError as exc:
        print(f"Galat: {exc}", file=sys.stderr)
        return EXIT_DATA
    except KeyboardInterrupt:
        return EXIT_OK
