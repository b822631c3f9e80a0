"""Getting replies out on a patchy network: Telegram's rate limits, retries, one chat at a time."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Update
from telegram.error import BadRequest, NetworkError
from telegram.ext import AIORateLimiter, BaseUpdateProcessor

logger = logging.getLogger(__name__)

# Telegram answers 429 with a wait time; waiting and trying again is what it asks for.
RETRY_AFTER_ATTEMPTS = 3
# A dropped connection or timeout is usually gone a moment later; give up after about 3.5 seconds.
NETWORK_DELAYS = (0.5, 1.0, 2.0)
# getUpdates has its own endless retry loop in the Updater; retrying it here would only add delay.
NOT_RETRIED = frozenset({"getUpdates"})
# Generous: a flooding chat waits on its own lock while holding a slot; its dropped messages release it at once.
MAX_CONCURRENT_UPDATES = 256

JSON = bool | dict[str, Any] | list[dict[str, Any]]


class RetryingRateLimiter(AIORateLimiter):
    """PTB's limiter (30 messages a second overall, 20 a minute per group, RetryAfter honoured)
    plus retries of network errors, never of requests Telegram refused (BadRequest, Forbidden)."""

    def __init__(self, delays: tuple[float, ...] = NETWORK_DELAYS, **limits: Any) -> None:
        super().__init__(max_retries=RETRY_AFTER_ATTEMPTS, **limits)
        self._delays = delays

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, JSON]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> JSON:
        delays = () if endpoint in NOT_RETRIED else self._delays
        attempt = 0
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data, rate_limit_args)
            except BadRequest:
                raise  # a subclass of NetworkError, but sending it again gives the same answer
            except NetworkError as exc:
                # A timed-out send may have arrived after all; a rare duplicate beats a question left unanswered.
                if attempt >= len(delays):
                    raise
                logger.info("%s gagal (%s); dicoba lagi dalam %.1f detik.", endpoint, type(exc).__name__,
                            delays[attempt])
                await asyncio.sleep(delays[attempt])
                attempt += 1


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """Many chats at once, but each chat's updates in the order they came.

    One person's second question must not be answered before their first, while a slow reply to
    one person must not hold up everybody else.
    """

    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, asyncio.Lock] = {}
        self._waiting: dict[int, int] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        key = chat.id
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._waiting[key] = self._waiting.get(key, 0) + 1
        try:
            async with lock:
                await coroutine
        finally:
            self._waiting[key] -= 1
            if not self._waiting[key]:
                # Forget quiet chats so memory does not grow with every person who ever wrote.
                del self._waiting[key]
                del self._locks[key]

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""
