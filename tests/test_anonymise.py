"""Masking before storage: a table of what must disappear and what must stay readable."""

from __future__ import annotations

import pytest

from bot.admin.anonymise import mask

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
     "sy Budi [nomor], [email], NIK [nik]"),
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
def test_ordinary_text_stays_as_it_is(text: str) -> None:
    assert mask(text) == text


def test_masking_is_idempotent() -> None:
    once = mask("hub 0812-3456-7890 atau budi@mail.com, paspor A1234567")
    assert mask(once) == once
