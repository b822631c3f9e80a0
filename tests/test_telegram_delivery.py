"""Delivery plumbing: per-chat order with cross-chat concurrency, the event store thread, logs without the token."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest
from telegram import Update

from bot.admin.store_thread import StoreThread
from bot.telegram.app import TokenRedactor, webhook_path
from bot.telegram.delivery import PerChatUpdateProcessor
from tests import telegram_payloads as tp


def update(chat: int) -> Update:
    return Update.de_json(tp.message_update("halo", chat), None)


def test_one_chat_in_order_while_other_chats_go_ahead() -> None:
    events: list[str] = []

    async def work(name: str, delay: float) -> None:
        events.append(f"start {name}")
        await asyncio.sleep(delay)
        events.append(f"end {name}")

    async def scenario() -> None:
        processor = PerChatUpdateProcessor()
        await asyncio.gather(
            processor.process_update(update(1), work("a1", 0.05)),
            processor.process_update(update(1), work("a2", 0.0)),
            processor.process_update(update(2), work("b1", 0.0)),
        )
        # Locks of quiet chats are forgotten.
        assert processor._locks == {} and processor._waiting == {}

    asyncio.run(scenario())
    assert events.index("end a1") < events.index("start a2")  # same chat: strictly one after the other
    assert events.index("end b1") < events.index("end a1")  # another chat is not held up by a slow reply


def test_the_store_thread_records_in_order_and_never_raises(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    store = StoreThread.open(tmp_path / "kawan.sqlite3", "rahasia")
    try:
        assert store.secret == "rahasia"
        with caplog.at_level(logging.ERROR):
            store.record("message", user_id=5)
            store.record("tidak_dikenal", user_id=5, text="isi pesan rahasia")
            store.record("fallback", user_id=5, text="pertanyaan")
            store.flush()
        assert "tidak_dikenal" in caplog.text and "isi pesan rahasia" not in caplog.text
        stats = store.store.stats(days=1)
        assert (stats.count("message"), stats.count("fallback"), stats.users) == (1, 1, 1)
        assert asyncio.run(store.call(lambda s, days: s.stats(days=days).count("message"), 1)) == 1
    finally:
        store.close()


def test_the_store_keeps_a_generated_secret_when_none_is_given(tmp_path: Path) -> None:
    first = StoreThread.open(tmp_path / "kawan.sqlite3")
    first.close()
    second = StoreThread.open(tmp_path / "kawan.sqlite3")
    second.close()
    assert first.secret and first.secret == second.secret


def test_the_token_is_redacted_from_every_log_record(caplog: pytest.LogCaptureFixture) -> None:
    record = logging.LogRecord("httpx", logging.INFO, __file__, 1, "HTTP Request: POST %s", (
        f"https://api.telegram.org/bot{tp.TOKEN}/getUpdates",), None)
    assert TokenRedactor(tp.TOKEN).filter(record)
    assert record.getMessage() == "HTTP Request: POST https://api.telegram.org/bot<TOKEN>/getUpdates"


@pytest.mark.parametrize(("url", "path"), [
    ("https://kawan.example.org/telegram/hook", "telegram/hook"),
    ("https://kawan.example.org/", ""),
    ("https://kawan.example.org:8443/bot", "bot"),
])
def test_the_webhook_listens_on_the_path_of_its_url(url: str, path: str) -> None:
    assert webhook_path(url) == path
