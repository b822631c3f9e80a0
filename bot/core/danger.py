"""Emergency detection: phrases of immediate danger put the emergency answer first."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from bot.core.normalize import Normalizer, stem

# A danger phrase right after one of these is being denied or asked about in advance.
NEGATORS = frozenset({"tidak", "belum", "bukan", "jangan"})


class DangerDetector:
    """Finds admin-listed danger phrases in normalised tokens (raw or stemmed)."""

    def __init__(self, phrases: Iterable[str], normalizer: Normalizer) -> None:
        self._by_first: dict[str, list[tuple[str, ...]]] = defaultdict(list)
        for text in phrases:
            tokens = normalizer.tokens(text)
            if tokens:
                self._by_first[tokens[0]].append(tokens)
        for candidates in self._by_first.values():
            candidates.sort(key=len, reverse=True)

    def find(self, tokens: Sequence[str]) -> str | None:
        """The first danger phrase in the message, or None."""
        stems = [stem(t) for t in tokens]
        for sequence in (list(tokens), stems):
            for i, token in enumerate(sequence):
                if i > 0 and sequence[i - 1] in NEGATORS and token not in NEGATORS:
                    continue
                for candidate in self._by_first.get(token, ()):
                    if tuple(sequence[i : i + len(candidate)]) == candidate:
                        return " ".join(candidate)
        return None
