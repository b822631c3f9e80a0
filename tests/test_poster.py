"""The printable poster renders as A4 PNG and PDF, and its QR code still scans."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image

from bot.admin.poster import DPI, HEIGHT, WIDTH, PosterContent, poster_bytes, render_poster
from bot.cli import main

LINK = "https://t.me/KawanMigranBot?start=ref_abcdefgh"


def test_poster_is_a4_and_its_qr_code_scans() -> None:
    image = render_poster(PosterContent(link=LINK, shown_link="t.me/KawanMigranBot", ref="abcdefgh"))
    assert image.size == (WIDTH, HEIGHT) == (1654, 2339)
    assert abs(WIDTH / DPI * 25.4 - 210) < 0.5 and abs(HEIGHT / DPI * 25.4 - 297) < 0.5
    assert [result.text for result in zxingcpp.read_barcodes(image)] == [LINK]


def test_poster_uses_its_colours_and_leaves_margins_white() -> None:
    image = render_poster(PosterContent(link=LINK, shown_link="t.me/KawanMigranBot")).convert("RGB")
    counted = image.getcolors(maxcolors=1_000_000)
    assert counted is not None
    colours = {colour for _, colour in counted}
    assert {(11, 57, 84), (192, 57, 43), (0, 0, 0)} <= colours  # header, emergency box, QR modules
    assert image.getpixel((20, HEIGHT - 20)) == (255, 255, 255)


def test_a_long_bot_name_still_fits() -> None:
    name = "KawanMigranNusaTenggaraTimurBot"
    image = render_poster(PosterContent(link=f"https://t.me/{name}", shown_link=f"t.me/{name}"))
    assert [result.text for result in zxingcpp.read_barcodes(image)] == [f"https://t.me/{name}"]


def test_pdf_is_one_a4_page() -> None:
    pdf = poster_bytes(PosterContent(link=LINK, shown_link="t.me/KawanMigranBot"), "PDF")
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    assert 50_000 < len(pdf) < 3_000_000
    box = re.search(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert box is not None
    width, height = float(box.group(1)), float(box.group(2))
    assert abs(width - 595.3) < 1 and abs(height - 841.9) < 1  # A4 in points
    assert len(re.findall(rb"/Type\s*/Page(?!s)", pdf)) == 1


@pytest.mark.slow
@pytest.mark.parametrize("name", ["poster.png", "poster.pdf", "POSTER.PDF"])
def test_cli_poster(capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    name: str) -> None:
    monkeypatch.delenv("KAWAN_BOT_USERNAME", raising=False)
    out_file = tmp_path / name
    code = main(["poster", "--ref", "abcdefgh", "--out", str(out_file)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert out == f"Poster A4 tersimpan: {out_file}\nTautan di kode QR: {LINK}\n"
    data = out_file.read_bytes()
    if name.lower().endswith(".png"):
        image = Image.open(out_file)
        assert image.size == (WIDTH, HEIGHT) and 100_000 < len(data) < 3_000_000
        assert [result.text for result in zxingcpp.read_barcodes(image)] == [LINK]
    else:
        assert data.startswith(b"%PDF-")


def test_cli_poster_refuses_other_formats(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["poster", "--out", str(tmp_path / "poster.jpg")])
    assert code == 2
    assert "Galat penggunaan: --out harus berakhiran .pdf atau .png, bukan 'poster.jpg'." in capsys.readouterr().err
    assert not (tmp_path / "poster.jpg").exists()
