"""Runs inside a Rasa Python (3.10): parse questions with a trained NLU model, timing the load and each question.

Usage: $KAWAN_RASA_PYTHON benchmarks/rasa_parse.py MODEL.tar.gz QUESTIONS.json OUT.json
Only the standard library and Rasa are imported here; benchmarks/rasa_diet.py does the scoring.
"""

from __future__ import annotations

import asyncio
import json
import resource
import sys
import time


def main(argv: list[str]) -> int:
    model, questions_path, out_path = argv
    started = time.perf_counter()
    from rasa.core.agent import Agent  # imported here: TensorFlow's import time is reported on its own

    imported = time.perf_counter()
    agent = Agent.load(model)
    loaded = time.perf_counter()
    with open(questions_path, encoding="utf-8") as f:
        texts: list[str] = json.load(f)
    loop = asyncio.new_event_loop()
    predictions: list[dict] = []
    for _ in range(2):  # the second pass is timed; the first warms TensorFlow's graph (same as benchmarks/run.py)
        predictions = []
        for text in texts:
            t0 = time.perf_counter()
            parsed = loop.run_until_complete(agent.parse_message(text))
            ms = (time.perf_counter() - t0) * 1000
            ranking = [(r["name"], float(r["confidence"])) for r in parsed.get("intent_ranking") or []]
            intent = parsed.get("intent") or {}
            predictions.append({"intent": intent.get("name"), "confidence": float(intent.get("confidence") or 0.0),
                                "ranking": ranking[:5], "ms": ms})
    result = {
        "import_s": imported - started,
        "load_s": loaded - imported,
        # Linux reports the peak resident set size in KiB.
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "predictions": predictions,
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(result, f)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
