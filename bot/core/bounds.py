"""Input bounds: the longest message any shell passes to the engine, keeping both its start and its end."""

from __future__ import annotations

# Telegram's own limit; other shells (Rasa, terminal, `kawan ask`) may pass more.
MAX_INPUT = 4096
# Stands where the middle of a longer text was left out.
GAP = "\n…\n"


def bound(text: str, limit: int = MAX_INPUT) -> str:
    """At most `limit` characters: the start and the end, where people put the question and the plea for help."""
    if len(text) <= limit:
        return text
    keep = limit - len(GAP)
    head = keep // 2
    return text[:head] + GAP + text[len(text) - (keep - head):]
