"""The event store on a thread of its own, so a slow disk never delays a reply."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from bot.admin.storage import EventStore

logger = logging.getLogger(__name__)
T = TypeVar("T")


class StoreThread:
    """Every call runs on one worker thread, in submission order; recording never raises into a handler."""

    def __init__(self, store: EventStore, executor: ThreadPoolExecutor) -> None:
        self._store = store
        self._executor = executor
        self.secret: str = store.secret

    @classmethod
    def open(cls, path: Path, secret: str = "", retention_days: int = 180) -> StoreThread:
        from bot.admin.storage import EventStore  # imported late: only the running bot needs the database

        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kawan-store")
        try:
            store = executor.submit(EventStore.open, path, secret, retention_days).result()
        except BaseException:
            executor.shutdown(wait=False)
            raise
        return cls(store, executor)

    @property
    def store(self) -> EventStore:
        return self._store

    def record(self, kind: str, **fields: Any) -> None:
        """Queue one event and return at once; a failure is logged (kind only, never the fields)."""
        try:
            future = self._executor.submit(self._store.record, kind, **fields)
        except RuntimeError:
            # Shutting down: the last updates of a stopping bot may go uncounted, which is fine.
            return
        future.add_done_callback(lambda done: _log_failure(done, kind))

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `function(store, *args, **kwargs)` on the store's thread (reports, statistics)."""
        future = self._executor.submit(function, self._store, *args, **kwargs)
        return await asyncio.wrap_future(future)

    def flush(self) -> None:
        """Wait until every queued event is written (tests, shutdown)."""
        self._executor.submit(lambda: None).result()

    def close(self) -> None:
        try:
            self._executor.submit(self._store.close).result()
        finally:
            self._executor.shutdown(wait=True)


def _log_failure(future: Future[None], kind: str) -> None:
    error = future.exception()
    if error is not None:
        logger.error("Peristiwa %r tidak tersimpan: %s", kind, type(error).__name__)
