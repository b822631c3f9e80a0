"""The printable A4 poster for village halls and the prevention posts: QR code, what the bot does, emergency numbers."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw

from bot.admin.fonts import Font, font, wrap
from bot.admin.qr import qr_image

DPI = 200
# A4 is 210 x 297 mm.
WIDTH, HEIGHT = round(210 / 25.4 * DPI), round(297 / 25.4 * DPI)
MARGIN = 120
FORMATS = {".png": "PNG", ".pdf": "PDF"}

NAVY, TEAL, SUN = "#0b3954", "#087e8b", "#ffd166"
RED, RED_DARK = "#c0392b", "#922b21"
INK, MUTED, PAPER, LINE = "#1b1b1b", "#555555", "#ffffff", "#d9d9d9"

KICKER = "INFORMASI MIGRASI AMAN · GRATIS"
HEADLINE = "Mau kerja ke luar negeri?"
SUBLINE = "Tanya dulu ke Kawan Migran sebelum berangkat."
HELPS_TITLE = "Kawan Migran menjelaskan:"
HELPS = (
    "Syarat dan dokumen kerja resmi",
    "Cara mendaftar lewat jalur resmi",
    "Cara cek perusahaan dan lowongan",
    "Biaya yang boleh dipungut",
    "Tanda calo dan perdagangan orang",
    "Nomor resmi untuk bertanya",
)
HOW = "Tanya dengan bahasa sehari-hari, kapan saja, lewat Telegram."
SCAN = "Pindai dengan kamera HP"
EMERGENCY_TITLE = "DALAM BAHAYA? HUBUNGI SEKARANG"
EMERGENCY = (
    ("110", "Polisi", "layanan darurat polisi"),
    ("129", "SAPA: perempuan dan anak", "WhatsApp 08111-129-129"),
    ("0800-1000", "KP2MI: pekerja migran", "gratis dari Indonesia"),
)
DISCLAIMER = (
    "Kawan Migran adalah bot informasi buatan relawan, bukan layanan pemerintah, bukan KP2MI dan bukan BP3MI. "
    "Bot tidak mendaftarkan PMI dan tidak menerima pengaduan. Nama dan nomor HP Anda tidak disimpan."
)


@dataclass(kw_only=True, frozen=True)
class PosterContent:
    """What changes between posters: the link in the QR code, how it is shown, and an optional volunteer code."""

    link: str
    shown_link: str
    ref: str | None = None


def _line_step(typeface: Font, spacing: float) -> float:
    return getattr(typeface, "size", 20) * spacing


def _text_height(draw: ImageDraw.ImageDraw, text: str, typeface: Font, width: float, spacing: float = 1.3) -> float:
    return len(wrap(draw, text, typeface, width)) * _line_step(typeface, spacing)


def _balanced(draw: ImageDraw.ImageDraw, text: str, typeface: Font, width: float) -> list[str]:
    """Wrapped into as few lines as plain wrapping, but of even length: no lone word on the last line."""
    lines = wrap(draw, text, typeface, width)
    low, high = width / max(len(lines), 1), width
    while high - low > 2:
        middle = (low + high) / 2
        if len(wrap(draw, text, typeface, middle)) > len(lines):
            low = middle
        else:
            high = middle
    return wrap(draw, text, typeface, high)


def _paragraph(draw: ImageDraw.ImageDraw, xy: tuple[float, float], text: str, typeface: Font, width: float,
               fill: str, spacing: float = 1.3) -> float:
    """Draw balanced, wrapped text; returns the y below it."""
    x, y = xy
    for line in _balanced(draw, text, typeface, width):
        draw.text((x, y), line, font=typeface, fill=fill)
        y += _line_step(typeface, spacing)
    return y


def _centered(draw: ImageDraw.ImageDraw, center_x: float, y: float, text: str, typeface: Font, fill: str) -> None:
    draw.text((center_x - draw.textlength(text, font=typeface) / 2, y), text, font=typeface, fill=fill)


def _header(draw: ImageDraw.ImageDraw) -> int:
    """The dark band with the question people ask themselves; as tall as its text needs."""
    width = WIDTH - 2 * MARGIN
    headline, subline = font(92, bold=True), font(54)
    kicker_y, headline_y = 90, 160
    subline_y = headline_y + _text_height(draw, HEADLINE, headline, width, 1.15) + 20
    height = int(subline_y + _text_height(draw, SUBLINE, subline, width, 1.25) + 70)
    draw.rectangle((0, 0, WIDTH, height), fill=NAVY)
    draw.rectangle((0, height - 18, WIDTH, height), fill=TEAL)
    draw.text((MARGIN, kicker_y), KICKER, font=font(44, bold=True), fill=SUN)
    _paragraph(draw, (MARGIN, headline_y), HEADLINE, headline, width, PAPER, 1.15)
    _paragraph(draw, (MARGIN, subline_y), SUBLINE, subline, width, PAPER, 1.25)
    return height


def _qr_column(image: Image.Image, draw: ImageDraw.ImageDraw, top: int, content: PosterContent) -> tuple[int, int]:
    """The QR code with its caption; returns the column's right edge and bottom."""
    code = qr_image(content.link, 600)
    left = MARGIN
    frame = 16
    draw.rounded_rectangle((left - frame, top - frame, left + code.width + frame, top + code.height + frame),
                           radius=28, outline=TEAL, width=8)
    image.paste(code, (left, top))
    center = left + code.width / 2
    y = top + code.height + frame + 36
    _centered(draw, center, y, SCAN, font(44), INK)
    # Bot usernames run up to 32 characters: shrink the link until it fits under the code.
    size = 48
    while size > 24 and draw.textlength(content.shown_link, font=font(size, bold=True)) > code.width + 2 * frame:
        size -= 2
    _centered(draw, center, y + 62, content.shown_link, font(size, bold=True), TEAL)
    bottom = y + 130
    if content.ref:
        _centered(draw, center, bottom, f"Kode relawan: {content.ref}", font(36), MUTED)
        bottom += 50
    return left + code.width + frame, bottom


def _helps_column(draw: ImageDraw.ImageDraw, left: int, top: int) -> int:
    width = WIDTH - MARGIN - left
    y = _paragraph(draw, (left, top - 10), HELPS_TITLE, font(52, bold=True), width, NAVY, 1.2) + 24
    bullet_font = font(44)
    for item in HELPS:
        draw.ellipse((left + 4, y + 15, left + 28, y + 39), fill=TEAL)
        y = _paragraph(draw, (left + 50, y), item, bullet_font, width - 50, INK, 1.22) + 20
    y += 10
    return int(_paragraph(draw, (left, y), HOW, font(40), width, MUTED, 1.25))


def _emergency(draw: ImageDraw.ImageDraw, top: int) -> int:
    """The red box of numbers to call; rows as tall as their text needs."""
    left, right = MARGIN - 20, WIDTH - MARGIN + 20
    title_height = 106
    number_font, label_font, note_font = font(80, bold=True), font(46, bold=True), font(40)
    number_width = max(draw.textlength(number, font=number_font) for number, _, _ in EMERGENCY)
    text_left = left + 50 + number_width + 50
    width = right - 50 - text_left
    y: float = top + title_height + 16
    for index, (number, label, note) in enumerate(EMERGENCY):
        if index:
            draw.line((left + 40, y, right - 40, y), fill=LINE, width=3)
        row_top = y + 22
        text_y = _paragraph(draw, (text_left, row_top), label, label_font, width, INK, 1.15)
        text_y = _paragraph(draw, (text_left, text_y + 4), note, note_font, width, MUTED, 1.15)
        number_height = number_font.size * 1.05 if hasattr(number_font, "size") else 90
        row_height = max(text_y - row_top, number_height)
        # The number sits level with the middle of its text block.
        draw.text((left + 50, row_top + (row_height - number_height) / 2 - 10), number, font=number_font,
                  fill=RED_DARK)
        y = row_top + row_height + 22
    bottom = int(y + 8)
    draw.rounded_rectangle((left, top, right, bottom), radius=32, outline=RED, width=10)
    draw.rounded_rectangle((left, top, right, top + title_height), radius=32, fill=RED)
    draw.rectangle((left, top + title_height - 32, right, top + title_height), fill=RED)
    _centered(draw, WIDTH / 2, top + 24, EMERGENCY_TITLE, font(58, bold=True), PAPER)
    return bottom


def render_poster(content: PosterContent) -> Image.Image:
    """The poster as an A4 image at DPI dots per inch."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    body_top = _header(draw) + 100
    qr_right, qr_bottom = _qr_column(image, draw, body_top, content)
    helps_bottom = _helps_column(draw, qr_right + 70, body_top)
    emergency_top = max(qr_bottom, helps_bottom) + 70
    emergency_bottom = _emergency(draw, emergency_top)
    footer_top = max(emergency_bottom + 60, HEIGHT - MARGIN - 170)
    draw.line((MARGIN, footer_top - 30, WIDTH - MARGIN, footer_top - 30), fill=LINE, width=3)
    _paragraph(draw, (MARGIN, footer_top), DISCLAIMER, font(36), WIDTH - 2 * MARGIN, MUTED, 1.3)
    return image


def poster_bytes(content: PosterContent, kind: str) -> bytes:
    """The poster as "PNG" or "PDF" bytes; the PDF page is exactly A4."""
    out = io.BytesIO()
    options: dict[str, object] = {"resolution": DPI}
    if kind == "PDF":
        # Pillow stores the page as JPEG: high quality and no colour subsampling keep text and QR edges crisp.
        options.update(quality=95, subsampling=0)
    render_poster(content).save(out, format=kind, **options)
    return out.getvalue()


def save_poster(path: Path, content: PosterContent) -> None:
    """Write the poster in the format its file name asks for (.png or .pdf)."""
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        raise ValueError(f"unsupported poster format: {path.suffix!r}")
    path.write_bytes(poster_bytes(content, kind))
