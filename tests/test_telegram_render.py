"""Rendering replies for Telegram: valid HTML only, splits below 4,096 at paragraphs, buttons within 64 bytes."""

from __future__ import annotations

import pytest

from bot.content.markup import to_html
from bot.core.conversation import Button, Engine, Reply
from bot.telegram import texts as tt
from bot.telegram.render import (
    MAX_CHUNK,
    keyboard,
    render,
    render_markup,
    render_plain,
    split_markup,
    utf16_length,
    without_feedback,
)
from tests.telegram_offline import html_problems, plain

LIMIT = 4096


def all_replies(engine: Engine) -> dict[str, Reply]:
    replies = {"welcome": engine.welcome(), "menu": engine.menu()}
    replies |= {f"group:{g.id}": engine.group(g.id) for g in engine.kb.groups}
    replies |= {f"topic:{t}": engine.answer(t) for t in engine.kb.topics}
    replies |= {f"more:{t}": engine.details(t) for t in engine.kb.topics}
    return replies


def test_every_real_reply_renders_to_valid_html_within_the_limits(engine: Engine) -> None:
    for name, reply in all_replies(engine).items():
        for message in render(reply):
            assert html_problems(message.html) == [], name
            assert utf16_length(message.html) < LIMIT, name
            for row in (message.keyboard.inline_keyboard if message.keyboard else ()):
                for button in row:
                    assert isinstance(button.callback_data, str) and len(button.callback_data.encode()) <= 64, name


@pytest.mark.parametrize(("markup", "html"), [
    ("*tebal*", "<b>tebal</b>"),
    ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("[KP2MI](https://kp2mi.go.id/?a=1&b=2)", '<a href="https://kp2mi.go.id/?a=1&amp;b=2">KP2MI</a>'),
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))"),
    ("satu * bintang", "satu * bintang"),
], ids=["bold", "escaped", "no-raw-html", "link", "no-js-link", "lone-star"])
def test_knowledge_text_is_escaped_and_only_allowed_tags_added(markup: str, html: str) -> None:
    (message,) = render_markup(markup)
    assert message.html == html
    assert html_problems(message.html) == []


def paragraphs(count: int, size: int) -> list[str]:
    return [f"*Bagian {n}* " + ("kata " * size).strip() for n in range(count)]


def test_long_answers_split_below_4096_at_paragraph_boundaries() -> None:
    parts = paragraphs(6, 300)  # about 1,500 characters each
    reply = Reply(text="\n\n".join(parts), kind="answer", topic="ltsa", buttons=((Button(label="📋 Menu", action="menu"),),))
    messages = render(reply)
    assert len(messages) > 1
    for message in messages:
        assert utf16_length(message.html) < LIMIT and html_problems(message.html) == []
        # Each message holds whole paragraphs: it starts where a paragraph starts.
        assert plain(message.html).startswith("Bagian ")
    assert [m.keyboard is not None for m in messages] == [False] * (len(messages) - 1) + [True]
    shown = "\n\n".join(plain(m.html) for m in messages)
    assert shown == plain(to_html(reply.text + "\n\n" + tt.FEEDBACK_QUESTION))


@pytest.mark.slow
def test_a_single_huge_paragraph_is_cut_between_words() -> None:
    text = " ".join(f"*kata{n}*" for n in range(3000))
    chunks = split_markup(text)
    assert len(chunks) > 1
    for chunk in chunks:
        html = to_html(chunk)
        assert utf16_length(html) <= MAX_CHUNK and html_problems(html) == []
        assert chunk.startswith("*kata") and chunk.endswith("*")
    assert " ".join(chunks) == text


def test_an_unbroken_run_is_cut_anywhere_but_stays_valid() -> None:
    chunks = split_markup("<&>" * 3000)
    assert all(utf16_length(to_html(c)) <= MAX_CHUNK and html_problems(to_html(c)) == [] for c in chunks)
    assert "".join(chunks) == "<&>" * 3000


def test_emoji_count_double_as_telegram_counts_them() -> None:
    chunks = split_markup("🙏" * 3000)
    assert len(chunks) == 2 and all(utf16_length(c) <= MAX_CHUNK for c in chunks)


def test_plain_text_is_shown_exactly_as_written() -> None:
    (message,) = render_plain("galat: tanda * tidak berpasangan di <b>")
    assert plain(message.html) == "galat: tanda * tidak berpasangan di <b>"
    assert "<b>" not in message.html


def test_buttons_whose_data_exceeds_64_bytes_are_left_out() -> None:
    rows = ((Button(label="ok", action="topic:ltsa"),), (Button(label="terlalu panjang", action="topic:" + "x" * 60),))
    markup = keyboard(rows)
    assert markup is not None
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [["topic:ltsa"]]
    assert keyboard(((Button(label="terlalu panjang", action="topic:" + "x" * 60),),)) is None


def test_answers_ask_for_feedback_and_menus_do_not(engine: Engine) -> None:
    (answer,) = render(engine.answer("ltsa"))
    assert answer.keyboard is not None
    assert plain(answer.html).endswith(tt.FEEDBACK_QUESTION)
    assert [b.callback_data for b in answer.keyboard.inline_keyboard[0]] == ["fb:up:ltsa", "fb:down:ltsa"]
    (menu,) = render(engine.menu())
    assert tt.FEEDBACK_QUESTION not in menu.html
    kept = without_feedback(answer.keyboard)
    assert kept is not None and kept.inline_keyboard == answer.keyboard.inline_keyboard[1:]


def test_the_first_message_is_one_message_with_a_selengkapnya_button(engine: Engine) -> None:
    (answer,) = render(engine.answer("biaya_penempatan"))
    assert answer.keyboard is not None
    buttons = [b for row in answer.keyboard.inline_keyboard for b in row]
    assert ("📖 Selengkapnya & sumber", "more:biaya_penempatan") in [(b.text, b.callback_data) for b in buttons]
    assert "Sumber" not in plain(answer.html)
