"""Storage faults never stop the bot: permissions, secure deletion, races, locks, folders, vanished files, retries."""

from __future__ import annotations

import errno
import functools
import shutil
import sqlite3
import stat
import threading
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.admin import storage
from bot.admin.storage import SECRET_SUFFIX, EventStore, StorageError
from bot.admin.store_thread import StoreThread

NOW = datetime(2026, 11, 28, 10, 30, tzinfo=timezone.utc)
SECRET_TEXT = "nama saya Maria Goreti Nahak, hp 0812/3456/7896"


def wait_until(condition: Callable[[], bool], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_wal_and_secret_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db) as store:
        store.record("fallback", 1, text="pertanyaan")
        files = [db, Path(f"{db}-wal"), Path(f"{db}-shm"), db.with_name(db.name + SECRET_SUFFIX)]
        assert {path.name: mode(path) for path in files} == {path.name: 0o600 for path in files}


def test_an_existing_world_readable_database_is_made_private(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    EventStore.open(db, secret="s").close()
    db.chmod(0o644)
    EventStore.open(db, secret="s").close()
    assert mode(db) == 0o600


def test_secure_delete_is_on_and_purged_rows_leave_neither_database_nor_wal(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="s", retention_days=30) as store:
        store.record("fallback", 1, text="pertanyaan lama tentang Oelnasi", at=NOW - timedelta(days=40))
        assert store._db.execute("PRAGMA secure_delete").fetchone() == (1,)
        assert store.purge(NOW) == 1
        on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("kawan.sqlite3*") if p.is_file())
        assert b"pertanyaan lama" not in on_disk
        assert Path(f"{db}-wal").stat().st_size == 0  # checkpointed and truncated


@pytest.mark.parametrize(("field", "value"), [
    ("topic", "[klik di sini](https://evil.example/a)"),
    ("topic", "<a href='https://evil.example'>x</a>"),
    ("topic", "Syarat PMI"),
    ("ref", "[klik](https://evil.example/a)"),
    ("ref", "ABCDEFGH"),
])
def test_forged_topic_or_referral_fields_are_never_stored(tmp_path: Path, field: str, value: str) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="s") as store:
        forged: dict[str, Any] = {field: value}
        store.record("feedback_up", 1, **forged)
        assert store.stats(1).count("feedback_up") == 1
    assert value.encode() not in b"".join(p.read_bytes() for p in tmp_path.glob("kawan.sqlite3*") if p.is_file())


def test_an_empty_secret_left_by_a_full_disk_is_replaced(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    secret_file = db.with_name(db.name + SECRET_SUFFIX)
    secret_file.write_text("")
    with EventStore.open(db) as store:
        assert store.secret and secret_file.read_text().strip() == store.secret


def test_a_full_disk_while_creating_the_secret_leaves_no_file_behind(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    def disk_full(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", disk_full)
    db = tmp_path / "kawan.sqlite3"
    with pytest.raises(StorageError, match="rahasia"):
        EventStore.open(db)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.undo()
    with EventStore.open(db) as store:  # the next start works once there is space
        assert store.secret


def open_together(db: Path, barrier: threading.Barrier, secrets_seen: list[str], errors: list[BaseException]) -> None:
    barrier.wait()
    try:
        with EventStore.open(db) as store:
            secrets_seen.append(store.secret)
            store.record("message", 1)
    except BaseException as exc:  # collected and asserted by the test
        errors.append(exc)


def test_fresh_database_opened_by_many_at_once_always_works(tmp_path: Path) -> None:
    """Two bots starting together on a fresh database failed 98 of 100 times."""
    for round_ in range(15):
        db = tmp_path / f"r{round_}" / "kawan.sqlite3"
        barrier = threading.Barrier(4)
        secrets_seen: list[str] = []
        errors: list[BaseException] = []
        opener = functools.partial(open_together, db, barrier, secrets_seen, errors)
        threads = [threading.Thread(target=opener) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert len(set(secrets_seen)) == 1
        with sqlite3.connect(db) as connection:
            assert connection.execute("SELECT COUNT(*) FROM events").fetchone() == (4,)


def read_only_connect(original: Callable[..., sqlite3.Connection]) -> Callable[..., sqlite3.Connection]:
    """Tests run as root, where file modes do not stop writes: open the file the way a read-only mount would."""
    def connect(path: object, **options: object) -> sqlite3.Connection:
        return original(f"file:{path}?mode=ro", uri=True, **options)
    return connect


def test_a_read_only_database_is_named_as_such(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "kawan.sqlite3"
    EventStore.open(db, secret="s").close()
    for leftover in tmp_path.glob("kawan.sqlite3-*"):
        leftover.unlink()
    monkeypatch.setattr(storage.sqlite3, "connect", read_only_connect(sqlite3.connect))
    with pytest.raises(StorageError, match="hanya bisa dibaca"):
        EventStore.open(db, secret="s")


@pytest.fixture
def notices() -> list[str]:
    return []


def open_thread(path: Path, notices: list[str], **options: Any) -> StoreThread:
    thread = StoreThread.open(path, "rahasia", delays=(0.05,), **options)
    thread.set_notify(notices.append)
    return thread


def test_kawan_db_pointing_at_a_folder_keeps_the_bot_going_and_tells_admins(tmp_path: Path,
                                                                            notices: list[str]) -> None:
    thread = open_thread(tmp_path, notices)
    try:
        thread.record("message", user_id=1)  # never raises
        thread.flush()
        assert not thread.available and thread.pending() == 1
        assert len(notices) == 1 and "folder" in notices[0] and "tetap menjawab" in notices[0]
    finally:
        thread.close()


def test_a_database_locked_at_start_up_opens_later_and_keeps_every_event(tmp_path: Path, notices: list[str],
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "BUSY_TIMEOUT", 0.2)
    db = tmp_path / "kawan.sqlite3"
    EventStore.open(db, secret="s").close()
    blocker = sqlite3.connect(db, isolation_level=None)
    blocker.execute("PRAGMA journal_mode=DELETE")  # exclusive lock below blocks even WAL readers
    blocker.execute("BEGIN EXCLUSIVE")
    started = time.monotonic()
    thread = open_thread(db, notices, wait=0.5)
    try:
        assert time.monotonic() - started < 3  # it crashed after 10 s
        thread.record("message", user_id=1)
        thread.flush()
        assert thread.pending() == 1 and notices and "dikunci" in notices[0]
        blocker.execute("ROLLBACK")
        blocker.close()
        wait_until(lambda: thread.pending() == 0)
        assert thread.store.stats(1).count("message") == 1
        assert "bisa dipakai lagi" in notices[-1]
    finally:
        thread.close()


def test_failed_writes_are_retried_with_back_off_and_admins_told(tmp_path: Path, notices: list[str],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(storage, "BUSY_TIMEOUT", 0.1)
    db = tmp_path / "kawan.sqlite3"
    thread = open_thread(db, notices)
    try:
        blocker = sqlite3.connect(db, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the lock
        for _ in range(3):
            thread.record("message", user_id=1)
        thread.flush()
        assert thread.pending() >= 1 and len(notices) == 1
        blocker.execute("ROLLBACK")
        blocker.close()
        wait_until(lambda: thread.pending() == 0)
        assert thread.store.stats(1).count("message") == 3
        assert len(notices) == 2 and "3 catatan" in notices[1]
    finally:
        thread.close()


def test_a_database_folder_deleted_while_running_is_recreated(tmp_path: Path, notices: list[str]) -> None:
    db = tmp_path / "data" / "kawan.sqlite3"
    thread = StoreThread.open(db, "", delays=(0.05,))
    thread.set_notify(notices.append)
    secret = thread.secret
    try:
        thread.record("message", user_id=1)
        thread.flush()
        shutil.rmtree(db.parent)
        thread.record("message", user_id=2)
        thread.flush()
        assert db.exists() and thread.store.stats(1).count("message") == 1
        assert db.with_name(db.name + SECRET_SUFFIX).read_text().strip() == secret  # same users, same hashes
        assert notices and "dibuat ulang" in notices[0]
    finally:
        thread.close()


def test_nothing_private_reaches_the_database_or_its_wal(tmp_path: Path) -> None:
    db = tmp_path / "kawan.sqlite3"
    with EventStore.open(db, secret="s") as store:
        store.record("fallback", 1, text=SECRET_TEXT)
        on_disk = b"".join(p.read_bytes() for p in tmp_path.glob("kawan.sqlite3*") if p.is_file())
    for part in ("Maria", "Goreti", "Nahak", "7896"):
        assert part.encode() not in on_disk
