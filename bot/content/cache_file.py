"""Cache files checked before use: a header and a SHA-256 of the payload, written atomically."""

from __future__ import annotations

import hashlib
import logging
import os
import re
from pathlib import Path

log = logging.getLogger(__name__)

# A file starts with this and the SHA-256 of the rest: a truncated or altered file is rebuilt, never loaded.
MAGIC = b"kawan-cache\n"
_DIGEST = 32
# Files of one kind kept besides the newest: every edit of intents/ or knowledge/ and every new day makes a new key,
# and a small server's disk must not fill with old indexes (about 9 MB each). Two more than the newest leave room
# for a second process on other data (a test run, the action server) without rebuilding in turn.
KEEP_OLDER = 2


def read_checked(path: Path) -> bytes | None:
    """The payload written by `write_checked`; None when missing, unreadable, truncated or altered."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    start = len(MAGIC) + _DIGEST
    payload = data[start:]
    if not data.startswith(MAGIC) or data[len(MAGIC):start] != hashlib.sha256(payload).digest():
        log.warning("ignoring a damaged cache file %s", path)
        return None
    return payload


def write_checked(path: Path, payload: bytes) -> None:
    """Write atomically (two processes may build the same file at once); a failure only costs speed next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(MAGIC + hashlib.sha256(payload).digest() + payload)
        partial.replace(path)
    except OSError as exc:  # a read-only home must not stop the bot; the next start only builds again
        log.warning("cannot write the cache %s: %s", path, exc)
        return
    prune(path)


def prune(path: Path, keep_older: int = KEEP_OLDER) -> None:
    """Delete older cache files of the same kind as `path` ("index-<key>.marshal"), keeping the newest few.

    Only names this module writes are touched (kind, a 32-digit hex key, the same suffix), so a cache folder an
    admin shares with other files loses nothing else."""
    kind, _, key = path.stem.rpartition("-")
    if not kind or not re.fullmatch(r"[0-9a-f]{32}", key):
        return
    pattern = re.compile(rf"{re.escape(kind)}-[0-9a-f]{{32}}{re.escape(path.suffix)}")
    try:
        older = [p for p in path.parent.iterdir() if p != path and pattern.fullmatch(p.name) and p.is_file()]
        older.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in older[keep_older:]:
            stale.unlink(missing_ok=True)
    except OSError as exc:  # another process pruning at the same time, or a read-only folder: try next time
        log.warning("cannot prune the cache folder %s: %s", path.parent, exc)
