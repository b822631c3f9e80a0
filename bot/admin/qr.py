"""QR codes as PNG bytes or Pillow images, for share links, the CLI and posters."""

from __future__ import annotations

import io

import segno
from PIL import Image

# Medium error correction survives a folded or slightly dirty printed poster and keeps the code small.
ERROR = "m"
BORDER = 4  # the quiet zone scanners need, in modules


def qr_png(data: str, scale: int = 10) -> bytes:
    """A black-on-white QR code of `data` as PNG bytes."""
    out = io.BytesIO()
    segno.make(data, error=ERROR, micro=False).save(out, kind="png", scale=scale, border=BORDER)
    return out.getvalue()


def qr_image(data: str, size: int) -> Image.Image:
    """The QR code as a Pillow image about `size` pixels wide, every module the same whole number of pixels."""
    code = segno.make(data, error=ERROR, micro=False)
    width = int(code.symbol_size(scale=1, border=BORDER)[0])
    scale = max(1, size // width)
    image = Image.open(io.BytesIO(qr_png(data, scale=scale)))
    return image.convert("RGB")
