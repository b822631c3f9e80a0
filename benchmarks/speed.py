"""Start-up and per-question time of the engine as shipped: `kawan ask` processes and in-process latency.

Usage: python -m benchmarks.speed  (run once before so the cache of the current intents/ exists)
Start-up is measured on whole `kawan ask` processes (import; bundle, index and danger model from the cache; one
answer), latency on the dev split's questions in one process, from a fresh engine (texts are not printed).
"""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.understanding import questions
from bot.core import index_cache
from bot.core.conversation import Engine
from bot.settings import Settings

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    cache = Settings.from_env(os.environ).cache_dir  # the folder `kawan ask` uses (KAWAN_CACHE)
    Engine.from_dirs(ROOT / "knowledge", ROOT / "intents", cache_dir=cache)  # makes sure the caches exist
    walls, cpus = [], []
    for _ in range(5):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bot", "ask", "brp biaya jadi tki?"], cwd=ROOT, check=True,
                       capture_output=True)
        walls.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    index_cache._MEMORY.clear()
    started = time.process_time()
    engine = Engine.from_dirs(ROOT / "knowledge", ROOT / "intents", cache_dir=cache)
    build_cpu = time.process_time() - started
    latencies = []
    for q in questions("dev"):
        t0 = time.process_time()
        engine.respond(q["text"])
        latencies.append((time.process_time() - t0) * 1000)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, round(0.99 * (len(latencies) - 1)))]
    print(f"kawan ask (proses utuh, cache hangat): median {statistics.median(walls):.2f} s waktu dinding, "
          f"{statistics.median(cpus):.2f} s CPU")
    print(f"Engine.from_dirs dari cache disk: {build_cpu:.2f} s CPU")
    print(f"per pertanyaan (CPU, {len(latencies)} pertanyaan dev): p50 {statistics.median(latencies):.2f} ms, "
          f"p99 {p99:.2f} ms")


if __name__ == "__main__":
    main()
