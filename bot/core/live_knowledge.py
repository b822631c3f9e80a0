"""The knowledge the running bot serves: reloaded on request or when files change, never replaced by broken data."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path

from bot.content.knowledge import data_files
from bot.content.p3mi_list import FOLDER as CHECK_FOLDER
from bot.core.conversation import Engine
from bot.errors import KnowledgeError
from bot.problems import Problem

logger = logging.getLogger(__name__)

# Admins edit on a laptop or over SSH; a few seconds is instant for them and costs nothing.
POLL_SECONDS = 3.0
WATCHED_SUFFIXES = frozenset({".yaml", ".yml", ".csv"})
DANGER_FILE = "intents/sinyal_darurat.yml"

Signature = tuple[tuple[str, int, int], ...]
Loader = Callable[[], Engine]
ReloadListener = Callable[[tuple[Problem, ...], Engine], Awaitable[None]]


def watched_files(folder: Path) -> list[Path]:
    """The loaded YAML files of a folder, plus the check data (P3MI copy, offer rules) in its cek/ subfolder."""
    checks = folder / CHECK_FOLDER
    extra = sorted(p for p in checks.glob("*") if p.suffix in WATCHED_SUFFIXES) if checks.is_dir() else []
    return data_files(folder) + extra


def snapshot(folders: Sequence[Path]) -> Signature:
    """Name, modification time and size of every file that is loaded: cheap to take, changes on every save."""
    found: list[tuple[str, int, int]] = []
    for folder in folders:
        try:
            paths = watched_files(folder)
        except OSError:
            continue
        for path in paths:
            try:
                stat = path.stat()
            except OSError:
                # Editors replace files by rename; a file can vanish between listing and stat (or be a broken link).
                found.append((str(path), -1, -1))
                continue
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def lost_danger(old: Engine, new: Engine) -> tuple[Problem, ...]:
    """A reload that would recognise fewer danger phrases is refused: detection must never drop silently."""
    lost = sorted(set(old.bundle.training.danger_phrases) - set(new.bundle.training.danger_phrases))
    if not lost:
        return ()
    examples = ", ".join(f"'{text}'" for text in lost[:3])
    return (Problem(path=DANGER_FILE, line=0, entry="", field="",
                    message=f"{len(lost)} frasa tanda bahaya hilang (misalnya {examples}); "
                    "muat ulang ditolak agar deteksi bahaya tidak berkurang diam-diam.",
                    fix="kembalikan frasanya. Bila memang sengaja dihapus: jalankan 'kawan validate', lalu mulai ulang "
                    "bot; data dibaca lengkap saat bot mulai."),)


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
            refused = lost_danger(self._engine, engine)
            if refused:
                self.signature = signature
                logger.warning("Muat ulang ditolak: frasa tanda bahaya berkurang.")
                return refused
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
