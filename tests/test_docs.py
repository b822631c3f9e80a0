"""The README stays true: every command documented, CI runs its test command, its module table matches bot/."""

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


def architecture_table() -> dict[str, set[str]]:
    """Module names per folder, as the README's architecture table lists them (last column, in backticks)."""
    section = README.split("## Arsitektur", 1)[1].split("\n## ", 1)[0]
    listed: dict[str, set[str]] = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        folder = re.fullmatch(r"`(bot/(?:\w+/)?)`", cells[0]) if len(cells) == 3 else None
        if folder:
            listed.setdefault(folder.group(1), set()).update(re.findall(r"`(\w+)`", cells[2]))
    return listed


def modules_on_disk() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / "bot").rglob("*.py"):
        if path.stem != "__init__":
            folder = path.parent.relative_to(ROOT).as_posix() + "/"
            found.setdefault(folder, set()).add(path.stem)
    return found


def test_the_readme_architecture_table_names_every_module_and_only_real_ones() -> None:
    listed, on_disk = architecture_table(), modules_on_disk()
    assert set(listed) >= {"bot/", "bot/core/", "bot/content/", "bot/admin/", "bot/telegram/", "bot/rasa/", "bot/cli/"}
    assert listed == on_disk
