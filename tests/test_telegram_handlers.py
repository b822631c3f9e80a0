"""Every Telegram handler, offline: real PTB objects from JSON, process_update, and a request that records."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from bot.admin.referral import referral_code
from bot.admin.storage import Stats
from bot.admin.store_thread import StoreThread
from bot.cli.common import load_engine
from bot.core import texts
from bot.core.conversation import Engine, Reply
from bot.core.live_knowledge import LiveKnowledge
from bot.settings import Settings
from bot.telegram import texts as tt
from bot.telegram.app import _post_init, _post_stop
from bot.telegram.flood import FloodGuard
from bot.telegram.render import render, render_markup
from tests import telegram_payloads as tp
from tests.telegram_offline import Call, OfflineBot, buttons, html_problems, last_buttons, plain, sent_texts

ADMIN = 42
USER = 1001
OTHER = 1002
API = "http://127.0.0.1:9"
SECRET = "rahasia-uji"
RETENTION = 90


class Clock:
    """A clock the test moves by hand, so flood control is tested without sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def settings() -> Settings:
    return Settings(token=tp.TOKEN, api_url=API, admins=frozenset({ADMIN}), retention_days=RETENTION)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[StoreThread]:
    opened = StoreThread.open(tmp_path / "kawan.sqlite3", SECRET, RETENTION)
    yield opened
    opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def bot(settings: Settings, engine: Engine, store: StoreThread, clock: Clock) -> Iterator[OfflineBot]:
    offline = OfflineBot(settings, LiveKnowledge(lambda: engine, ()), store, retry_delays=(0.01, 0.01))
    offline.app.bot_data["kawan"].clock = clock
    yield offline
    offline.close()


def only_messages(calls: list[Call]) -> list[Call]:
    return [call for call in calls if call.method == "sendMessage"]


def expected_texts(reply: Reply) -> list[str]:
    return [message.html for message in render(reply)]


def stats(store: StoreThread) -> Stats:
    store.flush()
    return store.store.stats(days=1)


# Plumbing ---------------------------------------------------------------------------------------
def test_requests_go_to_api_url_slash_bot_token_slash_method(bot: OfflineBot) -> None:
    calls = bot.send(tp.message_update("/start", USER))
    assert calls[0].url == f"{API}/bot{tp.TOKEN}/sendMessage"


def test_start_up_registers_the_indonesian_commands_in_order(bot: OfflineBot) -> None:
    bot.run(_post_init(bot.app))
    (call,) = [c for c in bot.request.calls if c.method == "setMyCommands"]
    assert [c["command"] for c in call.params["commands"]] == [
        "start", "cek", "menu", "darurat", "kontak", "bagikan", "privasi", "bantuan"]
    assert all(c["description"] for c in call.params["commands"])


# /start and deep links --------------------------------------------------------------------------
def test_start_sends_the_welcome_and_the_group_menu(bot: OfflineBot, engine: Engine) -> None:
    calls = bot.send(tp.message_update("/start", USER))
    assert sent_texts(calls) == expected_texts(engine.welcome())
    assert [data for _, data in last_buttons(calls)] == [f"group:{g.id}" for g in engine.kb.groups] + ["cek"]


def test_start_with_a_topic_id_opens_that_answer(bot: OfflineBot, engine: Engine) -> None:
    calls = bot.send(tp.message_update("/start paspor_ditahan", USER))
    assert sent_texts(calls) == expected_texts(engine.answer("paspor_ditahan"))
    assert ("👎", "fb:down:paspor_ditahan") in last_buttons(calls)


def test_start_with_an_unknown_parameter_shows_the_welcome(bot: OfflineBot, engine: Engine) -> None:
    calls = bot.send(tp.message_update("/start tidak_ada_topik_ini", USER))
    assert sent_texts(calls) == expected_texts(engine.welcome())


def test_start_with_a_referral_code_welcomes_and_counts_one_referral(bot: OfflineBot, engine: Engine,
                                                                      store: StoreThread) -> None:
    code = referral_code(ADMIN, SECRET)
    calls = bot.send(tp.message_update(f"/start ref_{code}", USER))
    assert sent_texts(calls) == expected_texts(engine.welcome())
    bot.send(tp.message_update("/start ref_BUKAN-KODE!", OTHER))
    report = stats(store)
    assert report.referrals == ((code, 1),)
    assert report.count("start") == 2


# Other commands ---------------------------------------------------------------------------------
def test_menu_lists_the_groups(bot: OfflineBot, engine: Engine) -> None:
    assert sent_texts(bot.send(tp.message_update("/menu", USER))) == expected_texts(engine.menu())


def test_kontak_opens_the_contacts_group(bot: OfflineBot, engine: Engine) -> None:
    calls = bot.send(tp.message_update("/kontak", USER))
    assert sent_texts(calls) == expected_texts(engine.group("kontak"))
    assert ("BP3MI NTT (Kupang)", "topic:kontak_bp3mi_ntt") in last_buttons(calls)


def test_darurat_puts_the_emergency_numbers_in_the_first_message(bot: OfflineBot, store: StoreThread) -> None:
    first = plain(sent_texts(bot.send(tp.message_update("/darurat", USER)))[0])
    assert "110" in first and "129" in first
    assert stats(store).count("emergency") == 1


def test_bantuan_explains_how_to_use_the_bot(bot: OfflineBot) -> None:
    (text,) = sent_texts(bot.send(tp.message_update("/bantuan", USER)))
    assert "Cara memakai" in text and "/darurat" in text


def test_privasi_says_what_is_kept_and_for_how_long(bot: OfflineBot) -> None:
    (text,) = map(plain, sent_texts(bot.send(tp.message_update("/privasi", USER))))
    assert f"{RETENTION} hari" in text
    for promise in ("nama", "username", "nomor HP", "id Telegram asli", "isi percakapan", "diacak",
                    "belum bisa dijawab", "dihapus"):
        assert promise in text


def test_bagikan_gives_a_personal_link_and_its_qr_code(bot: OfflineBot) -> None:
    calls = bot.send(tp.message_update("/bagikan", USER))
    link = f"https://t.me/{tp.BOT_USERNAME}?start=ref_{referral_code(USER, SECRET)}"
    assert f'<a href="{link}">{link}</a>' in sent_texts(calls)[0]
    (photo,) = [c for c in calls if c.method == "sendPhoto"]
    assert photo.files == ("photo",)
    # Same person, same link: a volunteer can print it once.
    assert sent_texts(bot.send(tp.message_update("/bagikan", USER)))[0] == sent_texts(calls)[0]


# Free text --------------------------------------------------------------------------------------
def test_a_question_gets_its_answer_with_feedback_related_topics_and_menu(bot: OfflineBot, engine: Engine) -> None:
    calls = bot.send(tp.message_update("syarat jadi pmi apa saja", USER))
    reply = engine.respond("syarat jadi pmi apa saja")
    assert reply.kind == "answer"
    assert sent_texts(calls) == expected_texts(reply)
    assert plain(sent_texts(calls)[-1]).endswith(tt.FEEDBACK_QUESTION)
    shown = last_buttons(calls)
    assert shown[:2] == [("👍", f"fb:up:{reply.topic}"), ("👎", f"fb:down:{reply.topic}")]
    assert shown[-1] == (texts.MENU_BUTTON, "menu")
    assert reply.topic is not None
    assert {f"topic:{t}" for t in engine.kb.topics[reply.topic].related} <= {data for _, data in shown}


def test_danger_puts_the_emergency_contacts_in_the_first_message(bot: OfflineBot, store: StoreThread) -> None:
    calls = bot.send(tp.message_update("tolong saya disekap majikan", USER))
    first = plain(sent_texts(calls)[0])
    assert "110" in first and "129" in first
    assert stats(store).count("emergency") == 1


def test_out_of_scope_gets_an_apology_the_menu_and_a_human_channel(bot: OfflineBot, store: StoreThread) -> None:
    calls = bot.send(tp.message_update("siapa juara piala dunia 2022 hubungi 081234567890", USER))
    text = plain(sent_texts(calls)[0])
    assert text.startswith("Maaf") and "0800-1000" in text
    assert ("📋 Berangkat resmi", "group:prosedur") in last_buttons(calls)
    # The unanswered question is kept for admins, with the phone number masked.
    store.flush()
    questions = store.store.unanswered(days=1)
    assert [q.kind for q in questions] == ["fallback"]
    assert "081234567890" not in questions[0].text and "piala dunia" in questions[0].text


class Scripted:
    """Stands in for the engine where a test needs one particular reply, or a failure."""

    def __init__(self, reply: Reply | Exception) -> None:
        self.reply = reply

    def respond(self, text: str) -> Reply:
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


def scripted_bot(settings: Settings, store: StoreThread, reply: Reply | Exception) -> OfflineBot:
    return OfflineBot(settings, LiveKnowledge(lambda: Scripted(reply), ()), store)  # type: ignore[arg-type, return-value]


def test_a_close_call_asks_maksud_anda_without_feedback_buttons(settings: Settings, store: StoreThread,
                                                                engine: Engine) -> None:
    clarify = Reply(text=texts.UNSURE, kind="clarify", topic="ltsa", confidence=0.4, alternatives=("lowongan_resmi",),
                    buttons=engine.answer("ltsa").buttons)
    offline = scripted_bot(settings, store, clarify)
    try:
        calls = offline.send(tp.message_update("daftar di mana", USER))
    finally:
        offline.close()
    [sent] = sent_texts(calls)
    assert sent.startswith("Maksud Anda salah satu ini?") and "<b>110</b>" in sent  # the emergency line stays
    assert not any(data.startswith("fb:") for _, data in last_buttons(calls))
    assert stats(store).count("clarify") == 1


def test_a_4096_character_message_is_answered(bot: OfflineBot) -> None:
    text = ("tolong bantu saya " * 300)[:4096]
    calls = only_messages(bot.send(tp.message_update(text, USER)))
    assert calls and all(not html_problems(c.params["text"]) for c in calls)


def test_edited_messages_are_answered_like_new_ones(bot: OfflineBot) -> None:
    new = sent_texts(bot.send(tp.message_update("cara cek PT resmi", USER)))
    edited = sent_texts(bot.send(tp.message_update("cara cek PT resmi", USER, edited=True)))
    assert edited == new


@pytest.mark.parametrize("kind", sorted(tp.NON_TEXT))
def test_non_text_messages_get_a_polite_request_to_type(bot: OfflineBot, kind: str) -> None:
    calls = bot.send(tp.message_update(None, USER, **tp.NON_TEXT[kind]))
    assert sent_texts(calls) == [m.html for m in render_markup(tt.TYPE_PLEASE)]


# Groups -----------------------------------------------------------------------------------------
def group_update(text: str | None, **extra: Any) -> dict:
    return tp.message_update(text, USER, chat_id=tp.GROUP_ID, chat_type="supergroup", **extra)


@pytest.mark.parametrize("text", ["syarat jadi pmi apa saja", "/menu@OtherBot", "/perintah_lain", "halo semua"])
def test_in_groups_ordinary_chatter_and_other_bots_commands_are_ignored(bot: OfflineBot, text: str) -> None:
    assert bot.send(group_update(text)) == []


def test_in_groups_stickers_not_addressed_to_the_bot_are_ignored(bot: OfflineBot) -> None:
    assert bot.send(group_update(None, **tp.STICKER)) == []


def test_in_groups_a_mention_is_answered_quoting_the_question(bot: OfflineBot, engine: Engine) -> None:
    calls = only_messages(bot.send(group_update(f"@{tp.BOT_USERNAME} syarat jadi pmi apa saja")))
    assert sent_texts(calls) == expected_texts(engine.respond("syarat jadi pmi apa saja"))
    assert calls[0].params["reply_parameters"]["message_id"]
    assert calls[0].params["chat_id"] == tp.GROUP_ID


def test_in_groups_a_reply_to_the_bot_is_answered(bot: OfflineBot, engine: Engine) -> None:
    earlier = tp.bot_message("Pilih topik:", tp.GROUP_ID, 77, chat_type="supergroup")
    calls = bot.send(group_update("syarat jadi pmi apa saja", reply_to_message=earlier))
    assert sent_texts(calls) == expected_texts(engine.respond("syarat jadi pmi apa saja"))


@pytest.mark.parametrize("command", ["/menu", f"/menu@{tp.BOT_USERNAME}"])
def test_in_groups_commands_are_answered(bot: OfflineBot, engine: Engine, command: str) -> None:
    assert sent_texts(bot.send(group_update(command))) == expected_texts(engine.menu())


# Buttons ----------------------------------------------------------------------------------------
def press(bot: OfflineBot, data: str, user: int = USER) -> list[Call]:
    calls = bot.send(tp.callback_update(data, user))
    assert [c.method for c in calls].count("answerCallbackQuery") == 1, "every press must be answered"
    return calls


def test_group_button_lists_its_topics(bot: OfflineBot, engine: Engine) -> None:
    calls = press(bot, "group:bahaya")
    assert calls[0].method == "answerCallbackQuery"
    assert sent_texts(calls) == expected_texts(engine.group("bahaya"))


def test_topic_button_opens_the_answer(bot: OfflineBot, engine: Engine, store: StoreThread) -> None:
    calls = press(bot, "topic:biaya_penempatan")
    assert sent_texts(calls) == expected_texts(engine.answer("biaya_penempatan"))
    assert stats(store).topics == (("biaya_penempatan", 1),)


def test_selengkapnya_button_sends_the_details_and_sources(bot: OfflineBot, engine: Engine) -> None:
    calls = press(bot, "more:biaya_penempatan")
    assert sent_texts(calls) == expected_texts(engine.details("biaya_penempatan"))
    assert "Sumber" in "".join(sent_texts(calls))


def test_menu_button_shows_the_menu(bot: OfflineBot, engine: Engine) -> None:
    assert sent_texts(press(bot, "menu")) == expected_texts(engine.menu())


def test_a_stale_button_is_answered_with_the_menu(bot: OfflineBot) -> None:
    assert plain(sent_texts(press(bot, "topic:dihapus_dulu"))[0]) == texts.UNKNOWN_TOPIC


def test_feedback_is_counted_once_and_its_buttons_removed(bot: OfflineBot, store: StoreThread) -> None:
    question = "berapa biaya resmi ke taiwan, wa saya 0812-3456-7890"
    answer = only_messages(bot.send(tp.message_update(question, USER)))[-1]
    assert ("👎", "fb:down:biaya_penempatan") in buttons(answer)
    shown = tp.bot_message(answer.params["text"], USER, answer.result["message_id"], answer.params["reply_markup"])
    calls = bot.send(tp.callback_update("fb:down:biaya_penempatan", USER, on_message=shown))
    assert calls[0].method == "answerCallbackQuery" and calls[0].params["text"] == tt.FEEDBACK_THANKS
    (edit,) = [c for c in calls if c.method == "editMessageReplyMarkup"]
    remaining = [b["callback_data"] for row in edit.params["reply_markup"]["inline_keyboard"] for b in row]
    assert remaining and not any(data.startswith("fb:") for data in remaining)
    report = stats(store)
    assert report.count("feedback_down") == 1
    (kept,) = [q for q in store.store.unanswered(days=1) if q.kind == "feedback_down"]
    assert "biaya resmi" in kept.text and "3456" not in kept.text


def test_thumbs_up_is_counted(bot: OfflineBot, store: StoreThread) -> None:
    press(bot, "fb:up:ltsa")
    assert stats(store).count("feedback_up") == 1


# Admin commands ---------------------------------------------------------------------------------
@pytest.mark.parametrize("command", ["/reload", "/statistik"])
def test_admin_commands_from_others_get_the_unknown_input_reply(bot: OfflineBot, engine: Engine, command: str) -> None:
    calls = bot.send(tp.message_update(command, USER))
    assert sent_texts(calls) == expected_texts(engine.respond(command))
    assert [c.method for c in calls] == ["sendMessage"] * len(calls)
    joined = " ".join(sent_texts(calls)).lower()
    assert "admin" not in joined and "statistik" not in joined and "muat ulang" not in joined


def test_admin_commands_in_a_group_are_not_run(bot: OfflineBot) -> None:
    calls = bot.send(tp.message_update(f"/statistik@{tp.BOT_USERNAME}", ADMIN, chat_id=tp.GROUP_ID,
                                       chat_type="supergroup"))
    assert not any(c.method == "sendPhoto" for c in calls)


def test_reload_by_an_admin_reports_the_counts(bot: OfflineBot, engine: Engine) -> None:
    (text,) = sent_texts(bot.send(tp.message_update("/reload", ADMIN)))
    assert text == tt.RELOAD_OK.format(topics=len(engine.kb.topics), examples=len(engine.bundle.training.examples))


@pytest.mark.slow
def test_reload_with_broken_data_keeps_the_old_knowledge_and_lists_the_problems(
        settings: Settings, store: StoreThread, data_copy: tuple[Path, Path]) -> None:
    knowledge, intents = data_copy
    live_settings = replace(settings, knowledge_dir=knowledge, intents_dir=intents)
    live = LiveKnowledge(lambda: load_engine(live_settings), (knowledge, intents))
    offline = OfflineBot(live_settings, live, store)
    try:
        before = sent_texts(offline.send(tp.message_update("/start ltsa", USER)))
        broken = knowledge / "prosedur.yaml"
        broken.write_text(broken.read_text(encoding="utf-8").replace("  - id: ltsa\n", "  - id: LTSA baru\n"),
                          encoding="utf-8")
        report = plain("\n".join(sent_texts(offline.send(tp.message_update("/reload", ADMIN)))))
        assert "tidak dimuat" in report and "LTSA baru" in report and "prosedur.yaml" in report
        assert sent_texts(offline.send(tp.message_update("/start ltsa", USER))) == before
    finally:
        offline.close()


def test_statistik_sends_the_summary_and_a_chart(bot: OfflineBot) -> None:
    bot.send(tp.message_update("syarat jadi pmi apa saja", USER))
    calls = bot.send(tp.message_update("/statistik", ADMIN))
    assert "Statistik" in sent_texts(calls)[0]
    assert all(not html_problems(text) for text in sent_texts(calls))
    assert [c.method for c in calls][-1] == "sendPhoto"


# Flood control ----------------------------------------------------------------------------------
def test_flooding_gets_one_gentle_note_then_silence_without_slowing_others(bot: OfflineBot, clock: Clock) -> None:
    answered = []
    for _ in range(25):
        answered.append(sent_texts(bot.send(tp.message_update("syarat jadi pmi", USER))))
    assert all(answered[:20])
    assert [plain(t) for t in answered[20]] == [plain(m.html) for m in render_markup(tt.SLOW_DOWN)]
    assert answered[21:] == [[]] * 4
    assert sent_texts(bot.send(tp.message_update("syarat jadi pmi", OTHER)))
    # Pressing buttons while flooding: answered (so the phone stops spinning) but nothing else.
    assert [c.method for c in bot.send(tp.callback_update("menu", USER))] == ["answerCallbackQuery"]
    clock.now += 61
    assert sent_texts(bot.send(tp.message_update("syarat jadi pmi", USER)))


def test_the_gate_counts_each_message_it_lets_through_and_nothing_else(bot: OfflineBot, store: StoreThread) -> None:
    for update in (tp.message_update("/start", USER), tp.message_update("syarat jadi pmi", USER),
                   tp.message_update("/perintah_lain", USER), tp.message_update(None, USER, **tp.STICKER)):
        assert bot.send(update), "answered"
    for update in (group_update("halo semua"), group_update("/menu@OtherBot"), tp.message_update("/reload", ADMIN)):
        bot.send(update)
    press(bot, "menu")
    assert stats(store).count("message") == 4


def test_admin_commands_are_not_flood_limited(bot: OfflineBot, engine: Engine) -> None:
    for _ in range(25):
        bot.send(tp.message_update("halo", ADMIN))
    (text,) = sent_texts(bot.send(tp.message_update("/reload", ADMIN)))
    assert text == tt.RELOAD_OK.format(topics=len(engine.kb.topics), examples=len(engine.bundle.training.examples))


def test_flood_guard_limits_can_be_set(settings: Settings, engine: Engine, store: StoreThread) -> None:
    offline = OfflineBot(settings, LiveKnowledge(lambda: engine, ()), store, flood=FloodGuard(limit=2))
    try:
        counts = [len(sent_texts(offline.send(tp.message_update("halo", USER)))) for _ in range(4)]
        assert counts == [1, 1, 1, 0]
    finally:
        offline.close()


# Failures ---------------------------------------------------------------------------------------
def test_a_user_who_blocked_the_bot_breaks_nothing(bot: OfflineBot, caplog: pytest.LogCaptureFixture) -> None:
    bot.request.fail["sendMessage"] = [(403, "Forbidden: bot was blocked by the user", {})]
    calls = bot.send(tp.message_update("syarat jadi pmi", USER))
    assert [c.method for c in calls] == ["sendMessage"]  # no retry, no apology to someone who left
    assert sent_texts(bot.send(tp.message_update("syarat jadi pmi", OTHER)))


def test_retry_after_is_honoured(bot: OfflineBot) -> None:
    bot.request.fail["sendMessage"] = [(429, "Too Many Requests: retry after 0", {"parameters": {"retry_after": 0}})]
    calls = bot.send(tp.message_update("syarat jadi pmi", USER))
    assert [c.method for c in calls] == ["sendMessage", "sendMessage"]


def test_network_errors_are_retried(bot: OfflineBot) -> None:
    bot.request.network_failures["sendMessage"] = 2
    calls = bot.send(tp.message_update("syarat jadi pmi", USER))
    assert [c.method for c in calls] == ["sendMessage"] * 3


def test_errors_are_logged_without_content_and_apologised_for(settings: Settings, store: StoreThread,
                                                             caplog: pytest.LogCaptureFixture) -> None:
    secret_question = "rahasia saya nomor 081299998888 di Kupang"
    offline = scripted_bot(settings, store, RuntimeError("rusak"))
    try:
        with caplog.at_level(logging.INFO):
            calls = offline.send(tp.message_update(secret_question, USER))
    finally:
        offline.close()
    assert [plain(t) for t in sent_texts(calls)] == [plain(m.html) for m in render_markup(tt.ERROR_APOLOGY)]
    assert "RuntimeError" in caplog.text
    assert "081299998888" not in caplog.text and "Kupang" not in caplog.text
    assert tp.TOKEN not in caplog.text


def test_a_reply_telegram_rejects_is_not_retried_and_is_apologised_for(bot: OfflineBot) -> None:
    bot.request.fail["sendMessage"] = [(400, "Bad Request: can't parse entities", {})]
    calls = bot.send(tp.message_update("syarat jadi pmi", USER))
    assert len(calls) == 2 and plain(calls[1].params["text"]).startswith("Maaf, ada gangguan")


def test_the_token_never_reaches_the_logs(bot: OfflineBot, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.DEBUG):
        for text in ("/start", "syarat jadi pmi", "/darurat"):
            bot.send(tp.message_update(text, USER))
    assert tp.TOKEN not in caplog.text


@pytest.mark.slow
def test_the_file_watcher_reloads_by_itself_and_tells_the_admins(
        settings: Settings, store: StoreThread, data_copy: tuple[Path, Path]) -> None:
    knowledge, intents = data_copy
    live_settings = replace(settings, knowledge_dir=knowledge, intents_dir=intents)
    live = LiveKnowledge(lambda: load_engine(live_settings), (knowledge, intents))
    offline = OfflineBot(live_settings, live, store, watch_seconds=0.05)
    before = live.engine

    def notices() -> list[str]:
        return [plain(c.params["text"]) for c in offline.request.calls
                if c.method == "sendMessage" and c.params["chat_id"] == ADMIN]

    def wait_for_notices(count: int) -> None:
        for _ in range(300):
            if len(notices()) >= count:
                return
            offline.run(asyncio.sleep(0.05))
        raise AssertionError(f"no admin notice; got {notices()}")

    try:
        offline.run(_post_init(offline.app))
        broken = knowledge / "kontak.yaml"
        broken.write_text(broken.read_text(encoding="utf-8") + "\n  - id: [rusak\n", encoding="utf-8")
        wait_for_notices(1)
        assert "tidak dimuat" in notices()[0] and "kontak.yaml" in "\n".join(notices())
        assert live.engine is before
        broken.write_text(_original("kontak.yaml"), encoding="utf-8")
        wait_for_notices(len(notices()) + 1)
        assert notices()[-1].startswith("Perubahan berkas diterima")
        assert live.engine is not before
    finally:
        offline.run(_post_stop(offline.app))
        offline.close()


def _original(name: str) -> str:
    return (Path(__file__).resolve().parent.parent / "knowledge" / name).read_text(encoding="utf-8")


@pytest.mark.parametrize("data", [
    "fb:up:[klik di sini](https://evil.example/a)",
    "fb:down:<a href='https://evil.example'>x</a>",
    "fb:up:topik_yang_tidak_ada",
    "fb:sideways:ltsa",
])
def test_forged_vote_data_is_never_stored(bot: OfflineBot, store: StoreThread, data: str) -> None:
    calls = press(bot, data)
    assert calls[0].method == "answerCallbackQuery"  # the spinner still stops
    report = stats(store)
    assert report.count("feedback_up") == report.count("feedback_down") == 0
    assert report.feedback == ()


def test_an_admin_notice_about_12000_problems_is_one_summary(engine: Engine) -> None:
    from bot.problems import Problem
    from bot.telegram.handlers import reload_report

    problems = [Problem(path="intents/banjir.yml", line=n, entry="", field="", message=f"masalah {n}.", fix="perbaiki.")
                for n in range(1, 12_001)]
    live = type("Live", (), {"engine": engine})()
    messages = reload_report(problems, live, auto=True)
    assert len(messages) <= 3
    text = "\n".join(plain(m.html) for m in messages)
    assert "12000 galat" in text and "masalah 1." in text and "masalah 11." not in text
    assert "11990 masalah lain" in text and "kawan validate" in text


# The emergency path ----------------------------------------------------------------------------
def test_danger_without_a_place_asks_where_and_each_button_opens_its_card(bot: OfflineBot, store: StoreThread) -> None:
    calls = bot.send(tp.message_update("majikan pukul saya tiap malam", USER))
    first = plain(sent_texts(calls)[0])
    assert "999" in first and "110" in first
    shown = [data for _, data in last_buttons(calls)]
    assert {"darurat:luar_negeri", "darurat:indonesia", "darurat:keluarga"} <= set(shown)
    pressed = bot.send(tp.callback_update("darurat:luar_negeri", USER))
    assert "999" in plain(sent_texts(pressed)[0]) and "Safe Travel" in plain(sent_texts(pressed)[0])
    report = stats(store)
    assert report.count("emergency") == 2
    assert report.signals == (("kekerasan.pelaku_memukul", 1),)


def test_thumbs_down_on_an_emergency_keeps_the_masked_question(bot: OfflineBot, store: StoreThread) -> None:
    question = "saya di johor disekap agen, wa saya 0812-3456-7890"
    answer = only_messages(bot.send(tp.message_update(question, USER)))[-1]
    vote = next(data for _, data in buttons(answer) if data.startswith("fb:down:"))
    shown = tp.bot_message(answer.params["text"], USER, answer.result["message_id"], answer.params["reply_markup"])
    bot.send(tp.callback_update(vote, USER, on_message=shown))
    stats(store)
    (kept,) = [q for q in store.store.unanswered(days=1) if q.kind == "feedback_down"]
    assert "disekap" in kept.text and "3456" not in kept.text
