"""Per-user flood control: a sliding window of handled messages, one gentle note, then silence."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from enum import Enum

MESSAGES_PER_WINDOW = 20
WINDOW_SECONDS = 60.0
# Forgetting idle users keeps memory flat however many people write over the months.
SWEEP_EVERY = 1000


class Verdict(Enum):
    """What to do with one incoming message."""

    PASS = "pass"  # handle it
    WARN = "warn"  # over the limit for the first time in this burst: say "pelan-pelan" once
    DROP = "drop"  # over the limit again: ignore it silently


@dataclass(kw_only=True)
class _User:
    handled: deque[float] = field(default_factory=deque)
    warned: bool = False


class FloodGuard:
    """Pure and clock-free: the caller passes `now`, so tests need no sleeping."""

    def __init__(self, limit: int = MESSAGES_PER_WINDOW, window: float = WINDOW_SECONDS) -> None:
        self.limit = limit
        self.window = window
        self._users: dict[int, _User] = {}
        self._checks = 0

    def check(self, key: int, now: float) -> Verdict:
        """Count one message from `key` at time `now` (seconds, monotonic)."""
        self._checks += 1
        if self._checks % SWEEP_EVERY == 0:
            self._sweep(now)
        user = self._users.setdefault(key, _User())
        while user.handled and user.handled[0] <= now - self.window:
            user.handled.popleft()
        if len(user.handled) < self.limit:
            # Only handled messages count, so someone who keeps typing after the note gets
            # answers again as soon as the window has room, not after a minute of silence.
            user.handled.append(now)
            user.warned = False
            return Verdict.PASS
        if user.warned:
            return Verdict.DROP
        user.warned = True
        return Verdict.WARN

    def _sweep(self, now: float) -> None:
        idle = [key for key, user in self._users.items() if not user.handled or user.handled[-1] <= now - self.window]
        for key in idle:
            del self._users[key]

    def __len__(self) -> int:
        return len(self._users)
