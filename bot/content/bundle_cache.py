"""The validated bundle, cached on disk by the exact bytes of every data file, the date and the validator's code.

Validation takes a third of a second; a restart over unchanged folders on the same day loads the result instead.
Only a bundle that passed validation is stored, and only under a key that covers everything validation reads
(every file under both folders, `today`, `stale_days`, the Python version and the code of bot/content), so an
edit, a new day (facts can turn stale) or a new validator means validating again. The file is pickled: the cache
folder belongs to the user running the bot, who can change its code just as well.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import stat
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from bot.content.cache_file import read_checked, write_checked

if TYPE_CHECKING:
    from bot.content.validate import Bundle

log = logging.getLogger(__name__)

FORMAT = 1  # bump when the cached layout changes
# Data files are far smaller; a folder holding a bigger file is validated (and refused) every time, not hashed.
MAX_FILE_BYTES = 16 * 1024 * 1024
_BOT = Path(__file__).resolve().parent.parent
# Validation runs this code; a change to any of it is a new key.
_CODE = (*sorted((_BOT / "content").glob("*.py")), _BOT / "core" / "normalize.py", _BOT / "problems.py",
         _BOT / "errors.py")


def _entries(folder: Path) -> list[tuple[Path, bool]]:
    """Every file and folder under a folder (True for a folder), following links to folders once (a loop is
    walked only once). Folders count too: a folder named like a data file is an error the validator reports."""
    seen: set[str] = set()
    found: list[tuple[Path, bool]] = []
    for top, dirs, files in os.walk(folder, followlinks=True):
        real = os.path.realpath(top)
        if real in seen:
            dirs[:] = []
            continue
        seen.add(real)
        dirs.sort()
        found += [(Path(top) / name, True) for name in dirs]
        found += [(Path(top) / name, False) for name in sorted(files)]
    return found


def key(knowledge_dir: Path, intents_dir: Path, today: date, stale_days: int) -> str | None:
    """The key of this validation run; None when a file cannot be read (then nothing is cached)."""
    digest = hashlib.sha256(f"{FORMAT}|{sys.version}|{today.isoformat()}|{stale_days}".encode())
    try:
        for path in _CODE:
            digest.update(path.read_bytes())
        for folder in (knowledge_dir, intents_dir):
            digest.update(f"\0{folder.resolve()}\0".encode())
            for path, is_folder in _entries(folder):
                digest.update(f"\0{'folder' if is_folder else 'file'}:{path.relative_to(folder)}\0".encode())
                if is_folder:
                    continue
                content = _regular_bytes(path)
                if content is None:
                    return None
                digest.update(hashlib.sha256(content).digest())
    except OSError:
        return None
    return digest.hexdigest()[:32]


def _regular_bytes(path: Path) -> bytes | None:
    """A plain file's bytes; None for a pipe, device, folder or oversized file (never blocks, never waits): the
    validator names those, and a run that meets one is not cached."""
    # O_NONBLOCK: a pipe in the data folder must not stop the bot from starting (tests/test_hostile_files.py).
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as handle:
        found = os.fstat(handle.fileno())
        if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_FILE_BYTES:
            return None
        return handle.read(MAX_FILE_BYTES + 1)


def _path(cache_key: str, cache_dir: Path) -> Path:
    return cache_dir / f"bundle-{cache_key}.pickle"


def read(cache_key: str, cache_dir: Path) -> Bundle | None:
    """The bundle validated earlier under this key; None when there is none or the file is damaged."""
    from bot.content.validate import Bundle

    payload = read_checked(_path(cache_key, cache_dir))
    if payload is None:
        return None
    try:
        bundle = pickle.loads(payload)
    except Exception as exc:  # noqa: BLE001 - a file from an older version of the code: validate again
        log.warning("ignoring an unreadable bundle cache: %s", exc)
        return None
    return bundle if isinstance(bundle, Bundle) else None


def write(cache_key: str, bundle: Bundle, cache_dir: Path) -> None:
    try:
        payload = pickle.dumps(bundle, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError) as exc:
        log.warning("cannot cache the bundle: %s", exc)
        return
    write_checked(_path(cache_key, cache_dir), payload)
