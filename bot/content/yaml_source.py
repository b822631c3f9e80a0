"""Safe YAML loading that keeps line numbers and refuses duplicate keys."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml


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
    kind: str  # "syntax" or "duplicate"
    detail: str


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that builds LineDict/LineList and collects duplicate keys."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[YamlIssue] = []

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


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_line_mapping
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_line_sequence
)


def load_yaml_text(text: str) -> tuple[Any, list[YamlIssue]]:
    """Parse YAML text; return the data (None if broken) and the issues found."""
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


def load_yaml_file(path: Path) -> tuple[Any, list[YamlIssue]]:
    """Read and parse one YAML file; undecodable bytes count as a syntax issue."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [YamlIssue(line=0, kind="syntax", detail=f"bukan teks UTF-8 ({exc.reason})")]
    return load_yaml_text(text)
