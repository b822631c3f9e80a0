"""Masks personal data (names, addresses, birth dates, phones, e-mails, ids, links) before anything is stored."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

PHONE = "[nomor]"
EMAIL = "[email]"
NIK = "[nik]"
PASSPORT = "[paspor]"
NUMBER = "[angka]"
LINK = "[tautan]"
ACCOUNT = "[akun]"
NAME = "[nama]"
ADDRESS = "[alamat]"
DATE = "[tanggal]"
PLACEHOLDERS = (NAME, ADDRESS, DATE, PHONE, EMAIL, NIK, PASSPORT, NUMBER, LINK, ACCOUNT)

# Every pattern below starts only where a run begins (look-behind) and bounds its repetitions, so one
# pass over 100,000 characters stays linear: no start position rescans the text after it.
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64} ?@ ?[\w-]{1,63}(?: ?\. ?[\w-]{1,63}){1,6}")
# Links with a scheme or www., and bare domains followed by a path (fb.com/nama, t.me/nama, bit.ly/xyz).
_URL = re.compile(r"(?i)(?<![\w.-])(?:https?://|www\.)\S+|(?<![\w.-])(?:[a-z0-9-]{1,63}\.){1,8}[a-z]{2,24}/\S*")
_URL_TAIL = ".,;:!?)\"'"
# Telegram usernames (5-32 characters) point at one person as surely as a phone number does.
_ACCOUNT = re.compile(r"(?<![\w@])@[A-Za-z]\w{4,31}\b")
# Passports: Indonesian A1234567, Malaysian H12345678, and two letters with six or more digits (AB123456).
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])(?:[A-Za-z]\d{7,8}|[A-Za-z]{2}\d{6,8})(?!\d)")
_MONTHS = (r"(?:jan(?:uari)?|feb(?:ruari)?|mar(?:et)?|apr(?:il)?|mei|jun(?:i)?|jul(?:i)?|agu(?:stus)?|ags|"
           r"sep(?:t(?:ember)?)?|okt(?:ober)?|nov(?:ember)?|des(?:ember)?)")
# "12 Mei 1999", "12 mei 99", "12-Mei-1999": a date written with the month's name.
_NAMED_DATE = re.compile(rf"(?i)(?<!\d)\d{{1,2}}[ .\-/]{{0,2}}{_MONTHS}\.?[ .\-/]{{0,2}}(?:\d{{4}}|\d{{2}})(?!\d)")
# Digit groups joined by up to three separators of any kind people type (space, dot, dash, slash, underscore,
# brackets), maybe with +: "+62 812-3456-7890", "(021) 2924 4800", "0812/3456/7896", "0812_3456_7803".
_NUMBER = re.compile(r"(?<!\d)(?:\+ ?)?\(?\d+\)?(?:[ ./_\-\u2010-\u2015]{1,3}\(?\d+\)?)*")
_DATE = re.compile(r"^(?:\d{1,2}[ ./\-]{1,2}\d{1,2}[ ./\-]{1,2}(?:\d{2}|\d{4})|\d{4}-\d{1,2}-\d{1,2})$")
_YEAR = re.compile(r"(?:19|20)\d\d$")
# Dates of this year or later are plans (departure, contract); older full dates are most likely births.
BIRTH_YEAR_BEFORE = 2010
_BIRTH_WORDS = re.compile(r"(?i)(?:lahir|ttl|tgl\.? ?lhr|lhr)\b[^\d]{0,12}$")
# An amount after a currency, or before a money word, stays: "Rp 15.000.000", "RM 1.500", "5000000 rupiah".
_CURRENCY_BEFORE = re.compile(r"(?i)(?:\brp\.?|\brm|\bidr|\busd|\bsgd|\bhkd|\bntd|\$)\s?$")
_MONEY_AFTER = re.compile(r"(?i)^\s?(?:rupiah|ringgit|ribu|rb|juta|jt|dolar)\b")
# Shorter runs are ages, years, counts and hotlines (110, 129) that must stay readable.
MIN_MASKED_DIGITS = 7
# How far around a number its context (currency, "lahir") is looked for: bounded, so masking stays linear.
CONTEXT = 16

_TOKEN = re.compile(r"\[[a-z]+\]|[^\W_]+|\s+|.", re.S)
# After these, the next words not in the bot's vocabulary are a name: "nama saya Maria", "beta Yosef".
NAME_TRIGGERS = frozenset({"nama", "namaku", "namanya", "bernama", "panggil", "panggilan", "saya", "sy", "aku",
                           "beta", "sa", "ane", "gue", "gw"})
# Words that may stand between "nama" and the name itself.
NAME_FILLERS = frozenset({"saya", "sy", "aku", "ku", "beta", "sa", "lengkap", "asli", "adalah", "yaitu", "ialah",
                          "ana", "anak", "suami", "istri", "ibu", "bapak", "kakak", "adik", "saudara", "teman"})
# After these, an address follows: "Jl. Merdeka No. 5", "RT 005/RW 002", "Desa Oelnasi", "Kelurahan Oebobo".
ADDRESS_TRIGGERS = frozenset({"alamat", "jalan", "jl", "jln", "gang", "gg", "rt", "rw", "desa", "ds", "kelurahan",
                              "kel", "kecamatan", "kec", "dusun", "dsn", "kampung", "blok", "perumahan", "perum",
                              "komplek", "kompleks", "lorong"})
# Inside an address that has begun, these words belong to it: "Jl. Merdeka no 5 blok C".
ADDRESS_WORDS = frozenset({"no", "nomor", "raya", "lama", "baru", "atas", "bawah", "dalam", "luar", "utara", "selatan",
                           "barat", "timur", "tengah"})
MAX_SPAN = 6
_JOINERS = frozenset("./-")
_SPAN_ENDS = frozenset(",;!?()\"")
# Place names the bot routes by, and common abbreviations: kept even when capitalised.
KEPT_WORDS = frozenset("""
kupang ntt ntb nusa tenggara timur barat indonesia malaysia taiwan hongkong hong kong singapura singapore
brunei arab saudi jepang korea jakarta surabaya batam nunukan entikong tawau sabah sarawak kuala lumpur johor
penang timor flores sumba alor rote sabu atambua ende maumere larantuka lembata bajawa ruteng waingapu soe
kefamenanu kalabahi labuan bajo belu malaka tts ttu dubai qatar kuwait oman turki eropa polandia australia
amerika jerman inggris italia spanyol selandia baru china cina thailand vietnam filipina bali lombok makassar
medan denpasar pmi tki tkw bp3mi bp2mi kp2mi p4mi kbri kjri pt p3mi lpk blk ltsa disnaker disnakertrans sapa
polisi ktp kk nik bpjs uu tppo wa rm rp idr usd hp sms siskop2mi kemnaker kemlu safe travel ri nkri dki jawa
sumatra sumatera kalimantan sulawesi papua maluku januari februari maret april mei juni juli agustus september
oktober november desember senin selasa rabu kamis jumat sabtu minggu tuhan allah yesus bapa pak bu ibu kak
kakak om tante mama bapak halo hai selamat pagi siang sore malam terima kasih tolong maaf apa bagaimana berapa
kapan dimana siapa saya aku beta kami kita dia mereka anda kamu ko lu mau ingin bisa boleh kerja ke di dari
dan atau yang ini itu tidak belum sudah ada agen calo majikan paspor visa gaji biaya kontrak no tahun bulan
hari tentang
""".split())  # noqa: SIM905 - a word list reads best as text
_CONTROL_CATEGORIES = ("Cc", "Cf")


def _clean(text: str) -> str:
    """Invisible characters removed and every run of whitespace (NBSP, line breaks, tabs) made one space."""
    if not text.isprintable():
        text = "".join(" " if unicodedata.category(c) in _CONTROL_CATEGORIES else c for c in text)
    return " ".join(text.split())


def _url(match: re.Match[str]) -> str:
    found = match.group(0)
    tail = len(found) - len(found.rstrip(_URL_TAIL))
    return LINK + (found[len(found) - tail:] if tail else "")


def _classify(found: str, digits: str) -> str:
    """The placeholder for a long run of digits."""
    count = len(digits)
    if found.startswith("+"):
        return PHONE
    if count == 16 and not digits.startswith("0"):
        return NIK  # NIK: 16 digits starting with a province code; no phone number is that long
    if digits.startswith("0") and 8 <= count <= 13:
        return PHONE  # 0812…, 0800-1000, (021) 2924 4800, Malaysian 012-3456789
    if digits.startswith(("62", "60")) and 10 <= count <= 14:
        return PHONE  # country code without the plus: 6281234567890, 60123456789
    if digits.startswith("8") and 9 <= count <= 12:
        return PHONE  # a mobile number written without its leading 0
    return NUMBER


def _is_birth(text: str, start: int, found: str) -> bool:
    """A full date right after "lahir", or one from a year long past."""
    if _BIRTH_WORDS.search(text[max(0, start - CONTEXT):start]):
        return True
    year = _YEAR.search(found)
    if year is not None:
        return int(year.group(0)) < BIRTH_YEAR_BEFORE
    short = re.search(r"(\d\d)$", found)  # "12 mei 99"
    return short is not None and int(short.group(1)) > 30


def _named_date(text: str, match: re.Match[str]) -> str:
    return DATE if _is_birth(text, match.start(), match.group(0)) else match.group(0)


def _number(text: str, match: re.Match[str]) -> str:
    found = match.group(0)
    if _DATE.match(found.strip()):
        return DATE if _is_birth(text, match.start(), found) else found
    digits = "".join(c for c in found if c.isdigit())
    if len(digits) < MIN_MASKED_DIGITS:
        return found
    if _CURRENCY_BEFORE.search(text[max(0, match.start() - CONTEXT):match.start()]):
        return found
    if _MONEY_AFTER.match(text[match.end():match.end() + CONTEXT]):
        return found
    return _classify(found, digits)


def _known(word: str, known: Collection[str]) -> bool:
    lower = word.lower()
    return lower in known or lower in KEPT_WORDS


def _looks_like_name(word: str) -> bool:
    """Capitalised ("Maria"), or a long word in capitals ("NAHAK"); short capitals are abbreviations (BRI)."""
    if not word[0].isalpha() or not word[0].isupper():
        return False
    return not word.isupper() or len(word) > 5


def _in_span(span: str, token: str, known: Collection[str], started: bool) -> bool:
    """Whether a word inside a name or address span is part of the name or address."""
    lower = token.lower()
    if span == NAME:
        return not token.isdigit() and not _known(token, known)
    if token.isdigit() or not _known(token, known):
        return True
    if _looks_like_name(token):
        return True  # "Jl. Timor Raya": inside an address even a place name is part of the street
    return started and (lower in ADDRESS_TRIGGERS or lower in ADDRESS_WORDS)


def _mask_words(text: str, known: Collection[str]) -> str:
    """Names, addresses and capitalised words the bot does not know, in one pass over the tokens."""
    out: list[str] = []
    span = ""          # NAME or ADDRESS while inside a span that started at a trigger
    span_left = 0
    filler_ok = False  # "nama" may be followed by "saya", "lengkap"... before the name itself
    started = False    # a span has masked its first word

    def put(placeholder: str) -> None:
        # Neighbouring masked words become one placeholder: "[nama]", not "[nama] [nama]" or "[alamat]/[alamat]".
        back = len(out)
        while back > 0 and len(out) - back < 4 and (out[back - 1].isspace() or out[back - 1] in _JOINERS):
            back -= 1
        if back > 0 and out[back - 1] == placeholder:
            del out[back:]
            return
        out.append(placeholder)

    for match in _TOKEN.finditer(text):
        token = match.group(0)
        if token.isspace():
            out.append(token)
            continue
        if token.startswith("[") and token.endswith("]") and len(token) > 2:
            out.append(token)
            span = ""
            continue
        if not token[0].isalnum():
            if token in _SPAN_ENDS or (token == "." and span == NAME):
                span = ""
            out.append(token)
            continue
        lower = token.lower()
        if span:
            if span == NAME and filler_ok and lower in NAME_FILLERS:
                out.append(token)
                continue
            filler_ok = False
            if span_left > 0 and _in_span(span, token, known, started):
                put(span)
                span_left -= 1
                started = True
                continue
            span = ""
        if lower in ADDRESS_TRIGGERS:
            span, span_left, started = ADDRESS, MAX_SPAN, False
            out.append(token)
            continue
        if lower in NAME_TRIGGERS:
            span, span_left, started = NAME, 3, False
            filler_ok = lower in ("nama", "namanya", "panggilan")
            out.append(token)
            continue
        if _looks_like_name(token) and not _known(token, known) and not any(c.isdigit() for c in token):
            put(NAME)
            continue
        out.append(token)
    return "".join(out)


def mask(text: str, known: Collection[str] = frozenset()) -> str:
    """The text with personal data replaced by placeholders such as [nomor] or [nama].

    `known` is the bot's vocabulary (lower case): a capitalised word in it is an ordinary word, not a name.
    Linear in the length of the text. Whitespace is collapsed to single spaces.
    """
    text = _clean(text)
    text = _EMAIL.sub(EMAIL, text)
    text = _URL.sub(_url, text)
    text = _ACCOUNT.sub(ACCOUNT, text)
    text = _PASSPORT.sub(PASSPORT, text)
    text = _NAMED_DATE.sub(lambda match: _named_date(text, match), text)
    text = _NUMBER.sub(lambda match: _number(text, match), text)
    return _mask_words(text, known)
