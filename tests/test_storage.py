"""The event store on real SQLite files: no raw ids, masked texts only where needed, retention, WAL, kill -9."""

from __future__ import annotations

import os
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.admin.storage import SCHEMA_VERSION, EventStore, StorageError
from tests.conftest import ROOT

USER_ID = 987654321
NOW = datetime(2026, 11, 28, 10, 30, tzinfo=timezone.utc)


def raw_bytes(db: Path) -> bytes:
    """The database as it lies on disk, write-ahead log included."""
    files = [db, db.with_name(db.name + "-wal")]
    return b"".join(path.read_bytes() for path in files if path.exists())


def rows(db: Path, sql: str = "SELECT kind, user_hash, topic, confidence, text, ref FROM events ORDER BY id") -> list:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_user_ids_are_never_stored_raw(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="rahasia") as store:
        for kind in ("start", "message", "answer", "fallback", "feedback_down"):
            store.record(kind, USER_ID, topic="syarat_pmi", confidence=0.2, text="pertanyaan")
        data = raw_bytes(db)
        expected = store.user_hash(USER_ID)
    for form in (str(USER_ID).encode(), USER_ID.to_bytes(4, "big"), USER_ID.to_bytes(4, "little"),
                 USER_ID.to_bytes(8, "big"), USER_ID.to_bytes(8, "little")):
        assert form not in data
    assert {row[1] for row in rows(db)} == {expected}
    assert len(expected) == 16 and expected != str(USER_ID)


def test_same_person_same_hash_other_secret_other_hash(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "a.db", secret="satu") as one, EventStore.open(tmp_path / "b.db", secret="dua") as two:
        assert one.user_hash(USER_ID) == one.user_hash(USER_ID)
        assert one.user_hash(USER_ID) != one.user_hash(USER_ID + 1)
        assert one.user_hash(USER_ID) != two.user_hash(USER_ID)


@pytest.mark.parametrize(("kind", "confidence", "kept"), [
    ("fallback", 0.1, True),
    ("clarify", 0.4, True),
    ("feedback_down", None, True),
    ("answer", 0.3, True),          # low confidence: admins should see it
    ("answer", 0.9, False),
    ("message", None, False),
    ("emergency", 1.0, False),      # the most sensitive messages are never kept
    ("feedback_up", None, False),
    ("start", None, False),
])
def test_text_is_kept_only_for_questions_answered_badly_and_always_masked(
        tmp_path: Path, kind: str, confidence: float | None, kept: bool) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="s") as store:
        store.record(kind, USER_ID, confidence=confidence, text="tolong hubungi 0812-3456-7890 atau budi@mail.com",
                     unsure=kind == "answer" and confidence is not None and confidence < 0.5)
    text = rows(db)[0][4]
    assert text == ("tolong hubungi [nomor] atau [email]" if kept else None)
    assert b"0812-3456-7890" not in raw_bytes(db)


def test_stored_text_is_truncated_and_on_one_line(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="s") as store:
        store.record("fallback", text="kata  " * 200 + "\nbaris baru")
    text = rows(db)[0][4]
    assert len(text) <= 300 and "\n" not in text and "  " not in text
    assert text.split()[-1] == "kata"  # cut between words, never inside one


def test_unknown_kind_is_a_programming_error(tmp_path: Path) -> None:
    with EventStore.open(tmp_path / "k.db", secret="s") as store, pytest.raises(ValueError):
        store.record("klik")


def test_timestamps_are_utc_day_and_time(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    wita = timezone(timedelta(hours=8))
    with EventStore.open(db, secret="s") as store:
        store.record("message", at=datetime(2026, 11, 29, 7, 15, 0, tzinfo=wita))
    assert rows(db, "SELECT day, time FROM events") == [("2026-11-28", "23:15:00")]


def test_retention_deletes_old_events(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="s", retention_days=30) as store:
        for days_ago in (0, 29, 30, 31, 400):
            store.record("message", topic=f"t{days_ago}", at=NOW - timedelta(days=days_ago))
        assert store.purge(now=NOW) == 2
    assert [row[2] for row in rows(db)] == ["t0", "t29", "t30"]


def test_retention_runs_when_the_store_opens(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="s", retention_days=180) as store:
        store.record("message", at=datetime.now(timezone.utc) - timedelta(days=200))
        store.record("message")
    with EventStore.open(db, secret="s", retention_days=180):
        pass
    assert len(rows(db)) == 1


def test_wal_mode_and_full_sync(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="s") as store:
        store.record("message")
        assert store._db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    with sqlite3.connect(db) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.parametrize("start", ["missing", "empty file", "empty database"])
def test_schema_is_created_from_nothing(tmp_path: Path, start: str) -> None:
    db = tmp_path / "nested" / "folder" / "kawan.sqlite3"
    if start != "missing":
        db.parent.mkdir(parents=True)
        db.touch()
    if start == "empty database":
        sqlite3.connect(db).close()
    with EventStore.open(db, secret="s") as store:
        store.record("message")
    assert rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]
    assert rows(db, "SELECT COUNT(*) FROM events") == [(1,)]


def test_reopening_keeps_events_and_schema(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    for _ in range(3):
        with EventStore.open(db, secret="s") as store:
            store.record("message")
    assert rows(db, "SELECT COUNT(*) FROM events") == [(3,)]
    assert rows(db, "PRAGMA user_version") == [(SCHEMA_VERSION,)]


def test_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with sqlite3.connect(db) as connection:
        connection.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    with pytest.raises(StorageError, match="versi Kawan Migran yang lebih baru"):
        EventStore.open(db, secret="s")


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    db.write_text("ini bukan database, ini catatan belanja\n" * 100)
    with pytest.raises(StorageError, match="bukan database Kawan Migran"):
        EventStore.open(db, secret="s")


def test_generated_secret_is_private_and_reused(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db) as store:
        first = store.secret
        hashed = store.user_hash(USER_ID)
    secret_file = tmp_path / "kawan.sqlite3.secret"
    assert stat.S_IMODE(secret_file.stat().st_mode) == 0o600
    assert len(first) >= 32 and secret_file.read_text().strip() == first
    with EventStore.open(db) as again:
        assert again.secret == first and again.user_hash(USER_ID) == hashed


def test_a_given_secret_writes_no_file(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="dari-lingkungan") as store:
        assert store.secret == "dari-lingkungan"
    assert not (tmp_path / "kawan.sqlite3.secret").exists()


def test_threads_can_record_together(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="s") as store:
        def work(offset: int) -> None:
            for number in range(50):
                store.record("message", offset * 1000 + number)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert store.stats(1).count("message") == 200
        assert store.stats(1).users == 200


CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from bot.admin.storage import EventStore

    store = EventStore.open(Path(sys.argv[1]), secret="s")
    for number in range(int(sys.argv[2])):
        store.record("fallback", number, text=f"pertanyaan {number}")
    print("ditulis", flush=True)
    time.sleep(60)
""")


def test_kill_9_after_record_loses_nothing(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    count = 25
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(db), str(count)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "ditulis"
        # The events sit in the write-ahead log, not yet checkpointed, when the process dies.
        assert (tmp_path / "kawan.sqlite3-wal").stat().st_size > 0
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=30)
        if child.stdout:
            child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    with EventStore.open(db, secret="s") as store:
        texts = [q.text for q in store.unanswered(1)]
    assert texts == [f"pertanyaan {number}" for number in range(count)]
