"""The knowledge the running bot serves: reloaded on request or when files change, never replaced by broken data."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bot.core.conversation import Engine
from bot.errors import KnowledgeError
from bot.problems import Problem

logger = logging.getLogger(__name__)

# Admins edit on a laptop or over SSH; a few seconds is instant for them and costs nothing.
POLL_SECONDS = 3.0
WATCHED_SUFFIXES = frozenset({".yaml", ".yml", ".csv"})

Signature = tuple[tuple[str, int, int], ...]
Loader = Callable[[], Engine]
ReloadListener = Callable[[tuple[Problem, ...], Engine], Awaitable[None]]


def snapshot(folders: Sequence[Path]) -> Signature:
    """Name, modification time and size of every YAML file: cheap to take, changes on every save."""
    found: list[tuple[str, int, int]] = []
    for folder in folders:
        try:
            paths = sorted(folder.rglob("*"))
        except OSError:
            continue
        for path in paths:
            if path.suffix not in WATCHED_SUFFIXES:
                continue
            try:
                stat = path.stat()
            except OSError:
                # Editors replace files by rename; a file can vanish between listing and stat.
                continue
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


class LiveKnowledge:
    """Holds the current Engine; a reload swaps it only when the new data is free of errors."""

    def __init__(self, loader: Loader, folders: Sequence[Path]) -> None:
        self._loader = loader
        self.folders = tuple(folders)
        self._lock = threading.Lock()
        # Taken before loading so an edit made during the first load is still noticed.
        self.signature = snapshot(self.folders)
        # At start-up broken data is fatal (KnowledgeError reaches the CLI): there is nothing to fall back on.
        self._engine = loader()

    @property
    def engine(self) -> Engine:
        return self._engine

    def reload(self) -> tuple[Problem, ...]:
        """Load again; on problems keep serving the previous engine and return them (empty on success)."""
        with self._lock:
            signature = snapshot(self.folders)
            try:
                engine = self._loader()
            except KnowledgeError as exc:
                self.signature = signature
                logger.warning("Muat ulang gagal, data lama tetap dipakai: %d galat.", len(exc.problems))
                for problem in exc.problems:
                    logger.warning("%s", problem)
                return exc.problems
            except Exception as exc:  # a half-written file must never take the bot down
                self.signature = signature
                logger.exception("Muat ulang gagal tanpa daftar galat; data lama tetap dipakai.")
                return (Problem(path="", line=0, entry="", field="",
                                message=f"data tidak bisa dibaca ({type(exc).__name__}: {exc}).",
                                fix="jalankan 'kawan validate' untuk melihat masalahnya."),)
            self._engine = engine
            self.signature = signature
            logger.info("Pengetahuan dimuat ulang: %d topik.", len(engine.kb.topics))
            return ()

    async def watch(self, listener: ReloadListener, interval: float = POLL_SECONDS) -> None:
        """Reload by itself when files change, then tell `listener` the outcome. Runs until cancelled.

        A change is reloaded only once the files have stayed the same for one interval, so an
        editor saving several files (or one file in several writes) causes one reload, not a storm.
        """
        pending: Signature | None = None
        while True:
            await asyncio.sleep(interval)
            current = await asyncio.to_thread(snapshot, self.folders)
            if current == self.signature:
                pending = None
                continue
            if current != pending:
                pending = current
                continue
            pending = None
            # Loading takes about a second of CPU; a thread keeps the conversation responsive meanwhile.
            problems = await asyncio.to_thread(self.reload)
            try:
                await listener(problems, self._engine)
            except Exception:  # a failed notification must not stop the watching
                logger.exception("Pemberitahuan hasil muat ulang gagal.")
