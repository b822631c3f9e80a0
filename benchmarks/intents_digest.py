"""A short fingerprint of the intents/ folder, so a stored result can tell which training data it was made from."""

from __future__ import annotations

import hashlib
from pathlib import Path


def intents_digest(folder: Path) -> str:
    """SHA-256 over every file's relative path and bytes, in sorted order; first 12 hex digits."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
