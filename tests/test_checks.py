"""Cek PT and Cek tawaran: matching and rule tables, the CLI JSON contracts, and the P3MI import report."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.content.offer_rules import GOOD_IDS, WARNING_IDS
from bot.content.validate import load_bundle
from bot.core.check_replies import Checker, OfferState
from bot.core.company_check import company_names
from bot.core.offer_check import find_signs, looks_like_offer, monthly_pay_millions, prepare, youngest_age
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def checker() -> Checker:
    return Checker(load_bundle(ROOT / "knowledge", ROOT / "intents"))


@pytest.mark.parametrize(("query", "status", "name"), [
    ("PT. BALI PESONA ABADI", "found", "PT. BALI PESONA ABADI"),
    ("bali pesona abadi", "found", "PT. BALI PESONA ABADI"),            # without PT
    ("pt bali pesona abdi", "found", "PT. BALI PESONA ABADI"),          # one typo
    ("PESONA BALI ABADI", "found", "PT. BALI PESONA ABADI"),            # word order
    ("cek PT Antar Indo Sadya resmi ka?", "found", "PT. ANTAR INDOSADYA"),  # split word, filler words
    ("PT Sasando Insan Mulia", "not_found", None),
], ids=["exact", "no-pt", "typo", "word-order", "split-word-filler", "not-listed"])
def test_company_lookup(checker: Checker, query: str, status: str, name: str | None) -> None:
    result = checker.company(query)
    assert result is not None and result.status == status
    if name is None:
        assert result.matches == ()
    else:
        assert result.matches[0].name == name and len(result.matches) <= 3


def test_found_and_not_found_wording(checker: Checker) -> None:
    found = checker.company_reply("PT BALI PESONA ABADI").text
    assert "Ada di salinan daftar P3MI berizin per 17-09-2026 (nomor izin 9120308891125)" in found
    assert "SIAPkerja" in found and "SISKOP2MI" in found
    missing = checker.company_reply("PT Sasando Insan Mulia").text
    assert "Tidak ada di salinan daftar per 17-09-2026" in missing
    assert "ilegal" not in (found + missing).lower()
    assert all(place in missing for place in ("SISKOP2MI", "BP3MI", "Disnakertrans"))


@pytest.mark.parametrize(("text", "sign", "fires"), [
    ("Biaya proses Rp 4.500.000 bayar di depan", "bayar_sebelum_berangkat", True),
    ("Tidak dipungut biaya pendaftaran", "bayar_sebelum_berangkat", False),
    ("Tiket dibayar perusahaan, dipotong gaji", "bayar_sebelum_berangkat", False),
    ("pake visa umroh sa, nanti di sana majikan urus", "visa_bukan_kerja", True),
    ("Kerja di Kamboja jadi admin", "negara_bukan_penempatan", True),
    ("Berangkat minggu ini juga", "proses_kilat", True),
    ("Brgkt bln dpn", "proses_kilat", False),
    ("Kontrak nanti di sana saja", "tanpa_kontrak", True),
    ("Kontrak kerja ditandatangani di Indonesia", "tanpa_kontrak", False),
    ("Paspor disimpan agen selama kerja", "dokumen_ditahan", True),
    ("Hubungi Om Frans 0812", "perekrut_perorangan", True),
    ("tidak bayar ke calo", "perekrut_perorangan", False),
    ("Jalan lewat Nunukan", "jalur_transit", True),
    ("Gaji 40 juta per bulan", "gaji_tidak_wajar", True),
    ("Gaji RM 1.700 + lembur", "gaji_tidak_wajar", False),
    ("Umur 16-40 thn", "di_bawah_umur", True),
    ("Usia 18-40", "di_bawah_umur", False),
    ("Dicari pembantu untuk majikan di Riyadh", "prt_timur_tengah", True),
    ("Pembantu rumah tangga ke Hong Kong", "prt_timur_tengah", False),
    ("PT Sinar Jaya buka lowongan", "pt_berizin", True),
    ("Daftar lewat Disnakertrans kabupaten", "daftar_disnaker", True),
    ("Ada BPJS Ketenagakerjaan", "bpjs", True),
    ("Pelatihan di BLK 2 bulan", "pelatihan_blk", True),
    ("Tanpa tes, tanpa pelatihan", "pelatihan_blk", False),
    ("Kontrak su tanda tangan dalam bahasa Indonesia", "kontrak_tertulis", True),
    # negation scope: a negation word just before the match cancels it, one after it or past a comma does not
    ("Tidak lewat Batam atau Nunukan", "jalur_transit", False),
    ("Berangkat lewat Batam, tidak ada biaya", "jalur_transit", True),
    ("Bukan visa turis, visa kerja resmi", "visa_bukan_kerja", False),
    ("Son usah ikut BLK", "pelatihan_blk", False),
    ("Dia bilang ini bukan pi Kamboja ko Myanmar", "negara_bukan_penempatan", False),
    ("Waspada calo", "perekrut_perorangan", False),
    ("No. WA Om Frans", "perekrut_perorangan", True),
    # amounts in words, currencies and the destination-aware pay limit
    ("Dia minta uang dua juta dulu", "bayar_sebelum_berangkat", True),
    ("Siapkan paspor dan 3 juta for medical", "bayar_sebelum_berangkat", True),
    ("Biaya penempatan 0, pelatihan di BLK", "bayar_sebelum_berangkat", False),
    ("Gaji dua puluh lima juta sebulan jaga toko", "gaji_tidak_wajar", True),
    ("Gaji 22 juta jaga toko di Malaysia", "gaji_tidak_wajar", True),
    ("Gaji 22 juta pabrik di Korea", "gaji_tidak_wajar", False),
    ("Kebun sawit Sabah, gaji RM 3.500 sebulan", "gaji_tidak_wajar", True),
    ("Kilang di Johor, gaji RM 1.800 + OT", "gaji_tidak_wajar", False),
    ("Gaji 14 juta jaga toko di Surabaya", "gaji_tidak_wajar", False),
    ("Kontrak baru ditandatangani setelah tiba", "tanpa_kontrak", True),
    ("Kontrak baru ditandatangani setelah tiba", "kontrak_tertulis", False),
    ("Paspor tetap dipegang pekerja", "dokumen_ditahan", False),
    ("Calo itu menyimpan paspor saya", "dokumen_ditahan", True),
    # SMS spellings and original papers handed over (writers OY and OZ)
    ("hp dan ktp asli dsimpn mandor slama kerja", "dokumen_ditahan", True),
    ("Ijazah asli kasih ke om dulu, nanti om urus", "dokumen_ditahan", True),
    ("Bawa fotokopi KTP dan ijazah saat daftar", "dokumen_ditahan", False),
    ("please send 3 million rupiah for the ticket", "bayar_sebelum_berangkat", True),
    ("beli tiket sendiri dulu, nanti bos ganti", "bayar_sebelum_berangkat", True),
    ("gaji sy kirim 500rb tiap bulan ke mama", "bayar_sebelum_berangkat", False),
    ("Minat wasap Kak Dina", "perekrut_perorangan", True),
    # writer OU: minors said without an age, papers in SMS spelling, and what is not a sign
    ("Yg masih SMP jg bs ikut krj kebun, gpp", "di_bawah_umur", True),
    ("Belum punya KTP tidak apa, nanti om urus", "di_bawah_umur", True),
    ("Anak sekolah sonde katong terima, minimal 18 tahun", "di_bawah_umur", False),
    ("Psprt nnti sy yg pgng smp lunas", "dokumen_ditahan", True),
    ("Cukup fotokopi KTP, aslinya tetap Anda pegang", "dokumen_ditahan", False),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None)
def test_sign_rules(checker: Checker, text: str, sign: str, fires: bool) -> None:
    assert checker.rules is not None
    assert (sign in find_signs(checker.rules, text)) is fires


# Generalisations of the third round: who is (not) an individual recruiter, other visa wordings, speed promises
# versus one's own schedule, daily/ranged/foreign pay, ages, company work in the Gulf, warnings about money.
@pytest.mark.parametrize(("text", "sign", "fires"), [
    ("Saya mama Yuliana dari Maumere, anak saya mau kerja di Hong Kong", "perekrut_perorangan", False),
    ("Om Ardi sponsor lapangan PT Sinar Flores datang ke rumah cari anak muda", "perekrut_perorangan", True),
    ("Beta pung kaka karja di PT Sumber Rejeki, dia suru beta daftar sendiri di Disnaker", "perekrut_perorangan",
     False),
    ("Anak saya didatangi orang dari PT Cahaya Timur kemarin", "perekrut_perorangan", False),
    ("Info lebih lanjut WA admin 0812-xxxx", "perekrut_perorangan", False),
    ("Saya sudah daftar di Disnaker. Teman saya yang sudah dua tahun di Malaysia cuma dapat gaji 5 juta, jadi saya "
     "tanya dulu ke PT.", "perekrut_perorangan", False),
    ("Tetangga kami dulu dideportasi dari Johor dan sekarang sakit di rumah.", "perekrut_perorangan", False),
    ("Sy ad lowongan jaga toko di Sarawak, minat japri", "perekrut_perorangan", True),
    ("Kami tidak bekerja sama dengan sponsor atau calo", "perekrut_perorangan", False),
    ("Masuk guna paspor melancong dulu", "visa_bukan_kerja", True),
    ("Cukup pakai visitor visa, nanti diganti di sana", "visa_bukan_kerja", True),
    ("Masuk visa free (turis) 30 hari", "visa_bukan_kerja", True),
    ("Permit kerja nanti dibuat selepas sampai", "visa_bukan_kerja", True),
    ("Ga ush urus paspor dan visa, nanti dibantu nyebrang", "visa_bukan_kerja", True),
    ("Free visa dan tiket dari majikan", "visa_bukan_kerja", False),
    ("Proses 2 mgg jadi, tinggal tunggu tiket", "proses_kilat", True),
    ("You can come next week", "proses_kilat", True),
    ("No need ujian bahasa", "proses_kilat", True),
    ("Jangan percaya yang janji tanpa tes", "proses_kilat", False),
    ("Lusa saya terbang ke Taipei, tiket sudah di tangan", "proses_kilat", False),
    ("Nanti di sana langsung kerja", "proses_kilat", False),
    ("Kerja bangunan di Kuching, gaji 140 ringgit sehari", "gaji_tidak_wajar", True),
    ("Kerja pabrik di Korea, gaji 4 juta won sebulan", "gaji_tidak_wajar", True),
    ("Kilang di Johor, gaji RM 1.800-4.500", "gaji_tidak_wajar", True),
    ("Kerja karaoke di Batam, gaji 12 juta", "gaji_tidak_wajar", True),
    ("Biaya 25 juta, sisanya potong gaji", "gaji_tidak_wajar", False),
    ("Dia bilang son ada yang 15 juta, gaji kebun di Sabah cuma RM 1.600", "gaji_tidak_wajar", False),
    ("Jaga anak di Dubai, gaji 13 juta", "gaji_tidak_wajar", True),
    ("Sopir truk di Riyadh, gaji 2.500 riyal", "gaji_tidak_wajar", False),
    ("Dicari cewek umr 15-25 untuk rumah makan", "di_bawah_umur", True),
    ("Umur 17 ok asal tinggi", "di_bawah_umur", True),
    ("PT tolak karena adik baru 16 tahun", "di_bawah_umur", False),
    ("Om itu sudah 12 tahun di Sabah", "di_bawah_umur", False),
    ("Cleaning service rumah sakit di Riyadh lewat perusahaan, bukan rumah tangga", "prt_timur_tengah", False),
    ("Jaga ana di rumah orang di Kuwait", "prt_timur_tengah", True),
    ("Housekeeping hotel dan mall di Doha", "prt_timur_tengah", False),
    ("Program SPSK penata laksana rumah tangga ke Saudi lewat syarikah", "prt_timur_tengah", False),
    ("Hati-hati calo yang janji lulus asal bayar 15jt", "bayar_sebelum_berangkat", False),
    ("Pendaftaran gratis, tidak ada yang minta uang", "bayar_sebelum_berangkat", False),
    ("Pendaftaran gratis, tapi biaya medical 2 juta dibayar sendiri", "bayar_sebelum_berangkat", True),
    ("Sponsor su kasi mama uang sirih 1 juta", "bayar_sebelum_berangkat", False),
    ("Biaya proses 18 juta, bisa dicicil", "bayar_sebelum_berangkat", True),
    ("Biaya 30jt lunas sebelum terbang", "bayar_sebelum_berangkat", True),
    ("Nanti kontrak ditandatangani di Kupang sebelum berangkat", "kontrak_tertulis", True),
    ("Penandatanganan perjanjian kerja di LTSA hari Senin", "kontrak_tertulis", True),
    ("Lowongan kebun di Tawau, gaji RM 1.700", "jalur_transit", False),
    ("Naik kapal ke Nunukan lalu nyebrang ke Tawau", "jalur_transit", True),
    ("Kata ibu Maria di kantor itu, semua biaya ditanggung majikan", "perekrut_perorangan", False),
    ("Om Yos bilang bisa bawa adik ke Johor, apakah aman?", "perekrut_perorangan", True),
    ("Ada ibu2 dari kampung sebelah bilang bisa kerja di Johor", "perekrut_perorangan", True),
    ("Tapi HP harus dikasih ke mandor waktu kerja", "perekrut_perorangan", False),
    ("Kalau ragu, tanya dulu ke Disnaker kabupaten", "daftar_disnaker", False),
    ("Anak saya sudah daftar di Disnaker Sikka minggu lalu", "daftar_disnaker", True),
    ("Pastikan lewat PT yang resmi dan berizin", "pt_berizin", False),
    ("Kami sekeluarga liburan ke Bangkok pakai visa turis, tidak kerja", "visa_bukan_kerja", False),
    ("Masuk pakai visa turis, bilang saja mau liburan", "visa_bukan_kerja", True),
    ("Masuk pakai paspor biasa, dapat cap 1 bulan di perbatasan", "visa_bukan_kerja", True),
    ("Umur adik masih 16 tapi katanya boleh ikut", "di_bawah_umur", True),
    ("Waitress wanted, age 16+ welcome", "di_bawah_umur", True),
    ("The agent wants 6 million rupiah for the ticket first", "bayar_sebelum_berangkat", True),
    ("Jika ada orang yang meminta uang, laporkan ke BP3MI", "bayar_sebelum_berangkat", False),
    ("Kontrak sudah ditandatangani di Kupang. Gajinya jelas, tapi tidak ada tulisan soal asuransi.", "tanpa_kontrak",
     False),
    ("Kemarin kami baca kontrak kerja sama-sama di kantor PT di Kupang", "kontrak_tertulis", True),
    # round six (writers PA and PC): collateral and livestock as payment, a conditional "kalau tidak bayar" that is
    # no negation, ATM cards and phones kept, "age does not matter", thousands of a foreign currency, short-notice
    # departures, warnings that only mention a fast process
    ("Kalau belum ada uang, kasih saja satu ekor sapi untuk biaya jalan", "bayar_sebelum_berangkat", True),
    ("PT minta sertifikat tanah jadi jaminan sebelum anak kami berangkat", "bayar_sebelum_berangkat", True),
    ("Mandor minta 3,5 juta untuk uang proses, kalau tidak bayar sekarang kursinya diberikan ke orang lain",
     "bayar_sebelum_berangkat", True),
    ("Iuran BPJS Ketenagakerjaan dibayar di loket BPJS, tidak ada biaya lain", "bayar_sebelum_berangkat", False),
    ("Kartu ATM dan PIN dipegang agen di sana biar uang tidak habis", "dokumen_ditahan", True),
    ("Pspor km nnt sy smpn y, biar aman", "dokumen_ditahan", True),
    ("Passport & phone will be handled by HR for security", "dokumen_ditahan", True),
    ("PT minta kamu bawa paspor sendiri ke bandara, tidak ada yang ditahan", "dokumen_ditahan", False),
    ("Mereka cuma scan paspor, aslinya langsung dikembalikan hari itu juga", "dokumen_ditahan", False),
    ("Kumpulkan fotokopi KTP dan KK di kantor PT", "dokumen_ditahan", False),
    ("Syarat: umr tdk msalah, laki2 kuat", "di_bawah_umur", True),
    ("Recruiter bilang my little sister (16) can go if we change her birth date", "di_bawah_umur", True),
    ("Kaka bilang kalo umur 15 sonde bisa karja resmi, tunggu 18 dulu", "di_bawah_umur", False),
    ("Gaji RM8 ribu sebulan kerja kilang di Penang", "gaji_tidak_wajar", True),
    ("Caregiver Taiwan, salary NT$55k/month", "gaji_tidak_wajar", True),
    ("Part time packing di Tokyo ¥3,000 per hour", "gaji_tidak_wajar", True),
    ("Jaga kebun sayur di Brunei, gaji B$700", "gaji_tidak_wajar", False),
    ("Tukang las Korea gj ±3jt won (sdh lembur), wajib lulus EPS-TOPIK", "gaji_tidak_wajar", False),
    ("Transfer 4 juta ke saya, seminggu sudah terbang ke KL", "proses_kilat", True),
    ("Son usah sertifikat, besok pagi naik kapal di Tenau", "proses_kilat", True),
    ("Om su urus paspor deng tiket. Kamis ini terbang", "proses_kilat", True),
    ("Interview & berangkat dalam 3 days", "proses_kilat", True),
    ("Hati2 lowongan gaji tinggi tanpa tes, daftar resmi gratis di Disnaker", "proses_kilat", False),
], ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None)
def test_sign_rules_generalise(checker: Checker, text: str, sign: str, fires: bool) -> None:
    assert checker.rules is not None
    assert (sign in find_signs(checker.rules, text)) is fires


@pytest.mark.parametrize(("text", "millions"), [
    ("Gaji 15-25 JUTA/bulan", 25.0), ("Gaji 7,5jt", 7.5), ("Gaji SGD 3.500", 42.0), ("Biaya 35jt", 0.0),
    ("Gaji Rp 30.000.000", 30.0), ("Gaji dua puluh lima juta", 25.0), ("Gaji satu juta lima ratus", 1.5),
    ("Gaji 3jt/minggu", 12.0), ("Gaji 6 juta, libur sekali seminggu", 6.0), ("Gaji 200 ringgit satu hari", 18.2),
    ("Gaji RM 2.000-4.000", 14.0), ("Salary 2-3 juta won", 36.0), ("Biaya 20 juta, sisanya potong gaji", 0.0),
    ("Pay S$1.000 a month", 12.0), ("Gaji RM8 ribu sebulan", 28.0), ("gj 15rb HKD/bln", 30.0),
    ("Gaji ¥4.500 per jam", 93.6), ("Gaji B$700", 8.4), ("Gaji Rp 150rb/hari", 3.9),
], ids=["range", "decimal-comma", "currency-thousands", "fee-not-pay", "rupiah", "words", "words-short-tail",
        "per-week", "week-not-pay", "per-day", "currency-range", "millions-of-won", "fee-before-pay-word",
        "singapore-dollar", "ringgit-thousands-word", "thousands-before-currency", "yen-per-hour", "brunei-dollar",
        "rupiah-thousands-per-day"])
def test_pay_parsing(text: str, millions: float) -> None:
    assert monthly_pay_millions(prepare(text)) == pytest.approx(millions)


@pytest.mark.parametrize(("text", "age"), [("umur 15", 15), ("wanita 16-25 th", 16), ("usia 17 th ke atas", 17),
                                           ("gaji 15-25 juta", None), ("umr 16-30", 16)],
                         ids=["one", "range", "and-up", "not-age", "short-form"])
def test_youngest_age(text: str, age: int | None) -> None:
    assert youngest_age(text) == age


def test_company_names_in_an_offer() -> None:
    text = "Kami dr PT. Bina Karya Mandiri (P3MI resmi) buka lowongan; lewat pt nusa karya mandiri di Kupang"
    assert company_names(text) == ["PT BINA KARYA MANDIRI", "PT NUSA KARYA MANDIRI"]


def test_every_public_sign_id_is_in_the_rules(checker: Checker) -> None:
    assert checker.rules is not None
    assert [s.id for s in checker.rules.signs] == list(WARNING_IDS + GOOD_IDS)


def test_answers_update_the_verdict(checker: Checker) -> None:
    reply = checker.offer_reply("Lowongan pabrik di Malaysia lewat PT Bali Pesona Abadi, pelatihan di BLK. Hub kantor.")
    assert "Belum cukup informasi" in reply.text
    yes = next(b for row in reply.buttons for b in row if b.label == "Ya")
    after = checker.answer(yes.action.split(":", 1)[1])
    assert after is not None and "tanda bahaya" in after.text.lower()


def test_state_round_trips_and_rejects_forgery() -> None:
    state = OfferState(frozenset({"bpjs", "jalur_transit"}), (0, 2), (True, None), 1, 0)
    assert OfferState.decode(state.encode()) == state
    assert OfferState.decode("zz.1.y.00") is None and OfferState.decode("1.12.y.00") is None


def test_looks_like_offer() -> None:
    assert looks_like_offer("Dibutuhkan segera pekerja kebun sawit Malaysia, gaji RM 1.700, berangkat lewat Nunukan, "
                            "biaya proses 4 juta, hubungi Pak Yohanes sekarang juga ya")
    assert not looks_like_offer("syarat jadi pmi apa saja?")


def kawan(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          cwd=ROOT, timeout=60)


def test_cek_pt_json_contract() -> None:
    out = kawan("cek-pt", "--json", "pesona bali abadi")
    assert out.returncode == 0
    assert json.loads(out.stdout) == {"status": "found", "copy_date": "2026-09-17",
                                      "matches": [{"name": "PT. BALI PESONA ABADI", "licence": "9120308891125"}]}


def test_cek_tawaran_json_contract() -> None:
    offer = "Om bilang kerja di Kamboja, gaji 20 juta, kasi 3 juta dolo. Lewat PT Bali Pesona Abadi."
    out = kawan("cek-tawaran", "--json", "-", stdin=offer)
    data = json.loads(out.stdout)
    assert set(data) == {"warnings", "good", "companies", "verdict"} and data["verdict"] == "bahaya"
    assert {w["id"] for w in data["warnings"]} >= {"negara_bukan_penempatan", "bayar_sebelum_berangkat"}
    assert all(set(w) == {"id", "text"} and w["text"] for w in data["warnings"] + data["good"])
    assert data["companies"][0]["status"] == "found"


def test_p3mi_import_reports_changes(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge" / "cek"
    knowledge.mkdir(parents=True)
    (knowledge / "daftar_p3mi.csv").write_text("id,nama_lengkap,nomor_izin\n1,PT. A,123456\n2,PT. B,123457\n")
    new = tmp_path / "baru.csv"
    new.write_text("id,nama_lengkap,nomor_izin\n1,PT. A BARU,123456\n3,PT. C,123458\n")
    out = kawan("p3mi", "import", str(new), "--knowledge", str(tmp_path / "knowledge"))
    assert out.returncode == 0, out.stderr
    assert "Ditambah 1, dihapus 1, ganti nama 1" in out.stdout
    bad = tmp_path / "rusak.csv"
    bad.write_text("nama,izin\nPT X,1\n")
    out = kawan("p3mi", "import", str(bad), "--knowledge", str(tmp_path / "knowledge"))
    assert out.returncode == 1 and "baris judul" in out.stdout
    assert "PT. A BARU" in (knowledge / "daftar_p3mi.csv").read_text()
