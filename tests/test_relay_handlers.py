"""Bicara dengan relawan, offline: real PTB objects, process_update, a recording request, a clock moved by hand."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.admin import cases
from bot.admin.referral import referral_code
from bot.admin.store_thread import StoreThread
from bot.core.conversation import Engine
from bot.core.live_knowledge import LiveKnowledge
from bot.settings import Settings
from bot.telegram import relay
from bot.telegram import relay_texts as rt
from bot.telegram.app import _post_init, _post_stop
from bot.telegram.relay import RELAY_KEY, load_relay, remind_overdue
from bot.telegram.render import render
from tests import telegram_payloads as tp
from tests.telegram_offline import Call, OfflineBot, buttons, html_problems, last_buttons, plain, sent_texts

USER = 1001
OTHER = 1002
VOLUNTEER = 555
GROUP = tp.GROUP_ID
SECRET = "rahasia-relawan"
API = "http://127.0.0.1:9"
CASE = re.compile(r"#K-\d+")


class WallClock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StoreThread]:
    opened = StoreThread.open(tmp_path / "kawan.sqlite3", SECRET, 30)
    yield opened
    opened.close()


def make_bot(engine: Engine, store: StoreThread, **settings: Any) -> OfflineBot:
    options = Settings(token=tp.TOKEN, api_url=API, volunteer_chat=GROUP, **settings)
    bot = OfflineBot(options, LiveKnowledge(lambda: engine, ()), store, retry_delays=(0.01,))
    if RELAY_KEY in bot.app.bot_data:
        bot.run(load_relay(bot.app))
    return bot


@pytest.fixture
def clock() -> WallClock:
    return WallClock()


@pytest.fixture
def bot(engine: Engine, store: StoreThread, clock: WallClock) -> Iterator[OfflineBot]:
    offline = make_bot(engine, store)
    offline.app.bot_data[RELAY_KEY].clock = clock
    yield offline
    offline.close()


def to(calls: list[Call], chat: int, method: str = "sendMessage") -> list[Call]:
    return [call for call in calls if call.method == method and int(call.params.get("chat_id", 0)) == chat]


def texts_to(calls: list[Call], chat: int) -> list[str]:
    return [plain(str(call.params["text"])) for call in to(calls, chat)]


def press(bot: OfflineBot, user: int, data: str, chat: int | None = None, message: Call | None = None) -> list[Call]:
    shown = message.result if message is not None else tp.bot_message("…", chat or user, tp.next_id(),
                                                                       chat_type="private" if (chat or user) > 0
                                                                       else "supergroup")
    return bot.send(tp.callback_update(data, user, on_message=shown))


def open_case(bot: OfflineBot, user: int = USER) -> Call:
    """Consent given; returns the case header posted in the group."""
    bot.send(tp.message_update("/relawan", user))
    calls = press(bot, user, "relawan:ya")
    (header,) = to(calls, GROUP)
    return header


def in_group(text: str, replied: Call, user: int = VOLUNTEER, **extra: Any) -> dict[str, Any]:
    """A volunteer's message in the group, as a reply to one of the bot's messages there."""
    return tp.message_update(text, user, chat_id=GROUP, chat_type="supergroup", reply_to_message=replied.result,
                             **extra)


def label(call: Call) -> str:
    found = CASE.search(plain(str(call.params.get("text") or call.params.get("caption"))))
    assert found is not None, call.params
    return found.group()


# Off by default ---------------------------------------------------------------------------------
def test_without_a_volunteer_chat_nothing_of_it_shows(engine: Engine, store: StoreThread) -> None:
    offline = OfflineBot(Settings(token=tp.TOKEN, api_url=API), LiveKnowledge(lambda: engine, ()), store)
    try:
        fallback = offline.send(tp.message_update("siapa pemenang piala dunia tahun lalu", USER))
        assert "relawan:tanya" not in [data for _, data in last_buttons(fallback)]
        # An unknown command is ordinary input: whatever the bot answers to the words, never the consent.
        assert sent_texts(offline.send(tp.message_update("/relawan", USER))) == [
            m.html for m in render(engine.respond("/relawan"))]
        privacy = plain(sent_texts(offline.send(tp.message_update("/privasi", USER)))[0])
        assert "dienkripsi" not in privacy and "/relawan" not in privacy
        offline.run(_post_init(offline.app))
        (commands,) = [c for c in offline.request.calls if c.method == "setMyCommands"]
        assert "relawan" not in [c["command"] for c in commands.params["commands"]]
    finally:
        offline.close()


# Asking and consent -----------------------------------------------------------------------------
@pytest.mark.parametrize("question", [
    pytest.param("siapa pemenang piala dunia tahun lalu", id="fallback"),
    pytest.param("tolong saya disekap majikan", id="emergency"),
])
def test_fallback_and_emergency_replies_offer_a_volunteer(bot: OfflineBot, question: str) -> None:
    calls = bot.send(tp.message_update(question, USER))
    assert (rt.ASK_BUTTON, "relawan:tanya") in last_buttons(calls)
    assert to(calls, GROUP) == []


@pytest.mark.parametrize("text", [
    pytest.param("mau bicara dengan orang", id="orang"),
    pytest.param("bisa ngobrol sama relawan?", id="relawan"),
    pytest.param("/relawan", id="command"),
])
def test_asking_explains_what_the_volunteer_sees_before_anything_is_sent(bot: OfflineBot, text: str) -> None:
    calls = bot.send(tp.message_update(text, USER))
    (consent,) = to(calls, USER)
    shown = plain(str(consent.params["text"]))
    for promise in ("mulai sekarang", "nomor kasus", "tidak* melihat nama".replace("*", ""), "bukan polisi"):
        assert promise in shown
    assert ("✅ Ya, sambungkan", "relawan:ya") in buttons(consent)
    assert to(calls, GROUP) == []


def test_bicara_dengan_orang_tua_is_an_ordinary_question(bot: OfflineBot) -> None:
    calls = bot.send(tp.message_update("saya sudah bicara dengan orang tua soal kerja ke malaysia", USER))
    assert not any("nomor kasus" in text for text in texts_to(calls, USER))


def test_in_danger_the_emergency_numbers_come_before_the_consent(bot: OfflineBot) -> None:
    calls = bot.send(tp.message_update("saya disekap majikan, mau bicara dengan relawan", USER))
    first, *rest = texts_to(calls, USER)
    assert "110" in first and "129" in first
    assert "bukan polisi" in rest[-1]


def test_declining_sends_nothing_to_the_group(bot: OfflineBot) -> None:
    bot.send(tp.message_update("/relawan", USER))
    calls = press(bot, USER, "relawan:batal")
    assert to(calls, GROUP) == [] and "tidak disambungkan" in texts_to(calls, USER)[0]
    assert bot.app.bot_data[RELAY_KEY].chats == {}


# A case -----------------------------------------------------------------------------------------
def test_a_whole_case_both_ways(bot: OfflineBot, store: StoreThread) -> None:
    code = referral_code(77, SECRET)
    bot.send(tp.message_update(f"/start ref_{code}", USER))
    header = open_case(bot)
    number = label(header)
    assert f"permintaan baru (lewat tautan relawan {code})" in plain(str(header.params["text"]))
    assert ("✋ Ambil kasus", f"kasus:ambil:{int(number[3:])}") in buttons(header)

    calls = bot.send(tp.message_update("paspor saya ditahan agen <b>di Kupang</b>", USER))
    (relayed,) = to(calls, GROUP)
    text = str(relayed.params["text"])
    assert html_problems(text) == []
    assert plain(text).startswith(number) and "topik: " in plain(text) and f"rujukan: {code}" in plain(text)
    assert "paspor saya ditahan agen <b>di Kupang</b>" in plain(text)
    assert "Pengguna" not in text and str(USER) not in text  # neither the name nor the id
    assert to(calls, USER) == []  # the bot does not answer in the person's place

    taken = press(bot, VOLUNTEER, f"kasus:ambil:{int(number[3:])}", message=header)
    (edit,) = [c for c in taken if c.method == "editMessageText"]
    assert f"Diambil oleh Pengguna {VOLUNTEER}" in plain(str(edit.params["text"]))
    assert "relawan sudah menerima" in texts_to(taken, USER)[0].lower()
    assert "Pengguna 555" not in texts_to(taken, USER)[0]
    again = press(bot, VOLUNTEER + 1, f"kasus:ambil:{int(number[3:])}", message=header)
    assert [c.params.get("text") for c in again if c.method == "answerCallbackQuery"] == [rt.ALREADY_TAKEN]

    words = "Jangan bayar lagi. Hubungi BP3MI <segera> & simpan bukti."
    (delivered,) = to(bot.send(in_group(words, relayed)), USER)
    assert plain(str(delivered.params["text"])) == f"Relawan Kawan PMI: {words}"
    assert html_problems(str(delivered.params["text"])) == []
    assert f"Pengguna {VOLUNTEER}" not in str(delivered.params)

    closed = bot.send(tp.message_update("/selesai", USER))
    assert f"{number} ditutup oleh pengguna" in texts_to(closed, GROUP)[0]
    (thanks,) = to(closed, USER)
    assert [data for _, data in buttons(thanks)] == [f"kasus:nilai:{int(number[3:])}:up",
                                                     f"kasus:nilai:{int(number[3:])}:down"]
    press(bot, USER, f"kasus:nilai:{int(number[3:])}:up", message=thanks)
    late = bot.send(in_group("masih di sana?", relayed))
    assert to(late, USER) == [] and "sudah selesai" in texts_to(late, GROUP)[0]
    store.flush()
    stats = store.store
    report = cases.case_stats(stats, "2000-01-01", "2999-12-31")
    assert (report.opened, report.taken, report.answered, report.closed, report.up) == (1, 1, 1, 1, 1)
    assert report.volunteers[0].code == referral_code(VOLUNTEER, SECRET)


async def until(condition: Callable[[], bool], seconds: float = 30.0) -> None:
    """Wait for a condition of the emulated exchange; fail instead of hanging when it never comes."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            pytest.fail("the expected step of the exchange did not happen")
        await asyncio.sleep(0.01)


def test_a_reply_that_overtakes_the_link_of_its_message_still_reaches_the_person(
        bot: OfflineBot, monkeypatch: pytest.MonkeyPatch) -> None:
    # Different chats run concurrently: the volunteer's reply can arrive while the relayed message's link is not
    # stored yet (the send's answer is held back here until the reply has looked for its case once).
    open_case(bot)
    looked: list[int] = []

    def case_of_message(*args: Any) -> cases.Case | None:
        looked.append(args[-1])
        return cases.case_of_message(*args)

    monkeypatch.setattr(relay, "case_of_message", case_of_message)

    async def overtaken() -> None:
        gate = bot.request.held["sendMessage"] = asyncio.Event()
        start = len(bot.request.calls)
        relaying = asyncio.ensure_future(bot.app.process_update(
            Update.de_json(tp.message_update("agen minta uang lagi", USER), bot.app.bot)))
        await until(lambda: bool(to(bot.request.calls[start:], GROUP)))
        (relayed,) = to(bot.request.calls[start:], GROUP)
        del bot.request.held["sendMessage"]
        replying = asyncio.ensure_future(bot.app.process_update(
            Update.de_json(in_group("Jangan bayar dulu.", relayed), bot.app.bot)))
        await until(lambda: relayed.result["message_id"] in looked)
        gate.set()
        await asyncio.wait_for(asyncio.gather(relaying, replying), 30)

    start = len(bot.request.calls)
    bot.run(overtaken())
    assert texts_to(bot.request.calls[start:], USER) == ["Relawan Kawan PMI: Jangan bayar dulu."]


def test_after_close_messages_go_back_to_the_bot(bot: OfflineBot, engine: Engine) -> None:
    open_case(bot)
    bot.send(tp.message_update("/selesai", USER))
    calls = bot.send(tp.message_update("syarat jadi pmi apa saja", USER))
    assert to(calls, GROUP) == [] and texts_to(calls, USER)


def test_a_volunteer_closes_with_selesai_as_a_reply(bot: OfflineBot) -> None:
    header = open_case(bot)
    number = label(header)
    calls = bot.send(in_group("/selesai", header))
    assert f"{number} ditutup oleh Pengguna {VOLUNTEER}" in texts_to(calls, GROUP)[0]
    assert "selesai" in texts_to(calls, USER)[0] and "Pengguna" not in texts_to(calls, USER)[0]
    bare = bot.send(tp.message_update("/selesai", VOLUNTEER, chat_id=GROUP, chat_type="supergroup"))
    assert "balasan (reply)" in texts_to(bare, GROUP)[0]


def test_a_volunteer_blocks_a_case(bot: OfflineBot) -> None:
    header = open_case(bot)
    number = int(label(header)[3:])
    calls = press(bot, VOLUNTEER, f"kasus:blokir:{number}", message=header)
    assert "diblokir" in texts_to(calls, GROUP)[0] and "dihentikan" in texts_to(calls, USER)[0]
    after = bot.send(tp.message_update("halo halo", USER))
    assert to(after, GROUP) == []
    again = bot.send(tp.message_update("/relawan", USER))
    assert "belum bisa tersambung" in texts_to(again, USER)[0]


@pytest.mark.parametrize(("who", "chat"), [
    pytest.param(OTHER, OTHER, id="from-a-private-chat"),
    pytest.param(VOLUNTEER, -100999, id="from-another-group"),
])
def test_only_the_volunteers_group_can_act_on_cases(bot: OfflineBot, who: int, chat: int) -> None:
    header = open_case(bot)
    number = int(label(header)[3:])
    for action in ("ambil", "blokir", "tutup"):
        calls = press(bot, who, f"kasus:{action}:{number}", chat=chat)
        assert [c.method for c in calls] == ["answerCallbackQuery"]
    elsewhere = tp.message_update("/selesai", who, chat_id=chat, chat_type="supergroup" if chat < 0 else "private",
                                  reply_to_message=header.result)
    assert to(bot.send(elsewhere), USER) == []
    assert bot.app.bot_data[RELAY_KEY].chats == {USER: number}


def test_a_user_cannot_end_someone_elses_case(bot: OfflineBot) -> None:
    number = int(label(open_case(bot))[3:])
    calls = press(bot, OTHER, f"kasus:selesai:{number}")
    assert to(calls, GROUP) == [] and bot.app.bot_data[RELAY_KEY].chats == {USER: number}


def test_a_photo_is_relayed_only_after_a_one_time_warning(bot: OfflineBot) -> None:
    open_case(bot)
    first = bot.send(tp.message_update(None, USER, **tp.PHOTO))
    assert to(first, GROUP, "sendPhoto") == [] and "bisa menunjukkan siapa Anda" in texts_to(first, USER)[0]
    second = bot.send(tp.message_update(None, USER, caption="kontrak saya", **tp.PHOTO))
    (photo,) = to(second, GROUP, "sendPhoto")
    assert photo.params["photo"] == "AgAD-photo" and "kontrak saya" in str(photo.params["caption"])
    assert CASE.search(str(photo.params["caption"]))
    voice = bot.send(tp.message_update(None, USER, **tp.VOICE))
    assert len(to(voice, GROUP, "sendVoice")) == 1
    location = bot.send(tp.message_update(None, USER, **tp.LOCATION))
    assert to(location, GROUP) == [] and "tidak diteruskan" in texts_to(location, USER)[0]


def test_danger_during_a_case_gets_the_numbers_first_and_flags_the_group(bot: OfflineBot) -> None:
    open_case(bot)
    calls = bot.send(tp.message_update("tolong saya dipukul dan dikurung majikan", USER))
    assert "110" in texts_to(calls, USER)[0]
    assert "DARURAT" in texts_to(calls, GROUP)[0]
    order = [int(c.params["chat_id"]) for c in calls if c.method == "sendMessage"]
    assert order.index(USER) < order.index(GROUP)


def test_no_reply_within_the_timeout_reminds_the_group_and_tells_the_user(bot: OfflineBot, clock: WallClock) -> None:
    open_case(bot)
    bot.request.calls.clear()
    clock.now += timedelta(minutes=119)
    assert bot.run(remind_overdue(bot.app)) == 0
    clock.now += timedelta(minutes=2)
    assert bot.run(remind_overdue(bot.app)) == 1
    assert "belum dijawab selama 120 menit" in texts_to(bot.request.calls, GROUP)[0]
    told = texts_to(bot.request.calls, USER)[0]
    assert "belum ada relawan yang menjawab" in told and "0800-1000" in told and "110" in told
    assert bot.run(remind_overdue(bot.app)) == 0


def test_a_restart_keeps_the_case(engine: Engine, store: StoreThread) -> None:
    first = make_bot(engine, store)
    try:
        header = open_case(first)
        relayed = to(first.send(tp.message_update("masih menunggu", USER)), GROUP)[0]
    finally:
        first.close()
    again = make_bot(engine, store)
    try:
        assert again.app.bot_data[RELAY_KEY].chats == {USER: int(label(header)[3:])}
        assert to(again.send(tp.message_update("halo lagi", USER)), GROUP)
        assert texts_to(again.send(in_group("kami di sini", relayed)), USER) == ["Relawan Kawan PMI: kami di sini"]
    finally:
        again.close()


def test_the_checker_runs_from_start_up_and_stops_cleanly(bot: OfflineBot) -> None:
    bot.run(_post_init(bot.app))
    commands = [c for c in bot.request.calls if c.method == "setMyCommands"][0]
    assert "relawan" in [c["command"] for c in commands.params["commands"]]
    assert "kawan_relay_checker" in bot.app.bot_data
    bot.run(_post_stop(bot.app))
    assert "kawan_relay_checker" not in bot.app.bot_data


def test_privacy_and_help_describe_the_feature(bot: OfflineBot) -> None:
    privacy = plain(sent_texts(bot.send(tp.message_update("/privasi", USER)))[0])
    assert "terkunci (dienkripsi)" in privacy and "dihapus begitu percakapan selesai" in privacy
    assert "/relawan" in plain(sent_texts(bot.send(tp.message_update("/bantuan", USER)))[0])
