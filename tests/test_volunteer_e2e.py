"""End to end, "Bicara dengan relawan": `kawan run` against the Bot API emulator with a user and the volunteers' group."""

from __future__ import annotations

import re
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import telegram_payloads as tp
from tests.telegram_emulator import ApiCall, BotApiEmulator
from tests.telegram_offline import html_problems, plain
from tests.test_telegram_e2e import REPLY_TIMEOUT, ROOT, START_TIMEOUT, STOP_TIMEOUT, bot_env, start_bot, stop

GROUP = tp.GROUP_ID
# Ids long enough that finding their digits in the database could not be a coincidence.
ASKER = 7391824650
SILENT = 7391824651
VOLUNTEERS = (6100000001, 6100000002, 6100000003, 6100000004, 6100000005)
WAIT = REPLY_TIMEOUT
CASE = re.compile(r"#K-(\d+)")


def case_of(text: str) -> str:
    """The case label (#K-0001) in a text; fails the test if there is none."""
    found = CASE.search(text)
    assert found is not None, text
    return found.group()
UNLIMITED = ("import os, sys; from bot.settings import Settings; from bot.telegram.app import run_bot; "
             "sys.exit(run_bot(Settings.from_env(os.environ), telegram_limits=False))")
pytestmark = pytest.mark.slow


class Scene:
    """The emulator seen from the people: a user in a private chat, volunteers in the group."""

    def __init__(self, emulator: BotApiEmulator) -> None:
        self.emulator = emulator

    def wait(self, condition: Callable[[list[ApiCall]], bool], since: int) -> list[ApiCall]:
        calls = self.emulator.wait_for(lambda calls: condition(calls[since:]), WAIT)
        return calls[since:]

    def sent(self, chat: int, since: int, needle: str = "", method: str | None = None) -> list[ApiCall]:
        return [c for c in self.emulator.replies(chat, since) if needle in plain(c.text or c.caption)
                and (method is None or c.method == method)]

    def expect(self, chat: int, needle: str, since: int, method: str | None = None) -> ApiCall:
        """Wait for a message to `chat` containing `needle`; returns it."""
        self.emulator.wait_for(lambda _: bool(self.sent(chat, since, needle, method)), WAIT)
        return self.sent(chat, since, needle, method)[0]

    def say(self, user: int, text: str | None, **fields: object) -> int:
        since = self.emulator.mark()
        self.emulator.say(user, text, **fields)
        return since

    def press(self, user: int, message: ApiCall, data: str, chat: int | None = None) -> int:
        since = self.emulator.mark()
        self.emulator.press(user, message.created, data, chat_id=chat)
        return since

    def reply(self, volunteer: int, message: ApiCall, text: str | None, **fields: object) -> int:
        since = self.emulator.mark()
        self.emulator.reply_in_group(GROUP, volunteer, message.created, text, **fields)
        return since

    def open_case(self, user: int) -> ApiCall:
        """/relawan, consent by button; returns the case header posted in the group."""
        consent = self.expect(user, "bukan polisi", self.say(user, "/relawan"))
        since = self.press(user, consent, "relawan:ya")
        self.expect(user, "Nomor kasus Anda", since)
        return self.expect(GROUP, "permintaan baru", since)


def stored_bytes(folder: Path) -> bytes:
    """The database, its WAL and anything else SQLite keeps beside it."""
    return b"".join(path.read_bytes() for path in sorted(folder.glob("kawan.sqlite3*")) if path.is_file())


def assert_nothing_identifying(stored: bytes, users: tuple[int, ...], texts: list[str]) -> None:
    for user in users:
        assert str(user).encode() not in stored
        assert f"Pengguna {user}".encode() not in stored
        for width in (6, 8):  # SQLite stores integers big-endian in 1-8 bytes
            assert user.to_bytes(width, "big") not in stored
    for text in texts:
        assert text.encode() not in stored


def test_a_case_from_consent_to_rating_survives_a_restart_and_leaves_no_identity(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    scene = Scene(emulator)
    process, log = start_bot(emulator, tmp_path, KAWAN_VOLUNTEER_CHAT=str(GROUP))
    said = ["agen saya minta uang 15 juta lagi", "mereka simpan paspor saya di kantor", "saya masih di penampungan"]
    answered = ["Jangan bayar apa pun dulu, simpan semua bukti transfer.", "Kami bantu hubungi BP3MI, tetap tenang."]
    try:
        emulator.wait_for(lambda calls: any(c.method == "deleteWebhook" for c in calls), START_TIMEOUT)
        (commands,) = [c for c in emulator.calls if c.method == "setMyCommands"]
        assert "relawan" in [c["command"] for c in commands.params["commands"]]

        # A fallback offers a person; consent comes before anything reaches the group.
        fallback = scene.expect(ASKER, "belum mengerti", scene.say(ASKER, "siapa pemenang piala dunia tahun lalu"))
        assert ("🙋 Bicara dengan relawan", "relawan:tanya") in fallback.buttons
        since = scene.press(ASKER, fallback, "relawan:tanya")
        consent = scene.expect(ASKER, "bukan polisi", since)
        assert scene.sent(GROUP, 0) == []
        since = scene.press(ASKER, consent, "relawan:ya")
        header = scene.expect(GROUP, "permintaan baru", since)
        number = case_of(plain(header.text))

        relayed = scene.expect(GROUP, said[0], scene.say(ASKER, said[0]))
        assert plain(relayed.text).startswith(number) and html_problems(relayed.text) == []

        since = scene.press(VOLUNTEERS[0], header, f"kasus:ambil:{int(number[3:])}", chat=GROUP)
        scene.wait(lambda calls: any(c.method == "editMessageText" and "Diambil oleh" in plain(c.text)
                                     for c in calls), since)
        scene.expect(ASKER, "sudah menerima kasus", since)

        delivered = scene.expect(ASKER, answered[0], scene.reply(VOLUNTEERS[0], relayed, answered[0]))
        assert plain(delivered.text).startswith("Relawan Kawan PMI:")
        assert f"Pengguna {VOLUNTEERS[0]}" not in delivered.text

        scene.expect(ASKER, "bisa menunjukkan siapa Anda", scene.say(ASKER, None, **tp.PHOTO))
        photo = scene.expect(GROUP, number, scene.say(ASKER, None, **tp.PHOTO), method="sendPhoto")
        assert photo.params["photo"] == "AgAD-photo"

        # A second person asks and nobody answers.
        silent_header = scene.open_case(SILENT)
        silent_number = case_of(plain(silent_header.text))
        scene.expect(GROUP, said[1], scene.say(SILENT, said[1]))
        assert_nothing_identifying(stored_bytes(tmp_path), (ASKER, SILENT), said + answered)

        # Restart in the middle of both cases, now with a timeout of about a second.
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_TIMEOUT) == 0
        since = emulator.mark()
        process, log = start_bot(emulator, tmp_path, KAWAN_VOLUNTEER_CHAT=str(GROUP),
                                 KAWAN_VOLUNTEER_TIMEOUT_MINUTES="0.02")
        # Starting again can take long on a busy machine; the reminder is awaited from then on.
        emulator.wait_for(lambda calls: any(c.method == "deleteWebhook" for c in calls[since:]), START_TIMEOUT)
        reminder = scene.expect(GROUP, "belum dijawab", since)
        assert silent_number in plain(reminder.text)
        told = scene.expect(SILENT, "belum ada relawan yang menjawab", since)
        assert "0800-1000" in plain(told.text)
        assert scene.sent(ASKER, since, "belum ada relawan") == []  # that case was answered

        again = scene.expect(GROUP, said[2], scene.say(ASKER, said[2]))
        assert number in plain(again.text)
        scene.expect(ASKER, answered[1], scene.reply(VOLUNTEERS[1], again, answered[1]))

        since = scene.press(VOLUNTEERS[1], silent_header, f"kasus:blokir:{int(silent_number[3:])}", chat=GROUP)
        scene.expect(SILENT, "dihentikan", since)
        scene.expect(SILENT, "belum mengerti", scene.say(SILENT, "qwerty asdf zxcv"))  # back to the bot only
        assert scene.sent(GROUP, since, "qwerty") == []

        since = scene.say(ASKER, "/selesai")
        scene.expect(GROUP, f"{number} ditutup oleh pengguna", since)
        rating = scene.expect(ASKER, "Apakah relawan membantu", since)
        since = scene.press(ASKER, rating, f"kasus:nilai:{int(number[3:])}:up")
        scene.wait(lambda calls: any(c.method == "answerCallbackQuery" for c in calls), since)
        scene.expect(GROUP, "sudah selesai", scene.reply(VOLUNTEERS[0], relayed, "/selesai"))

        assert emulator.rejected == []
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_TIMEOUT) == 0
        assert "Traceback" not in log.read_text(encoding="utf-8")
        assert_nothing_identifying(stored_bytes(tmp_path), (ASKER, SILENT), said + answered)
        stats = subprocess.run([sys.executable, "-m", "bot", "stats", "--days", "1"], cwd=ROOT, capture_output=True,
                               text=True, env=bot_env(emulator.url, tmp_path), timeout=60)
        assert "Kasus dibuka: 2 · diambil: 1 · dijawab: 1 (dalam 2 jam: 1) · selesai: 1 · diblokir: 1" in stats.stdout
        assert "Penilaian pengguna: 1 👍, 0 👎" in stats.stdout
    finally:
        stop(process)
        emulator.stop()


def test_fifty_people_open_cases_at_once_while_volunteers_reply(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    env = bot_env(emulator.url, tmp_path, KAWAN_VOLUNTEER_CHAT=str(GROUP))
    log = tmp_path / "bot.log"
    with log.open("wb") as out:
        # Telegram's 20-messages-a-minute limit per group would make this take minutes; the order is what is tested.
        process = subprocess.Popen([sys.executable, "-c", UNLIMITED], cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                                   env=env)
    scene = Scene(emulator)
    people = [8000000000 + index for index in range(50)]
    token = {person: f"pesan-{index:02d}-zq" for index, person in enumerate(people)}
    try:
        emulator.wait_for(lambda calls: any(c.method == "deleteWebhook" for c in calls), START_TIMEOUT)
        for person in people:
            emulator.say(person, "/relawan")
        for person in people:
            consent = scene.expect(person, "bukan polisi", 0)
            emulator.press(person, consent.created, "relawan:ya")
        replied: set[int] = set()
        errors: list[str] = []

        def volunteers_answer() -> None:
            # Replies start while people are still writing; each volunteer stays under the flood limit.
            try:
                for index, person in enumerate(people):
                    relayed = scene.expect(GROUP, f"{token[person]} satu", 0)
                    volunteer = VOLUNTEERS[index % len(VOLUNTEERS)]
                    emulator.reply_in_group(GROUP, volunteer, relayed.created, f"jawaban untuk {token[person]}")
                    replied.add(person)
            except AssertionError as exc:
                errors.append(str(exc))

        answering = threading.Thread(target=volunteers_answer)
        answering.start()
        for person in people:
            scene.expect(person, "Nomor kasus Anda", 0)
            emulator.say(person, f"{token[person]} satu")
            emulator.say(person, f"{token[person]} dua")
        answering.join(timeout=len(people) * WAIT)
        assert not answering.is_alive() and errors == [] and replied == set(people)
        for person in people:
            scene.expect(person, f"jawaban untuk {token[person]}", 0)
        emulator.wait_for(lambda calls: all(scene.sent(GROUP, 0, f"{token[p]} dua") for p in people), WAIT)

        numbers: dict[int, str] = {}
        for person in people:
            # Nothing lost: both messages in the group, under the same case number, each exactly once.
            one, two = (scene.sent(GROUP, 0, f"{token[person]} {word}") for word in ("satu", "dua"))
            assert len(one) == 1 and len(two) == 1
            numbers[person] = case_of(plain(one[0].text))
            assert case_of(plain(two[0].text)) == numbers[person]
            # Nothing to the wrong person: each person got only their own answer.
            delivered = [plain(c.text) for c in emulator.replies(person) if plain(c.text).startswith("Relawan Kawan PMI:")]
            assert delivered == [f"Relawan Kawan PMI: jawaban untuk {token[person]}"]
        assert len(set(numbers.values())) == len(people)
        assert emulator.rejected == []
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_TIMEOUT) == 0
        assert_nothing_identifying(stored_bytes(tmp_path), tuple(people), list(token.values()))
    finally:
        stop(process)
        emulator.stop()
