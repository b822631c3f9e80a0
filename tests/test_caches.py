"""The start-up caches (validated bundle, matcher index, danger model): an edit rebuilds, damage is never loaded."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from bot.content import bundle_cache, validate
from bot.content.cache_file import MAGIC, read_checked, write_checked
from bot.content.validate import load_bundle
from bot.core import index_cache
from bot.core.danger_model import train
from bot.core.matcher import Matcher
from bot.core.normalize import Normalizer
from bot.errors import KnowledgeError

TODAY = date(2026, 11, 29)
DANGER = [("saya dipukul majikan", True), ("saya dikurung di rumah", True), ("paspor saya ditahan agen", True),
          ("berapa biaya ke malaysia", False), ("syarat jadi pmi apa saja", False), ("halo selamat pagi", False)]
NEGATORS = frozenset({"tidak"})


@pytest.fixture(autouse=True)
def fresh_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a new process would: nothing built in memory."""
    monkeypatch.setattr(index_cache, "_MEMORY", {})


def damage(path: Path, how: str) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "one byte changed":
        middle = len(data) // 2
        path.write_bytes(data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:])
    elif how == "empty":
        path.write_bytes(b"")
    else:  # no header: a file of an older version, or anything else
        path.write_bytes(data[len(MAGIC):])


DAMAGE = ["truncated", "one byte changed", "empty", "no header"]


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_cache_file_reads_as_missing(tmp_path: Path, how: str) -> None:
    path = tmp_path / "x.bin"
    write_checked(path, b"payload" * 100)
    assert read_checked(path) == b"payload" * 100
    damage(path, how)
    assert read_checked(path) is None


def test_the_bundle_is_loaded_from_the_cache_until_an_intents_file_changes(
        data_copy: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    knowledge, intents = data_copy
    cache = tmp_path / "cache"
    first = load_bundle(knowledge, intents, TODAY, cache_dir=cache)
    assert list(cache.glob("bundle-*.pickle"))
    calls: list[int] = []
    real = validate.validate

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(validate, "validate", counted)
    assert load_bundle(knowledge, intents, TODAY, cache_dir=cache) == first
    assert calls == []  # unchanged files: nothing validated again
    path = intents / "prosedur.yml"
    text = path.read_text(encoding="utf-8")
    marker = "  - intent: syarat_pmi\n    examples: |\n"
    assert marker in text
    path.write_text(text.replace(marker, marker + "      - contoh baru untuk uji cache sekali ini\n", 1),
                    encoding="utf-8")
    edited = load_bundle(knowledge, intents, TODAY, cache_dir=cache)
    assert calls == [1]
    assert "contoh baru untuk uji cache sekali ini" in {e.text for e in edited.training.examples}


def test_a_broken_edit_is_reported_even_with_a_good_bundle_cached(data_copy: tuple[Path, Path], tmp_path: Path) -> None:
    knowledge, intents = data_copy
    cache = tmp_path / "cache"
    load_bundle(knowledge, intents, TODAY, cache_dir=cache)
    (intents / "prosedur.yml").write_text("nlu: [tidak lengkap\n", encoding="utf-8")
    with pytest.raises(KnowledgeError):
        load_bundle(knowledge, intents, TODAY, cache_dir=cache)


def test_a_new_day_is_a_new_bundle_key(data_copy: tuple[Path, Path]) -> None:
    """Facts turn stale with the calendar: a bundle validated yesterday is validated again today."""
    knowledge, intents = data_copy
    assert bundle_cache.key(knowledge, intents, TODAY, 180) != bundle_cache.key(knowledge, intents,
                                                                               date(2026, 11, 30), 180)
    assert bundle_cache.key(knowledge, intents, TODAY, 180) != bundle_cache.key(knowledge, intents, TODAY, 90)


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_bundle_cache_is_validated_again(data_copy: tuple[Path, Path], tmp_path: Path, how: str) -> None:
    knowledge, intents = data_copy
    cache = tmp_path / "cache"
    first = load_bundle(knowledge, intents, TODAY, cache_dir=cache)
    (path,) = cache.glob("bundle-*.pickle")
    damage(path, how)
    assert load_bundle(knowledge, intents, TODAY, cache_dir=cache) == first
    assert read_checked(path) is not None  # written again


def test_the_danger_model_is_trained_once_and_read_back_the_same(tmp_path: Path) -> None:
    normalizer = Normalizer.build({})
    trained = train(DANGER, normalizer, NEGATORS, tmp_path)
    assert len(list(tmp_path.glob("danger-*.marshal"))) == 1
    index_cache._MEMORY.clear()  # a new process
    assert train(DANGER, normalizer, NEGATORS, tmp_path).weights == trained.weights


@pytest.mark.parametrize(("name", "change"), [
    ("a new example", lambda ex, neg, lex: ([*ex, ("majikan tampar saya", True)], neg, lex)),
    ("a label changed", lambda ex, neg, lex: ([(t, not d) if i == 0 else (t, d) for i, (t, d) in enumerate(ex)], neg,
                                              lex)),
    ("another negator", lambda ex, neg, lex: (ex, neg | {"bukan"}, lex)),
    ("a lexicon entry", lambda ex, neg, lex: (ex, neg, {("dpkl",): ("dipukul",)})),
])
def test_the_danger_model_retrains_when_its_training_data_changes(tmp_path: Path, name: str, change) -> None:
    train(DANGER, Normalizer.build({}), NEGATORS, tmp_path)
    examples, negators, lexicon = change(DANGER, NEGATORS, {})
    index_cache._MEMORY.clear()
    train(examples, Normalizer.build(lexicon), negators, tmp_path)
    assert len(list(tmp_path.glob("danger-*.marshal"))) == 2, name


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_danger_model_cache_is_trained_again(tmp_path: Path, how: str) -> None:
    normalizer = Normalizer.build({})
    trained = train(DANGER, normalizer, NEGATORS, tmp_path)
    (path,) = tmp_path.glob("danger-*.marshal")
    damage(path, how)
    index_cache._MEMORY.clear()
    assert train(DANGER, normalizer, NEGATORS, tmp_path).weights == trained.weights
    assert read_checked(path) is not None


@pytest.mark.parametrize("how", DAMAGE)
def test_a_damaged_matcher_index_is_built_again(tmp_path: Path, how: str) -> None:
    examples = [("berapa biaya ke malaysia", "biaya"), ("biaya jadi pmi", "biaya"), ("syarat jadi pmi", "syarat"),
                ("apa syarat kerja di luar negeri", "syarat")]
    normalizer = Normalizer.build({})
    built = Matcher.build(examples, normalizer, linear=False, cache_dir=tmp_path)
    (path,) = tmp_path.glob("index-*.marshal")
    damage(path, how)
    index_cache._MEMORY.clear()
    again = Matcher.build(examples, normalizer, linear=False, cache_dir=tmp_path)
    assert again.rank("biaya ke malaysia") == built.rank("biaya ke malaysia")
    assert read_checked(path) is not None


def test_the_matcher_index_is_rebuilt_when_the_lexicon_changes(tmp_path: Path) -> None:
    examples = [("berapa biaya ke malaysia", "biaya"), ("syarat jadi pmi", "syarat")]
    Matcher.build(examples, Normalizer.build({}), linear=False, cache_dir=tmp_path)
    Matcher.build(examples, Normalizer.build({("brp",): ("berapa",)}), linear=False, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("index-*.marshal"))) == 2


@pytest.mark.parametrize("name", ["a folder named like a data file", "a pipe named like a data file"])
def test_a_bad_new_entry_is_reported_even_with_a_good_bundle_cached(data_copy: tuple[Path, Path], tmp_path: Path,
                                                                    name: str) -> None:
    knowledge, intents = data_copy
    cache = tmp_path / "cache"
    load_bundle(knowledge, intents, TODAY, cache_dir=cache)
    if name.startswith("a folder"):
        (intents / "baru.yml").mkdir()
    else:
        os.mkfifo(intents / "baru.yml")
    with pytest.raises(KnowledgeError):
        load_bundle(knowledge, intents, TODAY, cache_dir=cache)


def test_old_cache_files_of_a_kind_are_pruned_and_nothing_else(tmp_path: Path) -> None:
    keys = [f"{n:032x}" for n in range(6)]
    for n, key in enumerate(keys):  # six edits of intents/, oldest first
        write_checked(tmp_path / f"index-{key}.marshal", b"x")
        os.utime(tmp_path / f"index-{key}.marshal", (1_000 + n, 1_000 + n))
    other_kind = tmp_path / f"danger-{keys[0]}.marshal"
    other_kind.write_bytes(b"old danger model")
    os.utime(other_kind, (1, 1))
    unrelated = [tmp_path / "index-notes.marshal", tmp_path / f"index-{keys[0]}.txt", tmp_path / "catatan.txt"]
    for path in unrelated:
        path.write_text("milik admin")
    newest = tmp_path / f"index-{'f' * 32}.marshal"
    write_checked(newest, b"payload")
    kept = sorted(p.name for p in tmp_path.glob("index-*.marshal") if p.name != "index-notes.marshal")
    assert kept == sorted([newest.name, f"index-{keys[5]}.marshal", f"index-{keys[4]}.marshal"])
    assert read_checked(newest) == b"payload"
    assert other_kind.exists() and all(path.exists() for path in unrelated)
