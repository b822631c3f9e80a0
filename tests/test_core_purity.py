"""The core never imports telegram or rasa_sdk: the shells are thin and optional."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import bot

ROOT = Path(__file__).resolve().parent.parent
# Every module below these packages must import without the Telegram or Rasa libraries.
PURE_PACKAGES = ("bot.core", "bot.content", "bot.admin")
PURE_EXTRA = ["bot", "bot.errors", "bot.problems", "bot.settings", "bot.cli", "bot.rasa.export"]


def pure_modules() -> list[str]:
    names = list(PURE_EXTRA)
    for info in pkgutil.walk_packages(bot.__path__, "bot."):
        if info.name.startswith(PURE_PACKAGES):
            names.append(info.name)
    return names


def test_pure_module_list_covers_the_core_packages() -> None:
    names = pure_modules()
    for expected in ("bot.core.conversation", "bot.core.danger", "bot.content.validate", "bot.admin.storage"):
        assert expected in names


@pytest.mark.slow
def test_core_imports_neither_telegram_nor_rasa_sdk() -> None:
    code = (
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        f"for name in {pure_modules()!r}: __import__(name)\n"
        "from bot.core.conversation import Engine\n"
        "from tests.conftest import KNOWLEDGE, INTENTS\n"
        "Engine.from_dirs(KNOWLEDGE, INTENTS).respond('syarat jadi tki')\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('telegram', 'rasa_sdk'))\n"
        "print(','.join(bad))\n"
    )
    # Run from another folder on purpose: the check must not depend on the working directory.
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd="/")
    assert result.stdout.strip() == ""
