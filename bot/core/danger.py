"""Emergency detection: how people describe danger, read clause by clause over the whole message."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from bot.content.signals import GAP_WIDTH, Element, Pattern, Signal, SignalSet
from bot.core.normalize import Normalizer, stem

ABROAD, INDONESIA = "abroad", "indonesia"
# Sentences end at . ! ? and line breaks; the ending tells whether it was a question.
_SENTENCE = re.compile(r"[^.!?\n]+[.!?\n]*")
_CLAUSE_MARK = re.compile(r"[,;:()]")
# Words that start a new clause: a negation before them does not reach past them.
CONJUNCTIONS = frozenset({
    "tapi", "tetapi", "namun", "dan", "karena", "krn", "sebab", "lalu", "terus", "kemudian", "sekarang", "padahal",
    "ma", "but", "and", "because", "so", "now", "cuma", "hanya", "sedangkan", "sementara",
})
_OR = frozenset({"atau", "ato", "or", "maupun", "ataupun", "apalagi"})
# Why a matched pattern was set aside (DangerDetector._suppression).
EXCEPTED, CONTEXT = "excepted", "context"
# How far back (in words, same clause) a negation reaches: "tidak pernah sekalipun dipukul".
NEGATION_REACH = 4
# Normaliser input is cut for latency; the detector reads every sentence, so it feeds pieces this long.
PIECE_CHARS = 1500
_PASSIVE = ("di", "ter", "ke", "ta", "ka")
_ACTIVE = ("meng", "meny", "mem", "men", "me", "nge", "ng", "ny", "m", "n")
_RESTORE = ("", "p", "t", "s", "k")
_SUFFIXES = ("kan", "in", "i", "nya")
_ENGLISH = ("ing", "ed", "es", "s", "d")
_AGENT_MARKERS = frozenset({"dapa", "kena", "kana", "kna"})
_VOWELS = frozenset("aeiou")
# A pronoun right after these is who is spoken to or about, not the person harmed ("dia bilang ke saya").
_PREPOSITIONS = frozenset({"ke", "kepada", "sama", "dengan", "untuk", "buat", "to", "with", "for"})
_POSSESSIVE = frozenset({"punya", "pung", "pu"})
SELF, KIN, OTHER = "self", "kin", "other"
AKTIF, PASIF = "aktif", "pasif"
# Per-token memos are cleared past this size, so odd messages cannot grow them without bound.
_MEMO_LIMIT = 200_000
_ZERO_WIDTH = ("start", "end", "not")


def _first_required(pattern: Pattern) -> Element | None:
    """The first word-taking element when only zero-width steps precede it (it must sit at the start)."""
    for element in pattern:
        if element.kind in ("words", "class"):
            return element
        if element.kind not in _ZERO_WIDTH:
            return None
    return None


@lru_cache(maxsize=65536)
def forms(token: str) -> frozenset[tuple[str, str]]:
    """Possible (root, voice) readings of a word: "dipukuli" -> ("pukul", pasif), "mukul" -> ("pukul", aktif)."""
    out = {(token, AKTIF), (stem(token), AKTIF)}
    for word in {token, stem(token)}:
        for suffix in _SUFFIXES:
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                out.add((word[: -len(suffix)], AKTIF))
        for suffix in _ENGLISH:
            if word.isascii() and word.endswith(suffix) and len(word) - len(suffix) >= 3:
                out.add((word[: -len(suffix)], AKTIF))
                out.add((word[: -len(suffix)], PASIF))
        if word.endswith(("ed", "en")) or word in ("sold", "took", "taken"):
            out.add((word, PASIF))
    for root, _ in list(out):
        for prefix in _PASSIVE:
            rest = root[len(prefix):]
            if root.startswith(prefix) and len(rest) >= 3:
                out.add((rest, PASIF))
                out.update((rest[: -len(s)], PASIF) for s in _SUFFIXES if rest.endswith(s) and len(rest) - len(s) >= 3)
        for prefix in _ACTIVE:
            rest = root[len(prefix):]
            if root.startswith(prefix) and len(rest) >= 3:
                out.update((letter + rest, AKTIF) for letter in _RESTORE)
    return frozenset(out)


# Stems of the same words are asked for thousands of times per message; cached like `forms`.
_stem = lru_cache(maxsize=65536)(stem)


@lru_cache(maxsize=65536)
def _deletions(word: str) -> frozenset[str]:
    return frozenset(word[:i] + word[i + 1:] for i in range(len(word)))


def _dropped_letter(token: str, word: str) -> bool:
    """A typo that drops one letter ("kluar", "dipukl"); other edits turn real words into danger ("jarang")."""
    return len(word) >= 5 and len(token) == len(word) - 1 and token in _deletions(word)


@dataclass(frozen=True)
class Danger:
    """What the detector found: the signal that fired, and where and who the message is about."""

    signal: str
    category: str
    where: str | None = None  # ABROAD, INDONESIA or None when the message does not say
    family: bool = False  # someone at home reporting a relative
    minor: bool = False
    signals: tuple[str, ...] = ()

    @property
    def self_harm(self) -> bool:
        return self.category == "bunuh_diri"


@dataclass(frozen=True)
class _Sentence:
    tokens: tuple[str, ...]
    clause: tuple[int, ...]  # clause number of each token
    question: bool


@dataclass(frozen=True)
class _Hit:
    signal: Signal
    sentence: int
    start: int
    used: tuple[int, ...] = ()


@dataclass(frozen=True)
class Reading:
    """The detector's verdict; `dismissed`: a danger pattern matched but its context (negation, a question
    about a concept, a hypothetical, an exception word) made it harmless, so nothing should raise an alarm."""

    danger: Danger | None
    dismissed: bool = False
    question: bool = False  # the message asks something (and, with no danger, describes none)
    # Every pattern set aside was set aside only by an exception word of its signal ("diancam ... denda"), not by
    # a negation, a hypothetical, a concept question, news or a story that is over.
    excepted_only: bool = False


def skeleton(word: str) -> str:
    """How SMS writes a word without its vowels: "pukul" -> "pkl", "majikan" -> "mjkn"."""
    return word[:1] + "".join(c for c in word[1:] if c not in _VOWELS)


class DangerDetector:
    """Admin-written signals (intents/sinyal_darurat.yml) applied with negation, question and story context."""

    def __init__(self, signals: SignalSet, normalizer: Normalizer) -> None:
        self.signals = signals
        self.normalizer = normalizer
        # Entries are read like user text, so "kl" in a class means what "kl" in a message means.
        self._classes = {name: tuple(dict.fromkeys(t for e in entries if (t := normalizer.tokens(" ".join(e)))))
                         for name, entries in signals.classes.items()}
        self._words = {name: frozenset(e[0] for e in entries if len(e) == 1) for name, entries in self._classes.items()}
        self._signals = tuple(replace(signal, patterns=tuple(tuple(self._normal(e) for e in p) for p in signal.patterns))
                              for signal in signals.signals)
        self._time_words = self._words.get("penanda_jam", frozenset({"pukul"}))
        verb_classes = {e.name for s in signals.signals for p in s.patterns for e in p if e.voice}
        self._verbs = frozenset(w for name in verb_classes for w in self._words.get(name, ()))
        # Precompiled at load: entries by first word, single-word entries by word and by typo deletion.
        self._by_first: dict[str, dict[str, list[tuple[str, ...]]]] = {}
        self._single_index: dict[str, dict[str, int]] = {}
        self._deleted_index: dict[str, dict[str, int]] = {}
        self._multi: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for name, entries in self._classes.items():
            by_first: dict[str, list[tuple[str, ...]]] = {}
            single: dict[str, int] = {}
            deleted: dict[str, int] = {}
            multi: list[tuple[int, tuple[str, ...]]] = []
            for index, entry in enumerate(entries):
                by_first.setdefault(entry[0], []).append(entry)
                if len(entry) == 1:
                    single.setdefault(entry[0], index)
                    if len(entry[0]) >= 5:
                        for short in _deletions(entry[0]):
                            deleted.setdefault(short, index)
                else:
                    multi.append((index, entry))
            self._by_first[name], self._single_index[name] = by_first, single
            self._deleted_index[name], self._multi[name] = deleted, multi
        # Memo of per-token readings: (class, voice, token, before a number) -> first matching entry index.
        self._single_memo: dict[tuple[str, str, str, bool], int | None] = {}
        # Per word list of a pattern: the words, and their one-letter-short typos (words of 5+ letters).
        self._word_sets: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]] = {}
        # Signals indexed by their first word-taking element, when nothing but zero-width steps precede it.
        self._first_ids: dict[Element, int] = {}
        self._firsts: list[list[int | None]] = []
        for sig in self._signals:
            firsts: list[int | None] = []
            for pattern in sig.patterns:
                first = _first_required(pattern)
                firsts.append(None if first is None else self._first_ids.setdefault(first, len(self._first_ids)))
            self._firsts.append(firsts)
        # Every word-taking element of each pattern: a pattern with one of them nowhere in a sentence cannot match
        # there, so it is not tried from every position (most patterns, for most sentences).
        self._needs = tuple(tuple(frozenset(self._first_ids.setdefault(e, len(self._first_ids)) for e in pattern
                                            if e.kind in ("words", "class")) for pattern in sig.patterns)
                            for sig in self._signals)
        self._first_multi: dict[str, list[tuple[int, tuple[str, ...]]]] = {}
        for first, ident in self._first_ids.items():
            if first.kind == "class" and not first.voice:
                for _, entry in self._multi.get(first.name, ()):
                    self._first_multi.setdefault(entry[0], []).append((ident, entry))
        self._token_memo: dict[tuple[str, bool], tuple[int, ...]] = {}
        # Elements by the words that take them (and their one-letter-short typos), and by class and voice: a new
        # word is looked up, not tried against every element.
        self._word_ids: dict[str, list[int]] = {}
        self._dropped_ids: dict[str, list[int]] = {}
        self._class_ids: dict[tuple[str, str], list[int]] = {}
        for element, ident in self._first_ids.items():
            if element.kind == "words":
                exact, dropped = self._sets_of(element.words)
                for word in exact:
                    self._word_ids.setdefault(word, []).append(ident)
                for short in dropped:
                    self._dropped_ids.setdefault(short, []).append(ident)
            else:
                self._class_ids.setdefault((element.name, element.voice), []).append(ident)
        # SMS spellings without vowels ("pkl", "mjkn"): only of words the signals use, only when unambiguous, and
        # not ones ending in "y", which read as English words ("aniaya" -> "any").
        used_classes = {e.name for sig in signals.signals for p in sig.patterns for e in p if e.name}
        sms: dict[str, str | None] = {}
        for name in used_classes:
            for word in self._words.get(name, ()):
                short = skeleton(word)
                if len(word) >= 5 and len(short) >= 3 and short != word and not short.endswith("y"):
                    sms[short] = word if sms.get(short, word) == word else None
        self._sms = {short: word for short, word in sms.items() if word}
        self._kin = self._words.get("keluarga", frozenset())
        self._self = self._words.get("korban_saya", frozenset())
        self._third = self._words.get("orang_ketiga", frozenset())
        self._vocatives = self._words.get("sapaan", frozenset())
        raw = "|".join(sorted((re.escape(" ".join(e)) for e in signals.classes.get("sapaan", ())), key=len, reverse=True))
        openers = "|".join(re.escape(" ".join(e)) for e in signals.classes.get("pembuka", ()))
        # "kaka, beta ..." / "tolong kaka beta ...": the reader addressed at the start, then the writer (Kupang
        # puts the owner first, "beta pung kaka", so "kaka beta" is never "my sibling").
        self._vocative_start = re.compile(
            rf"^\W*(?:(?:{openers or '(?!)'})\W+)?(?:{raw or '(?!)'})(?:\s*[,!:]|\s+beta\b)", re.IGNORECASE)

    def _in_class(self, name: str, token: str) -> bool:
        words = self._words.get(name, frozenset())
        return token in words or _stem(token) in words

    def _verb(self, token: str) -> bool:
        """Whether some reading of the word is a verb that a signal uses ("pukul", "kunci", "sell")."""
        return any(root in self._verbs for root, _ in forms(token))

    def _sms_word(self, token: str) -> str:
        """The signal word an SMS spelling stands for ("pkl" -> "pukul", "dpkl" -> "dipukul", "dkunci" ->
        "dikunci"), else the token."""
        if any(c in _VOWELS for c in token[1:]):
            # SMS drops the "i" of the passive prefix: "d" + a signal verb is that verb in the passive.
            if (len(token) >= 5 and token[0] == "d" and token[1] not in _VOWELS
                    and self._verb(token[1:])):
                return "di" + token[1:]
            return token
        if token in self._sms:
            return self._sms[token]
        if token.startswith("d") and token[1:] in self._sms:
            return "di" + self._sms[token[1:]]
        return token

    def _normal(self, element: Element) -> Element:
        if not element.words:
            return element
        words = [t[0] if (t := self.normalizer.tokens(w)) else w for w in element.words]
        return replace(element, words=tuple(dict.fromkeys([*element.words, *words])))

    # Reading the message ----------------------------------------------------------------------
    def sentences(self, text: str) -> list[_Sentence]:
        out = []
        for match in _SENTENCE.finditer(text if isinstance(text, str) else ""):
            body = match.group(0)
            tokens: list[str] = []
            clauses: list[int] = []
            number = 0
            for part in _CLAUSE_MARK.split(body):
                for start in range(0, len(part), PIECE_CHARS):
                    read = [self._sms_word(t) for t in self.normalizer.tokens(part[start : start + PIECE_CHARS])]
                    for token in self._merge(read):
                        if token in CONJUNCTIONS or token in self._words.get("andai", ()):
                            number += 1
                        tokens.append(token)
                        clauses.append(number)
                number += 1
            if tokens:
                out.append(_Sentence(tuple(tokens), tuple(clauses), "?" in body))
        return out

    def _merge(self, tokens: Sequence[str]) -> list[str]:
        """"di sell", "dapa pukul", "kena tampar": one passive verb, as if written "disell"."""
        out: list[str] = []
        i = 0
        while i < len(tokens):
            token = tokens[i]
            if (token in ("di", *_AGENT_MARKERS) and i + 1 < len(tokens)
                    and self._verb(tokens[i + 1])):
                out.append("di" + tokens[i + 1])
                i += 2
                continue
            out.append(token)
            i += 1
        return out

    # Matching ---------------------------------------------------------------------------------
    def _typo(self, token: str, root: str, word: str) -> bool:
        """A one-letter-short spelling of a signal word, for words that are not known words themselves."""
        return token not in self.normalizer.vocabulary and _dropped_letter(root, word)

    def _sets_of(self, words: tuple[str, ...]) -> tuple[frozenset[str], frozenset[str]]:
        sets = self._word_sets.get(words)
        if sets is None:
            sets = (frozenset(words), frozenset(d for w in words if len(w) >= 5 for d in _deletions(w)))
            self._word_sets[words] = sets
        return sets

    def _word_ok(self, token: str, words: tuple[str, ...]) -> bool:
        """The token is one of the words, by its stem, or one of them with a letter dropped (an unknown word)."""
        exact, dropped = self._sets_of(words)
        return (token in exact or _stem(token) in exact
                or (token in dropped and token not in self.normalizer.vocabulary))

    def _single_entry(self, name: str, voice: str, token: str, before_number: bool) -> int | None:
        """Index of the first one-word entry of the class the token is a reading of (memoised per token)."""
        key = (name, voice, token, before_number)
        if key in self._single_memo:
            return self._single_memo[key]
        if len(self._single_memo) > _MEMO_LIMIT:
            self._single_memo.clear()
        single, deleted = self._single_index.get(name, {}), self._deleted_index.get(name, {})
        typo_ok = token not in self.normalizer.vocabulary
        best: int | None = None
        for root, form_voice in forms(token):
            if voice and form_voice != voice:
                continue
            candidates = []
            if root in single:
                candidates.append(single[root])
            if typo_ok and root in deleted:
                candidates.extend(i for w, i in single.items()
                                  if len(w) == len(root) + 1 and _dropped_letter(root, w))
            for index in candidates:
                if before_number and token in self._time_words:
                    continue  # "pukul 5": a time of day, not a blow ("makan 3 hari" stays a meal)
                if best is None or index < best:
                    best = index
        self._single_memo[key] = best
        return best

    def _class_ends(self, element: Element, tokens: Sequence[str], i: int) -> list[int]:
        """Positions right after an entry of the class starting at i."""
        if i >= len(tokens):
            return []
        found: list[tuple[int, int]] = []
        before_number = i + 1 < len(tokens) and tokens[i + 1].isdigit()
        index = self._single_entry(element.name, element.voice, tokens[i], before_number)
        if index is not None:
            found.append((index, i + 1))
        if not element.voice:
            found.extend((index, i + len(entry)) for index, entry in self._multi.get(element.name, ())
                         if entry[0] == tokens[i] and tuple(tokens[i : i + len(entry)]) == entry)
        found.sort()
        return list(dict.fromkeys(end for _, end in found))

    def _match(self, pattern: Pattern, k: int, sentence: _Sentence, i: int, used: tuple[int, ...]
               ) -> tuple[int, ...] | None:
        """Token positions the pattern's words took, when pattern[k:] matches from position i."""
        if k == len(pattern):
            return used
        element, tokens = pattern[k], sentence.tokens
        if element.kind == "gap":
            for skip in range(GAP_WIDTH + 1):
                if i + skip > len(tokens):
                    break
                found = self._match(pattern, k + 1, sentence, i + skip, used)
                if found is not None:
                    return found
            return None
        if element.kind == "start":
            at_start = i == 0 or (i < len(tokens) and sentence.clause[i] != sentence.clause[i - 1])
            return self._match(pattern, k + 1, sentence, i, used) if at_start else None
        if element.kind == "not":
            blocked = i < len(tokens) and (self._word_ok(tokens[i], element.words) if element.words
                                           else self._in_class(element.name, tokens[i]))
            return None if blocked else self._match(pattern, k + 1, sentence, i, used)
        if element.kind == "end":
            at_end = i >= len(tokens) or (i > 0 and sentence.clause[i] != sentence.clause[i - 1])
            return self._match(pattern, k + 1, sentence, i, used) if at_end else None
        if element.kind == "words":
            if i < len(tokens) and self._word_ok(tokens[i], element.words):
                return self._match(pattern, k + 1, sentence, i + 1, (*used, i))
            return None
        for end in self._class_ends(element, tokens, i):
            found = self._match(pattern, k + 1, sentence, end, (*used, *range(i, end)))
            if found is not None:
                return found
        return None

    def _phrase_at(self, name: str, tokens: Sequence[str]) -> list[int]:
        """Start positions of any entry of a (context) class."""
        by_first = self._by_first.get(name, {})
        hits = []
        for i, token in enumerate(tokens):
            for entry in by_first.get(token, ()):
                if tuple(tokens[i : i + len(entry)]) == entry:
                    hits.append(i)
                    break
        return hits

    def _suppression(self, signal: Signal, sentence: _Sentence, used: tuple[int, ...], resolved: bool) -> str | None:
        """Why a matched pattern is set aside: EXCEPTED (an exception word of the signal), CONTEXT (negation,
        hypothetical, concept, news, a story that is over), or None when it stands."""
        if self._in_context(signal, sentence, used, resolved):
            return CONTEXT
        tokens = sentence.tokens
        if signal.excepts and any(t in signal.excepts or _stem(t) in signal.excepts for t in tokens):
            return EXCEPTED
        return None

    def _in_context(self, signal: Signal, sentence: _Sentence, used: tuple[int, ...], resolved: bool) -> bool:
        tokens, clause = sentence.tokens, sentence.clause
        start = used[0]
        negators = self._words.get("penyangkal", frozenset())
        low = max(0, start - NEGATION_REACH)
        # "sonde pernah kunci beta ato ambil beta pung HP": a negation carries over "atau" to the next verb.
        if any(tokens[j] in _OR for j in range(low, start)):
            low = max(0, low - NEGATION_REACH)
        span = range(low, used[-1])
        scope = {clause[start], clause[used[-1]]}
        if any(tokens[j] in negators and j not in used and clause[j] in scope for j in span):
            return True
        if signal.self_harm:
            return False
        before = tokens[: used[-1]]
        if resolved and self._phrase_at("lampau", before):
            return True
        conditional = self._phrase_at("andai", before)
        if conditional and (sentence.question or self._phrase_at("pengandaian", tokens)):
            return True
        if self._phrase_at("berita", tokens):
            return True
        return bool(self._phrase_at("konsep", tokens) and (sentence.question or len(tokens) <= 12))

    def hits(self, sentences: Sequence[_Sentence]) -> list[_Hit]:
        return self._scan(sentences)[0]

    def _scan(self, sentences: Sequence[_Sentence]) -> tuple[list[_Hit], bool, bool]:
        """Signals that fired, whether any matched but was set aside, and whether only exception words did so."""
        dismissed = False
        context = False
        flat = [t for s in sentences for t in s.tokens]
        resolved = bool(self._phrase_at("sudah_aman", flat))
        joking = bool(self._phrase_at("canda", flat))
        found: list[_Hit] = []
        for number, sentence in enumerate(sentences):
            tokens = sentence.tokens
            everywhere = range(len(tokens))
            starts_of = self._first_starts(tokens)
            none: set[int] = set()
            present = starts_of.keys()
            for signal, firsts, needs in zip(self._signals, self._firsts, self._needs, strict=True):
                if joking and not signal.self_harm:
                    dismissed = context = True
                    continue
                alive = [need <= present for need in needs]
                if not any(alive):
                    continue
                possible = [None if f is None or not live else starts_of.get(f, none)
                            for f, live in zip(firsts, alive, strict=True)]
                if all(p is not None for p, live in zip(possible, alive, strict=True) if live):
                    candidates: Iterable[int] = sorted(set().union(*(p for p in possible if p is not None)))
                else:
                    candidates = everywhere
                for start in candidates:
                    used = next((u for p, ok, live in zip(signal.patterns, possible, alive, strict=True)
                                 if live and (ok is None or start in ok)
                                 and (u := self._match(p, 0, sentence, start, ())) is not None and u), None)
                    if used is None:
                        continue
                    why = self._suppression(signal, sentence, used, resolved)
                    if why is None:
                        found.append(_Hit(signal, number, start, used))
                        break
                    dismissed = True
                    context = context or why == CONTEXT
        return found, dismissed, dismissed and not context

    def _first_starts(self, tokens: Sequence[str]) -> dict[int, set[int]]:
        """Where each word-taking element can take its word(s): once per sentence, shared by all signals."""
        starts: dict[int, set[int]] = {}
        for i, token in enumerate(tokens):
            before_number = i + 1 < len(tokens) and tokens[i + 1].isdigit()
            for ident in self._token_firsts(token, before_number):
                starts.setdefault(ident, set()).add(i)
            for ident, entry in self._first_multi.get(token, ()):
                if tuple(tokens[i : i + len(entry)]) == entry:
                    starts.setdefault(ident, set()).add(i)
        return starts

    def _token_firsts(self, token: str, before_number: bool) -> tuple[int, ...]:
        """First elements that take this one word (memoised per token)."""
        key = (token, before_number)
        known = self._token_memo.get(key)
        if known is None:
            if len(self._token_memo) > _MEMO_LIMIT:
                self._token_memo.clear()
            found = {*self._word_ids.get(token, ()), *self._word_ids.get(_stem(token), ())}
            if token not in self.normalizer.vocabulary:
                found.update(self._dropped_ids.get(token, ()))
            for (name, voice), idents in self._class_ids.items():
                if self._single_entry(name, voice, token, before_number) is not None:
                    found.update(idents)
            known = tuple(sorted(found))
            self._token_memo[key] = known
        return known

    # Context ----------------------------------------------------------------------------------
    def _where(self, sentences: Sequence[_Sentence]) -> str | None:
        origin = self._words.get("asal", frozenset())
        seen: dict[str, int] = {}
        for sentence in sentences:
            tokens = sentence.tokens
            for place, name in ((ABROAD, "tempat_luar_negeri"), (INDONESIA, "tempat_indonesia")):
                for i in self._phrase_at(name, tokens):
                    if i > 0 and tokens[i - 1] in origin:
                        continue  # "saya dari Atambua": where they come from, not where they are
                    seen[place] = seen.get(place, 0) + (2 if i > 0 and tokens[i - 1] == "di" else 1)
        if not seen:
            return None
        return max(seen, key=lambda p: (seen[p], p == ABROAD))

    def _people(self, sentence: _Sentence, vocative: set[int]) -> list[tuple[int, str]]:
        """Who a sentence names, by position: the writer (SELF), a relative (KIN) or someone else (OTHER).
        The reader addressed ("kaka, ...") is nobody; "adik saya", "beta pung ade": the pronoun only owns."""
        tokens, clause = sentence.tokens, sentence.clause
        owned = {i + len(e) - 1 for i in self._phrase_at("kerabat", tokens) if i not in vocative
                 for e in self._by_first.get("kerabat", {}).get(tokens[i], ())
                 if tuple(tokens[i : i + len(e)]) == e}
        people: list[tuple[int, str]] = []
        for i, token in enumerate(tokens):
            if i in vocative:
                continue
            if token in self._self:
                after_kin = (i > 0 and tokens[i - 1] in self._kin and i - 1 not in vocative
                             and clause[i - 1] == clause[i])
                owner = i + 1 < len(tokens) and tokens[i + 1] in _POSSESSIVE
                spoken_to = i > 0 and tokens[i - 1] in _PREPOSITIONS
                if not (after_kin or owner or spoken_to or i in owned):
                    people.append((i, SELF))
            elif token in self._kin:
                people.append((i, KIN))
            elif token in self._third:
                people.append((i, OTHER))
        return people

    def _vocative(self, text: str, sentences: Sequence[_Sentence]) -> list[set[int]]:
        """Positions of words that address the reader: first in the message, or before a comma."""
        out: list[set[int]] = []
        opening = bool(self._vocative_start.match(text))
        for number, sentence in enumerate(sentences):
            tokens, clause = sentence.tokens, sentence.clause
            found = {i for i in range(min(2, len(tokens))) if tokens[i] in self._vocatives
                     and (i + 1 == len(tokens) or clause[i + 1] != clause[i]
                          or (number == 0 and opening))}
            out.append(found)
        return out

    def _family(self, text: str, sentences: Sequence[_Sentence], hit: _Hit) -> bool:
        """Someone writing about a relative: a relative is the one harmed and the writer is not."""
        vocatives = self._vocative(text, sentences)
        sentence = sentences[hit.sentence]
        clauses = {sentence.clause[u] for u in hit.used}
        near = [kind for i, kind in self._people(sentence, vocatives[hit.sentence]) if sentence.clause[i] in clauses]
        if SELF in near:
            return False
        if KIN in near:
            return True
        everyone = [kind for n, s in enumerate(sentences) for _, kind in self._people(s, vocatives[n])]
        if OTHER in near:  # "dia dipukul" after "adik saya ...": the relative named before
            return KIN in everyone
        return KIN in everyone and SELF not in everyone

    def read(self, text: str) -> Reading:
        """The danger in a message (or None) and whether danger words were read and set aside."""
        sentences = self.sentences(text)
        found, dismissed, excepted_only = self._scan(sentences)
        if not found:
            return Reading(None, dismissed, any(s.question for s in sentences), excepted_only)
        chosen = next((h for h in found if h.signal.self_harm), found[0])
        family = self._family(text, sentences, chosen)
        minor = any(h.signal.category == "anak" for h in found)
        ids = tuple(dict.fromkeys(h.signal.id for h in found))
        return Reading(Danger(chosen.signal.id, chosen.signal.category, self._where(sentences), family, minor, ids))

    def detect(self, text: str) -> Danger | None:
        """The danger in a message, or None; every sentence is read, the last one too."""
        return self.read(text).danger

    def find(self, text: str) -> str | None:
        """The id of the signal that fired, or None."""
        danger = self.detect(text)
        return danger.signal if danger else None

