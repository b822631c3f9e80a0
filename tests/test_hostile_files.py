"""Hostile or broken files in knowledge/ and intents/: one clear Indonesian error naming the file, quickly, in
bounded memory, in `kawan validate`, at start-up and on live reload; required files are required."""

from __future__ import annotations

import os
import resource
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.cli import main
from bot.content.validate import validate
from bot.content.yaml_source import load_yaml_file
from bot.core.conversation import Engine
from bot.core.live_knowledge import LiveKnowledge
from bot.errors import KnowledgeError

ALIAS_BOMB = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + n)}: &{chr(98 + n)} [{', '.join(['*' + chr(97 + n)] * 9)}]\n" for n in range(8))


def alias_bomb(folder: Path) -> Path:
    path = folder / "bom.yaml"
    path.write_text(ALIAS_BOMB, encoding="utf-8")
    return path


def fifo(folder: Path) -> Path:
    path = folder / "pipa.yaml"
    os.mkfifo(path)
    return path


def symlink_loop(folder: Path) -> Path:
    path = folder / "putar.yaml"
    path.symlink_to(path)
    return path


def dangling(folder: Path) -> Path:
    path = folder / "rusak.yaml"
    path.symlink_to(folder / "tidak-ada.yaml")
    return path


def directory(folder: Path) -> Path:
    path = folder / "x.yaml"
    path.mkdir()
    return path


def deep(folder: Path) -> Path:
    path = folder / "dalam.yaml"
    path.write_text("topics: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return path


def nul_bytes(folder: Path) -> Path:
    path = folder / "nul.yaml"
    path.write_bytes(b"topics:\n  - id: a\x00b\n")
    return path


def huge(folder: Path) -> Path:
    path = folder / "besar.yaml"
    path.write_text("# " + "x" * (3 * 1024 * 1024) + "\n", encoding="utf-8")
    return path


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "alias bomb": (alias_bomb, "alias"),
    "fifo named .yaml": (fifo, "bukan berkas biasa"),
    "symlink loop": (symlink_loop, "berputar"),
    "dangling link": (dangling, "rusak"),
    "directory named x.yaml": (directory, "folder"),
    "5000-deep nesting": (deep, "bersarang"),
    "NUL bytes": (nul_bytes, "NUL"),
    "3 MB file": (huge, "terlalu besar"),
}


@pytest.mark.parametrize("name", HOSTILE)
@pytest.mark.parametrize("folder", ["knowledge", "intents"])
def test_validate_names_the_file_quickly_and_in_bounded_memory(data_copy: tuple[Path, Path], name: str,
                                                                folder: str) -> None:
    knowledge, intents = data_copy
    make, words = HOSTILE[name]
    path = make(knowledge if folder == "knowledge" else intents)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    assert load_yaml_file(path)[0] is None
    assert time.monotonic() - started < 1.0  # the alias bomb took 4.4 GB, the FIFO blocked forever
    bundle, problems = validate(knowledge, intents)
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 200 * 1024  # KiB: well under 200 MB
    errors = [p for p in problems if p.is_error]
    assert bundle is None and len(errors) == 1, errors
    assert errors[0].path == f"{folder}/{path.name}" and words in str(errors[0])


@pytest.mark.parametrize("name", ["alias bomb", "fifo named .yaml", "symlink loop", "5000-deep nesting"])
def test_kawan_validate_prints_one_error_without_a_traceback(data_copy: tuple[Path, Path], name: str,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    knowledge, intents = data_copy
    path = HOSTILE[name][0](knowledge)
    code = main(["validate", "--knowledge", str(knowledge), "--intents", str(intents)])
    out, err = capsys.readouterr()
    assert code == 1 and "Traceback" not in out + err and f"knowledge/{path.name}" in out + err


def test_start_up_refuses_with_the_file_named(data_copy: tuple[Path, Path]) -> None:
    knowledge, intents = data_copy
    fifo(intents)
    with pytest.raises(KnowledgeError) as error:
        Engine.from_dirs(knowledge, intents)
    assert [p.path for p in error.value.problems] == ["intents/pipa.yaml"]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_live_reload_keeps_the_old_data_and_names_the_file(data_copy: tuple[Path, Path], name: str) -> None:
    knowledge, intents = data_copy
    live = LiveKnowledge(lambda: Engine.from_dirs(knowledge, intents), (knowledge, intents))
    old = live.engine
    path = HOSTILE[name][0](knowledge)
    problems = live.reload()  # returns at all: a FIFO used to block it forever
    assert live.engine is old
    assert [p.path for p in problems] == [f"knowledge/{path.name}"]


@pytest.mark.parametrize("name", ["sinyal_darurat.yml", "lexicon.yml"])
def test_required_intents_files_are_required(data_copy: tuple[Path, Path], name: str) -> None:
    knowledge, intents = data_copy
    (intents / name).unlink()
    bundle, problems = validate(knowledge, intents)
    assert bundle is None
    assert [p.path for p in problems if p.is_error] == [f"intents/{name}"]
    assert "berkas wajib" in str(problems[0])


def test_a_reload_that_loses_danger_phrases_is_refused(data_copy: tuple[Path, Path]) -> None:
    knowledge, intents = data_copy
    live = LiveKnowledge(lambda: Engine.from_dirs(knowledge, intents), (knowledge, intents))
    old = live.engine
    path = intents / "sinyal_darurat.yml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    # The first pattern line of two signals that have more than one (word-class lines are not signals).
    blocks: dict[str, list[int]] = {}
    current = ""
    for i, line in enumerate(lines):
        if line.lstrip().startswith("- lookup:"):
            current = line.split(":", 1)[1].strip()
        elif line.startswith("      - ") and current.startswith("sinyal_darurat."):
            blocks.setdefault(current, []).append(i)
    drop = [rows[0] for rows in blocks.values() if len(rows) > 1][:2]
    path.write_text("".join(line for i, line in enumerate(lines) if i not in drop), encoding="utf-8")
    problems = live.reload()
    assert live.engine is old
    assert len(problems) == 1 and "2 frasa tanda bahaya hilang" in problems[0].message
    assert problems[0].path == "intents/sinyal_darurat.yml"


def test_one_yaml_syntax_error_is_one_error(data_copy: tuple[Path, Path]) -> None:
    knowledge, intents = data_copy
    path = knowledge / "bahaya.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("topics:\n", "topics:\n  - id: [\n", 1),
                    encoding="utf-8")
    _, problems = validate(knowledge, intents)
    errors = [p for p in problems if p.is_error]
    assert len(errors) == 1 and errors[0].path == "knowledge/bahaya.yaml" and "YAML rusak" in errors[0].message


def test_knowledge_yml_files_are_loaded_like_yaml_files(data_copy: tuple[Path, Path]) -> None:
    """`knowledge/*.yml` was watched but never loaded; now both are loaded and watched."""
    knowledge, intents = data_copy
    (knowledge / "komunitas.yaml").rename(knowledge / "komunitas.yml")
    engine = Engine.from_dirs(knowledge, intents)
    assert "kawan_pmi" in engine.kb.topics
