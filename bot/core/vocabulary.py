"""The words the bot knows: anything else capitalised in a stored question is treated as a name."""

from __future__ import annotations

import re
from collections import Counter

from bot.core.conversation import Engine
from bot.core.normalize import basic_tokens

# A word of the examples counts as the bot's own when some example writes it in lower case, or several use it and
# not always capitalised: a person's name that writers put in their stories ("adik saya Maria ...", in one story or
# in ten) must still be masked.
MIN_EXAMPLES_FOR_A_WORD = 3
_WORD = re.compile(r"[^\W\d_]+")


def known_words(engine: Engine) -> frozenset[str]:
    """Lower-case words used by several examples, the lexicon (both sides), danger phrases and topic titles."""
    training = engine.bundle.training
    uses = Counter(word for example in training.examples for word in set(basic_tokens(example.text)))
    written = [word for example in training.examples for word in _WORD.findall(example.text)]
    lower = {word for word in written if word.islower()}
    uncapitalised = {word.lower() for word in written if not word[0].isupper()}
    words: set[str] = {word for word, count in uses.items()
                       if word in lower or (count >= MIN_EXAMPLES_FOR_A_WORD and word in uncapitalised)}
    for key, value in training.lexicon.items():
        words.update(key)
        words.update(value)
    for text in training.danger_phrases:
        words.update(basic_tokens(text))
    for topic in engine.kb.topics.values():
        words.update(basic_tokens(f"{topic.title} {topic.answer} {topic.details}"))
    return frozenset(w for w in words if w.isalpha())
