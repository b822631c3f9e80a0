"""Safe YAML loading that keeps line numbers and refuses duplicate keys."""

from __future__ import annotations

import errno
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bot.errors import os_reason

# Admins' files are tens of kilobytes; anything far larger is a mistake, and reading it must stay cheap.
MAX_FILE_BYTES = 2 * 1024 * 1024
# Real files nest four or five levels; 5,000 levels would exhaust Python's stack.
MAX_DEPTH = 50


class LineDict(dict):
    """A mapping that remembers the line of itself and of each of its keys."""

    line: int = 0
    key_lines: dict[str, int]
    # The source text of each unquoted scalar value: YAML turns `0123` into 83 and `10:30` into 630.
    raw_values: dict[str, str] = {}


class LineList(list):
    """A sequence that remembers its line and the line of each item."""

    line: int = 0
    item_lines: list[int]


@dataclass(kw_only=True, frozen=True)
class YamlIssue:
    """A problem found while reading YAML: broken syntax or a repeated key."""

    line: int
    kind: str  # "syntax", "duplicate" or "file" (not readable as text at all)
    detail: str


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that builds LineDict/LineList and collects duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[YamlIssue] = []
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        # Aliases are refused outright: no admin file needs them, and a few hundred bytes of nested aliases
        # (a "billion laughs") expand to gigabytes.
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise yaml.composer.ComposerError(None, None, "alias YAML (*nama) tidak didukung; tulis isinya langsung",
                                              mark)
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(None, None, f"bersarang lebih dari {MAX_DEPTH} tingkat",
                                                  self.peek_event().start_mark)
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_line_mapping(self, node: yaml.MappingNode) -> LineDict:
        self.flatten_mapping(node)
        data = LineDict()
        data.line = node.start_mark.line + 1
        data.key_lines = {}
        data.raw_values = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            line = key_node.start_mark.line + 1
            if key in data:
                # Duplicate keys silently overwrite in plain YAML; an admin's edit would vanish.
                self.duplicates.append(YamlIssue(line=line, kind="duplicate", detail=key))
            data[key] = self.construct_object(value_node, deep=True)
            data.key_lines[key] = line
            # Plain scalars: style None in the Python parser, "" in libyaml's.
            if isinstance(value_node, yaml.ScalarNode) and not value_node.style:
                data.raw_values[key] = value_node.value
        return data

    def construct_line_sequence(self, node: yaml.SequenceNode) -> LineList:
        data = LineList(self.construct_object(child, deep=True) for child in node.value)
        data.line = node.start_mark.line + 1
        data.item_lines = [child.start_mark.line + 1 for child in node.value]
        return data


if hasattr(yaml, "CSafeLoader"):
    class _FastLineLoader(yaml.CSafeLoader, _LineLoader):
        """The same loader on libyaml's parser (about ten times faster; start-up reads thousands of lines)."""

        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.duplicates = []
else:  # PyYAML built without libyaml: the checked pure-Python loader only
    _FastLineLoader = _LineLoader  # type: ignore[misc,assignment]


for _loader in (_LineLoader, _FastLineLoader):
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_line_mapping)
    _loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_line_sequence)


def _plain_events(text: str) -> bool:
    """True when libyaml's events show no alias and no nesting beyond MAX_DEPTH: the fast loader is then safe
    (it composes in C, past the checks in _LineLoader.compose_node)."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_FastLineLoader):
            if isinstance(event, yaml.AliasEvent):
                return False
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    return False
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError:
        return False
    return True


# PyYAML's parser messages, in the words an admin reads; the first pattern that matches wins.
_SYNTAX_WORDS = (
    (re.compile(r"found unexpected end of stream"), "berkas berakhir sebelum tanda kutip ditutup"),
    (re.compile(r"found unknown escape character"),
     "garis miring terbalik (\\) tidak dikenal di dalam kutip ganda; pakai kutip tunggal"),
    (re.compile(r"found character '\\t' that cannot start any token"), "ada karakter tab; pakai spasi"),
    (re.compile(r"mapping values are not allowed here"),
     "ada titik dua (:) di tempat yang salah; teks yang berisi ': ' harus diberi tanda kutip"),
    (re.compile(r"could not find expected ':'"), "tanda titik dua (:) setelah nama kolom tidak ditemukan"),
    (re.compile(r"expected <block end>, but found '?<?(scalar|block mapping start)"),
     "ada baris yang indentasinya tidak sejajar, atau tanda kutip yang tidak ditutup"),
    (re.compile(r"expected <block end>, but found '?<?(block sequence start|-)"),
     "tanda '-' daftar tidak sejajar dengan butir lain"),
    (re.compile(r"expected ',' or '\]'"), "daftar [ ... ] tidak ditutup dengan benar"),
    (re.compile(r"expected ',' or '\}'"), "pasangan { ... } tidak ditutup dengan benar"),
    (re.compile(r"did not find expected key"), "ada baris yang indentasinya tidak sejajar"),
    (re.compile(r"did not find expected '-' indicator"), "butir daftar harus diawali '-' yang sejajar"),
    (re.compile(r"expected the node content"), "ada nilai yang kosong atau diawali tanda baca yang tidak sah"),
    (re.compile(r"expected a single document"), "berkas berisi lebih dari satu dokumen (---)"),
    (re.compile(r"found undefined tag handle|found unknown tag|could not determine a constructor"),
     "tanda '!' di awal nilai tidak didukung; beri tanda kutip"),
    (re.compile(r"found character .* that cannot start any token"),
     "ada karakter yang tidak boleh mengawali nilai (misalnya @ atau `); beri tanda kutip"),
)
UNCLOSED_QUOTE = "tanda kutip yang dibuka di baris ini tidak ditutup di baris yang sama"


def syntax_words(problem: str) -> str:
    """A PyYAML parser message in Indonesian; texts this reader raises itself are already Indonesian."""
    for pattern, words in _SYNTAX_WORDS:
        if pattern.search(problem):
            return words
    return problem if not re.search(r"\b(expected|found|while|could not)\b", problem) else "susunan YAML tidak sah"


def _open_quote_line(text: str, error_line: int) -> int | None:
    """The line where a quoted text opens, when it runs on to the error below it: the likely real mistake."""
    last: yaml.Token | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line + 1 >= error_line:
                break
            last = token
    except yaml.YAMLError:
        pass
    if (isinstance(last, yaml.ScalarToken) and last.style in ('"', "'")
            and last.start_mark.line < last.end_mark.line):
        return last.start_mark.line + 1
    return None


def load_yaml_text(text: str) -> tuple[Any, list[YamlIssue]]:
    """Parse YAML text; return the data (None if broken) and the issues found."""
    if _FastLineLoader is not _LineLoader and _plain_events(text):
        fast = _FastLineLoader(text)
        try:
            return fast.get_single_data(), list(fast.duplicates)
        except yaml.YAMLError:
            pass  # broken: the pure-Python parser below words the problem the way admins are shown it
        finally:
            fast.dispose()
    # Aliases, deep nesting and broken files: the checked pure-Python loader, which words the problem.
    loader = _LineLoader(text)
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        problem = exc.problem or str(exc)
        context = exc.context or ""
        # An unclosed quote: PyYAML reads on and fails much later; the quote's own line is where to look.
        mark = exc.context_mark if "quoted scalar" in context else (exc.problem_mark or exc.context_mark)
        line = mark.line + 1 if mark else 0
        detail = syntax_words(problem)
        opened = _open_quote_line(text, line) if "quoted scalar" not in context else None
        if opened is not None:
            line, detail = opened, UNCLOSED_QUOTE
        elif "quoted scalar" in context:
            detail = UNCLOSED_QUOTE
        return None, [YamlIssue(line=line, kind="syntax", detail=detail)]
    except yaml.YAMLError as exc:
        return None, [YamlIssue(line=0, kind="syntax", detail=syntax_words(str(exc)))]
    finally:
        loader.dispose()
    return data, list(loader.duplicates)


def _unreadable(reason: str) -> tuple[None, list[YamlIssue]]:
    return None, [YamlIssue(line=0, kind="file", detail=reason)]


def read_text_safely(path: Path) -> tuple[str | None, str]:
    """The file's text, or None and why not: never blocks on a pipe, never follows a loop, bounded in size."""
    try:
        found = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "tautan simbolik berputar (menunjuk ke dirinya sendiri)"
        if exc.errno == errno.ENOENT:
            return None, "tautan simbolik rusak: berkas tujuannya tidak ada"
        return None, f"tidak bisa dibaca ({os_reason(exc)})"
    if stat.S_ISDIR(found.st_mode):
        return None, "ini folder, bukan berkas"
    if not stat.S_ISREG(found.st_mode):
        return None, "bukan berkas biasa (pipa, soket atau perangkat)"
    if found.st_size > MAX_FILE_BYTES:
        return None, f"terlalu besar ({found.st_size} bita, maksimal {MAX_FILE_BYTES})"
    try:
        # O_NONBLOCK: a file swapped for a pipe after the check above still cannot block the reload.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, f"tidak bisa dibuka ({os_reason(exc)})"
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return None, "bukan berkas biasa (pipa, soket atau perangkat)"
        raw = handle.read(MAX_FILE_BYTES + 1)
    if len(raw) > MAX_FILE_BYTES:
        return None, f"terlalu besar (maksimal {MAX_FILE_BYTES} bita)"
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"bukan teks UTF-8 ({exc.reason})"
    if "\x00" in text:
        return None, "berisi karakter NUL (berkas biner atau rusak)"
    return text, ""


def _flow_depth(text: str) -> int:
    """The deepest nesting of [ and { (a rough count: brackets inside quotes count too, which only errs high)."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
    return deepest


def load_yaml_file(path: Path) -> tuple[Any, list[YamlIssue]]:
    """Read and parse one YAML file; anything that is not readable text is one issue naming why."""
    text, reason = read_text_safely(path)
    if text is None:
        return _unreadable(reason)
    if _flow_depth(text) > MAX_DEPTH:
        # Checked before parsing: PyYAML's scanner slows down sharply on thousands of open brackets.
        return _unreadable(f"bersarang lebih dari {MAX_DEPTH} tingkat")
    try:
        return load_yaml_text(text)
    except RecursionError:
        return _unreadable(f"bersarang terlalu dalam (lebih dari {MAX_DEPTH} tingkat)")
