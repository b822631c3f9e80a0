"""Imports point down the layers only: foundation < content < core < admin < shells."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

BOT = Path(__file__).resolve().parent.parent / "bot"

# A module's layer is its package; the foundation modules sit at the top of bot/.
FOUNDATION = {"bot.errors", "bot.problems", "bot.settings"}
# What each layer may import from bot (besides itself). content reads data the way user text is
# tokenised, so it may use the leaf text normaliser of the core and nothing else from it.
ALLOWED: dict[str, set[str]] = {
    "foundation": {"foundation"},
    "content": {"foundation", "content", "bot.core.normalize"},
    "core": {"foundation", "content", "core"},
    "admin": {"foundation", "content", "admin"},
    "telegram": {"foundation", "content", "core", "admin", "telegram"},
    "rasa": {"foundation", "content", "core", "admin", "rasa"},
    "cli": {"foundation", "content", "core", "admin", "telegram", "rasa", "cli"},
}


def layer_of(module: str) -> str:
    if module in FOUNDATION:
        return "foundation"
    parts = module.split(".")
    if len(parts) >= 2 and parts[1] in ALLOWED:
        return parts[1]
    return "top"  # bot/__init__, __main__ and the bot.actions entry point


def module_name(path: Path) -> str:
    rel = path.relative_to(BOT.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def bot_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
            if node.module in ("bot", "bot.core", "bot.telegram", "bot.rasa", "bot.admin", "bot.content"):
                found += [f"{node.module}.{alias.name}" for alias in node.names]
            else:
                found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("bot")]
    return found


def allowed(importer_layer: str, target: str) -> bool:
    rules = ALLOWED[importer_layer]
    return layer_of(target) in rules or target in rules


MODULES = sorted(p for p in BOT.rglob("*.py") if layer_of(module_name(p)) != "top")


@pytest.mark.parametrize("path", MODULES, ids=lambda p: module_name(p))
def test_module_imports_only_from_its_layer_or_below(path: Path) -> None:
    layer = layer_of(module_name(path))
    wrong = [t for t in bot_imports(path) if not allowed(layer, t)]
    assert wrong == [], f"{module_name(path)} ({layer}) imports upward: {wrong}"


@pytest.mark.parametrize(("importer", "target", "ok"), [
    ("admin", "bot.core.conversation", False),   # storage must not import the engine
    ("telegram", "bot.cli.common", False),       # the Telegram shell must not import the CLI
    ("core", "bot.telegram.app", False),
    ("content", "bot.core.matcher", False),
    ("content", "bot.core.normalize", True),
    ("cli", "bot.telegram.app", True),
])
def test_layer_rules_table(importer: str, target: str, ok: bool) -> None:
    assert allowed(importer, target) is ok


def test_every_package_has_a_layer() -> None:
    packages = {p.name for p in BOT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages == set(ALLOWED) - {"foundation"}
