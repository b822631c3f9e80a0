"""Anonymous usage events in SQLite: keyed-hash user ids, masked texts, automatic schema and retention."""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from bot.admin.anonymise import mask
from bot.admin.cases import purge_cases
from bot.errors import KawanError

KINDS = frozenset({
    "message", "answer", "fallback", "clarify", "emergency", "feedback_up", "feedback_down", "referral", "start",
    # Cek tawaran / Cek PT: counted only; neither the offer nor any company name is stored.
    "check", "check_card",
})
# Only these keep the (masked) question: admins need them to find what the bot cannot answer yet.
TEXT_KINDS = frozenset({"fallback", "clarify", "feedback_down"})
# An answer below this confidence is "low confidence" and keeps its question too (same bar as the engine's).
MAX_TEXT = 300
MAX_FIELD = 64
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


def _load_secret(path: Path) -> str:
    """The secret kept beside the database, created with mode 0600 the first time."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        value = path.read_text(encoding="utf-8").strip()
        if not value:
            raise StorageError(f"berkas rahasia {path} kosong; hapus berkas itu agar dibuat ulang.") from None
        return value
    value = secrets.token_urlsafe(32)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(value + "\n")
    return value


class EventStore:
    """One SQLite connection shared by the bot's threads behind a lock; every record() is committed at once."""

    def __init__(self, connection: sqlite3.Connection, path: Path, secret: str, retention_days: int) -> None:
        self._db = connection
        self._lock = threading.Lock()
        self.path = path
        self.secret = secret
        self.retention_days = retention_days
        self._purged_on: date | None = None

    @classmethod
    def open(cls, path: Path, secret: str = "", retention_days: int = 180) -> EventStore:
        """Create or migrate the database; an empty secret means one generated and kept beside the db."""
        path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            secret = secret or _load_secret(path.with_name(path.name + SECRET_SUFFIX))
            # isolation_level=None: autocommit, so each event is durable as soon as record() returns.
            connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=10)
        except OSError as exc:
            raise StorageError(f"database {path} tidak bisa dibuka: {exc}") from exc
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            # FULL syncs the WAL on each commit: neither kill -9 nor a power cut loses a committed event.
            connection.execute("PRAGMA synchronous=FULL")
            # Deleted rows are overwritten, not left in free pages: an ended case's sealed chat id is really gone.
            connection.execute("PRAGMA secure_delete=ON")
            _migrate(connection, path)
        except sqlite3.DatabaseError as exc:
            connection.close()
            raise StorageError(f"{path} bukan database Kawan Migran yang bisa dipakai: {exc}") from exc
        except StorageError:
            connection.close()
            raise
        store = cls(connection, path, secret, retention_days)
        store.purge()
        return store

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
               at: datetime | None = None, unsure: bool = False) -> None:
        """Store one event; text is kept (masked) only for questions the bot could not answer well.

        `unsure` marks an answer the engine was not confident of; the engine, not storage, decides that.
        """
        if kind not in KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        kept = None
        if text and (kind in TEXT_KINDS or unsure):
            kept = " ".join(mask(text).split())[:MAX_TEXT] or None
        when = _utc(at)
        if at is None and self._purged_on != when.date():
            self.purge(when)  # the first event of each day purges, so a bot running for months stays within retention
        row = (
            when.date().isoformat(), when.strftime("%H:%M:%S"), kind,
            self.user_hash(user_id) if user_id is not None else None,
            topic[:MAX_FIELD] if topic else None,
            float(confidence) if confidence is not None else None,
            kept,
            ref[:MAX_FIELD] if ref else None,
        )
        with self._lock:
            self._db.execute("INSERT INTO events (day, time, kind, user_hash, topic, confidence, text, ref) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)

    def purge(self, now: datetime | None = None) -> int:
        """Delete events older than retention_days; returns how many were deleted."""
        today = _utc(now).date()
        cutoff = (today - timedelta(days=self.retention_days)).isoformat()
        with self._lock:
            deleted = self._db.execute("DELETE FROM events WHERE day < ?", (cutoff,)).rowcount
            purge_cases(self._db, cutoff)
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
        return Stats(
            first=first, last=last, kinds=kinds, users=users,
            days=tuple(DayCount(day=date.fromisoformat(d), messages=m, answered=a, fallback=f)
                       for d, m, a, f in per_day),
            topics=tuple((t, n) for t, n in topics),
            feedback=tuple(TopicFeedback(topic=t, up=up, down=down) for t, up, down in feedback),
            referrals=tuple((r, n) for r, n in referrals),
        )

    def unanswered(self, days: int = 30, now: datetime | None = None) -> list[StoredQuestion]:
        """Stored (masked) questions of the last `days` days, oldest first."""
        first, last = window(days, now)
        rows = self._rows("SELECT text, kind, topic, confidence FROM events WHERE day BETWEEN ? AND ? "
                          "AND text IS NOT NULL ORDER BY day, time, id", (first.isoformat(), last.isoformat()))
        return [StoredQuestion(text=text, kind=kind, topic=topic, confidence=confidence)
                for text, kind, topic, confidence in rows]


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
            for statement in MIGRATIONS[step]:
                connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {step + 1}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
