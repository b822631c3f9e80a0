"""The built matcher index, kept in memory and on disk, keyed by the training data and the code that builds it."""

from __future__ import annotations

import hashlib
import logging
import marshal
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the cached layout changes
# Features, weights and the model depend on these modules: any change to them is a new key.
_CODE = ("matcher.py", "normalize.py", "linear_model.py", "index_cache.py")
_MEMORY: dict[str, dict[str, Any]] = {}


def fingerprint(pairs: Sequence[tuple[Sequence[str], str]], linear: bool) -> str:
    """Same normalised examples, same labels, same code: same index."""
    digest = hashlib.sha256(f"{FORMAT}|{linear}".encode())
    for name in _CODE:
        digest.update((Path(__file__).parent / name).read_bytes())
    digest.update(repr([(tuple(tokens), intent) for tokens, intent in pairs]).encode())
    return digest.hexdigest()[:32]


def read(key: str, cache_dir: Path | None) -> dict[str, Any] | None:
    """The parts built earlier for this key, from memory or the cache folder; None when not built yet."""
    if key in _MEMORY:
        return _MEMORY[key]
    if cache_dir is None:
        return None
    try:
        parts = marshal.loads((cache_dir / f"index-{key}.marshal").read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    if not isinstance(parts, dict):
        return None
    _MEMORY[key] = parts
    return parts


def write(key: str, parts: dict[str, Any], cache_dir: Path | None) -> None:
    """Keep the parts in memory and, when a folder is given, on disk (atomically; failures only cost speed)."""
    _MEMORY[key] = parts
    if cache_dir is None:
        return
    path = cache_dir / f"index-{key}.marshal"
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")  # two processes may build the same key at once
        partial.write_bytes(marshal.dumps(parts))
        partial.replace(path)
    except (OSError, ValueError) as exc:  # a read-only home must not stop the bot; the next start only builds again
        log.warning("cannot write the index cache %s: %s", path, exc)
