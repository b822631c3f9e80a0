"""Volunteer cases in the store: sealed chat ids, state changes, reminders, retention and statistics."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.admin import cases as c
from bot.admin.stats_report import summary_text
from bot.admin.storage import EventStore
from bot.settings import Settings, SettingsError

SECRET = "rahasia-kasus"
USER_CHAT = 987654321
NOW = datetime(2026, 11, 29, 8, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EventStore]:
    with EventStore.open(tmp_path / "kawan.sqlite3", SECRET, retention_days=30) as opened:
        yield opened


def test_case_numbers_read_like_k_and_four_digits() -> None:
    assert [c.case_label(n) for n in (1, 427, 12345)] == ["#K-0001", "#K-0427", "#K-12345"]
    found = c.CASE_NUMBER.search("pesan #K-0427 baru")
    assert found is not None and found.group(1) == "0427"


def test_the_chat_id_is_stored_only_sealed_and_only_for_that_case(store: EventStore, tmp_path: Path) -> None:
    case = c.open_case(store, USER_CHAT, None, NOW)
    assert case.chat_id == USER_CHAT and case.status == "open"
    blob = store._db.execute("SELECT chat FROM cases").fetchone()[0]
    assert str(USER_CHAT).encode() not in blob and USER_CHAT.to_bytes(8, "big") not in blob
    sealer = c.ChatSealer(SECRET)
    assert sealer.unseal(case.number, blob) == USER_CHAT
    assert sealer.unseal(case.number + 1, blob) is None  # bound to its case number
    assert c.ChatSealer("another key").unseal(case.number, blob) is None
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("kawan.sqlite3*"))
    assert str(USER_CHAT).encode() not in raw


def test_active_chats_are_rebuilt_from_the_database(store: EventStore) -> None:
    first = c.open_case(store, 11, None, NOW)
    second = c.open_case(store, 22, None, NOW)
    c.close_case(store, first.number, "user", NOW)
    assert c.active_chats(store) == {22: second.number}


def test_closing_deletes_the_chat_id_and_happens_once(store: EventStore) -> None:
    case = c.open_case(store, USER_CHAT, None, NOW)
    before = c.close_case(store, case.number, "user", NOW)
    assert before is not None and before.chat_id == USER_CHAT
    assert store._db.execute("SELECT chat, status FROM cases").fetchone() == (None, "closed")
    assert c.close_case(store, case.number, "volunteer", NOW) is None


def test_only_the_first_volunteer_takes_a_case(store: EventStore) -> None:
    case = c.open_case(store, USER_CHAT, None, NOW)
    assert c.take_case(store, case.number, "aaaaaaaa", NOW)[0] is True
    taken, again = c.take_case(store, case.number, "bbbbbbbb", NOW)
    assert taken is False and again is not None and again.volunteer == "aaaaaaaa" and again.status == "taken"


@pytest.mark.parametrize(("vote", "status", "counted"), [
    pytest.param("up", "closed", True, id="up-after-close"),
    pytest.param("down", "closed", True, id="down-after-close"),
    pytest.param("up", "blocked", False, id="not-on-a-blocked-case"),
    pytest.param("meh", "closed", False, id="unknown-vote"),
])
def test_rating(store: EventStore, vote: str, status: str, counted: bool) -> None:
    case = c.open_case(store, USER_CHAT, None, NOW)
    c.close_case(store, case.number, "block" if status == "blocked" else "user", NOW)
    assert c.rate_case(store, case.number, vote) is counted
    if counted:
        assert c.rate_case(store, case.number, "down") is False  # a second vote never counts


def test_overdue_cases_are_reminded_once_and_answered_ones_never(store: EventStore) -> None:
    quiet = c.open_case(store, 1, None, NOW)
    answered = c.open_case(store, 2, None, NOW)
    c.mark_answered(store, answered.number, "aaaaaaaa", NOW + timedelta(minutes=5))
    late = NOW + timedelta(minutes=121)
    assert c.overdue_cases(store, timedelta(minutes=120), NOW + timedelta(minutes=119)) == []
    (reminded,) = c.overdue_cases(store, timedelta(minutes=120), late)
    assert reminded.number == quiet.number and reminded.chat_id == 1
    assert c.overdue_cases(store, timedelta(minutes=120), late + timedelta(hours=1)) == []


def test_retention_removes_cases_and_their_sealed_chat_even_when_still_open(store: EventStore) -> None:
    old = c.open_case(store, 1, None, NOW - timedelta(days=31))
    c.link_message(store, old.number, -100, 5)
    fresh = c.open_case(store, 2, None, NOW)
    store.purge(NOW)
    assert [row[0] for row in store._db.execute("SELECT number FROM cases")] == [fresh.number]
    assert c.case_of_message(store, -100, 5) is None


def test_a_message_in_the_group_finds_its_case(store: EventStore) -> None:
    case = c.open_case(store, USER_CHAT, "kode1234", NOW)
    c.link_message(store, case.number, -100, 77)
    found = c.case_of_message(store, -100, 77)
    assert found is not None and found.number == case.number and found.ref == "kode1234" and found.chat_id == USER_CHAT
    assert c.case_of_message(store, -100, 78) is None


def test_the_referral_of_a_person_comes_from_their_hashed_events(store: EventStore) -> None:
    store.record("referral", user_id=USER_CHAT, ref="kodeabcd")
    assert c.referral_of(store, USER_CHAT) == "kodeabcd"
    assert c.referral_of(store, USER_CHAT + 1) is None


def test_statistics_count_cases_by_volunteer_code_without_identities(store: EventStore) -> None:
    quick = c.open_case(store, 1, "rujukan1", NOW)
    c.take_case(store, quick.number, "relawan1", NOW)
    c.mark_answered(store, quick.number, "relawan1", NOW + timedelta(minutes=30))
    c.close_case(store, quick.number, "volunteer", NOW + timedelta(hours=3))
    c.rate_case(store, quick.number, "up")
    slow = c.open_case(store, 2, None, NOW)
    c.mark_answered(store, slow.number, "relawan2", NOW + timedelta(hours=5))
    c.open_case(store, 3, None, NOW)
    stats = c.case_stats(store, NOW.date().isoformat(), NOW.date().isoformat())
    assert (stats.opened, stats.taken, stats.answered, stats.answered_in_time, stats.closed, stats.up) == (
        3, 2, 2, 1, 1, 1)
    assert stats.volunteers == (
        c.VolunteerCases(code="relawan1", taken=1, answered_in_time=1, closed=1, up=1, down=0),
        c.VolunteerCases(code="relawan2", taken=1, answered_in_time=0, closed=0, up=0, down=0))
    assert stats.referrals == (("rujukan1", 1),)
    store.record("message", user_id=1, at=NOW)
    report = summary_text(store, 1, NOW)
    assert "*Bicara dengan relawan*" in report and "Kasus dibuka: 3" in report and "relawan1: 1 / 1 / 1 / 1 / 0" in report


def test_the_schema_upgrade_keeps_existing_events(tmp_path: Path) -> None:
    path = tmp_path / "lama.sqlite3"
    with sqlite3.connect(path) as db:
        from bot.admin.storage import MIGRATIONS

        for statement in MIGRATIONS[0]:
            db.execute(statement)
        db.execute("INSERT INTO events (day, time, kind) VALUES ('2026-11-28', '10:00:00', 'message')")
        db.execute("PRAGMA user_version = 1")
    with EventStore.open(path, SECRET, retention_days=3650) as opened:
        assert opened._db.execute("SELECT COUNT(*) FROM events").fetchone() == (1,)
        assert c.open_case(opened, 5, None, NOW).number == 1


@pytest.mark.parametrize(("env", "chat", "minutes"), [
    pytest.param({}, None, 120.0, id="off-by-default"),
    pytest.param({"KAWAN_VOLUNTEER_CHAT": "-1001234567890"}, -1001234567890, 120.0, id="group-id"),
    pytest.param({"KAWAN_VOLUNTEER_CHAT": " -42 ", "KAWAN_VOLUNTEER_TIMEOUT_MINUTES": "30"}, -42, 30.0, id="timeout"),
    pytest.param({"KAWAN_VOLUNTEER_CHAT": "-42", "KAWAN_VOLUNTEER_TIMEOUT_MINUTES": "0.5"}, -42, 0.5, id="fraction"),
])
def test_volunteer_settings(env: dict[str, str], chat: int | None, minutes: float) -> None:
    settings = Settings.from_env(env)
    assert (settings.volunteer_chat, settings.volunteer_timeout_minutes) == (chat, minutes)


@pytest.mark.parametrize(("env", "message"), [
    pytest.param({"KAWAN_VOLUNTEER_CHAT": "@grupku"}, "KAWAN_VOLUNTEER_CHAT harus berupa id grup Telegram", id="name"),
    pytest.param({"KAWAN_VOLUNTEER_TIMEOUT_MINUTES": "dua jam"}, "harus berupa jumlah menit", id="words"),
    pytest.param({"KAWAN_VOLUNTEER_TIMEOUT_MINUTES": "0"}, "harus lebih dari 0 menit", id="zero"),
])
def test_volunteer_settings_errors_say_what_to_write(env: dict[str, str], message: str) -> None:
    with pytest.raises(SettingsError, match=message):
        Settings.from_env(env)
