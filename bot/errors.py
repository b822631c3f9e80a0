"""Domain errors raised by the core; shells turn them into words and exit codes."""

from __future__ import annotations

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
