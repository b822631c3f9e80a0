"""Danger signals from intents/sinyal_darurat.yml: word classes and patterns, parsed and checked."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from bot.core.normalize import Phrase, phrase

SIGNAL_PREFIX = "sinyal_darurat"
CLASS_PREFIX = "kelas."
# The categories the emergency path knows; bunuh_diri gets its own gentle reply.
CATEGORIES = frozenset({
    "kekerasan", "kurungan", "seksual", "ancaman", "makanan", "kerja_paksa", "utang", "anak", "dijual",
    "kabur", "minta_tolong", "tersesat", "bunuh_diri", "lain",
})
SELF_HARM = "bunuh_diri"
# Classes the detector itself reads (context: negation, past, questions, places, family).
REQUIRED_CLASSES = (
    "penyangkal", "lampau", "sudah_aman", "andai", "pengandaian", "berita", "konsep", "canda",
    "tempat_luar_negeri", "tempat_indonesia", "kerabat", "asal", "bawa", "usia_anak",
)
GAP = "..."
GAP_WIDTH = 4
CLAUSE_END = "$"
CLAUSE_START = "^"
EXCEPT = "kecuali:"
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_CLASS_REF = re.compile(r"^<([a-z_]+)(?::(aktif|pasif))?>$")


@dataclass(frozen=True)
class Element:
    """One pattern step: a word class (optionally one voice), alternative words, a gap or a clause end."""

    kind: str  # class, words, gap, start, end, not (the next word is none of these words or of class `name`)
    words: tuple[str, ...] = ()
    name: str = ""
    voice: str = ""


Pattern = tuple[Element, ...]


@dataclass(frozen=True)
class Signal:
    """A named way of describing danger; `id` is stable and is what statistics count."""

    id: str
    category: str
    patterns: tuple[Pattern, ...]
    texts: tuple[str, ...]
    excepts: frozenset[str] = frozenset()

    @property
    def self_harm(self) -> bool:
        return self.category == SELF_HARM


@dataclass(frozen=True)
class SignalSet:
    """Everything in sinyal_darurat.yml: word classes by name and the signals in file order."""

    classes: Mapping[str, tuple[Phrase, ...]]
    signals: tuple[Signal, ...]

    def words(self, name: str) -> frozenset[str]:
        """The one-word entries of a class."""
        return frozenset(p[0] for p in self.classes.get(name, ()) if len(p) == 1)


EMPTY = SignalSet({}, ())


def signal_name(lookup: str) -> tuple[str, str] | None:
    """("kekerasan", "pukul") for "sinyal_darurat.kekerasan.pukul"; None when not a signal lookup."""
    if lookup == SIGNAL_PREFIX:
        return "lain", "frasa"
    parts = lookup.split(".")
    if len(parts) == 3 and parts[0] == SIGNAL_PREFIX:
        return parts[1], parts[2]
    return None


def parse_pattern(text: str) -> tuple[Pattern, str | None]:
    """A pattern line as elements, or an Indonesian reason why it cannot be read."""
    elements: list[Element] = []
    for raw in text.split():
        ref = _CLASS_REF.match(raw)
        if ref:
            elements.append(Element("class", name=ref.group(1), voice=ref.group(2) or ""))
        elif raw == GAP:
            elements.append(Element("gap"))
        elif raw == CLAUSE_END:
            elements.append(Element("end"))
        elif raw == CLAUSE_START:
            elements.append(Element("start"))
        elif raw.startswith("!") and (negated := _CLASS_REF.match(raw[1:])):
            elements.append(Element("not", name=negated.group(1)))
        elif raw.startswith("!") and len(raw) > 1:
            words = [t for alternative in raw[1:].split("|") for t in phrase(alternative)[:1]]
            elements.append(Element("not", words=tuple(words)))
        elif raw.startswith("<") or raw.endswith(">"):
            return (), f"kelas kata {raw!r} tidak bisa dibaca (tulis <nama> atau <nama:pasif>)"
        else:
            words = []
            for alternative in raw.split("|"):
                tokens = phrase(alternative)
                if len(tokens) != 1:
                    return (), f"{alternative!r} harus satu kata (pisahkan pilihan dengan |)"
                words.append(tokens[0])
            elements.append(Element("words", words=tuple(words)))
    if not any(e.kind in ("class", "words") for e in elements):
        return (), "pola tidak berisi kata"
    if elements[0].kind == "gap" or elements[-1].kind == "gap":
        return (), "pola tidak boleh diawali atau diakhiri '...'"
    return tuple(elements), None


def parse_signal(lookup: str, lines: list[str]) -> tuple[Signal | None, list[str]]:
    """One signal lookup: its patterns and 'kecuali:' words; the second value lists problems."""
    name = signal_name(lookup)
    if name is None:
        return None, [f"nama sinyal {lookup!r} harus berbentuk {SIGNAL_PREFIX}.kategori.id"]
    category, ident = name
    problems = []
    if category not in CATEGORIES:
        problems.append(f"kategori {category!r} tidak dikenal (pilih: {', '.join(sorted(CATEGORIES))})")
    if not _NAME.match(ident):
        problems.append(f"id sinyal {ident!r} hanya boleh huruf kecil, angka dan garis bawah")
    patterns: list[Pattern] = []
    texts: list[str] = []
    excepts: set[str] = set()
    for line in lines:
        if line.startswith(EXCEPT):
            excepts.update(w for part in line[len(EXCEPT):].split(",") for w in phrase(part))
            continue
        pattern, problem = parse_pattern(line)
        if problem:
            problems.append(f"pola {line!r}: {problem}")
        else:
            patterns.append(pattern)
            texts.append(line)
    if not patterns and not problems:
        problems.append("sinyal tanpa pola")
    ident = f"{category}.{ident}"
    return Signal(ident, category, tuple(patterns), tuple(texts), frozenset(excepts)), problems


def undefined_classes(signal: Signal, classes: Mapping[str, object]) -> list[str]:
    return sorted({e.name for p in signal.patterns for e in p if e.kind in ("class", "not") and e.name
                   and e.name not in classes})
