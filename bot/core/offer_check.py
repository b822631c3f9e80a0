"""Cek tawaran: the warning and good signs in a job offer, follow-up questions, and a verdict."""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from bot.content.offer_rules import GOOD_IDS, WARNING_IDS, OfferRules, Pattern, Question, Sign
from bot.core.company_check import CompanyCheck, CompanyIndex, company_names
from bot.core.offer_model import OfferModel, model_for
from bot.settings import default_cache_dir

Verdict = Literal["bahaya", "kurang_info", "tidak_terlihat"]

MAX_QUESTIONS = 3
# Signs the learned model may not add where one of the sign's own `not_if` patterns matches the text.
EXCEPTIONS_VETO_MODEL = frozenset({"perekrut_perorangan"})
# The two things an offer must show before Kawan Migran says it sees no danger (registration, contract).
NEEDED_FOR_CLEAR = frozenset({"daftar_disnaker", "kontrak_tertulis"})
# Gaji: monthly pay in millions of rupiah above which any job is "far above" (the labelled dev set agrees);
# lower where the destination itself is a scam hub (non-placement countries).
SALARY_ANYWHERE = 20.0
SALARY_NON_PLACEMENT = 10.0
# Where legal wages are themselves high (Korea, Japan, Europe, Australia ...), "far above" starts higher: EPS work
# in Korea with overtime and skilled work in Japan pay 25-35 million (cross-validation chose 40 over 30).
SALARY_HIGH_WAGE = 40.0
_HIGH_WAGE_PLACES = re.compile(
    r"\b(korea|korsel|jepang|japan|jerman|germany|eropa|europe|belanda|inggris|england|australia|selandia baru|"
    r"tokyo|osaka|aichi|nagoya|ibaraki|saitama|chiba|kanagawa|yokohama|fukuoka|hokkaido|gifu|shizuoka|kyoto|"
    r"seoul|busan|incheon|daegu|gyeonggi|ansan|gimhae|changwon|ulsan|eps|tokutei|ssw|kaigo|"
    r"new zealand|amerika|(?<!son )(?<!sonde )(?<!tra )(?<!tdk )(?<!ga )usa|kanada|canada)\b")
# Where legal wages for these jobs are low (Malaysia, Brunei: about RM 1,500-2,500, i.e. 5-9 million), "far
# above" starts lower, as for scam hubs (the labelled offers agree: RM 3,500 for palm oil work is a lure).
SALARY_LOW_WAGE = 10.0
_LOW_WAGE_PLACES = re.compile(
    r"\b(malaysia|malay|sabah|sarawak|johor|selangor|penang|kuching|tawau|kuala lumpur|kl|lahad datu|keningau|"
    r"sandakan|kota kinabalu|kinabalu|miri|sibu|bintulu|labuan|melaka|malacca|perak|ipoh|pahang|kedah|klang|"
    r"brunei|kalimantan)\b")
# In the Gulf, domestic and service work pays about 1,500 riyal or dirham (6-7 million); 12 million for it is
# already a lure (the labelled offers agree), while a driver's 2,500 riyal is not.
SALARY_GULF = 11.0
_GULF_PLACES = re.compile(r"\b(dubai|abu dhabi|sharjah|uea|uae|emirat\w*|qatar|doha|saudi|arab|riyadh|jeddah|kuwait\w*|"
                          r"oman|muscat|bahrain)\b")
# Cafe, karaoke, spa and bar work pays little anywhere; high pay for it is the classic lure into sexual
# exploitation, so "far above" starts as low as for scam hubs.
_LURE_JOBS = re.compile(r"\b(kafe|cafe|café|karaoke|ktv|pemandu lagu|lc|hostess|bar|pub|club|klub|spa|pijat|"
                        r"massage|terapis|therapist)\b")
# Pay stated per week ("3jt/minggu", right after the amount) is four times that a month; per day ("150 ringgit
# satu hari") about 26 working days.
_PER_WEEK = re.compile(r"\s*(?:/|per |tiap |se|a |one )\s*(?:minggu|mgg|week)\b")
_PER_DAY = re.compile(r"\s*(?:/|per |tiap |se|sa |satu |1 |a |one )\s*(?:hari|hr|day)\b")
WORKING_DAYS = 26.0
# Per hour ("¥4.500 per jam"): eight hours a working day.
_PER_HOUR = re.compile(r"\s*(?:/|per |tiap |se|an |a |one )\s*(?:jam|hour)\b")
WORKING_HOURS = 8 * WORKING_DAYS
# Rough rupiah value (in millions) of one unit, only to compare with the limits above; never shown to anyone.
CURRENCY_MILLIONS = {
    "usd": 0.016, "$": 0.016, "us$": 0.016, "s$": 0.012, "dolar": 0.016, "dollar": 0.016, "sgd": 0.012, "rm": 0.0035,
    "ringgit": 0.0035, "hk$": 0.002, "nt$": 0.0005, "bnd": 0.012, "sar": 0.0043, "riyal": 0.0043, "rial": 0.0043,
    "dinar": 0.05, "omr": 0.042, "pln": 0.004, "yen": 0.0001, "won": 0.000012, "rp": 0.000001,
    "hkd": 0.002, "ntd": 0.0005, "aed": 0.0044, "dirham": 0.0044, "qr": 0.0044, "qar": 0.0044, "bhd": 0.043,
    "kwd": 0.053, "myr": 0.0035, "thb": 0.00045, "baht": 0.00045, "¥": 0.0001, "nt": 0.0005, "b$": 0.012,
}
_NUMBER = r"(\d{1,3}(?:[.,]\d{3})+|\d+(?:[.,]\d+)?)"
_MILLIONS = re.compile(rf"{_NUMBER}\s*(?:(?:-|s/d|sampai)\s*{_NUMBER}\s*)?(?:juta|jt|million)\b")
# A range names its top too: "RM 2.000-5.000".
_BEFORE = re.compile(rf"(us\$|hk\$|nt\$|s\$|b\$|usd|sgd|rm|bnd|sar|omr|pln|rp|hkd|ntd|aed|qar|bhd|kwd|myr|thb|\$|¥)"
                     rf"\.?\s*{_NUMBER}"
                     rf"(?:\s*(?:-|s/d|sampai)\s*(?:rm|sgd|usd|\$)?\s*{_NUMBER})?")
# "RM8 ribu", "NT$55k", "15rb HKD": thousands of a foreign currency.
_THOUSAND_WORD = r"(?:rb|ribu|rebu|k)"
_AFTER = re.compile(rf"{_NUMBER}\s*(?:({_THOUSAND_WORD})\s*)?(usd|dolar|dollar|dollars|sgd|riyal|rial|dinar|omr|pln|ringgit|"
                    r"yen|won|hkd|ntd|nt|aed|dirham|qr|qar|bhd|kwd|myr|thb|baht)\b")
_THOUSANDS = re.compile(rf"\s*{_THOUSAND_WORD}\b")
# "3-4 juta won": millions of a foreign currency.
_MILLIONS_OF = re.compile(rf"{_NUMBER}\s*(?:(?:-|s/d|sampai)\s*{_NUMBER}\s*)?(?:juta|jt)\s+(won|yen)\b")
_SALARY_WORD = re.compile(r"\b(gaj\w*|gj|salary|upah|penghasilan|income|pay|paid|wages?)\b|/(?:month|bulan|bln)\b|"
                          r"(?:/|\bper )\s*(?:jam|hour)\b")
# An amount right after a fee word is money asked, not pay ("biaya 20 juta ..., sisanya potong gaji").
_FEE_WORD = re.compile(r"\b(biaya|fee|dp|deposit|bayar|byr|transfer|tf|ongkos|uang|utang|hutang|cicil\w*|potong gaji)\b")
_AGE_RANGE = re.compile(r"\b(?:umur|umr|usia|u|wanita|pria|perempuan|laki-laki)\b\W{0,3}(\d{1,2})\s*"
                        r"(?:-|s/d|sampai)\s*\d{1,2}")
_AGE_ONE = re.compile(r"\b(?:umur|umr|usia)\b\W{0,3}(\d{1,2})\b(?!\s*(?:-|s/d)\s*\d)")
_AGE_YEARS = re.compile(r"\b(\d{1,2})\s*(?:-|s/d)\s*\d{1,2}\s*(?:th|thn|tahun)\b")
_AGE_UP = re.compile(r"\b(\d{1,2})\s*(?:th|thn|tahun)\s*ke\s*atas\b")
_AGE_PLUS = re.compile(r"\b(?:age|umur|umr|usia)\W{0,3}(\d{1,2})\s*\+")  # "age 16+"
# A question mark stays with its sentence ("Kontrak? Nanti aja di sana"); dots inside numbers do not split.
# Nor do the dots of short forms that lead into what follows ("Hub. Bunda Sari", "rek. pribadi", "No. WA").
_CLAUSE_END = re.compile(r"[\n!;]+|(?<=\?)\s+|(?<!\bhub)(?<!\bno)(?<!\brek)(?<!\bbpk)(?<!\bmr)(?<!\bmrs)(?<!\bjl)"
                         r"(?<!\bkab)(?<!\bdr)(?:\.(?=\s|$)|(?<!\d)\.(?!\d))")
# Amounts written in words ("dua puluh lima juta", "satu juta lima ratus", "lima ratus ribu") become digits so
# that money and pay rules see them; only runs of number words that contain "ribu" or "juta" are rewritten.
_DIGIT_WORDS = {"satu": 1, "se": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
                "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000}
_NUMBER_WORD = r"(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|setengah|" \
    r"belas|puluh|ratus|ribu|juta)"
_FIRST_NUMBER_WORD = r"(?:satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|seratus|seribu|setengah)"
_WORD_AMOUNT = re.compile(rf"\b{_FIRST_NUMBER_WORD}(?:\s+{_NUMBER_WORD})*\b")
# Negation words that cancel a following sign when its rule says `negation: true` ("no" before hp/wa is a number).
_NEGATION = frozenset({
    "tidak", "tdk", "tak", "gak", "ga", "gk", "nggak", "ngga", "enggak", "engga", "bukan", "bkn", "tanpa", "tnp",
    "tnpa", "jangan", "jgn", "son", "sonde", "no", "not", "non", "never", "without", "belum", "blm", "waspada",
    "awas", "hindari", "nda", "ndak", "tra", "kagak",
})
_NEGATION_REACH = 4  # words before the match that a negation word may stand in
_NEGATION_STOP = re.compile(r"[,;:()\[\]]|\b(?:tapi|tp|tetapi|namun|but|padahal|melainkan)\b")
_NOT_NEGATION = re.compile(r"\bno\.?\s*(?:hp|wa|telp|tlp|telpon|rek|rekening|hape|kontak|izin)\b")
MIN_ADVERT_CHARS = 120
_ADVERT_WORDS = re.compile(
    r"\b(lowongan|loker|dibutuhkan|dicari|dibthkn|gaji|gj|salary|berangkat|brgkt|terbang|kerja|visa|paspor|"
    r"pt|agen|sponsor|tkw|tki|pmi|hub|hubungi|wa|minat|syarat|kontrak|biaya)\b")


@dataclass(frozen=True)
class Found:
    """One sign found in the offer (or added by an answer), with the line that says why it matters."""

    id: str
    text: str


@dataclass(frozen=True)
class OfferCheck:
    """The result of Cek tawaran for one offer, with the answers given to its follow-up questions."""

    warnings: tuple[Found, ...]
    good: tuple[Found, ...]
    companies: tuple[CompanyCheck, ...]
    verdict: Verdict
    # Questions asked because the text is silent on them, and the answers given so far (question id -> yes).
    questions: tuple[Question, ...] = ()
    answers: Mapping[str, bool] = field(default_factory=dict)

    @property
    def open_questions(self) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.id not in self.answers)

    def as_json(self) -> dict[str, object]:
        """The public shape of `kawan cek-tawaran --json`."""
        return {
            "warnings": [{"id": f.id, "text": f.text} for f in self.warnings],
            "good": [{"id": f.id, "text": f.text} for f in self.good],
            "companies": [c.as_json() for c in self.companies],
            "verdict": self.verdict,
        }


def _word_amount(words: str) -> str:
    """'dua puluh lima juta' -> '25 juta'; runs without ribu/juta are left as they are."""
    parts = words.split()
    if not {"ribu", "juta"} & set(parts) and "seribu" not in parts:
        return words
    total, group, small = 0.0, 0.0, 0.0
    for word in parts:
        if word in _DIGIT_WORDS:
            value = _DIGIT_WORDS[word]
            if value >= 100:
                group += small + value
                small = 0
            else:
                small += value
        elif word == "setengah":
            small += 0.5
        elif word == "belas":
            small += 10
        elif word == "puluh":
            small *= 10
        elif word == "ratus":
            group += (small or 1) * 100
            small = 0
        elif word == "ribu":
            total += (group + small or 1) * 1000
            group = small = 0
        elif word == "juta":
            total += (group + small or 1) * 1_000_000
            group = small = 0
    # "satu juta lima ratus" is said for 1.5 million: a bare tail after "juta" counts in thousands.
    total += (group + small) * (1000 if total >= 1_000_000 else 1)
    if total >= 1_000_000:
        return f"{total / 1_000_000:g} juta"
    return f"{total / 1000:g} ribu"


def prepare(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower()
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text)
    return _WORD_AMOUNT.sub(lambda m: _word_amount(m.group(0)), text)


def negated(text: str, start: int) -> bool:
    """A negation word stands in the few words before `start`, with no comma or "tapi" in between."""
    before = _NOT_NEGATION.sub(" ", text[:start])
    stops = list(_NEGATION_STOP.finditer(before))
    if stops:
        before = before[stops[-1].end():]
    return bool(_NEGATION & set(re.findall(r"[a-z]+", before)[-_NEGATION_REACH:]))


def clauses(text: str) -> list[str]:
    """Sentences, lines and bullet points: patterns of one sign must match inside one of them."""
    return [c.strip() for c in _CLAUSE_END.split(text) if c and c.strip()]


def _matches(pattern: Pattern, text: str, negation: bool = False) -> bool:
    first, *rest = pattern
    if negation:
        if not any(not negated(text, m.start()) for m in first.finditer(text)):
            return False
    elif not first.search(text):
        return False
    return all(part.search(text) for part in rest)


def _number(raw: str | None) -> float:
    if not raw:
        return 0.0
    # "1.500" and "1,200" are thousands; "7,5" and "1.5" are decimals.
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", raw):
        return float(re.sub(r"[.,]", "", raw))
    return float(raw.replace(",", "."))


def monthly_pay_millions(text: str) -> float:
    """The highest pay promised in the offer, in millions of rupiah (0 when none is stated)."""
    best = 0.0
    for clause in clauses(text):
        if not _SALARY_WORD.search(clause):
            continue
        foreign = {m.start() for m in _MILLIONS_OF.finditer(clause)}
        for match in _MILLIONS_OF.finditer(clause):
            if _is_pay(clause, match.start()):
                top = max(_number(match.group(1)), _number(match.group(2)))
                best = max(best, _scale(clause, match.end()) * top * 1_000_000 * CURRENCY_MILLIONS[match.group(3)])
        for match in _MILLIONS.finditer(clause):
            if match.start() in foreign or not _is_pay(clause, match.start()):
                continue
            scale = _scale(clause, match.end())
            best = max(best, scale * _number(match.group(1)), scale * _number(match.group(2)))
        for match in _BEFORE.finditer(clause):
            if _is_pay(clause, match.start()):
                top = max(_number(match.group(2)), _number(match.group(3)))
                thousands = _THOUSANDS.match(clause, match.end())
                end = thousands.end() if thousands else match.end()
                best = max(best, _scale(clause, end) * top * (1000 if thousands else 1) * CURRENCY_MILLIONS[match.group(1)])
        for match in _AFTER.finditer(clause):
            if _is_pay(clause, match.start()):
                amount = _number(match.group(1)) * (1000 if match.group(2) else 1)
                best = max(best, _scale(clause, match.end()) * amount * CURRENCY_MILLIONS[match.group(3)])
    return best


# "son ada yang 10 juta": an amount denied, not promised.
_DENIED = re.compile(r"\b(?:son|sonde|tidak|tdk|gak|ga|bukan|tak) (?:ada )?(?:yang |yg |sampai |sampe )?$")


def _is_pay(clause: str, start: int) -> bool:
    """The amount is pay unless the nearest money word before it is a fee word, or it is denied."""
    if _DENIED.search(clause, 0, start):
        return False
    salary = [m.end() for m in _SALARY_WORD.finditer(clause, 0, start)]
    fee = [m.end() for m in _FEE_WORD.finditer(clause, 0, start)]
    return not fee or (bool(salary) and max(salary) > max(fee))


def _scale(clause: str, end: int) -> float:
    """How many times an amount ending at `end` is paid a month."""
    if _PER_WEEK.match(clause, end):
        return 4.0
    if _PER_HOUR.match(clause, end):
        return WORKING_HOURS
    return WORKING_DAYS if _PER_DAY.match(clause, end) else 1.0


def youngest_age(text: str) -> int | None:
    """The lowest age the offer accepts, when it states one."""
    ages = [int(m.group(1)) for regex in (_AGE_RANGE, _AGE_ONE, _AGE_YEARS, _AGE_UP, _AGE_PLUS)
            for m in regex.finditer(text)]
    return min((a for a in ages if a >= 10), default=None)


def _check(sign: Sign, text: str, found: set[str]) -> bool:
    if sign.check == "gaji":
        pay = monthly_pay_millions(text)
        if "negara_bukan_penempatan" in found or _LURE_JOBS.search(text):
            limit = SALARY_NON_PLACEMENT
        elif _GULF_PLACES.search(text):
            limit = SALARY_GULF
        elif _HIGH_WAGE_PLACES.search(text):
            limit = SALARY_HIGH_WAGE
        else:
            limit = SALARY_LOW_WAGE if _LOW_WAGE_PLACES.search(text) else SALARY_ANYWHERE
        return pay >= limit
    if sign.check == "umur":
        age = youngest_age(text)
        return age is not None and age < 18
    return False


RULES_ONLY = OfferModel({}, {})


def learned_model(rules: OfferRules) -> OfferModel:
    """The model trained from the rules' labelled offers (cached in memory and in the user's cache folder)."""
    if not rules.examples:
        return RULES_ONLY
    return model_for(rules.examples, default_cache_dir(os.environ))


def find_signs(rules: OfferRules, text: str, model: OfferModel | None = None) -> list[str]:
    """Ids of the signs in the text, in the rules' order: a rule hit, or the learned model sure on its own
    (`model` defaults to the one trained from the rules' examples; RULES_ONLY for the rules alone); a rule hit
    the model is nearly sure is wrong is dropped."""
    found = rule_signs(rules, text)
    added, dropped = (learned_model(rules) if model is None else model).judge(text, found)
    # The model does not add a recruiter where the sign's own exceptions speak: "tidak bayar ke calo" is a warning,
    # not an offer (cross-validated: no change over the labelled offers; for tanpa_kontrak it cost recall).
    added = {sign for sign in added if sign not in EXCEPTIONS_VETO_MODEL or not _excepted(rules, sign, text)}
    found = (found | added) - (dropped - rule_signs(rules, text, sure_only=True))
    if "tanpa_kontrak" in found:
        found.discard("kontrak_tertulis")  # "signed, but abroad / not read / kept by the office": no contract yet
    return [s.id for s in rules.signs if s.id in found]


def _excepted(rules: OfferRules, sign_id: str, text: str) -> bool:
    """Whether any `not_if` of this sign matches the text."""
    prepared = prepare(text)
    return any(_matches(n, prepared) for n in rules.sign(sign_id).not_if)


def rule_signs(rules: OfferRules, text: str, sure_only: bool = False) -> set[str]:
    """Ids of the signs the admin-edited rules find in the text (`sure_only`: only those a `sure` pattern found,
    which the learned model may not drop)."""
    prepared = prepare(text)
    scopes = {"kalimat": clauses(prepared), "teks": [prepared]}
    found: set[str] = set()
    for sign in rules.signs:
        # The built-in check reads the same parts as the patterns and is cancelled by the same not_if.
        parts = [part for part in scopes[sign.scope] if not any(_matches(n, part) for n in sign.not_if)]
        patterns = sign.sure if sure_only else sign.patterns + sign.sure
        if any(_matches(p, part, sign.negation) for part in parts for p in patterns) or (
                not sure_only and sign.check and any(_check(sign, part, found) for part in parts)):
            found.add(sign.id)
    return found


def verdict_of(signs: Iterable[str]) -> Verdict:
    ids = set(signs)
    if ids & set(WARNING_IDS):
        return "bahaya"
    return "tidak_terlihat" if ids >= NEEDED_FOR_CLEAR else "kurang_info"


def build(rules: OfferRules, text_signs: Iterable[str], companies: tuple[CompanyCheck, ...],
          answers: Mapping[str, bool] | None = None, questions: tuple[Question, ...] | None = None) -> OfferCheck:
    """The result from the signs in the text plus the answers to the questions asked."""
    answers = dict(answers or {})
    ids = set(text_signs)
    if questions is None:
        questions = tuple(q for q in rules.questions if not ids & set(q.unless))[:MAX_QUESTIONS]
    for question in questions:
        if question.id in answers:
            added = question.yes if answers[question.id] else question.no
            if added:
                ids.add(added)
    if ids & {"tanpa_kontrak"}:
        ids.discard("kontrak_tertulis")  # an answer "no" overrides a contract only hinted at
    ordered = [s for s in rules.signs if s.id in ids]
    return OfferCheck(
        warnings=tuple(Found(s.id, s.why) for s in ordered if s.is_warning),
        good=tuple(Found(s.id, s.why) for s in ordered if not s.is_warning),
        companies=companies,
        verdict=verdict_of(ids),
        questions=questions,
        answers=answers,
    )


def check_offer(rules: OfferRules, index: CompanyIndex | None, text: str) -> OfferCheck:
    """Cek tawaran on one offer text, with Cek PT on every company it names."""
    companies = tuple(index.check(name) for name in company_names(text)) if index is not None else ()
    return build(rules, find_signs(rules, text), companies)


def looks_like_offer(text: str) -> bool:
    """A long message that reads like an advert or a recruiter's message (not a question about one topic)."""
    prepared = prepare(text)
    if len(prepared) < MIN_ADVERT_CHARS:
        return False
    return len(set(_ADVERT_WORDS.findall(prepared))) >= 3


__all__ = ["GOOD_IDS", "RULES_ONLY", "WARNING_IDS", "Found", "OfferCheck", "Verdict", "build", "check_offer",
           "find_signs", "learned_model", "looks_like_offer", "monthly_pay_millions", "negated", "prepare",
           "rule_signs", "verdict_of", "youngest_age"]
