"""`kawan chat`: the whole conversation in a terminal, menu numbers, slash commands and checks included."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Mapping

from bot.cli.common import add_data_options, load_engine, render_plain, settings_for
from bot.content.knowledge import EMERGENCY_TOPIC
from bot.core.check_replies import (
    ANSWER_ACTION,
    CARD_ACTION,
    CHECK_ACTION,
    COMPANY_ACTION,
    PROMPT,
    Checker,
    checker_for,
    is_check_request,
)
from bot.core.conversation import ACTION, Button, Engine, Reply
from bot.core.texts import EMERGENCY_LINE, HUMAN_CHANNEL

EXIT_WORDS = frozenset({"keluar", "exit", "quit", "/keluar"})
PROMPT_LINE = "Anda: "
CONTACTS_GROUP = "kontak"
HINT = "(Ketik nomor pilihan, pertanyaan Anda, atau 'keluar'.)"
GOODBYE = "Sampai jumpa. Hati-hati dan tetap aman. 🙏"
OUT_OF_RANGE = "Nomor {number} tidak ada di pilihan. Silakan pilih nomor 1–{last}, atau ketik pertanyaan Anda."
UNKNOWN_COMMAND = "Perintah {command} tidak dikenal. Ketik /bantuan untuk daftar perintah."
CHECK_UNAVAILABLE = "Maaf, Cek tawaran dan Cek PT belum tersedia di sini (folder knowledge/cek tidak ada)."
HELP = (
    "*Cara memakai kawan chat*\n"
    "Ketik pertanyaan Anda dengan bahasa sehari-hari, misalnya \"syarat jadi PMI apa saja?\", atau ketik nomor "
    "pilihan di bawah jawaban. Tempel teks lowongan kerja atau ketik \"cek PT nama perusahaan\" untuk memeriksanya.\n\n"
    "/menu - daftar topik\n"
    "/cek - cek tawaran kerja atau nama PT\n"
    "/darurat - nomor darurat\n"
    "/kontak - kontak resmi\n"
    "/privasi - data apa yang disimpan\n"
    "keluar - selesai\n\n"
    + HUMAN_CHANNEL + "\n" + EMERGENCY_LINE
)
PRIVACY = (
    "*Privasi Anda*\n"
    "Obrolan di terminal ini *tidak menyimpan apa pun*: tidak ada catatan, statistik, atau isi percakapan. "
    "(Bot Telegram hanya menyimpan hitungan tanpa nama; ketik /privasi di Telegram untuk rinciannya.)\n"
    "Jangan ketik data pribadi seperti nomor KTP, paspor, atau nomor HP."
)
CHECK_ACTIONS = frozenset({CHECK_ACTION, COMPANY_ACTION, ANSWER_ACTION})


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("chat", help="ngobrol dengan bot di terminal")
    add_data_options(parser)
    parser.set_defaults(handler=run)


def _without_card(reply: Reply) -> Reply:
    """The share card is an image: the terminal cannot show it, so its button is left out."""
    rows = tuple(row for row in reply.buttons if not any(b.action.startswith(f"{CARD_ACTION}:") for b in row))
    return Reply(text=reply.text, kind=reply.kind, buttons=rows)


class ChatSession:
    """One terminal conversation: the last reply (its numbers) and whether the next text is to be checked."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.reply = engine.welcome()
        self.awaiting_check = False

    @property
    def checker(self) -> Checker:
        return checker_for(self.engine.bundle)

    def turn(self, text: str) -> str:
        """What the terminal shows for one line typed."""
        choice = text.strip()
        buttons: list[Button] = [b for row in self.reply.buttons for b in row]
        if choice.startswith("/"):
            self.awaiting_check = False
            word, _, rest = choice.partition(" ")
            if word.split("@")[0].lower() == "/cek" and rest.strip():
                return self.check(rest)
            return self._show(self._command(word))
        if choice.isdigit() and buttons:
            number = int(choice)
            if not 1 <= number <= len(buttons):
                return OUT_OF_RANGE.format(number=number, last=len(buttons))
            return self._show(self.press(buttons[number - 1].action))
        if self.awaiting_check and choice:
            return self.check(text)
        if ACTION.fullmatch(choice) or choice.partition(":")[0] in CHECK_ACTIONS - {CHECK_ACTION}:
            return self._show(self.press(choice))
        if is_check_request(choice):
            return self.check(text)
        return self._show(self.engine.respond(text))

    def _show(self, reply: Reply) -> str:
        self.reply = reply
        return render_plain(reply)

    def _command(self, word: str) -> Reply:
        """The Telegram commands a terminal can offer, with the same replies where they do not depend on Telegram."""
        name = word[1:].split("@")[0].lower()
        if name == "start":
            return self.engine.welcome()
        if name == "menu":
            return self.engine.menu()
        if name == "darurat":
            return self.engine.answer(EMERGENCY_TOPIC)
        if name == "kontak":
            return self.engine.group(CONTACTS_GROUP)
        if name == "privasi":
            return Reply(text=PRIVACY, kind="menu", buttons=self.engine.menu().buttons)
        if name == "bantuan":
            return Reply(text=HELP, kind="menu", buttons=self.engine.menu().buttons)
        if name == "cek":
            return self.press(CHECK_ACTION)
        return Reply(text=UNKNOWN_COMMAND.format(command=word), kind="menu", buttons=self.engine.menu().buttons)

    def press(self, action: str) -> Reply:
        """A numbered choice: a check's own choices, else the engine's navigation."""
        kind, _, value = action.partition(":")
        if kind == CHECK_ACTION and not value:
            if not self.checker.available:
                return Reply(text=CHECK_UNAVAILABLE, kind="check", buttons=self.engine.menu().buttons)
            self.awaiting_check = True
            return Reply(text=PROMPT, kind="check")
        if kind == COMPANY_ACTION:
            return _without_card(self.checker.company_by_id(value))
        if kind == ANSWER_ACTION:
            return _without_card(self.checker.answer(value) or Reply(text=PROMPT, kind="check"))
        return self.engine.handle(action)

    def check(self, text: str) -> str:
        """Cek tawaran or Cek PT on a pasted text; someone in danger sees the emergency contacts first."""
        self.awaiting_check = False
        if not self.checker.available:
            return self._show(Reply(text=CHECK_UNAVAILABLE, kind="check", buttons=self.engine.menu().buttons))
        first = self.engine.respond(text)
        shown = self._show(_without_card(self.checker.reply_for_text(text)))
        if first.emergency:
            # Only the text: the numbers on screen belong to the check below it.
            return f"{render_plain(Reply(text=first.text, kind=first.kind))}\n\n{shown}"
        return shown


def converse(engine: Engine, read: Callable[[str], str], write: Callable[[str], None]) -> None:
    """Loop until EOF or an exit word."""
    session = ChatSession(engine)
    write(render_plain(session.reply))
    write(HINT)
    while True:
        try:
            text = read(PROMPT_LINE)
        except EOFError:
            write("")
            break
        if text.strip().lower() in EXIT_WORDS:
            break
        write(session.turn(text))
    write(GOODBYE)


def run(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    engine = load_engine(settings_for(args, env))
    converse(engine, input, print)
    return 0
