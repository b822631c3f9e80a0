"""The small answer markup admins write (*bold*, [text](url)) and its plain and HTML renderings."""

from __future__ import annotations

import html
import re

_TOKEN = re.compile(r"\[(?P<label>[^\[\]\n]+)\]\((?P<url>https?://[^\s()]+)\)|\*(?P<bold>[^*\n]+)\*")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_BROKEN_LINK = re.compile(r"\]\(|\[[^\]\n]*\]\s*\(")


def to_plain(text: str) -> str:
    """Plain text for terminals and JSON: bold marks dropped, links as "label (url)"."""

    def render(match: re.Match[str]) -> str:
        if match.group("bold") is not None:
            return match.group("bold")
        label, url = match.group("label"), match.group("url")
        return url if label == url else f"{label} ({url})"

    return _TOKEN.sub(render, text)


def to_html(text: str) -> str:
    """Telegram HTML: every character escaped, then only <b> and <a href> added."""
    out: list[str] = []
    pos = 0
    for match in _TOKEN.finditer(text):
        out.append(html.escape(text[pos : match.start()], quote=False))
        if match.group("bold") is not None:
            out.append(f"<b>{html.escape(match.group('bold'), quote=False)}</b>")
        else:
            url = html.escape(match.group("url"), quote=True)
            out.append(f'<a href="{url}">{html.escape(match.group("label"), quote=False)}</a>')
        pos = match.end()
    out.append(html.escape(text[pos:], quote=False))
    return "".join(out)


def markup_errors(text: str) -> list[tuple[int, str, str]]:
    """(line offset, message, fix) for each markup mistake in an answer."""
    found: list[tuple[int, str, str]] = []
    for offset, line in enumerate(text.splitlines()):
        rest = _TOKEN.sub("", line)
        if _HTML_TAG.search(rest):
            found.append((offset, "ada tag HTML di jawaban.",
                          "hapus tag seperti <b>; pakai *teks* untuk tebal dan [teks](https://...) untuk tautan."))
        if "*" in rest:
            found.append((offset, "tanda * tidak berpasangan.",
                          "tulis teks tebal sebagai *teks* (satu bintang di awal dan di akhir, dalam satu baris)."))
        if _BROKEN_LINK.search(rest):
            found.append((offset, "tautan tidak lengkap.",
                          "tulis tautan sebagai [teks](https://alamat) tanpa spasi di dalam alamat."))
    return found
