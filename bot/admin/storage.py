"""Anonymous usage events in SQLite: keyed-hash user ids, masked texts, automatic schema and retention."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import re
import secrets
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from bot.admin.anonymise import mask
from bot.admin.cases import purge_cases
from bot.admin.referral import CODE_PATTERN
from bot.errors import KawanError, os_reason

KINDS = frozenset({
    "message", "answer", "fallback", "clarify", "emergency", "feedback_up", "feedback_down", "referral", "start",
    # Cek tawaran / Cek PT: counted only; neither the offer nor any company name is stored.
    "check", "check_card",
})
# Only these keep the (masked) question: admins need them to find what the bot cannot answer yet.
TEXT_KINDS = frozenset({"fallback", "clarify", "feedback_down"})
# An answer below this confidence is "low confidence" and keeps its question too (same bar as the engine's).
MAX_TEXT = 300
# Masking is linear, but a shell that does not bound its input must not make the store thread busy for long.
MAX_MASKED = 8192
MAX_FIELD = 64
# Topic ids as the knowledge validator allows them: anything else (forged button data) is never stored.
TOPIC_ID = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
FILE_MODE = 0o600
# How long a write waits for another process's lock before it is retried later by the store thread.
BUSY_TIMEOUT = 5.0
SETUP_ATTEMPTS = 5
# 16 hex digits (64 bits): unique users are counted without any collision worth mentioning.
USER_HASH_CHARS = 16
SECRET_SUFFIX = ".secret"

# MIGRATIONS[n] takes a database from user_version n to n + 1, one statement per string; append, never edit a
# released step.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """
        CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            day TEXT NOT NULL,          -- UTC date, YYYY-MM-DD
            time TEXT NOT NULL,         -- UTC time of day, HH:MM:SS
            kind TEXT NOT NULL,
            user_hash TEXT,             -- HMAC-SHA256 of the Telegram id with the secret, truncated
            topic TEXT,
            confidence REAL,
            text TEXT,                  -- masked, only for questions the bot could not answer well
            ref TEXT                    -- volunteer referral code
        )
        """,
        "CREATE INDEX events_day_kind ON events (day, kind)",
    ),
    (
        # Volunteer cases (bot/admin/cases.py): timings and outcomes; the user's chat only encrypted, until close.
        """
        CREATE TABLE cases (
            number INTEGER PRIMARY KEY AUTOINCREMENT,  -- shown as #K-0001; never reused
            opened_at TEXT NOT NULL,    -- UTC, YYYY-MM-DDTHH:MM:SS
            status TEXT NOT NULL,       -- open, taken, closed, blocked
            ref TEXT,                   -- referral code of the volunteer link the user came through
            volunteer TEXT,             -- referral code of the volunteer who took the case
            taken_at TEXT,
            answered_at TEXT,           -- first volunteer reply delivered
            reminded_at TEXT,
            closed_at TEXT,
            closed_by TEXT,             -- user, volunteer or retention
            rating TEXT,                -- up or down
            media_warned INTEGER NOT NULL DEFAULT 0,
            chat BLOB                   -- AES-GCM sealed user chat id; NULL once the case ends
        )
        """,
        """
        CREATE TABLE case_messages (
            chat_id INTEGER NOT NULL,   -- the volunteers' group
            message_id INTEGER NOT NULL,
            number INTEGER NOT NULL,
            PRIMARY KEY (chat_id, message_id)
        )
        """,
        "CREATE INDEX cases_status ON cases (status)",
    ),
    # The danger signal id behind an emergency reply (e.g. "kurungan.dikunci"); never the message.
    ("ALTER TABLE events ADD COLUMN signal TEXT",),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StorageError(KawanError):
    """The event database cannot be opened or has an unknown shape."""


@dataclass(kw_only=True, frozen=True)
class DayCount:
    day: date
    messages: int
    answered: int
    fallback: int


@dataclass(kw_only=True, frozen=True)
class TopicFeedback:
    topic: str
    up: int
    down: int


@dataclass(kw_only=True, frozen=True)
class Stats:
    """Everything the statistics report shows, for the days first..last (UTC, inclusive)."""

    first: date
    last: date
    kinds: dict[str, int]
    users: int
    days: tuple[DayCount, ...]
    topics: tuple[tuple[str, int], ...]
    feedback: tuple[TopicFeedback, ...]
    referrals: tuple[tuple[str, int], ...]
    signals: tuple[tuple[str, int], ...] = ()

    def count(self, kind: str) -> int:
        return self.kinds.get(kind, 0)


@dataclass(kw_only=True, frozen=True)
class StoredQuestion:
    """One stored question the bot could not answer well; `text` is already masked."""

    text: str
    kind: str
    topic: str | None
    confidence: float | None


def _utc(now: datetime | None) -> datetime:
    now = now or datetime.now(timezone.utc)
    return now.astimezone(timezone.utc) if now.tzinfo else now.replace(tzinfo=timezone.utc)


def window(days: int, now: datetime | None = None) -> tuple[date, date]:
    """The last `days` UTC days up to and including today."""
    last = _utc(now).date()
    return last - timedelta(days=max(days, 1) - 1), last


def _private(path: Path) -> None:
    """Owner-only permissions on a file that exists (database, WAL, shared memory, secret)."""
    try:
        if stat.S_IMODE(path.stat().st_mode) != FILE_MODE:
            path.chmod(FILE_MODE)
    except FileNotFoundError:
        pass


def _load_secret(path: Path, fallback: str = "") -> str:
    """The secret kept beside the database, created with mode 0600 the first time.

    Written to a temporary file and linked into place, so a full disk or a crash never leaves an empty
    secret behind, and two processes starting at once agree on one secret. An empty file (left by an
    older version) held no usable secret and is replaced. `fallback` is written instead of a new random
    secret (a database folder deleted while running keeps its users' hashes).
    """
    for _ in range(3):
        try:
            value = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            value = None
        except OSError as exc:
            raise StorageError(f"berkas rahasia {path} tidak bisa dibaca: {os_reason(exc)}") from exc
        if value:
            _private(path)
            return value
        fresh = fallback or secrets.token_urlsafe(32)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(fresh + "\n")
                handle.flush()
                os.fsync(handle.fileno())
            if value is None:
                os.link(temporary, path)  # fails if another process linked its secret first
            else:
                os.replace(temporary, path)  # the empty leftover
        except FileExistsError:
            continue
        except OSError as exc:
            raise StorageError(f"berkas rahasia {path} tidak bisa ditulis: {os_reason(exc)}") from exc
        finally:
            with contextlib.suppress(OSError):
                temporary.unlink()
        return fresh
    raise StorageError(f"berkas rahasia {path} tidak bisa dibuat.")


class EventStore:
    """One SQLite connection shared by the bot's threads behind a lock; every record() is committed at once."""

    def __init__(self, connection: sqlite3.Connection, path: Path, secret: str, retention_days: int) -> None:
        self._db = connection
        self._lock = threading.Lock()
        self.path = path
        self.secret = secret
        self.retention_days = retention_days
        self._purged_on: date | None = None
        self._identity = _identity(path)
        # The bot's words (lower case): capitalised words outside it are masked as names.
        self.vocabulary: frozenset[str] = frozenset()

    @classmethod
    def open(cls, path: Path, secret: str = "", retention_days: int = 180,
             keep_secret: str = "") -> EventStore:
        """Create or migrate the database; an empty secret means one generated and kept beside the db.

        `keep_secret` is the secret to write back if the file beside the database is gone (reopening).
        """
        path = Path(path)
        if path.is_dir():
            raise StorageError(f"KAWAN_DB menunjuk ke folder {path}, bukan berkas; isi dengan nama berkas, "
                               f"misalnya {path / 'kawan.sqlite3'}.")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            secret = secret or _load_secret(path.with_name(path.name + SECRET_SUFFIX), keep_secret)
            # Created owner-only before SQLite opens it: its WAL and shared memory files copy these permissions.
            os.close(os.open(path, os.O_RDWR | os.O_CREAT, FILE_MODE))
        except PermissionError as exc:
            raise StorageError(f"database {path} tidak bisa ditulis (izin berkas atau folder hanya-baca).") from exc
        except OSError as exc:
            raise StorageError(f"database {path} tidak bisa dibuka: {os_reason(exc)}") from exc
        for suffix in ("", "-wal", "-shm"):
            _private(Path(f"{path}{suffix}"))
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=BUSY_TIMEOUT)
        store = cls(connection, path, secret, retention_days)
        try:
            _setup(connection, path)
            store.purge()
        except sqlite3.OperationalError as exc:
            connection.close()
            raise StorageError(_operational(path, exc)) from exc
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise StorageError(f"{path} bukan database Kawan Migran yang bisa dipakai: {exc}") from exc
        except StorageError:
            connection.close()
            raise
        store._identity = _identity(path)
        return store

    def backup(self, target: Path) -> int:
        """Copy the live database with SQLite's online backup (consistent while the bot writes); returns pages."""
        target = Path(target)
        if target.exists():
            raise StorageError(f"{target} sudah ada; pilih nama berkas lain agar cadangan lama tidak tertimpa.")
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        except OSError as exc:
            raise StorageError(f"{target} tidak bisa ditulis: {os_reason(exc)}") from exc
        copied = 0

        def progress(status: int, remaining: int, total: int) -> None:
            nonlocal copied
            copied = total

        destination = sqlite3.connect(target)
        try:
            with self._lock:
                self._db.backup(destination, pages=256, progress=progress)
        except sqlite3.Error as exc:
            destination.close()
            target.unlink(missing_ok=True)
            raise StorageError(f"cadangan ke {target} gagal: {exc}") from exc
        destination.close()
        return copied

    def healthy(self) -> bool:
        """False when the database file was deleted or replaced under the running bot."""
        return _identity(self.path) == self._identity

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> EventStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Writing ----------------------------------------------------------------------------------
    def user_hash(self, user_id: int) -> str:
        """A keyed hash: the same person is counted once, and the id cannot be read back."""
        digest = hmac.new(self.secret.encode(), f"user:{user_id}".encode(), hashlib.sha256).hexdigest()
        return digest[:USER_HASH_CHARS]

    def record(self, kind: str, user_id: int | None = None, topic: str | None = None,
               confidence: float | None = None, text: str | None = None, ref: str | None = None,
               at: datetime | None = None, unsure: bool = False, signal: str | None = None) -> None:
        """Store one event; text is kept (masked) only for questions the bot could not answer well.

        `unsure` marks an answer the engine was not confident of; the engine, not storage, decides that.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        kept = None
        if text and (kind in TEXT_KINDS or unsure):
            kept = _shorten(mask(text[:MAX_MASKED], self.vocabulary)) or None
        when = _utc(at)
        if at is None and self._purged_on != when.date():
            self.purge(when)  # the first event of each day purges, so a bot running for months stays within retention
        row = (
            when.date().isoformat(), when.strftime("%H:%M:%S"), kind,
            self.user_hash(user_id) if user_id is not None else None,
            topic if topic and TOPIC_ID.match(topic) else None,
            float(confidence) if confidence is not None else None,
            kept,
            ref if ref and CODE_PATTERN.match(ref) else None,
            signal[:MAX_FIELD] if signal and kind == "emergency" else None,
        )
        with self._lock:
            self._db.execute("INSERT INTO events (day, time, kind, user_hash, topic, confidence, text, ref, signal) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", row)

    def purge(self, now: datetime | None = None) -> int:
        """Delete events older than retention_days; returns how many were deleted."""
        today = _utc(now).date()
        cutoff = (today - timedelta(days=self.retention_days)).isoformat()
        with self._lock:
            deleted = self._db.execute("DELETE FROM events WHERE day < ?", (cutoff,)).rowcount
            purge_cases(self._db, cutoff)
            # secure_delete overwrote the rows in the database; the WAL still holds the old pages until it is
            # checkpointed and truncated.
            with contextlib.suppress(sqlite3.OperationalError):
                self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self._purged_on = today
        return deleted

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection under the lock, inside one transaction (committed on success, else rolled back)."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    # Reading ----------------------------------------------------------------------------------
    def _rows(self, sql: str, params: Sequence[object]) -> list[tuple]:
        with self._lock:
            return self._db.execute(sql, params).fetchall()

    def stats(self, days: int = 7, now: datetime | None = None) -> Stats:
        """Counts for the statistics report over the last `days` UTC days."""
        first, last = window(days, now)
        span = (first.isoformat(), last.isoformat())
        where = "day BETWEEN ? AND ?"
        kinds = dict(self._rows(f"SELECT kind, COUNT(*) FROM events WHERE {where} GROUP BY kind", span))
        users = self._rows(f"SELECT COUNT(DISTINCT user_hash) FROM events WHERE {where}", span)[0][0]
        per_day = self._rows(
            "SELECT day, SUM(kind = 'message'), SUM(kind = 'answer'), SUM(kind = 'fallback') "
            f"FROM events WHERE {where} GROUP BY day ORDER BY day", span)
        topics = self._rows(
            f"SELECT topic, COUNT(*) FROM events WHERE {where} AND kind IN ('answer', 'emergency') "
            "AND topic IS NOT NULL GROUP BY topic ORDER BY COUNT(*) DESC, topic", span)
        feedback = self._rows(
            "SELECT topic, SUM(kind = 'feedback_up'), SUM(kind = 'feedback_down') FROM events "
            f"WHERE {where} AND kind IN ('feedback_up', 'feedback_down') AND topic IS NOT NULL "
            "GROUP BY topic ORDER BY SUM(kind = 'feedback_down') DESC, COUNT(*) DESC, topic", span)
        # People reached per code: a person who opens the same link twice counts once.
        referrals = self._rows(
            "SELECT ref, COUNT(DISTINCT COALESCE(user_hash, id)) FROM events "
            f"WHERE {where} AND kind = 'referral' AND ref IS NOT NULL GROUP BY ref ORDER BY 2 DESC, ref", span)
        signals = self._rows(
            f"SELECT signal, COUNT(*) FROM events WHERE {where} AND kind = 'emergency' AND signal IS NOT NULL "
            "GROUP BY signal ORDER BY COUNT(*) DESC, signal", span)
        return Stats(
            first=first, last=last, kinds=kinds, users=users,
            days=tuple(DayCount(day=date.fromisoformat(d), messages=m, answered=a, fallback=f)
                       for d, m, a, f in per_day),
            topics=tuple((t, n) for t, n in topics),
            feedback=tuple(TopicFeedback(topic=t, up=up, down=down) for t, up, down in feedback),
            referrals=tuple((r, n) for r, n in referrals),
            signals=tuple((g, n) for g, n in signals),
        )

    def unanswered(self, days: int = 30, now: datetime | None = None) -> list[StoredQuestion]:
        """Stored (masked) questions of the last `days` days, oldest first."""
        first, last = window(days, now)
        rows = self._rows("SELECT text, kind, topic, confidence FROM events WHERE day BETWEEN ? AND ? "
                          "AND text IS NOT NULL ORDER BY day, time, id", (first.isoformat(), last.isoformat()))
        return [StoredQuestion(text=text, kind=kind, topic=topic, confidence=confidence)
                for text, kind, topic, confidence in rows]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _shorten(text: str) -> str:
    """At most MAX_TEXT characters, cut at a word boundary."""
    if len(text) <= MAX_TEXT:
        return text
    cut = text[:MAX_TEXT]
    space = cut.rfind(" ")
    return cut[:space] if space > MAX_TEXT // 2 else cut


def _operational(path: Path, exc: sqlite3.OperationalError) -> str:
    """Why SQLite could not use the file, in words an admin can act on."""
    reason = str(exc).lower()
    if "readonly" in reason or "read-only" in reason:
        return f"database {path} hanya bisa dibaca (read-only); beri izin tulis pada berkas dan foldernya."
    if "locked" in reason or "busy" in reason:
        return f"database {path} sedang dikunci proses lain; dicoba lagi nanti."
    if "disk" in reason or "full" in reason:
        return f"disk untuk database {path} penuh; kosongkan ruang disk."
    return f"database {path} tidak bisa dipakai: {exc}"


def _setup(connection: sqlite3.Connection, path: Path) -> None:
    """WAL, durable commits, secure deletion and the schema; a brief lock by another process is waited out."""
    for attempt in range(SETUP_ATTEMPTS):
        try:
            connection.execute("PRAGMA secure_delete=ON")
            connection.execute("PRAGMA journal_mode=WAL")
            # FULL syncs the WAL on each commit: neither kill -9 nor a power cut loses a committed event.
            connection.execute("PRAGMA synchronous=FULL")
            _migrate(connection, path)
            return
        except sqlite3.OperationalError as exc:
            # Two processes creating one fresh database race for the first write; the loser retries.
            if "locked" not in str(exc).lower() or attempt == SETUP_ATTEMPTS - 1:
                raise
            time.sleep(0.05 * (attempt + 1))


def _migrate(connection: sqlite3.Connection, path: Path) -> None:
    """Bring the schema to SCHEMA_VERSION, one step per transaction."""
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StorageError(f"{path} dibuat oleh versi Kawan Migran yang lebih baru (skema {version}, "
                           f"versi ini mengenal sampai {SCHEMA_VERSION}); perbarui program ini.")
    for step in range(version, SCHEMA_VERSION):
        # executescript() would commit on its own; run the statements inside one explicit transaction.
        connection.execute("BEGIN IMMEDIATE")
        try:
            # Another process may have migrated while this one waited for the lock.
            if connection.execute("PRAGMA user_version").fetchone()[0] > step:
                connection.execute("COMMIT")
                continue
            for statement in MIGRATIONS[step]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {step + 1}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
