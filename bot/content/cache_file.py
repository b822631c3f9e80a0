"""Cache files checked before use: a header and a SHA-256 of the payload, written atomically."""

from __future__ import annotations

import hashlib
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

# A file starts with this and the SHA-256 of the rest: a truncated or altered file is rebuilt, never loaded.
MAGIC = b"kawan-cache\n"
_DIGEST = 32


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
