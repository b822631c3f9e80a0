"""Masks personal data (phone numbers, e-mails, NIK, passports, long numbers, links) before anything is stored."""

from __future__ import annotations

import re

PHONE = "[nomor]"
EMAIL = "[email]"
NIK = "[nik]"
PASSPORT = "[paspor]"
NUMBER = "[angka]"
LINK = "[tautan]"
ACCOUNT = "[akun]"

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Links with a scheme or www., and bare domains followed by a path (fb.com/nama, t.me/nama, bit.ly/xyz).
_URL = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b(?:[a-z0-9-]+\.)+[a-z]{2,}/\S*")
_URL_TAIL = ".,;:!?)\"'"
# Telegram usernames (5-32 characters) point at one person as surely as a phone number does.
_ACCOUNT = re.compile(r"(?<![\w@])@[A-Za-z]\w{4,31}\b")
# Indonesian passports are one letter and 7 digits (A1234567); Malaysian ones one letter and 8.
_PASSPORT = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]\d{7,8}(?!\d)")
# Digit groups joined by single spaces, dots or dashes, maybe with +, or an area code in brackets:
# "+62 812-3456-7890", "(021) 2924 4800", "0812.3456.7890", "60123456789".
_NUMBER = re.compile(r"(?<!\d)(?:\+ ?)?\(?\d+\)?(?:(?: ?[.\-] ?| )\(?\d+\)?)*")
_DATE = re.compile(r"^(?:\d{1,2}[ .\-]\d{1,2}[ .\-](?:\d{2}|\d{4})|\d{4}-\d{1,2}-\d{1,2})$")
# An amount after a currency, or before a money word, stays: "Rp 15.000.000", "RM 1.500", "5000000 rupiah".
_CURRENCY_BEFORE = re.compile(r"(?i)(?:\brp\.?|\brm|\bidr|\busd|\bsgd|\bhkd|\bntd|\$)\s?$")
_MONEY_AFTER = re.compile(r"(?i)^\s?(?:rupiah|ringgit|ribu|rb|juta|jt|dolar)\b")
# Shorter runs are ages, years, counts and hotlines (110, 129) that must stay readable.
MIN_MASKED_DIGITS = 7


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


def _number(text: str, match: re.Match[str]) -> str:
    found = match.group(0)
    digits = re.sub(r"\D", "", found)
    if len(digits) < MIN_MASKED_DIGITS or _DATE.match(found):
        return found
    if _CURRENCY_BEFORE.search(text[: match.start()]) or _MONEY_AFTER.match(text[match.end():]):
        return found
    return _classify(found, digits)


def mask(text: str) -> str:
    """The text with personal data replaced by placeholders such as [nomor]; everything else unchanged."""
    text = _EMAIL.sub(EMAIL, text)
    text = _URL.sub(_url, text)
    text = _ACCOUNT.sub(ACCOUNT, text)
    text = _PASSPORT.sub(PASSPORT, text)
    return _NUMBER.sub(lambda match: _number(text, match), text)
