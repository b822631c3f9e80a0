"""The README stays true: every command documented, and CI runs the README's own test command."""

from __future__ import annotations

import re

import pytest

from bot.cli import COMMANDS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented(command: str) -> None:
    assert f"`kawan {command}" in README


def test_quick_start_has_exactly_two_setup_commands_and_ci_runs_the_test_one() -> None:
    quick_start = README.split("## Mulai cepat", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```bash\n(.*?)```", quick_start, re.S)
    assert block is not None
    commands = [line for line in block.group(1).splitlines() if line.strip() and not line.startswith("#")]
    assert commands == ['pip install -e . && kawan run', 'pip install -e ".[test]" && pytest']
    assert commands[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
