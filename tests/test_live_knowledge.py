"""Live reload: a good edit is served, a broken one never is, and the file watcher does it by itself."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

from bot.core.conversation import Engine
from bot.core.live_knowledge import LiveKnowledge, snapshot
from bot.errors import KnowledgeError
from bot.problems import Problem

NEW_LINE = "Kantor LTSA sekarang buka juga hari Sabtu (teks uji)."


def live_over(knowledge: Path, intents: Path) -> LiveKnowledge:
    return LiveKnowledge(lambda: Engine.from_dirs(knowledge, intents), (knowledge, intents))


def edit_answer(knowledge: Path) -> None:
    path = knowledge / "prosedur.yaml"
    text = path.read_text(encoding="utf-8")
    marker = "  - id: ltsa\n"
    start = text.index(marker)
    answer = text.index("answer: |\n", start) + len("answer: |\n")
    indent = " " * (len(text[answer:]) - len(text[answer:].lstrip(" ")))
    path.write_text(text[:answer] + f"{indent}{NEW_LINE}\n" + text[answer:], encoding="utf-8")
    bump(path)


def break_file(knowledge: Path) -> None:
    path = knowledge / "prosedur.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("  - id: ltsa\n", "  - id: Ltsa Rusak\n"), encoding="utf-8")
    bump(path)


def bump(path: Path) -> None:
    # Coarse file-system clocks could give an edit the same mtime as the original; size alone may not change.
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


@pytest.mark.slow
def test_a_good_edit_is_served_after_reload(data_copy: tuple[Path, Path]) -> None:
    live = live_over(*data_copy)
    assert NEW_LINE not in live.engine.answer("ltsa").text
    edit_answer(data_copy[0])
    assert live.reload() == ()
    assert NEW_LINE in live.engine.answer("ltsa").text


@pytest.mark.slow
def test_a_broken_edit_keeps_the_previous_knowledge_and_returns_the_problems(data_copy: tuple[Path, Path]) -> None:
    live = live_over(*data_copy)
    before = live.engine
    break_file(data_copy[0])
    problems = live.reload()
    assert problems and all(isinstance(p, Problem) and p.is_error for p in problems)
    assert any("Ltsa Rusak" in str(p) for p in problems)
    assert live.engine is before


def test_an_unexpected_failure_is_reported_as_a_problem_too() -> None:
    calls = iter([None])

    def loader() -> Engine:
        if next(calls, "again") == "again":
            raise OSError("disk hilang")
        return object()  # type: ignore[return-value]

    live = LiveKnowledge(loader, ())
    (problem,) = live.reload()
    assert "disk hilang" in problem.message


def test_broken_data_at_start_is_fatal(data_copy: tuple[Path, Path]) -> None:
    break_file(data_copy[0])
    with pytest.raises(KnowledgeError):
        live_over(*data_copy)


def test_snapshot_changes_when_a_file_is_saved(data_copy: tuple[Path, Path]) -> None:
    before = snapshot(data_copy)
    edit_answer(data_copy[0])
    assert snapshot(data_copy) != before


def test_snapshot_changes_when_a_yaml_file_is_added_or_removed(data_copy: tuple[Path, Path]) -> None:
    before = snapshot(data_copy)
    added = data_copy[1] / "baru.yml"
    added.write_text('version: "3.1"\nnlu: []\n', encoding="utf-8")
    assert snapshot(data_copy) != before
    added.unlink()
    assert snapshot(data_copy) == before


def test_snapshot_ignores_files_the_bot_does_not_read(data_copy: tuple[Path, Path]) -> None:
    before = snapshot(data_copy)
    (data_copy[0] / "catatan.txt").write_text("bukan YAML", encoding="utf-8")
    (data_copy[1] / "draf.yml~").write_text("cadangan editor", encoding="utf-8")
    assert snapshot(data_copy) == before


@pytest.mark.slow
def test_the_watcher_reloads_good_edits_and_reports_broken_ones(data_copy: tuple[Path, Path]) -> None:
    live = live_over(*data_copy)
    outcomes: asyncio.Queue[tuple[Problem, ...]] = asyncio.Queue()

    async def listener(problems: tuple[Problem, ...], _engine: Engine) -> None:
        await outcomes.put(problems)

    async def scenario() -> None:
        watcher = asyncio.create_task(live.watch(listener, interval=0.05))
        try:
            edit_answer(data_copy[0])
            assert await asyncio.wait_for(outcomes.get(), 15) == ()
            assert NEW_LINE in live.engine.answer("ltsa").text
            good = live.engine
            break_file(data_copy[0])
            problems = await asyncio.wait_for(outcomes.get(), 15)
            assert problems and live.engine is good
            # Nothing changed since: no further reloads or notices.
            await asyncio.sleep(0.3)
            assert outcomes.empty()
        finally:
            watcher.cancel()

    asyncio.run(scenario())
