"""Safe YAML loading that keeps line numbers and refuses duplicate keys."""

from __future__ import annotations

import errno
import os
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
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        detail = exc.problem or str(exc)
        return None, [YamlIssue(line=line, kind="syntax", detail=detail)]
    except yaml.YAMLError as exc:
        return None, [YamlIssue(line=0, kind="syntax", detail=str(exc))]
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
