"""The words the bot knows: anything else capitalised in a stored question is treated as a name."""

from __future__ import annotations

from bot.core.conversation import Engine
from bot.core.normalize import basic_tokens


def known_words(engine: Engine) -> frozenset[str]:
    """Lower-case words of the examples, the lexicon (both sides), danger phrases and topic titles."""
    training = engine.bundle.training
    words: set[str] = set(engine.normalizer.vocabulary)
    for key, value in training.lexicon.items():
        words.update(key)
        words.update(value)
    for text in training.danger_phrases:
        words.update(basic_tokens(text))
    for topic in engine.kb.topics.values():
        words.update(basic_tokens(topic.title))
    return frozenset(w for w in words if w.isalpha())
