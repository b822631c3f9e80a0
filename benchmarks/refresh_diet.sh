#!/usr/bin/env bash
# Retrain Rasa DIET on today's intents/ and refresh benchmarks/results/rasa_diet_sets.json (understanding set).
# Needs the project's venv active and a Python 3.10 with Rasa (KAWAN_RASA_PYTHON, default ~/rasa310/bin/python).
# Extra arguments go to `python -m benchmarks.rasa_diet --sets`: `--tune` first re-tunes the FallbackClassifier
# threshold by 3-fold CV on intents/ (three more trainings), `--threshold 0.6` fixes it, `--epochs 40` matches the
# stored row (the default is the bot's own 100 epochs: on a shared 2-core machine about 4 hours).
set -euo pipefail
cd "$(dirname "$0")/.."
export KAWAN_RASA_PYTHON="${KAWAN_RASA_PYTHON:-$HOME/rasa310/bin/python}"
if [ ! -x "$KAWAN_RASA_PYTHON" ]; then
    echo "Tidak ada Python Rasa di $KAWAN_RASA_PYTHON. Buat dulu (Python 3.10):" >&2
    echo "  python3.10 -m venv ~/rasa310 && ~/rasa310/bin/pip install 'rasa==3.6.21'" >&2
    exit 2
fi
exec python -m benchmarks.rasa_diet --sets "$@"
