"""End to end: `kawan run` as a real process against a Bot API emulator on 127.0.0.1, used as people would."""

from __future__ import annotations

import functools
import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.admin.referral import referral_code
from bot.core.conversation import Engine
from bot.telegram import texts as tt
from bot.telegram.render import render
from tests import telegram_payloads as tp
from tests.processes import free_port
from tests.telegram_emulator import ApiCall, BotApiEmulator
from tests.telegram_offline import html_problems, plain

# Every test here runs `kawan run` as a real process (a few seconds each to start).
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ADMIN = 42
SECRET = "rahasia-e2e"
# Deadlines for waits on conditions, generous for a loaded 2-core machine: a passing wait ends as soon as the
# condition holds, so only a real failure takes this long.
START_TIMEOUT = 60.0
REPLY_TIMEOUT = 30.0
STOP_TIMEOUT = 30.0
# Said in the conversation and answered; the database must never contain it.
ANSWERED_QUESTION = "syarat jadi pmi apa saja ya kak"


def bot_env(api_url: str, folder: Path, **extra: str) -> dict[str, str]:
    # No proxies: every request must stay on the loopback interface.
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("KAWAN_", "TELEGRAM_")) and "proxy" not in k.lower()}
    env.update(TELEGRAM_BOT_TOKEN=tp.TOKEN, TELEGRAM_API_URL=api_url, KAWAN_DB=str(folder / "kawan.sqlite3"),
               KAWAN_ADMINS=str(ADMIN), KAWAN_SECRET=SECRET, PYTHONUNBUFFERED="1", **extra)
    return env


@dataclass
class RunningBot:
    emulator: BotApiEmulator
    process: subprocess.Popen[bytes]
    log: Path
    db: Path

    def converse(self, user: int, text: str | None, replies: int = 1, **fields: object) -> list[ApiCall]:
        """Say something and wait for `replies` messages back."""
        since = self.emulator.mark()
        self.emulator.say(user, text, **fields)
        return self.wait_replies(user, since, replies)

    def press(self, user: int, message: ApiCall, data: str, replies: int = 1) -> list[ApiCall]:
        since = self.emulator.mark()
        message_id = self.sent_id(user, message)
        self.emulator.press(user, message_id, data)
        self.emulator.wait_for(lambda calls: any(c.method == "answerCallbackQuery" for c in calls[since:]),
                               REPLY_TIMEOUT)
        return self.wait_replies(user, since, replies)

    def wait_replies(self, user: int, since: int, count: int) -> list[ApiCall]:
        if count:
            self.emulator.wait_for(lambda calls: len(self.emulator.replies(user, since)) >= count, REPLY_TIMEOUT)
        return self.emulator.replies(user, since)

    def sent_id(self, user: int, message: ApiCall) -> int:
        """The message_id the emulator gave a message the bot sent to `user`."""
        assert message.chat_id == user and message.message_id is not None
        return message.message_id


def start_bot(emulator: BotApiEmulator, folder: Path, **extra: str) -> tuple[subprocess.Popen[bytes], Path]:
    log = folder / "bot.log"
    with log.open("wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=ROOT, stdout=out,
                                   stderr=subprocess.STDOUT, env=bot_env(emulator.url, folder, **extra))
    return process, log


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait()


@contextmanager
def launched(folder: Path, **extra: str) -> Iterator[RunningBot]:
    """`kawan run` against a fresh emulator, once long polling has begun; killed at the end whatever happened."""
    emulator = BotApiEmulator().start()
    process, log = start_bot(emulator, folder, **extra)
    try:
        # Commands are set in post_init; deleteWebhook follows as long polling begins.
        emulator.wait_for(lambda calls: any(c.method == "deleteWebhook" for c in calls), START_TIMEOUT)
        yield RunningBot(emulator=emulator, process=process, log=log, db=folder / "kawan.sqlite3")
    finally:
        stop(process)
        emulator.stop()


@pytest.fixture(scope="module")
def shared_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBot]:
    """One bot for the conversation tests; each test talks as its own users, so none needs another's traffic."""
    with launched(tmp_path_factory.mktemp("e2e")) as bot:
        yield bot


@pytest.fixture
def running(shared_bot: RunningBot) -> Iterator[RunningBot]:
    """The shared bot; the test fails if the bot broke Telegram's rules (HTML, length, button data) meanwhile."""
    rejected = len(shared_bot.emulator.rejected)
    yield shared_bot
    assert shared_bot.emulator.rejected[rejected:] == []
    assert shared_bot.process.poll() is None


def assert_valid(calls: list[ApiCall]) -> None:
    for call in calls:
        if call.method == "sendMessage":
            assert html_problems(call.text) == []
            assert tp.utf16_len(plain(call.text)) <= 4096


def test_start_up_registers_commands_and_starts_long_polling(running: RunningBot) -> None:
    calls = running.emulator.calls
    (commands,) = [c for c in calls if c.method == "setMyCommands"]
    assert [c["command"] for c in commands.params["commands"]] == [name for name, _ in tt.COMMANDS]
    assert any(c.method == "deleteWebhook" for c in calls)  # polling starts by making sure no webhook is set
    assert running.emulator.unknown == []


def test_start_then_menu_buttons_down_to_an_answer_and_a_vote(running: RunningBot) -> None:
    (welcome,) = running.converse(100, "/start")
    assert "selamat datang" in plain(welcome.text)
    assert ("📋 Berangkat resmi", "group:prosedur") in welcome.buttons
    (group,) = running.press(100, welcome, "group:prosedur")
    assert ("Langkah daftar resmi", "topic:langkah_pendaftaran") in group.buttons
    (answer,) = running.press(100, group, "topic:langkah_pendaftaran")
    assert ("👍", "fb:up:langkah_pendaftaran") in answer.buttons
    since = running.emulator.mark()
    running.press(100, answer, "fb:up:langkah_pendaftaran", replies=0)
    running.emulator.wait_for(lambda calls: any(c.method == "editMessageReplyMarkup" for c in calls[since:]),
                              REPLY_TIMEOUT)
    assert_valid([welcome, group, answer])


def test_a_question_is_answered(running: RunningBot, engine: Engine) -> None:
    calls = running.converse(101, ANSWERED_QUESTION)
    assert [c.text for c in calls] == [m.html for m in render(engine.respond(ANSWERED_QUESTION))]
    assert_valid(calls)


def test_an_emergency_gets_the_contacts_in_the_first_message(running: RunningBot) -> None:
    first = running.converse(102, "tolong saya disekap majikan, paspor diambil")[0]
    assert "110" in plain(first.text) and "129" in plain(first.text)


def test_deep_links_open_a_topic_or_the_welcome_for_a_referral(running: RunningBot, engine: Engine) -> None:
    (answer,) = running.converse(103, "/start paspor_ditahan")
    assert answer.text == render(engine.answer("paspor_ditahan"))[0].html
    code = referral_code(ADMIN, SECRET)
    (welcome,) = running.converse(104, f"/start ref_{code}")
    assert "selamat datang" in plain(welcome.text)


def test_out_of_scope_text_gets_the_kind_fallback(running: RunningBot) -> None:
    (reply,) = running.converse(105, "siapa pemenang piala dunia tahun lalu")
    assert plain(reply.text).startswith("Maaf") and "0800-1000" in plain(reply.text)


def test_a_4096_character_message_is_answered(running: RunningBot) -> None:
    calls = running.converse(106, ("kerja di luar negeri " * 250)[:4096])
    assert calls and calls[0].status == 200
    assert_valid(calls)


def test_a_photo_gets_a_request_to_type(running: RunningBot) -> None:
    (reply,) = running.converse(107, None, **tp.PHOTO)
    assert "ketik" in plain(reply.text)


def test_a_burst_from_20_users_is_all_answered(running: RunningBot) -> None:
    questions = ["syarat jadi pmi", "biaya ke taiwan berapa", "cara cek PT resmi", "paspor saya ditahan majikan",
                 "gaji tidak dibayar", "kontak BP3MI Kupang"] * 4
    users = range(2001, 2021)
    since = running.emulator.mark()
    for user, question in zip(users, questions, strict=False):
        running.emulator.say(user, question)
    running.emulator.wait_for(lambda calls: all(running.emulator.replies(u, since) for u in users), REPLY_TIMEOUT)
    for user in users:
        assert_valid(running.emulator.replies(user, since))


def test_a_user_who_blocked_the_bot_breaks_nothing(running: RunningBot) -> None:
    running.emulator.blocked.add(3001)
    since = running.emulator.mark()
    running.emulator.say(3001, "syarat jadi pmi")
    running.emulator.wait_for(lambda calls: any(c.chat_id == 3001 for c in calls[since:]), REPLY_TIMEOUT)
    assert running.converse(3002, "syarat jadi pmi")
    assert running.process.poll() is None


def test_admin_statistics_and_refusal_for_others(running: RunningBot, engine: Engine) -> None:
    admin = running.converse(ADMIN, "/statistik", replies=2)
    assert "Statistik" in plain(admin[0].text) and admin[-1].method == "sendPhoto" and admin[-1].files["photo"] > 0
    other = running.converse(108, "/statistik")
    assert [c.text for c in other] == [m.html for m in render(engine.respond("/statistik"))]


def test_share_link_and_qr_code(running: RunningBot) -> None:
    text, photo = running.converse(109, "/bagikan", replies=2)
    assert f"https://t.me/{tp.BOT_USERNAME}?start=ref_{referral_code(109, SECRET)}" in text.text
    assert photo.method == "sendPhoto" and photo.files["photo"] > 100


@pytest.mark.slow
def test_a_100000_character_message_does_not_delay_another_persons_emergency(running: RunningBot) -> None:
    since = running.emulator.mark()
    running.emulator.say(7001, "cerita panjang tentang kerja di kebun 0812 3456 " * 2100)
    sent = running.emulator.say(7002, "tolong saya dikurung majikan")
    pushed = running.emulator.pushed_at[sent]
    running.emulator.wait_for(lambda calls: bool(running.emulator.replies(7002, since)), REPLY_TIMEOUT)
    first = running.emulator.replies(7002, since)[0]
    assert "110" in plain(first.text)
    delay = first.at - pushed
    assert delay < 1.0, f"{delay:.2f} s"
    running.emulator.wait_for(lambda calls: bool(running.emulator.replies(7001, since)), REPLY_TIMEOUT)


def test_darurat_for_another_bot_in_a_private_chat_is_answered(running: RunningBot) -> None:
    (reply,) = running.converse(7003, "/darurat@BotLain")
    assert "110" in plain(reply.text)


def test_start_up_sets_the_description_and_short_description(running: RunningBot) -> None:
    calls = running.emulator.calls
    assert [c.params["description"] for c in calls if c.method == "setMyDescription"] == [tt.DESCRIPTION]
    assert [c.params["short_description"] for c in calls if c.method == "setMyShortDescription"] == \
        [tt.SHORT_DESCRIPTION]


def test_sigterm_stops_cleanly_and_nothing_private_was_kept(tmp_path: Path) -> None:
    code = referral_code(ADMIN, SECRET)
    people = {301: ANSWERED_QUESTION, 302: "tolong saya disekap majikan", 303: f"/start ref_{code}",
              304: "resep rendang 0812-3456-7890"}
    with launched(tmp_path) as bot:
        for user, text in people.items():
            assert bot.converse(user, text)
        assert bot.emulator.rejected == []
        started = time.monotonic()
        bot.process.send_signal(signal.SIGTERM)
        assert bot.process.wait(timeout=STOP_TIMEOUT) == 0
        assert time.monotonic() - started < 5
    log = bot.log.read_text(encoding="utf-8")
    assert tp.TOKEN not in log
    assert "Traceback" not in log
    assert ANSWERED_QUESTION not in log
    stored = b"".join(p.read_bytes() for p in bot.db.parent.glob("kawan.sqlite3*"))
    assert ANSWERED_QUESTION.encode() not in stored and b"Pengguna" not in stored and b"0812" not in stored
    # Events are written on a background thread; after a clean shutdown every one is there.
    with sqlite3.connect(bot.db) as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE kind = 'message'").fetchone() == (len(people),)
        assert db.execute("SELECT COUNT(*) FROM events WHERE kind = 'emergency'").fetchone() == (1,)
        assert db.execute("SELECT COUNT(*) FROM events WHERE kind = 'referral' AND ref = ?", (code,)).fetchone() == (1,)
        raw_ids = [str(user) for user in people]
        assert db.execute(f"SELECT COUNT(*) FROM events WHERE user_hash IN ({', '.join('?' * len(raw_ids))})",
                          raw_ids).fetchone() == (0,)


# Webhook mode -----------------------------------------------------------------------------------
def post(url: str, body: dict, secret: str | None) -> int:
    headers = {"Content-Type": "application/json"}
    if secret is not None:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    request = urllib.request.Request(url, json.dumps(body).encode(), headers)
    direct = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with direct.open(request, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError:
        return 0  # not listening yet


def wait_until(condition: Callable[[], bool], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_webhook_mode_checks_the_secret_on_every_request(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    port = free_port()
    hook = f"http://127.0.0.1:{port}/kawan-hook"
    process, log = start_bot(emulator, tmp_path, KAWAN_WEBHOOK_URL=hook, KAWAN_WEBHOOK_LISTEN="127.0.0.1",
                             KAWAN_WEBHOOK_PORT=str(port), KAWAN_WEBHOOK_SECRET="rahasia-webhook")
    try:
        calls = emulator.wait_for(lambda calls: any(c.method == "setWebhook" for c in calls), START_TIMEOUT)
        (setting,) = [c for c in calls if c.method == "setWebhook"]
        assert setting.params["url"] == hook and setting.params["secret_token"] == "rahasia-webhook"
        # The server may need a moment after setWebhook before it accepts connections.
        wait_until(lambda: post(hook, {}, "salah") == 403, START_TIMEOUT)
        assert post(hook, tp.message_update("/start", 501), None) == 403
        assert emulator.replies(501) == []
        assert post(hook, tp.message_update("/start", 501), "rahasia-webhook") == 200
        emulator.wait_for(lambda calls: bool(emulator.replies(501)), REPLY_TIMEOUT)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_TIMEOUT) == 0
        assert tp.TOKEN not in log.read_text(encoding="utf-8")
    finally:
        stop(process)
        emulator.stop()


# Hardening (issue 10) -------------------------------------------------------------------------------
# What an adversarial tester typed; none of the private parts may reach the database, its WAL or the log.
PRIVATE_MESSAGES = [
    "nama saya Maria Goreti Nahak, resep kue lapis bagaimana",
    "alamat saya Jl. Timor Raya No. 12, Desa Oelnasi RT 005/RW 002, resep kue lapis",
    "saya lahir 12 Mei 1999, resep kue lapis legit",
    "resep kue hub 0812/3456/7896 atau 0812_3456_7803",
    "resep kue hub 0812  3456  7811 atau 0812\u00a03456\u00a07822",
    "resep kue hub 0812\n3456\n7833",
    "resep kue paspor AB123456 email maria.nahak @ gmail . com",
]
PRIVATE_PARTS = ["Maria", "Goreti", "Nahak", "Timor Raya", "Oelnasi", "12 Mei 1999", "7896", "7803", "7811",
                 "7822", "7833", "AB123456", "nahak", "gmail"]


def on_disk(db: Path) -> bytes:
    return b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*") if p.is_file())


def test_private_details_reach_neither_the_database_nor_the_wal_nor_the_log(tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    process, log = start_bot(emulator, tmp_path)
    db = tmp_path / "kawan.sqlite3"
    try:
        emulator.wait_for(lambda calls: any(c.method == "deleteWebhook" for c in calls), START_TIMEOUT)
        for user, text in enumerate(PRIVATE_MESSAGES, start=6001):
            since = emulator.mark()
            emulator.say(user, text)
            emulator.wait_for(functools.partial(lambda _calls, user, since: bool(emulator.replies(user, since)),
                                                user=user, since=since), REPLY_TIMEOUT)
        # The WAL is checked while the bot still runs, before any checkpoint folds it into the database.
        while_running = on_disk(db)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_TIMEOUT) == 0
    finally:
        stop(process)
        emulator.stop()
    stored = while_running + on_disk(db)
    text = log.read_text(encoding="utf-8")
    for part in PRIVATE_PARTS:
        assert part.encode() not in stored, part
        assert part not in text, part
    with sqlite3.connect(db) as connection:
        kept = [row[0] for row in connection.execute("SELECT text FROM events WHERE text IS NOT NULL")]
    assert any("[nama]" in t for t in kept) and any("[nomor]" in t for t in kept)  # masked, not just dropped
    assert all(os.stat(p).st_mode & 0o077 == 0 for p in db.parent.glob(db.name + "*"))


def raw_post(port: int, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        connection.putrequest("POST", path)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders()
        if body:
            connection.send(body)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_webhook_checks_secret_and_size_before_the_body_logs_no_update_and_has_a_health_check(
        tmp_path: Path) -> None:
    emulator = BotApiEmulator().start()
    port = free_port()
    hook = f"http://127.0.0.1:{port}/kawan-hook"
    process, log = start_bot(emulator, tmp_path, KAWAN_WEBHOOK_URL=hook, KAWAN_WEBHOOK_LISTEN="127.0.0.1",
                             KAWAN_WEBHOOK_PORT=str(port), KAWAN_WEBHOOK_SECRET="rahasia-webhook")
    json_headers = {"Content-Type": "application/json"}
    try:
        emulator.wait_for(lambda calls: any(c.method == "setWebhook" for c in calls), START_TIMEOUT)
        wait_until(lambda: post(hook, {}, "salah") == 403, START_TIMEOUT)
        # 90 MB announced, nothing sent: the answer comes from the headers alone.
        huge = {**json_headers, "Content-Length": str(90 * 1024 * 1024)}
        assert raw_post(port, "/kawan-hook", {**huge, "X-Telegram-Bot-Api-Secret-Token": "salah"})[0] == 403
        assert raw_post(port, "/kawan-hook", {**huge, "X-Telegram-Bot-Api-Secret-Token": "rahasia-webhook"})[0] == 413
        # An update PTB cannot parse (a bad date): refused, and its content never logged.
        bad = tp.message_update("nama saya Maria Goreti Nahak 0812/3456/7896", 502)
        bad["message"]["date"] = "kemarin"
        assert post(hook, bad, "rahasia-webhook") == 400
        status, body = 0, b""
        with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(
                f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
            status, body = response.status, response.read()
        assert status == 200 and json.loads(body)["status"] == "ok" and json.loads(body)["topics"] > 0
        assert post(hook, tp.message_update("/start", 503), "rahasia-webhook") == 200
        emulator.wait_for(lambda calls: bool(emulator.replies(503)), REPLY_TIMEOUT)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=STOP_TIMEOUT) == 0
    finally:
        stop(process)
        emulator.stop()
    text = log.read_text(encoding="utf-8")
    for part in ("Maria", "Nahak", "7896", "kemarin"):
        assert part not in text
    assert "tidak bisa dibaca" in text
