"""Built models (matcher index, danger model), kept in memory and on disk, keyed by their data and code."""

from __future__ import annotations

import hashlib
import marshal
import struct
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.content.cache_file import read_checked, write_checked
from bot.core.normalize import Normalizer

FORMAT = 3  # bump when the cached layout changes
_MEMORY: dict[str, Any] = {}


def fingerprint(kind: str, code: Iterable[str], *parts: object) -> str:
    """Same data, same code (modules of bot/core named in `code`), same key: nothing to build again."""
    digest = hashlib.sha256(f"{FORMAT}|{kind}".encode())
    for name in code:
        digest.update((Path(__file__).parent / name).read_bytes())
    for part in parts:
        digest.update(repr(part).encode())
        digest.update(b"\0")
    return f"{kind}-{digest.hexdigest()[:32]}"


def normalizer_state(normalizer: Normalizer) -> tuple[object, ...]:
    """Everything a normaliser's tokens depend on besides normalize.py: text in, same tokens out."""
    return (sorted(normalizer.lexicon.items()), sorted(normalizer.vocabulary), normalizer.longest)


def _path(key: str, cache_dir: Path) -> Path:
    return cache_dir / f"{key}.marshal"


def read(key: str, cache_dir: Path | None, expect: type = dict) -> Any | None:
    """What was built earlier for this key, from memory or the cache folder; None when not built yet or when
    the file is damaged (header, checksum or shape): the caller builds it again."""
    if key in _MEMORY:
        return _MEMORY[key]
    payload = read_checked(_path(key, cache_dir)) if cache_dir is not None else None
    if payload is None:
        return None
    try:
        parts = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return None
    if not isinstance(parts, expect):
        return None
    _MEMORY[key] = parts
    return parts


def write(key: str, parts: Any, cache_dir: Path | None) -> None:
    """Keep the parts in memory and, when a folder is given, on disk."""
    _MEMORY[key] = parts
    if cache_dir is not None:
        write_checked(_path(key, cache_dir), marshal.dumps(parts))


# Postings (class or intent number, weight) packed as bytes: unpacking 40,000 small byte strings is several times
# quicker than 350,000 tuples and floats, and a feature's postings are unpacked only when a message has it.
_POSTING = struct.Struct("<Hd")
Posting = tuple[int, float]


def pack(postings: Mapping[str, Sequence[Posting]]) -> dict[str, bytes]:
    """Postings by feature as bytes (exact: weights stay 64-bit floats)."""
    return {feature: b"".join(_POSTING.pack(k, w) for k, w in found) for feature, found in postings.items()}


class Postings(Mapping[str, tuple[Posting, ...]]):
    """Packed postings by feature, each unpacked at its first use and kept."""

    def __init__(self, packed: dict[str, bytes]) -> None:
        self._packed = packed
        self._open: dict[str, tuple[Posting, ...]] = {}

    def get(self, feature: str, default: tuple[Posting, ...] = ()) -> tuple[Posting, ...]:  # type: ignore[override]
        found = self._open.get(feature)
        if found is None:
            raw = self._packed.get(feature)
            if raw is None:
                return default
            found = self._open[feature] = tuple(_POSTING.iter_unpack(raw))
        return found

    def __getitem__(self, feature: str) -> tuple[Posting, ...]:
        if feature not in self._packed:
            raise KeyError(feature)
        return self.get(feature)

    def __iter__(self) -> Iterator[str]:
        return iter(self._packed)

    def __len__(self) -> int:
        return len(self._packed)
