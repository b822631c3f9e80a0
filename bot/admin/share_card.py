"""A shareable PNG card of a check result: plain lines in, no personal data, for families' WhatsApp groups."""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, ImageDraw

from bot.admin.fonts import Font, font, wrap

WIDTH = 1080
MARGIN = 64
COLOURS = {"bahaya": "#B3261E", "kurang_info": "#8A5A00", "tidak_terlihat": "#1B6E3A"}
INK, MUTED, PAPER = "#1C1B1F", "#5F5B66", "#FFFFFF"


@dataclass(frozen=True)
class CardContent:
    """What the card shows: a verdict headline, titled lists of short lines, and a footer."""

    verdict: str
    headline: str
    sections: tuple[tuple[str, tuple[str, ...]], ...]
    next_step: str
    footer: str


def _block(draw: ImageDraw.ImageDraw, y: float, text: str, typeface: Font, fill: str, indent: int = 0,
           dry: bool = False) -> float:
    step = typeface.size * 1.3 if hasattr(typeface, "size") else 20
    for line in wrap(draw, text, typeface, WIDTH - 2 * MARGIN - indent):
        if not dry:
            draw.text((MARGIN + indent, y), line, font=typeface, fill=fill)
        y += step
    return y


def _draw(draw: ImageDraw.ImageDraw, content: CardContent, dry: bool) -> float:
    colour = COLOURS.get(content.verdict, INK)
    y = 150.0
    y = _block(draw, y, content.headline, font(50, bold=True), colour, dry=dry) + 20
    for title, lines in content.sections:
        y = _block(draw, y, title, font(38, bold=True), INK, dry=dry) + 4
        for line in lines:
            y = _block(draw, y, f"• {line}", font(34), INK, indent=12, dry=dry)
        y += 18
    y = _block(draw, y, content.next_step, font(34, bold=True), colour, dry=dry) + 24
    return _block(draw, y, content.footer, font(28), MUTED, dry=dry) + MARGIN


def card_png(content: CardContent) -> bytes:
    """The card as PNG bytes; its height follows the content."""
    probe = ImageDraw.Draw(Image.new("RGB", (WIDTH, 10)))
    height = int(_draw(probe, content, dry=True))
    image = Image.new("RGB", (WIDTH, height), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, WIDTH, 110), fill=COLOURS.get(content.verdict, INK))
    draw.text((MARGIN, 30), "Kawan Migran · Cek tawaran kerja", font=font(44, bold=True), fill=PAPER)
    _draw(draw, content, dry=False)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
