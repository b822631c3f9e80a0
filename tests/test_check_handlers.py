"""Cek tawaran / Cek PT in the Telegram shell, offline: entry points route to the check, buttons carry the state."""

from __future__ import annotations

from bot.admin.store_thread import StoreThread
from tests import telegram_payloads as tp
from tests.telegram_offline import Call, OfflineBot, plain
from tests.test_telegram_handlers import USER, bot, clock, press, settings, store  # noqa: F401

ADVERT = ("🔥 LOWONGAN KERJA KAMBOJA 🔥 Posisi admin online, gaji 20 JUTA/bulan, tidak perlu pengalaman, "
          "berangkat minggu ini juga. Minat inbox kak Rian, biaya proses 3 juta bayar dulu.")


def texts_of(calls: list[Call]) -> list[str]:
    return [plain(c.params["text"]) for c in calls if c.method == "sendMessage"]


def test_forwarded_message_is_checked_as_an_offer(bot: OfflineBot) -> None:  # noqa: F811
    origin = {"type": "hidden_user", "date": 1764400000, "sender_user_name": "Grup"}
    calls = bot.send(tp.message_update("Ada kerja di Malaysia, hubungi om Frans ya", USER, forward_origin=origin))
    assert any("tanda bahaya" in t.lower() for t in texts_of(calls))


def test_a_long_advert_is_checked_without_any_command(bot: OfflineBot) -> None:  # noqa: F811
    (text,) = texts_of(bot.send(tp.message_update(ADVERT, USER)))
    assert "Banyak tanda bahaya: jangan bayar, jangan berangkat dulu." in text
    assert "Negara bukan tujuan penempatan" in text


def test_cek_then_a_company_name(bot: OfflineBot) -> None:  # noqa: F811
    (prompt,) = texts_of(bot.send(tp.message_update("/cek", USER)))
    assert "Cek tawaran kerja" in prompt
    (answer,) = texts_of(bot.send(tp.message_update("PT BALI PESONA ABADI", USER)))
    assert "Ada di salinan daftar P3MI berizin per 17-09-2026 (nomor izin 9120308891125)" in answer


def test_menu_button_and_a_forged_answer_button(bot: OfflineBot) -> None:  # noqa: F811
    assert any("Cek tawaran kerja" in t for t in texts_of(press(bot, "cek")))
    assert any("Cek tawaran kerja" in t for t in texts_of(press(bot, "ck:zz.9.y.00")))


def test_nothing_about_the_offer_is_stored(bot: OfflineBot, store: StoreThread) -> None:  # noqa: F811
    bot.send(tp.message_update(ADVERT, USER))
    rows = bot.run(store.call(lambda s: [str(r) for r in s._db.execute("SELECT * FROM events")]))
    assert any("'check'" in row for row in rows)
    dumped = "\n".join(rows)
    assert "Rian" not in dumped and "KAMBOJA" not in dumped.upper() and "proses" not in dumped
