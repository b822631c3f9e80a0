"""Telegram load benchmark: `kawan run` as a real process against the Bot API emulator; throughput, latency, memory.

Usage: python benchmarks/telegram_load.py [--users 50] [--per-user 20]
Each simulated person sends their next question as soon as the previous one is answered (a closed loop), with
questions from benchmarks/heldout.yml. Latency runs from the moment the update is queued at the emulator to the
moment the bot's first reply message reaches it, so it includes long polling, the engine and the HTTP round trips.
Two runs: as deployed (PTB's rate limiter holds the bot to Telegram's 30 messages a second), and with that
pacing off, which shows what the process itself can handle.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the emulator lives in the test suite

import yaml  # noqa: E402

from tests import telegram_payloads as tp  # noqa: E402
from tests.telegram_emulator import ApiCall, BotApiEmulator  # noqa: E402

START_TIMEOUT = 60.0
# Flood control allows 20 messages a minute per person; more per person would measure the "pelan-pelan" note.
MAX_PER_USER = 20
UNLIMITED = ("import os, sys; from bot.settings import Settings; from bot.telegram.app import run_bot; "
             "sys.exit(run_bot(Settings.from_env(os.environ), telegram_limits=False))")


@dataclass
class Result:
    mode: str
    messages: int
    seconds: float
    latencies: list[float]
    rss_idle_mb: float
    rss_peak_mb: float

    @property
    def per_second(self) -> float:
        return self.messages / self.seconds

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000


def questions() -> list[str]:
    data = yaml.safe_load((ROOT / "benchmarks" / "heldout.yml").read_text(encoding="utf-8"))
    return [item["text"] for item in data["questions"]]


def rss_mb(pid: int) -> float:
    """Resident memory of the bot process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Load:
    """Closed loop: each person has one question outstanding; the reply triggers the next question."""

    def __init__(self, emulator: BotApiEmulator, users: list[int], per_user: int, texts: list[str]) -> None:
        self.emulator = emulator
        self.left = dict.fromkeys(users, per_user)
        self.texts = texts
        self.sent = 0
        self.outstanding: dict[int, float] = {}
        self.latencies: list[float] = []
        self.done = threading.Event()
        emulator.on_call = self.on_call

    def ask(self, user: int) -> None:
        text = self.texts[self.sent % len(self.texts)]
        self.sent += 1
        self.outstanding[user] = time.monotonic()
        self.emulator.say(user, text)

    def on_call(self, call: ApiCall) -> None:
        if call.method != "sendMessage" or call.chat_id not in self.outstanding:
            return  # later parts of a long answer, or not part of the load
        user = call.chat_id
        self.latencies.append(call.at - self.outstanding.pop(user))
        self.left[user] -= 1
        if self.left[user] > 0:
            self.ask(user)
        elif not self.outstanding and all(n == 0 for n in self.left.values()):
            self.done.set()


def run(mode: str, command: list[str], users: int, per_user: int) -> Result:
    emulator = BotApiEmulator().start()
    folder = Path(tempfile.mkdtemp(prefix="kawan-load-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAWAN_", "TELEGRAM_")) and "proxy" not in k.lower()}
    env.update(TELEGRAM_BOT_TOKEN=tp.TOKEN, TELEGRAM_API_URL=emulator.url, KAWAN_DB=str(folder / "kawan.sqlite3"),
               KAWAN_SECRET="benchmark")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        emulator.wait_for(lambda calls: any(c.method == "deleteWebhook" for c in calls), START_TIMEOUT)
        time.sleep(0.5)
        idle = rss_mb(process.pid)
        load = Load(emulator, list(range(10_000, 10_000 + users)), per_user, questions())
        peak = idle
        started = time.monotonic()
        with emulator._changed:  # start everyone at once, as a burst would
            for user in load.left:
                load.ask(user)
        while not load.done.wait(0.2):
            peak = max(peak, rss_mb(process.pid))
            if time.monotonic() - started > 600:
                raise RuntimeError(f"{mode}: no end after 600 s; {len(load.latencies)} replies")
        seconds = time.monotonic() - started
        peak = max(peak, rss_mb(process.pid))
        return Result(mode=mode, messages=len(load.latencies), seconds=seconds, latencies=load.latencies,
                      rss_idle_mb=idle, rss_peak_mb=peak)
    finally:
        process.terminate()
        process.wait(timeout=15)
        emulator.stop()


def table(results: list[Result]) -> str:
    lines = ["| run | messages | messages/s | p50 ms | p99 ms | RSS idle MB | RSS peak MB |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(f"| {r.mode} | {r.messages} | {r.per_second:.0f} | {r.percentile(0.5):.1f} | "
                     f"{r.percentile(0.99):.1f} | {r.rss_idle_mb:.0f} | {r.rss_peak_mb:.0f} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="people writing at the same time")
    parser.add_argument("--per-user", type=int, default=MAX_PER_USER, help=f"questions each (at most {MAX_PER_USER})")
    args = parser.parse_args()
    per_user = min(args.per_user, MAX_PER_USER)
    deployed = [sys.executable, "-m", "bot", "run"]
    unpaced = [sys.executable, "-c", UNLIMITED]
    results = [
        run("1 person, as deployed", deployed, 1, per_user),
        run(f"{args.users} people, as deployed (30 msg/s pacing)", deployed, args.users, per_user),
        run(f"{args.users} people, pacing off (process capacity)", unpaced, args.users, per_user),
    ]
    print(table(results))
    print(f"\nClosed loop, {per_user} questions per person from benchmarks/heldout.yml; emulator and bot on the same "
          f"machine: Python {platform.python_version()}, {os.cpu_count()} CPU, {platform.machine()}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
