"""End to end: forward an advert to `kawan run` (emulator on 127.0.0.1), answer its questions by button, get the card."""

from __future__ import annotations

from typing import Any

import pytest

from tests.telegram_offline import plain
from tests.test_telegram_e2e import RunningBot, assert_valid, running, shared_bot  # noqa: F401 - the fixtures

pytestmark = pytest.mark.slow
ADVERT = ("📢 DIBUTUHKAN SEGERA 📢\nPekerja pabrik elektronik di Malaysia\nGaji RM 1.800 + lembur\n"
          "Daftar lewat PT Bali Pesona Abadi, pelatihan di BLK 1 bulan\nInfo lanjut datang ke kantor kami")
FORWARDED: dict[str, Any] = {"forward_origin": {"type": "hidden_user", "date": 1764400000, "sender_user_name": "Grup Loker"}}


def test_forwarded_advert_questions_by_button_and_share_card(running: RunningBot) -> None:  # noqa: F811
    (result,) = running.converse(300, ADVERT, **FORWARDED)
    text = plain(result.text)
    assert "Belum cukup informasi" in text and "PT. BALI PESONA ABADI: Ada di salinan daftar P3MI" in text
    assert "Apakah Anda diminta membayar sebelum berangkat?" in text
    (yes_label, yes_data), (no_label, _) = result.buttons[:2]
    assert (yes_label, no_label) == ("Ya", "Tidak")
    (second,) = running.press(300, result, yes_data)
    assert "tanda bahaya" in plain(second.text).lower() and "Diminta bayar sebelum berangkat" in plain(second.text)
    no_data = next(data for label, data in second.buttons if label == "Tidak")
    (third,) = running.press(300, second, no_data)
    card_data = next(data for label, data in third.buttons if label.startswith("🖼"))
    (photo,) = running.press(300, third, card_data)
    assert photo.method == "sendPhoto" and photo.files["photo"] > 1000
    assert_valid([result, second, third])


def test_cek_command_and_deep_link_ask_for_the_offer_then_check_a_company(running: RunningBot) -> None:  # noqa: F811
    for command in ("/cek", "/start cek"):
        (prompt,) = running.converse(301, command)
        assert "Cek tawaran kerja" in plain(prompt.text)
    (answer,) = running.converse(301, "PT Sasando Insan Mulia")
    assert "Tidak ada di salinan daftar per 17-09-2026" in plain(answer.text)
