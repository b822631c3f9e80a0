"""Volunteer cases in SQLite: numbers, timings and outcomes; the user's chat id only sealed with AES-GCM, until close."""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

if TYPE_CHECKING:
    from bot.admin.storage import EventStore

CASE_PREFIX = "#K-"
CASE_NUMBER = re.compile(r"#K-(\d+)")
# Cases a volunteer can still act on; closed and blocked ones keep only timings and the rating.
ACTIVE = ("open", "taken")
# "Answered in time" in the statistics, whatever the reminder timeout of the deployment.
ANSWER_TARGET = timedelta(hours=2)
NONCE_BYTES = 12
KEY_LABEL = b"kawan:case-chat-key:v1"
TIME_FORMAT = "%Y-%m-%dT%H:%M:%S"
VOTES = frozenset({"up", "down"})
CLOSERS = frozenset({"user", "volunteer", "block", "retention"})


def case_label(number: int) -> str:
    """1 -> "#K-0001": the only name a case ever has, in the group and for the user."""
    return f"{CASE_PREFIX}{number:04d}"


def _stamp(moment: datetime) -> str:
    moment = moment.astimezone(timezone.utc) if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return moment.strftime(TIME_FORMAT)


def _moment_of(stamp: str) -> datetime:
    return datetime.strptime(stamp, TIME_FORMAT).replace(tzinfo=timezone.utc)


def _moment(stamp: str | None) -> datetime | None:
    return _moment_of(stamp) if stamp else None


class ChatSealer:
    """AES-256-GCM with a key derived from the deployment's secret; the case number is bound in as associated data,
    so a sealed chat id copied to another case does not open."""

    def __init__(self, secret: str) -> None:
        self._aead = AESGCM(hmac.new(secret.encode(), KEY_LABEL, hashlib.sha256).digest())

    def seal(self, number: int, chat_id: int) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, str(chat_id).encode(), _aad(number))

    def unseal(self, number: int, blob: bytes) -> int | None:
        """The chat id, or None when the blob was sealed with another key or for another case."""
        try:
            return int(self._aead.decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], _aad(number)))
        except (InvalidTag, ValueError):
            return None


def _aad(number: int) -> bytes:
    return f"case:{number}".encode()


@dataclass(kw_only=True, frozen=True)
class Case:
    """One case as stored; `chat_id` is the unsealed user chat while the case is active, else None."""

    number: int
    status: str
    opened_at: datetime
    ref: str | None = None
    volunteer: str | None = None
    answered_at: datetime | None = None
    reminded_at: datetime | None = None
    rating: str | None = None
    media_warned: bool = False
    chat_id: int | None = None

    @property
    def label(self) -> str:
        return case_label(self.number)

    @property
    def active(self) -> bool:
        return self.status in ACTIVE


_COLUMNS = "number, status, opened_at, ref, volunteer, answered_at, reminded_at, rating, media_warned, chat"


def _case(row: tuple, sealer: ChatSealer) -> Case:
    number, status, opened, ref, volunteer, answered, reminded, rating, warned, blob = row
    return Case(number=number, status=status, opened_at=_moment_of(opened), ref=ref, volunteer=volunteer,
                answered_at=_moment(answered), reminded_at=_moment(reminded), rating=rating, media_warned=bool(warned),
                chat_id=sealer.unseal(number, blob) if blob else None)


def _get(db: sqlite3.Connection, sealer: ChatSealer, number: int) -> Case | None:
    row = db.execute(f"SELECT {_COLUMNS} FROM cases WHERE number = ?", (number,)).fetchone()
    return _case(row, sealer) if row else None


# Every function below takes the EventStore first, so the Telegram shell runs it with StoreThread.call.
def open_case(store: EventStore, chat_id: int, ref: str | None, now: datetime) -> Case:
    """A new case for this chat; the chat id is stored sealed, nothing else about the person is."""
    sealer = ChatSealer(store.secret)
    with store.transaction() as db:
        number = db.execute("INSERT INTO cases (opened_at, status, ref) VALUES (?, 'open', ?)",
                            (_stamp(now), ref)).lastrowid
        if number is None:
            raise RuntimeError("SQLite gave the new case no number")
        db.execute("UPDATE cases SET chat = ? WHERE number = ?", (sealer.seal(number, chat_id), number))
        case = _get(db, sealer, number)
        if case is None:
            raise RuntimeError(f"case {number} vanished inside its own transaction")
        return case


def get_case(store: EventStore, number: int) -> Case | None:
    with store.transaction() as db:
        return _get(db, ChatSealer(store.secret), number)


def active_chats(store: EventStore) -> dict[int, int]:
    """user chat id -> case number for every active case (the shell keeps this in memory only)."""
    sealer = ChatSealer(store.secret)
    with store.transaction() as db:
        rows = db.execute(f"SELECT {_COLUMNS} FROM cases WHERE status IN (?, ?) AND chat IS NOT NULL", ACTIVE)
        cases = [_case(row, sealer) for row in rows.fetchall()]
    return {case.chat_id: case.number for case in cases if case.chat_id is not None}


def referral_of(store: EventStore, user_id: int) -> str | None:
    """The volunteer code of the last link this person opened, found through the keyed user hash."""
    with store.transaction() as db:
        row = db.execute("SELECT ref FROM events WHERE kind = 'referral' AND user_hash = ? AND ref IS NOT NULL "
                         "ORDER BY id DESC LIMIT 1", (store.user_hash(user_id),)).fetchone()
    return row[0] if row else None


def link_message(store: EventStore, number: int, chat_id: int, message_id: int) -> None:
    """Remember that a group message belongs to a case, so a volunteer's reply to it finds the case."""
    with store.transaction() as db:
        db.execute("INSERT OR REPLACE INTO case_messages (chat_id, message_id, number) VALUES (?, ?, ?)",
                   (chat_id, message_id, number))


def case_of_message(store: EventStore, chat_id: int, message_id: int) -> Case | None:
    with store.transaction() as db:
        row = db.execute("SELECT number FROM case_messages WHERE chat_id = ? AND message_id = ?",
                         (chat_id, message_id)).fetchone()
        return _get(db, ChatSealer(store.secret), row[0]) if row else None


def take_case(store: EventStore, number: int, volunteer: str, now: datetime) -> tuple[bool, Case | None]:
    """(True, case) if this volunteer took the open case now; (False, case) if it was taken or ended before."""
    with store.transaction() as db:
        taken = db.execute("UPDATE cases SET status = 'taken', volunteer = ?, taken_at = ? "
                           "WHERE number = ? AND status = 'open'", (volunteer, _stamp(now), number)).rowcount
        return bool(taken), _get(db, ChatSealer(store.secret), number)


def mark_answered(store: EventStore, number: int, volunteer: str, now: datetime) -> None:
    """A volunteer's reply was delivered: the first one sets the answer time; an open case counts as taken."""
    with store.transaction() as db:
        db.execute("UPDATE cases SET answered_at = COALESCE(answered_at, ?) WHERE number = ?", (_stamp(now), number))
        db.execute("UPDATE cases SET status = 'taken', volunteer = ?, taken_at = ? WHERE number = ? AND status = 'open'",
                   (volunteer, _stamp(now), number))


def mark_media_warned(store: EventStore, number: int) -> None:
    with store.transaction() as db:
        db.execute("UPDATE cases SET media_warned = 1 WHERE number = ?", (number,))


def close_case(store: EventStore, number: int, by: str, now: datetime) -> Case | None:
    """End an active case and delete its sealed chat id; returns the case as it was (with the chat), or None
    when it had already ended."""
    if by not in CLOSERS:
        raise ValueError(f"unknown closer {by!r}")
    sealer = ChatSealer(store.secret)
    with store.transaction() as db:
        before = _get(db, sealer, number)
        if before is None or not before.active:
            return None
        db.execute("UPDATE cases SET status = ?, closed_at = ?, closed_by = ?, chat = NULL WHERE number = ?",
                   ("blocked" if by == "block" else "closed", _stamp(now), by, number))
        return before


def rate_case(store: EventStore, number: int, vote: str) -> bool:
    """The user's 👍/👎 on an ended case; only the first vote counts."""
    if vote not in VOTES:
        return False
    with store.transaction() as db:
        return bool(db.execute("UPDATE cases SET rating = ? WHERE number = ? AND status = 'closed' AND rating IS NULL",
                               (vote, number)).rowcount)


def overdue_cases(store: EventStore, timeout: timedelta, now: datetime) -> list[Case]:
    """Active cases without any volunteer reply after `timeout`, not yet reminded; marked reminded at once so a
    restart or a slow send never reminds twice."""
    sealer = ChatSealer(store.secret)
    with store.transaction() as db:
        rows = db.execute(f"SELECT {_COLUMNS} FROM cases WHERE status IN (?, ?) AND answered_at IS NULL "
                          "AND reminded_at IS NULL AND opened_at <= ? ORDER BY number",
                          (*ACTIVE, _stamp(now - timeout))).fetchall()
        db.executemany("UPDATE cases SET reminded_at = ? WHERE number = ?", [(_stamp(now), r[0]) for r in rows])
    return [_case(row, sealer) for row in rows]


def purge_cases(db: sqlite3.Connection, cutoff_day: str) -> None:
    """Retention (called by EventStore.purge under its lock): cases opened before the cutoff day go entirely,
    sealed chat id included, even when nobody closed them."""
    db.execute("DELETE FROM cases WHERE opened_at < ?", (cutoff_day,))
    db.execute("DELETE FROM case_messages WHERE number NOT IN (SELECT number FROM cases)")


# Statistics ---------------------------------------------------------------------------------------
@dataclass(kw_only=True, frozen=True)
class VolunteerCases:
    """One volunteer's cases, by the volunteer's code (a keyed hash, never the Telegram id)."""

    code: str
    taken: int
    answered_in_time: int
    closed: int
    up: int
    down: int


@dataclass(kw_only=True, frozen=True)
class CaseStats:
    opened: int
    taken: int
    answered: int
    answered_in_time: int
    closed: int
    blocked: int
    up: int
    down: int
    volunteers: tuple[VolunteerCases, ...]
    referrals: tuple[tuple[str, int], ...]  # cases opened by people who came through each volunteer link


def case_stats(store: EventStore, first_day: str, last_day: str) -> CaseStats:
    """Counts over cases opened between the two UTC days (inclusive); no identities involved."""
    span = (first_day, last_day + "T99")
    in_time = ("answered_at IS NOT NULL AND "
               f"(julianday(answered_at) - julianday(opened_at)) * 86400 <= {int(ANSWER_TARGET.total_seconds())}")
    where = "opened_at >= ? AND opened_at < ?"
    with store.transaction() as db:
        totals = db.execute(
            f"SELECT COUNT(*), COUNT(volunteer), COUNT(answered_at), COALESCE(SUM({in_time}), 0), "
            "COALESCE(SUM(status = 'closed'), 0), COALESCE(SUM(status = 'blocked'), 0), "
            "COALESCE(SUM(rating = 'up'), 0), COALESCE(SUM(rating = 'down'), 0) "
            f"FROM cases WHERE {where}", span).fetchone()
        volunteers = db.execute(
            f"SELECT volunteer, COUNT(*), SUM({in_time}), SUM(status IN ('closed', 'blocked')), SUM(rating IS 'up'), "
            f"SUM(rating IS 'down') FROM cases WHERE {where} AND volunteer IS NOT NULL "
            "GROUP BY volunteer ORDER BY COUNT(*) DESC, volunteer", span).fetchall()
        referrals = db.execute(f"SELECT ref, COUNT(*) FROM cases WHERE {where} AND ref IS NOT NULL "
                               "GROUP BY ref ORDER BY COUNT(*) DESC, ref", span).fetchall()
    opened, taken, answered, in_time_count, closed, blocked, up, down = totals
    return CaseStats(
        opened=opened, taken=taken, answered=answered, answered_in_time=in_time_count, closed=closed, blocked=blocked,
        up=up, down=down,
        volunteers=tuple(VolunteerCases(code=code, taken=n, answered_in_time=fast or 0, closed=ended or 0, up=good or 0,
                                        down=bad or 0) for code, n, fast, ended, good, bad in volunteers),
        referrals=tuple((ref, count) for ref, count in referrals))


def format_case_stats(stats: CaseStats) -> list[str]:
    """The "Bicara dengan relawan" section of the statistics report, in the small markup."""
    lines = ["", "*Bicara dengan relawan*",
             f"Kasus dibuka: {stats.opened} · diambil: {stats.taken} · dijawab: {stats.answered} "
             f"(dalam 2 jam: {stats.answered_in_time}) · selesai: {stats.closed} · diblokir: {stats.blocked}",
             f"Penilaian pengguna: {stats.up} 👍, {stats.down} 👎"]
    if stats.volunteers:
        lines.append("Per kode relawan (diambil / dijawab dalam 2 jam / selesai / 👍 / 👎):")
        lines += [f"- {v.code}: {v.taken} / {v.answered_in_time} / {v.closed} / {v.up} / {v.down}"
                  for v in stats.volunteers]
    if stats.referrals:
        lines.append("Kasus dari tautan relawan: " + ", ".join(f"{code} {count}" for code, count in stats.referrals))
    return lines
