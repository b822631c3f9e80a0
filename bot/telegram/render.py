"""A core Reply as Telegram messages: escaped HTML chunks below the length limit, and inline keyboards."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup
from telegram.constants import InlineKeyboardButtonLimit, MessageLimit

from bot.content.markup import to_html
from bot.core.conversation import Button, Reply
from bot.telegram import texts as tt

logger = logging.getLogger(__name__)

# Telegram counts the text after parsing; measuring the HTML source instead leaves a safe margin.
MAX_CHUNK = MessageLimit.MAX_TEXT_LENGTH - 96
MAX_CALLBACK_BYTES = InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
FEEDBACK_PREFIX = "fb"
# Replies that answer a topic ask "Membantu?"; menus and apologies do not.
FEEDBACK_KINDS = frozenset({"answer", "emergency"})


@dataclass(kw_only=True, frozen=True)
class Outgoing:
    """One Telegram message: HTML text and, on the last message of a reply only, its keyboard."""

    html: str
    keyboard: InlineKeyboardMarkup | None = None


def utf16_length(text: str) -> int:
    """Length as Telegram counts it (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def _pieces(text: str, separator: str) -> list[str]:
    parts = text.split(separator)
    # Keep the separator on each piece but the last, so joining the chunks restores the text.
    return [part + separator for part in parts[:-1]] + [parts[-1]]


def split_markup(text: str, limit: int = MAX_CHUNK, render: Callable[[str], str] = to_html) -> list[str]:
    """Split source text so each rendered chunk stays within `limit`.

    Paragraphs ("\\n\\n") first, then lines, then words, then characters. The split is made on the
    source and each chunk rendered on its own: markup never spans a line, so tags stay balanced.
    """
    chunks: list[str] = []
    current = ""
    for paragraph in _fit(text, limit, render, ("\n\n", "\n", " ", "")):
        candidate = current + paragraph
        if current and utf16_length(render(candidate.strip())) > limit:
            chunks.append(current)
            current = paragraph
        else:
            current = candidate
    if current.strip() or not chunks:
        chunks.append(current)
    return [chunk.strip() for chunk in chunks if chunk.strip()] or [text.strip()]


def _fit(text: str, limit: int, render: Callable[[str], str], separators: Sequence[str]) -> list[str]:
    """Pieces of `text` that each render within `limit`, cut at the coarsest separator that works."""
    if utf16_length(render(text)) <= limit:
        return [text]
    separator, finer = separators[0], separators[1:]
    if separator == "":
        return _cut(text, limit, render)
    if separator not in text:
        return _fit(text, limit, render, finer)
    out: list[str] = []
    for piece in _pieces(text, separator):
        out += _fit(piece, limit, render, finer) if utf16_length(render(piece)) > limit else [piece]
    return out


def _cut(text: str, limit: int, render: Callable[[str], str]) -> list[str]:
    """One unbroken run longer than a message: the longest prefixes that fit, found by bisection."""
    pieces: list[str] = []
    while text:
        low, high = 1, len(text)
        while low < high:
            middle = (low + high + 1) // 2
            if utf16_length(render(text[:middle])) <= limit:
                low = middle
            else:
                high = middle - 1
        pieces.append(text[:low])
        text = text[low:]
    return pieces


def plain_to_html(text: str) -> str:
    """Text that must show exactly as written (validator problems, links): escaped, no markup."""
    return html.escape(text, quote=False)


def callback_fits(data: str) -> bool:
    return len(data.encode("utf-8")) <= MAX_CALLBACK_BYTES


def feedback_data(vote: str, topic: str) -> str:
    return f"{FEEDBACK_PREFIX}:{vote}:{topic}"


def keyboard(rows: Sequence[Sequence[Button]], feedback_topic: str | None = None) -> InlineKeyboardMarkup | None:
    """Inline buttons for the reply; buttons whose data would not fit Telegram's 64 bytes are left out."""
    out: list[list[InlineKeyboardButton]] = []
    if feedback_topic and callback_fits(feedback_data("down", feedback_topic)):
        # First row: the thumbs sit right under "Membantu?" where the reader's eye already is.
        out.append([InlineKeyboardButton(tt.FEEDBACK_UP, callback_data=feedback_data("up", feedback_topic)),
                    InlineKeyboardButton(tt.FEEDBACK_DOWN, callback_data=feedback_data("down", feedback_topic))])
    for row in rows:
        buttons = []
        for button in row:
            if callback_fits(button.action):
                buttons.append(InlineKeyboardButton(button.label, callback_data=button.action))
            else:
                logger.warning("Tombol dilewati: data %r lebih dari %d bita.", button.action, MAX_CALLBACK_BYTES)
        if buttons:
            out.append(buttons)
    return InlineKeyboardMarkup(out) if out else None


def without_feedback(markup: InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """The same keyboard after a vote: the thumbs go, so nobody votes twice on one answer."""
    if markup is None:
        return None
    rows = [row for row in markup.inline_keyboard
            if not any(str(b.callback_data or "").startswith(f"{FEEDBACK_PREFIX}:") for b in row)]
    return InlineKeyboardMarkup(rows) if rows else None


def render(reply: Reply, feedback: bool = True) -> list[Outgoing]:
    """Messages for one reply, first to last; the keyboard rides on the last one."""
    topic = reply.topic if feedback and reply.kind in FEEDBACK_KINDS else None
    text = f"{reply.text}\n\n{tt.FEEDBACK_QUESTION}" if topic else reply.text
    chunks = [to_html(chunk) for chunk in split_markup(text)]
    markup = keyboard(reply.buttons, topic)
    return [Outgoing(html=chunk, keyboard=markup if last else None) for last, chunk in _mark_last(chunks)]


def render_plain(text: str) -> list[Outgoing]:
    """Plain (not markup) text, escaped and split the same way."""
    return [Outgoing(html=plain_to_html(chunk)) for chunk in split_markup(text, render=plain_to_html)]


def render_markup(text: str) -> list[Outgoing]:
    """Fixed texts written in the small markup (help, privacy, notices)."""
    return [Outgoing(html=to_html(chunk)) for chunk in split_markup(text)]


def _mark_last(items: list[str]) -> list[tuple[bool, str]]:
    return [(index == len(items) - 1, item) for index, item in enumerate(items)]
