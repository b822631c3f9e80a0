"""Cek PT: find a company name in the dated P3MI copy, whatever the spelling (rapidfuzz)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Literal

from rapidfuzz import fuzz, process

from bot.content.p3mi_list import Company, P3miList

Status = Literal["found", "similar", "not_found"]

# Chosen on the dev half of benchmarks/sets/companies.yml only (python -m benchmarks.companies --tune): no wrong
# "found" and at most 1 % false "found" on dev; SIMILAR_SCORE is the highest that keeps every dev company in the top 3.
FOUND_SCORE = 96.0
SIMILAR_SCORE = 68.0
# "Found" also needs a clear lead over the next different company, else the names are only "similar".
FOUND_MARGIN = 0.0
MAX_CANDIDATES = 3
# Words that are never part of a company's distinctive name.
LEGAL_WORDS = frozenset({"pt", "persero", "tbk", "p3mi"})
# Words people wrap around the name when they ask ("cek PT X resmi ka?").
FILLER_WORDS = frozenset({
    "cek", "periksa", "tolong", "apakah", "apa", "resmi", "ka", "ko", "kah", "berizin", "izin", "terdaftar",
    "legal", "ilegal", "tidak", "atau", "perusahaan", "nama", "agen", "ini", "itu", "yang", "kak", "kaka",
    "dong", "sonde", "son", "aman", "benar", "betul", "gak", "nggak", "ga", "ya", "punya", "ada", "di",
    "daftar", "asli", "gimana", "bagaimana", "mau", "saya", "beta", "sy", "tanya", "bisa", "tau", "sudah",
})
NAME_STOP = FILLER_WORDS | frozenset({
    "untuk", "for", "buka", "menawarkan", "tawar", "cabang", "jadi", "dan", "kami", "di", "ke", "dari",
    "dengan", "deng", "sebagai", "sbg", "lowongan", "izin", "kantor", "bilang", "minta", "dong", "mau",
    "katanya", "tapi", "pt", "buat", "kerja", "yg", "dr", "sudah", "su", "nanti", "lewat",
    # Places and jobs that follow a name in adverts ("PT X Hong Kong", "PT X pabrik").
    "hong", "hongkong", "malaysia", "taiwan", "singapura", "singapore", "korea", "jepang", "brunei", "arab",
    "kupang", "jakarta", "pabrik", "kebun", "caregiver", "prt", "abk", "resmi", "berizin",
})
NAME_WORDS = 5
# Words people often leave out when they say a company's name ("Alpha Magsaysay" for "... International").
GENERIC_WORDS = frozenset({"international", "internasional", "indonesia", "indonesian", "utama", "group", "grup",
                           "global", "corporindo", "manpower"})
# A name matched only after dropping those words is slightly less certain than a full match.
GENERIC_DISCOUNT = 0.96


@dataclass(frozen=True)
class CompanyCheck:
    """The answer to one Cek PT question; `matches` holds one company (found), up to three (similar) or none."""

    query: str
    status: Status
    matches: tuple[Company, ...]
    copy_date: date

    def as_json(self) -> dict[str, object]:
        """The public shape of `kawan cek-pt --json`."""
        return {
            "status": self.status,
            "copy_date": self.copy_date.isoformat(),
            "matches": [{"name": c.name, "licence": c.licence} for c in self.matches],
        }


def fold(text: str) -> str:
    """Lower case ASCII words: accents, dots, commas and brackets gone."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def name_key(name: str) -> str:
    """A company name without the legal form: "PT. Sumber-Rejeki Abadi" -> "sumber rejeki abadi"."""
    return " ".join(w for w in fold(name).split() if w not in LEGAL_WORDS)


def query_key(text: str) -> str:
    """What a person typed, without the words around the name ("cek PT X resmi ka?" -> "x")."""
    return " ".join(w for w in fold(text).split() if w not in LEGAL_WORDS and w not in FILLER_WORDS)


def _core(key: str) -> str:
    return " ".join(w for w in key.split() if w not in GENERIC_WORDS) or key


def _score(query: str, choice: str, **_: object) -> float:
    # Word order (token_sort) and words run together or split ("indo sadya" / "indosadya").
    full = max(fuzz.token_sort_ratio(query, choice), fuzz.ratio(query.replace(" ", ""), choice.replace(" ", "")))
    short_query, short_choice = _core(query), _core(choice)
    if (short_query, short_choice) == (query, choice):
        return full
    return max(full, GENERIC_DISCOUNT * fuzz.token_sort_ratio(short_query, short_choice))


class CompanyIndex:
    """The companies of one copy, ready for fuzzy lookup."""

    def __init__(self, p3mi: P3miList, found_score: float = FOUND_SCORE, similar_score: float = SIMILAR_SCORE,
                 margin: float = FOUND_MARGIN) -> None:
        self.p3mi = p3mi
        self.keys = [name_key(c.name) for c in p3mi.companies]
        self.found_score, self.similar_score, self.margin = found_score, similar_score, margin

    @property
    def copy_date(self) -> date:
        return self.p3mi.copy_date

    def ranked(self, key: str, limit: int = 8) -> list[tuple[Company, float]]:
        """Best candidates first; two rows of one company (spelled twice in the copy) count once."""
        if not key:
            return []
        hits = process.extract(key, self.keys, scorer=_score, limit=limit * 2)
        out: list[tuple[Company, float]] = []
        seen: set[str] = set()
        for _, score, index in hits:
            company = self.p3mi.companies[index]
            if self.keys[index] in seen:
                continue
            seen.add(self.keys[index])
            out.append((company, float(score)))
        return out[:limit]

    def check(self, text: str) -> CompanyCheck:
        """found / similar / not_found for what a person typed."""
        ranked = self.ranked(query_key(text))
        best = ranked[0][1] if ranked else 0.0
        runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
        if best >= self.found_score and best - runner_up >= self.margin:
            return CompanyCheck(text, "found", (ranked[0][0],), self.copy_date)
        similar = tuple(c for c, s in ranked[:MAX_CANDIDATES] if s >= self.similar_score)
        if similar:
            return CompanyCheck(text, "similar", similar, self.copy_date)
        return CompanyCheck(text, "not_found", (), self.copy_date)

    def by_id(self, company_id: str) -> Company | None:
        return next((c for c in self.p3mi.companies if c.id == company_id), None)


def shown_name(text: str) -> str:
    """The name as the answer repeats it: "cek pt sumber rejeki abadi resmi ka?" -> "PT SUMBER REJEKI ABADI"."""
    key = query_key(text)
    return f"PT {key.upper()}" if key else text.strip()[:80]


def company_names(text: str) -> list[str]:
    """Company names written in a message: "PT" (or "PT.") and up to five words after it."""
    words = re.findall(r"[a-z0-9]+|[^\sa-z0-9]", fold_keep_punctuation(text))
    names: list[str] = []
    for i, word in enumerate(words):
        if word != "pt":
            continue
        taken: list[str] = []
        for nxt in words[i + 1:]:
            if nxt == "." and not taken:
                continue
            if not nxt.isalnum() or nxt in NAME_STOP or len(taken) == NAME_WORDS:
                break
            taken.append(nxt)
        if taken and " ".join(taken) not in (fold(n) for n in names):
            names.append("PT " + " ".join(w.upper() for w in taken))
    return names


def fold_keep_punctuation(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
