"""Options shared by sub-commands and the plain-text rendering of a reply."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from bot.content.knowledge import EMERGENCY_TOPIC
from bot.content.markup import to_plain
from bot.core.conversation import MORE_PREFIX, Engine, Reply
from bot.core.texts import EMERGENCY_ALSO
from bot.errors import KawanError
from bot.settings import Settings

if TYPE_CHECKING:
    from bot.admin.storage import EventStore

MORE_HINT = "  (Di kawan chat: ketik nomornya. Di kawan ask: kawan ask {action})"


def add_data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--knowledge", metavar="FOLDER", type=Path, help="folder jawaban (bawaan: knowledge/)")
    parser.add_argument("--intents", metavar="FOLDER", type=Path, help="folder contoh pertanyaan (bawaan: intents/)")


def settings_for(args: argparse.Namespace, env: Mapping[str, str]) -> Settings:
    settings = Settings.from_env(env)
    changes = {}
    if getattr(args, "knowledge", None):
        changes["knowledge_dir"] = args.knowledge
    if getattr(args, "intents", None):
        changes["intents_dir"] = args.intents
    return Settings(**{**settings.__dict__, **changes}) if changes else settings


def utc_now() -> datetime:
    """The report commands' clock: read once per command, so its days and its heading agree; tests fix it."""
    return datetime.now(timezone.utc)


def load_engine(settings: Settings) -> Engine:
    return Engine.from_settings(settings)


def render_plain(reply: Reply) -> str:
    """A reply as a terminal user reads it: text, then numbered choices.

    An emergency reply ending in "Setelah Anda aman…" shows its place choices ("Saya di luar negeri"…) first and
    that heading only above the related topics it introduces.
    """
    text = reply.text
    buttons = [button for row in reply.buttons for button in row]
    places = 0
    if reply.emergency and text.endswith(EMERGENCY_ALSO):
        text = text[:-len(EMERGENCY_ALSO)].rstrip()
        while places < len(buttons) and buttons[places].action.startswith(f"{EMERGENCY_TOPIC}:"):
            places += 1
    lines = [to_plain(text)]
    if buttons:
        lines.append("")
        numbered = [f"  {number}. {button.label}" for number, button in enumerate(buttons, 1)]
        if text != reply.text:
            also = places + len(reply.alternatives)
            lines += (numbered[:places] + ([""] if places else []) + [EMERGENCY_ALSO] + numbered[places:also]
                      + [""] + numbered[also:])
        else:
            lines += numbered
        more = next((b.action for b in buttons if b.action.startswith(f"{MORE_PREFIX}:")), None)
        if more:
            # `kawan ask` has no second turn: say how to open the details from the command line too.
            lines.append(MORE_HINT.format(action=more))
    return "\n".join(lines)


def add_db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", metavar="FILE", type=Path,
                        help="database statistik (bawaan: KAWAN_DB, atau data/kawan.sqlite3)")


def open_existing_store(args: argparse.Namespace, settings: Settings) -> EventStore:
    """The bot's event database; reports never create an empty one by mistake."""
    from bot.admin.storage import EventStore  # encryption and SQLite: only the commands that read statistics

    path = getattr(args, "db", None) or settings.db_path
    if not path.is_file():
        raise KawanError(f"database statistik {path} belum ada. Bot Telegram (kawan run dengan TELEGRAM_BOT_TOKEN) "
                         "membuatnya saat pertama berjalan; obrolan di terminal tidak mencatat apa pun. "
                         "Pakai --db FILE atau KAWAN_DB untuk menunjuk berkas lain.")
    return EventStore.open(path, settings.secret, settings.retention_days)


def positive_days(text: str) -> int:
    """argparse type for --days: a whole number of at least 1."""
    try:
        days = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"harus angka bulat, bukan {text!r}") from None
    if days < 1:
        raise argparse.ArgumentTypeError(f"minimal 1, bukan {days}")
    return days
