"""Per-user flood control: 20 messages a minute, one gentle note, then silence; others never slowed."""

from __future__ import annotations

from bot.telegram.flood import SWEEP_EVERY, FloodGuard, Verdict


def test_twenty_a_minute_then_one_note_then_drops() -> None:
    guard = FloodGuard()
    verdicts = [guard.check(1, 100.0 + i * 0.1) for i in range(25)]
    assert verdicts == [Verdict.PASS] * 20 + [Verdict.WARN] + [Verdict.DROP] * 4


def test_other_users_are_not_affected() -> None:
    guard = FloodGuard(limit=3)
    for i in range(10):
        guard.check(1, float(i))
    assert guard.check(2, 10.0) is Verdict.PASS


def test_the_window_slides() -> None:
    guard = FloodGuard(limit=2, window=60.0)
    assert [guard.check(1, t) for t in (0.0, 30.0, 31.0)] == [Verdict.PASS, Verdict.PASS, Verdict.WARN]
    # At 60.0 the first message leaves the window: one more fits, and a later burst warns again.
    assert [guard.check(1, t) for t in (60.0, 61.0, 62.0)] == [Verdict.PASS, Verdict.WARN, Verdict.DROP]


def test_idle_users_are_forgotten() -> None:
    guard = FloodGuard()
    for user in range(SWEEP_EVERY - 1):
        guard.check(user, 0.0)
    guard.check(99999, 1000.0)  # the sweep runs on this check, long after the others went quiet
    assert len(guard) == 1
