"""Text normalisation for how people really type: case, emoji, elongation, reduplication, slang."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# Every shell bounds its input first (bot/core/bounds.py, 4,096 characters: Telegram's limit, start and end
# kept); this is only a backstop, above that bound, so the whole message is read for danger.
MAX_CHARS = 5000

_REDUPLICATION = re.compile(r"\b([a-z]{2,})2\b")
_ELONGATION = re.compile(r"([a-z])\1{2,}")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_ENTITY_MARKUP = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]{0,60}>")

Phrase = tuple[str, ...]

# Clitics and particles stripped for matching: "paspornya" and "paspor" are the same word.
_SUFFIXES = ("nya", "kah", "lah", "pun", "ku", "mu")


def _fold(text: str) -> str:
    """Unicode-fold: compatibility forms, case, accents; format and control characters to spaces."""
    if text.isascii():
        # Fast path for most messages: tokenising already splits on punctuation and controls.
        return text.lower()
    text = unicodedata.normalize("NFKC", text).casefold()
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text):
        category = unicodedata.category(char)
        if category == "Mn":  # combining accent: é -> e
            continue
        if category[0] in "CSZP":  # controls, RTL marks, emoji, symbols, punctuation
            out.append(" ")
        else:
            out.append(char)
    return "".join(out)


def basic_tokens(text: str) -> list[str]:
    """Tokens after folding and reduplication, before elongation and lexicon."""
    text = _ENTITY_MARKUP.sub(r"\1", text[:MAX_CHARS])
    text = _HTML_TAG.sub(" ", text)
    text = _fold(text)
    # "hati2" and "hati-hati" both mean the word said twice.
    text = _REDUPLICATION.sub(r"\1 \1", text)
    return [tok for tok in _NON_WORD.split(text) if tok]


def _shorten(token: str, vocabulary: frozenset[str]) -> str:
    """Undo stretched letters ("tolonggg"), keeping a real double letter ("maaf")."""
    if not _ELONGATION.search(token):
        return token
    doubled = _ELONGATION.sub(r"\1\1", token)
    single = _ELONGATION.sub(r"\1", token)
    if doubled in vocabulary and single not in vocabulary:
        return doubled
    return single


@dataclass(kw_only=True, frozen=True)
class Normalizer:
    """Turns raw text into standard-Indonesian tokens using the admins' lexicon."""

    lexicon: Mapping[Phrase, Phrase] = field(default_factory=dict)
    vocabulary: frozenset[str] = frozenset()
    longest: int = 1

    @classmethod
    def build(cls, lexicon: Mapping[Phrase, Phrase], words: Iterable[str] = ()) -> Normalizer:
        vocabulary = frozenset(words) | {w for phrase in lexicon.values() for w in phrase}
        longest = max((len(key) for key in lexicon), default=1)
        return cls(lexicon=dict(lexicon), vocabulary=vocabulary, longest=longest)

    @classmethod
    def from_examples(cls, lexicon: Mapping[Phrase, Phrase], texts: Iterable[str]) -> Normalizer:
        """The normaliser the engine uses: its vocabulary is the lexicon's words plus the examples' own words."""
        return cls.build(lexicon, (word for text in texts for word in text.lower().split()))

    def tokens(self, text: str) -> tuple[str, ...]:
        raw = [_shorten(tok, self.vocabulary) for tok in basic_tokens(text)]
        out: list[str] = []
        i = 0
        while i < len(raw):
            for size in range(min(self.longest, len(raw) - i), 0, -1):
                replacement = self.lexicon.get(tuple(raw[i : i + size]))
                if replacement is not None:
                    out.extend(replacement)
                    i += size
                    break
            else:
                out.append(raw[i])
                i += 1
        return tuple(out)

    def normalize(self, text: str) -> str:
        return " ".join(self.tokens(text))


def phrase(text: str) -> Phrase:
    """A lexicon key or value as tokens, folded like user text (no lexicon applied)."""
    return tuple(_ELONGATION.sub(r"\1", tok) for tok in basic_tokens(text))


def stem(token: str) -> str:
    """The word without a trailing clitic or particle, if enough of it is left."""
    for suffix in _SUFFIXES:
        if len(token) > len(suffix) + 3 and token.endswith(suffix):
            return token[: -len(suffix)]
    return token


_PREFIXES = ("meny", "mem", "men", "meng", "me", "di", "ber", "be", "ter")
_NASAL_ROOT = {"meny": "s", "mem": "p", "men": "t"}  # "menyiksa" -> "siksa", "memukul" -> "pukul"
_VOWELS = frozenset("aeiou")
_PREFIXES_LONGEST_FIRST = sorted(_PREFIXES, key=len, reverse=True)


def root(token: str) -> str:
    """Light Indonesian affix removal (clitics, -kan, di-/me-/ber-/ter-), keeping at least four letters.

    Deliberately light: no dictionary, so it never turns "pemerintah" into "perintah"; it only lets
    "dipukul", "memukul" and "pukulnya" share the root "pukul".
    """
    word = token
    for prefix in _PREFIXES_LONGEST_FIRST:
        rest = word[len(prefix):]
        if word.startswith(prefix) and len(rest) >= 4:
            word = _NASAL_ROOT[prefix] + rest if prefix in _NASAL_ROOT and rest[0] in _VOWELS else rest
            break
    word = stem(word)
    if len(word) > 6 and word.endswith("kan"):
        word = word[:-3]
    return word
