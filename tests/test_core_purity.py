"""The core never imports telegram or rasa_sdk: the shells are thin and optional."""

from __future__ import annotations

import subprocess
import sys

# The pure core and the admin data modules (README, "Arsitektur"); the shells are the only importers.
CORE = ["bot", "bot.conversation", "bot.validate", "bot.matcher", "bot.normalize", "bot.emergency", "bot.texts",
        "bot.markup", "bot.knowledge", "bot.training", "bot.schema", "bot.yaml_source", "bot.problems", "bot.errors",
        "bot.evaluation", "bot.settings", "bot.cli", "bot.storage", "bot.anonymise", "bot.stats_report",
        "bot.unanswered", "bot.referral", "bot.qr", "bot.poster", "bot.rasa_export"]


def test_core_imports_neither_telegram_nor_rasa_sdk() -> None:
    code = (
        "import sys\n"
        f"for name in {CORE!r}: __import__(name)\n"
        "from bot.conversation import Engine\n"
        "from tests.conftest import KNOWLEDGE, INTENTS\n"
        "Engine.from_dirs(KNOWLEDGE, INTENTS).respond('syarat jadi tki')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'rasa_sdk'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
