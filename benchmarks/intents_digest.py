"""A short fingerprint of the intents/ folder, so a stored result can tell which training data it was made from."""

from __future__ import annotations

import hashlib
from pathlib import Path

# The danger model's labelled messages: the Rasa export (bot/rasa/export.py) does not carry them, so DIET trained
# before they changed was still trained on the same data.
NOT_FOR_RASA = frozenset({"contoh_bahaya.yml"})


def intents_digest(folder: Path) -> str:
    """SHA-256 over every file's relative path and bytes, in sorted order, except the files Rasa never sees; first
    12 hex digits."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in NOT_FOR_RASA):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
