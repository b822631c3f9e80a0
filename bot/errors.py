"""Domain errors raised by the core; shells turn them into words and exit codes."""

from __future__ import annotations

import errno
from collections.abc import Sequence

from bot.problems import Problem


class KawanError(Exception):
    """Base class of every error the core raises on purpose."""


class KnowledgeError(KawanError):
    """The knowledge or training data has problems, so it cannot be loaded."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        super().__init__(f"{count} masalah pada data pengetahuan")


class UsageError(KawanError):
    """A command was called with arguments it cannot use (the command line exits 2)."""


# The operating system words its errors in English; admins read Indonesian.
_OS_REASONS = {
    errno.ENOENT: "berkas atau folder tidak ada",
    errno.ENOTDIR: "sebagian jalurnya bukan folder",
    errno.EISDIR: "itu sebuah folder, bukan berkas",
    errno.EACCES: "tidak ada izin",
    errno.EPERM: "tidak diizinkan",
    errno.EEXIST: "sudah ada",
    errno.ENOSPC: "disk penuh",
    errno.EROFS: "sistem berkas hanya bisa dibaca",
    errno.ELOOP: "tautan simbolik berputar",
    errno.ENAMETOOLONG: "nama terlalu panjang",
    errno.EIO: "galat baca/tulis perangkat",
}


def os_reason(exc: OSError) -> str:
    """Why an OS call failed, in Indonesian."""
    if exc.errno in _OS_REASONS:
        return _OS_REASONS[exc.errno]
    name = errno.errorcode.get(exc.errno or 0)
    return f"galat sistem {name}" if name else "galat sistem"
