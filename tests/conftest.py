"""Shared fixtures: the real data folders, copies to break, and one engine per session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.core.conversation import Engine

ROOT = Path(__file__).resolve().parent.parent
KNOWLEDGE = ROOT / "knowledge"
INTENTS = ROOT / "intents"


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine.from_dirs(KNOWLEDGE, INTENTS)


@pytest.fixture
def data_copy(tmp_path: Path) -> tuple[Path, Path]:
    """Copies of knowledge/ and intents/ that a test may break."""
    knowledge = tmp_path / "knowledge"
    intents = tmp_path / "intents"
    shutil.copytree(KNOWLEDGE, knowledge)
    shutil.copytree(INTENTS, intents)
    return knowledge, intents
