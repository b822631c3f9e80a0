"""Masking before storage: a table of what must disappear and what must stay readable."""

from __future__ import annotations

import re
import time

import pytest

from bot.admin.anonymise import mask
from bot.core.conversation import Engine
from bot.core.vocabulary import known_words

MASKED = [
    # Indonesian mobile numbers, every way people type them.
    ("hub 0812-3456-7890 ya", "hub [nomor] ya"),
    ("0812 3456 7890", "[nomor]"),
    ("0812.3456.7890", "[nomor]"),
    ("081234567890", "[nomor]"),
    ("+62 812 3456 7890", "[nomor]"),
    ("+62812-3456-7890", "[nomor]"),
    ("+6281234567890", "[nomor]"),
    ("6281234567890", "[nomor]"),
    ("62 812 3456 7890", "[nomor]"),
    ("wa08123456789 sj", "wa[nomor] sj"),
    ("no hp: 0852 1234 567.", "no hp: [nomor]."),
    ("812 3456 7890", "[nomor]"),
    ("08111-129-129", "[nomor]"),
    # Landlines and toll-free numbers.
    ("(021) 2924 4800", "[nomor]"),
    ("+62 21 2924 4800", "[nomor]"),
    ("(0380) 821234", "[nomor]"),
    ("0380-821234", "[nomor]"),
    ("0800-1000", "[nomor]"),
    ("0800 1000", "[nomor]"),
    # Malaysian numbers.
    ("+60 12-345 6789", "[nomor]"),
    ("+6012 345 6789", "[nomor]"),
    ("012-3456789", "[nomor]"),
    ("011-1234 5678", "[nomor]"),
    ("60123456789", "[nomor]"),
    ("03-2116 4000", "[nomor]"),
    # E-mail addresses, links and Telegram usernames.
    ("email sy budi.santoso+pmi@gmail.com ya", "email sy [email] ya"),
    ("kirim ke A.B@yahoo.co.id.", "kirim ke [email]."),
    ("lihat https://fb.com/budi.santoso?id=1).", "lihat [tautan])."),
    ("http://contoh.com", "[tautan]"),
    ("www.lowongan-murah.com/daftar, cepat", "[tautan], cepat"),
    ("fb.com/budi123", "[tautan]"),
    ("chat @budi_santoso dulu", "chat [akun] dulu"),
    # NIK: 16 digits, plain or in groups.
    ("NIK saya 5301012345678901", "NIK saya [nik]"),
    ("nik 5301 0123 4567 8901", "nik [nik]"),
    ("KTP: 5301.0123.4567.8901", "KTP: [nik]"),
    # Passports: one letter and 7 (Indonesia) or 8 (Malaysia) digits.
    ("paspor A1234567 ditahan", "paspor [paspor] ditahan"),
    ("no paspor c7654321", "no paspor [paspor]"),
    ("passport H12345678", "passport [paspor]"),
    # Other long digit runs: bank accounts, KK, long ids.
    ("rekening BRI 1234567890", "rekening BRI [angka]"),
    ("no rek 0021-01-123456-50-3", "no rek [angka]"),
    ("KK 53010123456789012345", "KK [angka]"),
    ("kode 1234567", "kode [angka]"),
    ("gaji 5000000 per bulan", "gaji [angka] per bulan"),
    # Several at once.
    ("sy Budi 081234567890, budi@mail.com, NIK 5301012345678901",
     "sy [nama] [nomor], [email], NIK [nik]"),
]

KEPT = [
    "umur 19",
    "saya umur 19 tahun, lahir 2005",
    "tahun 2024",
    "berangkat 2024 atau 2025?",
    "Rp 5 juta",
    "biaya Rp 15.000.000 itu wajar?",
    "Rp15.000.000",
    "gaji RM 1.500 sebulan",
    "gaji 1.500 ringgit",
    "pinjam 5000000 rupiah",
    "UU 18/2017",
    "UU No. 21 Tahun 2007 tentang TPPO",
    "Perban 9/2020",
    "telepon 110",
    "SAPA 129",
    "110 atau 129",
    "berangkat 12-05-2024",
    "tgl 2024-05-01",
    "jam 10:30",
    "2 anak umur 5 dan 7",
    "kode 123456",
    "kontrak 2 tahun, kerja 8 jam",
    "kp2mi.go.id",
    "siskop2mi.bp2mi.go.id resmi ko?",
    "bp3mi ntt, p4mi, covid19",
    "1.5 juta",
    "",
]


@pytest.mark.parametrize(("text", "expected"), MASKED, ids=[text for text, _ in MASKED])
def test_personal_data_is_masked(text: str, expected: str) -> None:
    assert mask(text) == expected


@pytest.mark.parametrize("text", KEPT, ids=[text or "(kosong)" for text in KEPT])
def test_ordinary_text_stays_as_it_is(text: str, known: frozenset[str]) -> None:
    assert mask(text, known) == text


def test_masking_is_idempotent() -> None:
    once = mask("hub 0812-3456-7890 atau budi@mail.com, paspor A1234567")
    assert mask(once) == once


# The examples (adversarial test of the running bot): each must vanish, with the words around kept.
PRIVATE = [
    ("nama saya Maria Goreti Nahak, mau kerja ke Malaysia", "nama saya [nama], mau kerja ke Malaysia",
     ("Maria", "Goreti", "Nahak")),
    ("nama saya maria goreti nahak", "nama saya [nama]", ("maria", "goreti", "nahak")),
    ("beta Yosef dari Atambua mau ke Malaysia", "beta [nama] dari Atambua mau ke Malaysia", ("Yosef",)),
    ("saya Maria, paspor ditahan", "saya [nama], paspor ditahan", ("Maria",)),
    ("Ibu Theresia Bria di Kupang bilang", "Ibu [nama] di Kupang bilang", ("Theresia", "Bria")),
    ("rumah di Jl. Timor Raya No. 12, Kupang", "rumah di Jl. [alamat], Kupang", ("Timor Raya", "12")),
    ("Desa Oelnasi RT 005/RW 002, Kupang", "Desa [alamat], Kupang", ("Oelnasi", "005", "002")),
    ("kelurahan Oepura, kec. Maulafa", "kelurahan [alamat], kec. [alamat]", ("Oepura", "Maulafa")),
    ("lahir 12 Mei 1999", "lahir [tanggal]", ("12 Mei 1999",)),
    ("tgl lahir 12-05-1999", "tgl lahir [tanggal]", ("12-05-1999",)),
    ("lahir 03/11/2001 di Ende", "lahir [tanggal] di Ende", ("03/11/2001",)),
    ("ttl: Soe, 5 agustus 1998", "ttl: Soe, [tanggal]", ("5 agustus 1998",)),
    ("hp 0812/3456/7896", "hp [nomor]", ("7896",)),
    ("hp 0812_3456_7803", "hp [nomor]", ("7803",)),
    ("hp 0812  3456  7811", "hp [nomor]", ("7811",)),
    ("hp 0812\u00a03456\u00a07822", "hp [nomor]", ("7822",)),
    ("hp 0812\n3456\n7833", "hp [nomor]", ("7833",)),
    ("hp 0812\u200b3456\u200b7844", "hp [nomor]", ("7844",)),
    ("hp 0812 - 3456 - 7855", "hp [nomor]", ("7855",)),
    ("paspor AB123456 ditahan", "paspor [paspor] ditahan", ("AB123456",)),
    ("maria.nahak @ gmail . com", "[email]", ("nahak", "gmail")),
    ("maria.nahak@gmail.com", "[email]", ("nahak", "gmail")),
]


@pytest.fixture(scope="module")
def known(engine: Engine) -> frozenset[str]:
    return known_words(engine)


@pytest.mark.parametrize(("text", "expected", "secret"), PRIVATE, ids=[text for text, _, _ in PRIVATE])
def test_names_addresses_birth_dates_and_any_separators_are_masked(text: str, expected: str, secret: tuple[str, ...],
                                                                    known: frozenset[str]) -> None:
    masked = mask(text, known)
    assert masked == expected
    for part in secret:
        assert part not in masked


ROUTING = [
    "mau kerja ke Malaysia lewat Kupang",
    "agen di Atambua minta Rp 15.000.000",
    "gaji RM 1.500 di Hong Kong",
    "Saya dari Kupang mau ke Taiwan",
    "biaya 20 juta ke Singapura",
    "berangkat 12-05-2027 dari Kupang",
    "jalan kaki ke desa saya",
]


@pytest.mark.parametrize("text", ROUTING)
def test_places_for_routing_money_and_ordinary_words_stay(text: str, known: frozenset[str]) -> None:
    assert mask(text, known) == text


ADVERSARIAL = {
    "letters": "a" * 100_000,
    "digits and spaces": "1 " * 50_000,
    "dotted": "a." * 50_000,
    "at signs": "x@" * 50_000,
    "url-like": "a.b/" * 25_000,
    "name triggers": "Nama saya " * 10_000,
    "phone separators": "0812/" * 20_000,
    "capitals": "Maria " * 16_000,
    "dates": "12 Mei " * 14_000,
    "addresses": "Jl. " * 25_000,
}


def test_masking_is_linear_on_100000_characters(known: frozenset[str]) -> None:
    """Quadratic masking took 28 s on one long message; linear masking takes milliseconds per 100,000."""
    for name, text in ADVERSARIAL.items():
        started = time.perf_counter()
        masked = mask(text, known)
        elapsed = time.perf_counter() - started
        assert elapsed < 2.0, f"{name}: {elapsed:.2f} s"
        assert not re.search(r"\d{7}", masked)
