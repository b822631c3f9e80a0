"""Training data in Rasa NLU YAML (intents/*.yml): examples, the slang lexicon, danger phrases."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.content.knowledge import data_files
from bot.content.schema import Where, yaml_problems
from bot.content.signals import (
    CLASS_PREFIX,
    EMPTY,
    REQUIRED_CLASSES,
    SIGNAL_PREFIX,
    Signal,
    SignalSet,
    parse_signal,
    undefined_classes,
)
from bot.content.yaml_source import LineDict, LineList, load_yaml_file
from bot.core.normalize import Phrase, phrase, root
from bot.problems import Problem

OUT_OF_SCOPE = "out_of_scope"
DANGER_LOOKUP = SIGNAL_PREFIX
# Labelled messages for the learned danger model (intents/contoh_bahaya.yml): lookup name -> is it danger.
EXAMPLE_PREFIX = "contoh_bahaya"
EXAMPLE_LABELS = {f"{EXAMPLE_PREFIX}.bahaya": True, f"{EXAMPLE_PREFIX}.aman": False}
MIN_EXAMPLES = 25
# Without these the bot silently stops recognising slang and danger: they must exist and be readable.
REQUIRED_FILES = {
    "lexicon.yml": "kamus bahasa gaul dan logat",
    "sinyal_darurat.yml": f"daftar frasa tanda bahaya (lookup {DANGER_LOOKUP})",
}
# Words whose meaning a lexicon entry must never remove: a question that loses "tidak" or "berapa", or a
# cry for help that loses "dipukul", would be answered wrongly. Danger words are listed by their root.
PROTECTED_WORDS = {
    "kata negasi": frozenset({"tidak", "bukan", "jangan", "belum", "tanpa"}),
    "kata tanya": frozenset({"apa", "apakah", "siapa", "mana", "bagaimana", "berapa", "kenapa", "mengapa", "kapan"}),
    "kata bahaya": frozenset({"pukul", "kurung", "sekap", "kunci", "siksa", "aniaya", "ancam", "perkosa", "leceh",
                              "tampar", "tendang", "bunuh", "culik", "sandera", "kabur", "tolong", "darurat"}),
}
ITEM_KINDS = ("intent", "synonym", "lookup", "regex")
_ENTITY = re.compile(r"\[([^\]]*)\]\((?:[^)]*)\)|\[([^\]]*)\]\{[^}]*\}")


@dataclass(kw_only=True, frozen=True)
class Example:
    text: str
    intent: str
    path: str
    line: int
    intent_line: int = 0


@dataclass(kw_only=True, frozen=True)
class TrainingData:
    """Everything read from intents/: labelled examples, lexicon and danger phrases."""

    examples: tuple[Example, ...]
    lexicon: Mapping[Phrase, Phrase]
    signals: SignalSet = EMPTY
    # (text, is danger) for the learned danger model, in file order.
    danger_examples: tuple[tuple[str, bool], ...] = ()

    @property
    def danger_phrases(self) -> tuple[str, ...]:
        """Every danger pattern as written, in file order (what Rasa gets as lookup entries)."""
        return tuple(text for s in self.signals.signals for text in s.texts)

    def intents(self) -> list[str]:
        return sorted({e.intent for e in self.examples})


def _example_lines(where: Where, item: LineDict) -> tuple[list[tuple[str, int]], list[Problem]]:
    raw = item.get("examples")
    line = item.key_lines.get("examples", item.line)
    if not isinstance(raw, str):
        return [], [where.problem(line, "examples", "contoh harus berupa blok teks berisi baris '- ...'.",
                                  "tulis 'examples: |' lalu tiap contoh di baris baru diawali '- '.")]
    out, problems = [], []
    for offset, text in enumerate(raw.splitlines()):
        stripped = text.strip()
        if not stripped:
            continue
        if not stripped.startswith("- "):
            problems.append(where.problem(line + 1 + offset, "examples",
                                          f"baris contoh harus diawali '- ': {stripped[:40]!r}.",
                                          "tambahkan '- ' di depan contoh ini."))
            continue
        example = _ENTITY.sub(lambda m: m.group(1) or m.group(2) or "", stripped[2:]).strip()
        if example:
            out.append((example, line + 1 + offset))
    if not out:
        problems.append(where.problem(line, "examples", "tidak ada contoh.", "tambahkan contoh pertanyaan."))
    return out, problems


def read_training(directory: Path, required: Mapping[str, str] | None = None) -> tuple[TrainingData | None, list[Problem]]:
    """Read every intents file; return the data (None when there are errors) and all problems.

    `required` names files that must exist (the bot's own intents/ passes REQUIRED_FILES; an exported Rasa
    project has none) and then at least one danger phrase must be found.
    """
    if not directory.is_dir():
        return None, [Problem(path=str(directory), line=0, entry="", field="",
                              message="folder contoh (intents) tidak ditemukan.",
                              fix="jalankan perintah dari folder proyek atau pakai --intents FOLDER.")]
    found = _Collected()
    paths = data_files(directory)
    for path in paths:
        _read_file(found, path, f"{directory.name}/{path.name}")
    found.problems += _lexicon_problems(found)
    names = {path.name for path in paths}
    for name, what in (required or {}).items():
        if name not in names:
            found.problems.append(Problem(
                path=f"{directory.name}/{name}", line=0, entry="", field="", message=f"berkas wajib ({what}) tidak ada.",
                fix="kembalikan berkas ini (lihat riwayat git atau salinan cadangan); tanpa berkas ini bot tidak "
                    "mengenali tanda bahaya atau logat."))
    if required and not found.signals and not any(p.path.endswith("sinyal_darurat.yml") for p in found.problems):
        found.problems.append(Problem(
            path=f"{directory.name}/sinyal_darurat.yml", line=0, entry=DANGER_LOOKUP, field="examples",
            message="tidak ada satu pun frasa tanda bahaya.",
            fix=f"tulis '- lookup: {DANGER_LOOKUP}' dengan frasa tanda bahaya di berkas ini."))
    found.problems += _check_signals(found.signals, found.classes)
    if any(p.is_error for p in found.problems):
        return None, found.problems
    return found.data(), found.problems


@dataclass
class _Collected:
    """What read_training gathers file by file, in file order, before it becomes TrainingData."""

    problems: list[Problem] = field(default_factory=list)
    examples: list[Example] = field(default_factory=list)
    lexicon: dict[Phrase, Phrase] = field(default_factory=dict)
    lexicon_where: dict[Phrase, str] = field(default_factory=dict)  # "file:line" of each lexicon key, for conflicts
    classes: dict[str, tuple[Phrase, ...]] = field(default_factory=dict)
    signals: list[tuple[Signal, str, int]] = field(default_factory=list)
    danger_examples: list[tuple[str, bool]] = field(default_factory=list)

    def data(self) -> TrainingData:
        signals = SignalSet(self.classes, tuple(s for s, _, _ in self.signals))
        return TrainingData(examples=tuple(self.examples), lexicon=self.lexicon, signals=signals,
                            danger_examples=tuple(self.danger_examples))


def _read_file(found: _Collected, path: Path, shown: str) -> None:
    """One intents file: its shape, then each nlu item."""
    data, issues = load_yaml_file(path)
    found.problems += yaml_problems(shown, issues)
    if data is None and issues:
        return
    if not isinstance(data, LineDict) or not isinstance(data.get("nlu"), LineList):
        found.problems.append(Problem(path=shown, line=1, entry="", field="nlu",
                                      message="berkas harus berisi 'version: \"3.1\"' dan daftar 'nlu:'.",
                                      fix="salin bentuk berkas intents yang lain."))
        return
    found.problems += _top_level_problems(shown, data)
    nlu: LineList = data["nlu"]
    for item, line in zip(nlu, nlu.item_lines, strict=False):
        _read_item(found, shown, item, line)


def _top_level_problems(shown: str, data: LineDict) -> list[Problem]:
    """The Rasa format version and unknown top-level keys."""
    problems = []
    if data.get("version") != "3.1":
        problems.append(Problem(path=shown, line=data.key_lines.get("version", 1), entry="", field="version",
                                message="versi format Rasa harus \"3.1\" (dengan tanda kutip).",
                                fix='tulis version: "3.1" di baris pertama.'))
    for key in data:
        if key not in ("version", "nlu"):
            problems.append(Problem(path=shown, line=data.key_lines[key], entry="", field=key,
                                    message="kunci paling atas ini tidak dikenal.",
                                    fix="berkas intents hanya berisi 'version' dan 'nlu'."))
    return problems


def _read_item(found: _Collected, shown: str, item: object, line: int) -> None:
    """One nlu item: an intent's examples, a synonym's spellings, or the danger lookup's phrases."""
    if not isinstance(item, LineDict):
        found.problems.append(Problem(path=shown, line=line, entry="", field="nlu",
                                      message="entri nlu harus berupa '- intent: ...' dan 'examples'.",
                                      fix="lihat contoh di berkas lain."))
        return
    kinds = [k for k in ITEM_KINDS if k in item]
    name = str(item.get(kinds[0], "")) if kinds else ""
    where = Where(path=shown, entry=name)
    if len(kinds) != 1 or not isinstance(item[kinds[0]], str):
        found.problems.append(where.problem(line, "intent", "entri harus punya tepat satu dari intent, synonym, "
                                            "lookup atau regex, berisi teks.", "tulis '- intent: nama_topik'."))
        return
    kind = kinds[0]
    for key in item:
        if key not in (kind, "examples", "metadata"):
            found.problems.append(where.problem(item.key_lines[key], key, "kolom ini tidak dikenal.",
                                                "yang boleh: intent/synonym/lookup/regex, examples, metadata."))
    lines, problems = _example_lines(where, item)
    found.problems += problems
    if kind == "intent":
        found.examples += [Example(text=text, intent=name, path=shown, line=n, intent_line=line) for text, n in lines]
    elif kind == "synonym":
        _add_synonyms(found, where, name, lines)
    elif kind == "lookup" and name.startswith(CLASS_PREFIX):
        found.classes[name[len(CLASS_PREFIX):]] = tuple(p for p in (phrase(t) for t, _ in lines) if p)
    elif kind == "lookup" and name.split(".")[0] == DANGER_LOOKUP:
        signal, reasons = parse_signal(name, [t for t, _ in lines])
        for reason in reasons:
            found.problems.append(where.problem(line, "examples", f"{reason}.",
                                                "lihat penjelasan pola di kepala berkas sinyal_darurat.yml."))
        if signal is not None:
            found.signals.append((signal, shown, line))
    elif kind == "lookup" and name.split(".")[0] == EXAMPLE_PREFIX:
        if name not in EXAMPLE_LABELS:
            found.problems.append(where.problem(line, "lookup", f"nama '{name}' tidak dikenal.",
                                                f"pakai '{EXAMPLE_PREFIX}.bahaya' atau '{EXAMPLE_PREFIX}.aman'."))
            return
        found.danger_examples += [(text, EXAMPLE_LABELS[name]) for text, _ in lines]


def _check_signals(signals: list[tuple[Signal, str, int]], classes: Mapping[str, object]) -> list[Problem]:
    """Unique ids, known classes, and the classes the detector reads when there are any signals."""
    problems: list[Problem] = []
    seen: dict[str, str] = {}
    for signal, shown, line in signals:
        where = Where(path=shown, entry=signal.id)
        if signal.id in seen:
            problems.append(where.problem(line, "lookup", f"id sinyal '{signal.id}' sudah dipakai di {seen[signal.id]}.",
                                          "setiap sinyal perlu id yang unik; ganti salah satunya."))
        seen.setdefault(signal.id, f"{shown}:{line}")
        for name in undefined_classes(signal, classes):
            problems.append(where.problem(line, "examples", f"kelas kata '<{name}>' tidak ada.",
                                          f"tambahkan '- lookup: {CLASS_PREFIX}{name}' atau perbaiki namanya."))
    if signals:
        shown = signals[0][1]
        for name in REQUIRED_CLASSES:
            if name not in classes:
                problems.append(Problem(path=shown, line=0, entry=name, field="lookup",
                                        message=f"kelas kata wajib '{CLASS_PREFIX}{name}' tidak ada.",
                                        fix="detektor bahaya membaca kelas ini; tambahkan kembali."))
    return problems


def _add_synonyms(found: _Collected, where: Where, name: str, lines: list[tuple[str, int]]) -> None:
    """Map each spelling to the standard phrase; one spelling with two meanings is a problem."""
    target = phrase(name)
    for text, n in lines:
        key = phrase(text)
        if not key or key == target:
            continue
        if key in found.lexicon and found.lexicon[key] != target:
            found.problems.append(where.problem(n, "examples",
                                                f"'{text}' sudah dipetakan ke '{' '.join(found.lexicon[key])}' "
                                                f"di {found.lexicon_where[key]}.",
                                                "satu kata hanya boleh punya satu arti baku; hapus salah satunya."))
            continue
        found.lexicon[key] = target
        found.lexicon_where[key] = f"{where.path}:{n}"


def _protected_kinds(words: Phrase) -> set[str]:
    """Which kinds of protected word (negation, question, danger) these words contain."""
    forms = {form for w in words for form in (w, root(w), root(w).removesuffix("i"))}  # "dipukuli" -> "pukul"
    return {kind for kind, protected in PROTECTED_WORDS.items() if forms & protected}


def _lexicon_problems(found: _Collected) -> list[Problem]:
    """Entries that map a negation, question word or danger word away (also through a spelling variant)."""
    problems = []
    single = {key: value for key, value in found.lexicon.items() if len(key) == 1}
    for key, value in found.lexicon.items():
        standard = tuple(w for token in key for w in ((token,) if len(key) == 1 else single.get((token,), (token,))))
        lost = (_protected_kinds(key) | _protected_kinds(standard)) - _protected_kinds(value)
        if not lost:
            continue
        path, _, line = found.lexicon_where[key].rpartition(":")
        kinds = " dan ".join(sorted(lost))
        problems.append(Problem(path=path, line=int(line), entry=" ".join(value), field="examples",
                                message=f"'{' '.join(key)}' dipetakan ke '{' '.join(value)}' sehingga {kinds} hilang.",
                                fix="kamus tidak boleh membuang kata negasi, kata tanya, atau kata bahaya; "
                                    "hapus baris ini atau pertahankan kata itu dalam arti bakunya."))
    return problems
