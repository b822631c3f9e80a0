"""Volunteer codes, t.me links and QR codes that decode back to their links."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from bot.admin.qr import qr_image, qr_png
from bot.admin.referral import code_from_start, referral_code, share_link, topic_link
from bot.cli import main


def decode(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_referral_code_is_short_stable_and_keyed() -> None:
    code = referral_code(123456789, "rahasia")
    assert re.fullmatch(r"[a-z2-7]{8}", code)
    assert referral_code(123456789, "rahasia") == code
    assert referral_code(123456790, "rahasia") != code
    assert referral_code(123456789, "rahasia-lain") != code
    assert "123456789" not in code


def test_codes_of_many_volunteers_do_not_collide() -> None:
    codes = {referral_code(user_id, "rahasia") for user_id in range(100_000, 110_000)}
    assert len(codes) == 10_000


def test_referral_code_differs_from_the_statistics_hash(tmp_path: Path) -> None:
    from bot.admin.storage import EventStore

    with EventStore.open(tmp_path / "k.db", secret="rahasia") as store:
        assert referral_code(42, "rahasia") not in store.user_hash(42)


def test_links() -> None:
    assert share_link("KawanMigranBot", "abcdefgh") == "https://t.me/KawanMigranBot?start=ref_abcdefgh"
    assert share_link("@KawanMigranBot", "abcdefgh") == "https://t.me/KawanMigranBot?start=ref_abcdefgh"
    assert topic_link("KawanMigranBot", "darurat") == "https://t.me/KawanMigranBot?start=darurat"
    with pytest.raises(ValueError):
        share_link("bukan nama bot", "abcdefgh")
    with pytest.raises(ValueError):
        topic_link("KawanMigranBot", "spasi tidak boleh")


@pytest.mark.parametrize(("parameter", "code"), [
    ("ref_abcdefgh", "abcdefgh"), ("ref_ABCDEFGH", None), ("ref_abc", None), ("darurat", None), ("", None),
])
def test_code_from_start(parameter: str, code: str | None) -> None:
    assert code_from_start(parameter) == code


def test_a_share_link_round_trips_through_start() -> None:
    code = referral_code(555, "rahasia")
    parameter = share_link("KawanMigranBot", code).split("start=", 1)[1]
    assert code_from_start(parameter) == code


@pytest.mark.parametrize("link", [
    "https://t.me/KawanMigranBot",
    "https://t.me/KawanMigranBot?start=ref_abcdefgh",
    "https://t.me/KawanMigranBot?start=langkah_pendaftaran",
])
def test_qr_png_decodes_back_to_its_link(link: str) -> None:
    png = qr_png(link)
    assert png.startswith(b"\x89PNG")
    assert decode(Image.open(io.BytesIO(png))) == [link]


def test_qr_image_has_the_asked_size_and_decodes() -> None:
    link = "https://t.me/KawanMigranBot?start=ref_abcdefgh"
    image = qr_image(link, 600)
    assert 500 <= image.width <= 600 and image.width == image.height
    assert decode(image) == [link]


def kawan(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("options", "link"), [
    ((), "https://t.me/KawanMigranBot"),
    (("--ref", "abcdefgh"), "https://t.me/KawanMigranBot?start=ref_abcdefgh"),
    (("--ref", "ref_ABCDEFGH"), "https://t.me/KawanMigranBot?start=ref_abcdefgh"),
    (("--topic", "darurat"), "https://t.me/KawanMigranBot?start=darurat"),
])
def test_cli_qr(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                options: tuple[str, ...], link: str) -> None:
    monkeypatch.delenv("KAWAN_BOT_USERNAME", raising=False)
    out_file = tmp_path / "qr.png"
    code, out, err = kawan(capsys, "qr", *options, "--out", str(out_file))
    assert (code, err) == (0, "")
    assert out == f"Kode QR tersimpan: {out_file}\nTautan: {link}\n"
    assert decode(Image.open(out_file)) == [link]


def test_cli_qr_bot_username_from_environment(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAWAN_BOT_USERNAME", "@UjiKawanBot")
    out_file = tmp_path / "qr.png"
    code, _, _ = kawan(capsys, "qr", "--ref", "abcdefgh", "--out", str(out_file))
    assert code == 0
    assert decode(Image.open(out_file)) == ["https://t.me/UjiKawanBot?start=ref_abcdefgh"]


def test_cli_qr_help_names_the_environment_variable(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["qr", "--help"])
    assert "KAWAN_BOT_USERNAME (bawaan: KawanMigranBot)" in " ".join(capsys.readouterr().out.split())


@pytest.mark.parametrize(("options", "message"), [
    (("--ref", "abc", "--out", "qr.png"), "Galat penggunaan: kode relawan 'abc' tidak sah"),
    (("--out", "qr.jpg"), "Galat penggunaan: --out harus berakhiran .png, bukan 'qr.jpg'."),
    (("--ref", "abcdefgh", "--topic", "darurat", "--out", "qr.png"), "tidak boleh bersama"),
])
def test_cli_qr_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                             options: tuple[str, ...], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    code: int | str | None
    try:
        code = main(["qr", *options])
    except SystemExit as exit_info:
        code = exit_info.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "qr.png").exists()


def test_cli_qr_unknown_topic_is_a_data_problem(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = kawan(capsys, "qr", "--topic", "tidak_ada", "--out", str(tmp_path / "qr.png"))
    assert code == 1
    assert err.startswith("Galat: topik 'tidak_ada' tidak ada di ")
