"""The event store on a thread of its own: a slow, full, locked or missing database never delays a reply."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import logging
import secrets
import sqlite3
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from bot.errors import KawanError

if TYPE_CHECKING:
    from bot.admin.storage import EventStore

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Events waiting for a database that cannot be written; kept in memory only, the oldest dropped first.
MAX_PENDING = 10_000
# Seconds between retries after a failure, doubling up to the last.
RETRY_DELAYS = (1.0, 2.0, 5.0, 15.0, 60.0)
Notice = Callable[[str], None]
OPEN_WAIT = 3.0

UNAVAILABLE = ("⚠️ Statistik tidak bisa disimpan: {reason}\nBot tetap menjawab semua orang. Catatan disimpan "
               "sementara di memori (maksimal {limit}) dan ditulis begitu database bisa dipakai lagi; "
               "dicoba ulang otomatis.")
REOPENED = "⚠️ Berkas database {path} hilang saat bot berjalan; database dibuat ulang dan pencatatan berlanjut."
RECOVERED = "✅ Database statistik bisa dipakai lagi; {count} catatan yang tertunda sudah disimpan."


class StoreUnavailable(KawanError):
    """The statistics database cannot be used right now."""


class StoreThread:
    """Every call runs on one worker thread, in submission order; recording never raises into a handler.

    When the database cannot be opened or written, events wait in memory and are retried with back-off;
    `notify` (set by the shell) tells admins once when it fails and once when it works again.
    """

    def __init__(self, path: Path, secret: str, retention_days: int, executor: ThreadPoolExecutor,
                 delays: tuple[float, ...] = RETRY_DELAYS) -> None:
        self.path = Path(path)
        self._configured_secret = secret
        self.retention_days = retention_days
        self._executor = executor
        self._delays = delays
        self._store: EventStore | None = None
        self._pending: deque[tuple[str, dict[str, Any]]] = deque(maxlen=MAX_PENDING)
        self._failures = 0
        self._timer: threading.Timer | None = None
        self._closed = False
        self.trouble = ""  # why the database cannot be used now; empty when it can
        self.notify: Notice | None = None
        self._untold = ""
        self._vocabulary_source: Callable[[], frozenset[str]] = frozenset
        # Without a usable secret file, hashes and referral codes use this one until the database is back.
        self.secret = secret or secrets.token_urlsafe(32)

    @classmethod
    def open(cls, path: Path, secret: str = "", retention_days: int = 180,
             delays: tuple[float, ...] = RETRY_DELAYS, wait: float = OPEN_WAIT) -> StoreThread:
        """Open the database on the store's thread; a failure is remembered and retried, never raised.

        Waits at most `wait` seconds: a database locked by another process keeps opening in the background
        while the bot already answers people.
        """
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kawan-store")
        thread = cls(path, secret, retention_days, executor, delays)
        opening = executor.submit(thread._connect)
        try:
            opening.result(timeout=wait)
        except concurrent.futures.TimeoutError:
            logger.warning("Database %s belum terbuka setelah %.0f detik; bot tetap berjalan.", path, wait)
        return thread

    def set_notify(self, notify: Notice) -> None:
        """Where admin notices go; a notice raised before this was set is delivered now."""
        self.notify = notify
        untold, self._untold = self._untold, ""
        if untold:
            self._tell(untold)

    @property
    def store(self) -> EventStore:
        if self._store is None:
            raise StoreUnavailable(self.trouble or "database belum terbuka.")
        return self._store

    @property
    def available(self) -> bool:
        return self._store is not None and not self.trouble

    def set_vocabulary_source(self, source: Callable[[], frozenset[str]]) -> None:
        """Where the bot's current words come from, so capitalised ones are not mistaken for names."""
        self._vocabulary_source = source

    # On the store's thread ---------------------------------------------------------------------
    def _connect(self) -> bool:
        from bot.admin.storage import EventStore, StorageError  # imported late: only the running bot needs it

        old = self._store
        if old is not None:
            self._store = None
            with contextlib.suppress(sqlite3.Error):
                old.close()
        try:
            store = EventStore.open(self.path, self._configured_secret, self.retention_days,
                                    keep_secret=self.secret if old is not None or self._failures else "")
        except (StorageError, sqlite3.Error, OSError) as exc:
            self._failed(str(exc) if isinstance(exc, StorageError) else f"{type(exc).__name__}: {exc}")
            return False
        self._store = store
        self.secret = store.secret
        return True

    def _failed(self, reason: str) -> None:
        first = not self.trouble
        self.trouble = reason
        logger.error("Statistik tidak tersimpan: %s", reason)
        if first:
            self._tell(UNAVAILABLE.format(reason=reason, limit=MAX_PENDING))
        self._schedule_retry()

    def _schedule_retry(self) -> None:
        if self._closed or self._timer is not None:
            return
        delay = self._delays[min(self._failures, len(self._delays) - 1)]
        self._failures += 1
        self._timer = threading.Timer(delay, self._retry_now)
        self._timer.daemon = True
        self._timer.start()

    def _retry_now(self) -> None:
        self._timer = None
        with contextlib.suppress(RuntimeError):  # shutting down
            self._executor.submit(self._drain)

    def _tell(self, text: str) -> None:
        if self.notify is None:
            self._untold = text
            return
        try:
            self.notify(text)
        except Exception:  # a notice must never stop the recording
            logger.exception("Pemberitahuan ke admin gagal.")

    def _write(self, kind: str, fields: dict[str, Any]) -> None:
        self._pending.append((kind, fields))
        if self._timer is None:
            self._drain()

    def _drain(self) -> None:
        """Write every pending event, reopening the database when it vanished; stop at the first failure."""
        from bot.admin.storage import StorageError

        if self._store is None and not self._connect():
            return
        assert self._store is not None
        if not self._store.healthy():
            logger.error("Berkas database %s hilang; dibuat ulang.", self.path)
            if not self._connect():
                return
            self._tell(REOPENED.format(path=self.path))
        try:
            self._store.vocabulary = self._vocabulary_source()
        except Exception:  # masking still hides every capitalised word it cannot place
            logger.exception("Kosakata untuk penyamaran tidak tersedia.")
            self._store.vocabulary = frozenset()
        written = 0
        while self._pending:
            kind, fields = self._pending[0]
            try:
                self._store.record(kind, **fields)
            except (ValueError, TypeError):
                logger.error("Peristiwa %r ditolak dan dibuang.", kind)
            except (sqlite3.Error, StorageError, OSError) as exc:
                from bot.admin.storage import _operational

                reason = _operational(self.path, exc) if isinstance(exc, sqlite3.OperationalError) else str(exc)
                self._failed(reason)
                return
            self._pending.popleft()
            written += 1
        if self.trouble:
            self.trouble = ""
            self._untold = ""
            self._failures = 0
            logger.info("Database statistik bisa dipakai lagi; %d catatan tertunda disimpan.", written)
            self._tell(RECOVERED.format(count=written))

    # From any thread --------------------------------------------------------------------------
    def record(self, kind: str, **fields: Any) -> None:
        """Queue one event and return at once; a failure is logged (kind only, never the fields)."""
        try:
            future = self._executor.submit(self._write, kind, fields)
        except RuntimeError:
            # Shutting down: the last updates of a stopping bot may go uncounted, which is fine.
            return
        future.add_done_callback(lambda done: _log_failure(done, kind))

    async def call(self, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run `function(store, *args, **kwargs)` on the store's thread (reports, statistics)."""
        future = self._executor.submit(lambda: function(self.store, *args, **kwargs))
        return await asyncio.wrap_future(future)

    def pending(self) -> int:
        return len(self._pending)

    def flush(self) -> None:
        """Wait until every queued event is handled (tests, shutdown)."""
        self._executor.submit(lambda: None).result()

    def retry(self) -> None:
        """Try the pending events now (tests, and admins who fixed the disk)."""
        timer, self._timer = self._timer, None
        if timer is not None:
            timer.cancel()
        self._executor.submit(self._drain).result()

    def close(self) -> None:
        self._closed = True
        if self._timer is not None:
            self._timer.cancel()
        try:
            self._executor.submit(self._close_store).result()
        finally:
            self._executor.shutdown(wait=True)

    def _close_store(self) -> None:
        if self._pending and self._store is not None:
            self._drain()
        if self._pending:
            logger.error("%d catatan statistik tidak tersimpan saat bot berhenti.", len(self._pending))
        if self._store is not None:
            self._store.close()


def _log_failure(future: Future[None], kind: str) -> None:
    error = future.exception()
    if error is not None:
        logger.error("Peristiwa %r tidak tersimpan: %s", kind, type(error).__name__)
