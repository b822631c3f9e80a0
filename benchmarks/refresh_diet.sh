#!/usr/bin/env bash
# Retrain Rasa DIET on today's intents/, re-tune its fallback threshold by CV and refresh results/rasa_diet_sets.json.
# Needs the project venv active and a Python 3.10 with Rasa (KAWAN_RASA_PYTHON, default ~/rasa310/bin/python).
# Extra arguments go to benchmarks.rasa_diet, e.g. `--threshold 0.65` without --tune for one training (~8 min).
set -euo pipefail
cd "$(dirname "$0")/.."
export KAWAN_RASA_PYTHON="${KAWAN_RASA_PYTHON:-$HOME/rasa310/bin/python}"
if [ ! -x "$KAWAN_RASA_PYTHON" ]; then
    echo "Tidak ada Python Rasa di $KAWAN_RASA_PYTHON. Buat dulu (Python 3.10):" >&2
    echo "  python3.10 -m venv ~/rasa310 && ~/rasa310/bin/pip install 'rasa==3.6.*'" >&2
    exit 2
fi
if [ $# -eq 0 ]; then set -- --tune; fi
exec python -m benchmarks.rasa_diet --sets "$@"
