"""Cek tawaran's learned part: the two signs it helps, how it joins the rules, and its labelled offers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from bot.content.offer_rules import OfferExample, OfferRules, read_offer_examples
from bot.content.validate import load_bundle
from bot.core import offer_model
from bot.core.offer_check import RULES_ONLY, find_signs, learned_model, rule_signs
from bot.core.offer_model import LEARNED_SIGNS, OfferModel, SignModel, features, fit
from tests.conftest import ROOT


@pytest.fixture(scope="module")
def rules() -> OfferRules:
    bundle = load_bundle(ROOT / "knowledge", ROOT / "intents")
    assert bundle.offer_rules is not None
    return bundle.offer_rules


# Written for these tests (not taken from any benchmark set): what an individual recruiter sounds like, and
# what only looks like one (warnings about calo, a company's own staff as contact, a victim's relative).
@pytest.mark.parametrize(("text", "fires"), [
    ("Halo dik, sy Marta, sy bantu urus kerja ke Sarawak, semua beres", True),
    ("Aku Yohana agen TKW Singapura, kerja sendiri tanpa kantor", True),
    ("Ikut aku saja ke Kuching, tiket aku tanggung dulu", True),
    ("Beta pung tamang su di Sabah, dia bilang bos mau terima lai", True),
    ("Mandor sawit dari Keningau cari 10 orang, dia yg atur semua", True),
    ("Ini agen pribadi, bukan PT, jadi prosesnya cepat", True),
    ("Kerja restoran di Johor, gaji lumayan. Minat hub kk Lina", True),
    ("Lowongan pabrik Penang, berangkat cepat. WA me: Kak Dewi", True),
    ("Sy bs urus smua dr paspor sampai tiket, tinggal siap berangkat", True),
    ("Kalau ada om-om tawar kerja ke Malaysia, jangan ikut", False),
    ("Laporkan calo yang datang ke desa ke kantor Disnakertrans", False),
    ("CP: Ibu Veronika (staf PT) 0812-xxxx", False),
    ("Sy dari agen resmi PT Cahaya Timur, kantor di Kupang", False),
    ("Sepupu saya dapat tawaran kerja pabrik di Malaysia, aman atau tidak?", False),
    ("PT Karya Sasando buka lowongan pabrik Taiwan. Info: WA admin kantor 0812-xxxx", False),
    ("Sy Bu Yuli, petugas PT Nusa Timur Mandiri, berkas diserahkan di kantor cabang saja", False),
    ("Selamat siang, sy Kak Rosa dr bagian rekrutmen PT Lontar Jaya, jadwal medical hari Senin", False),
], ids=["self-introduced", "agent-without-office", "follow-me", "friend-kupang", "foreman", "private-not-pt",
        "contact-kk", "wa-me-kak", "arranges-everything", "warning", "report-calo", "company-staff",
        "licensed-agent", "relative-victim", "office-admin", "company-officer", "recruitment-department"])
def test_perekrut_perorangan_table(rules: OfferRules, text: str, fires: bool) -> None:
    assert ("perekrut_perorangan" in find_signs(rules, text)) is fires


# The hard cases of the labelling guideline above perekrut_perorangan in knowledge/cek/tanda_tawaran.yaml
# (invented for these tests): who recruits or arranges the departure, an office or a person on his own?
@pytest.mark.parametrize(("text", "fires"), [
    ("Sy Pak Niko, petugas lapangan PT Sumber Harapan Timor, sy catat nama adik2 yg mau ke Sabah dan kumpul KTP "
     "di rumah kepala dusun", True),
    ("PL dari PT Flores Mandiri keliling desa kumpulkan KTP, uang daftar 500 ribu langsung ke dia", True),
    ("Staf PT Karya Timur bilang transfer saja 2 juta ke rekening pribadi dia, tidak usah ke kantor", True),
    ("Om Simon yang urus semua, nanti masuk lewat PT Bintang Laut, kita tinggal siap badan", True),
    ("Kakak sudah di Kuching, majikan kakak mau ambil satu lagi. Datang saja, nanti kakak yang jemput di Entikong",
     True),
    ("Bos kebun di Tawau cari orang lewat FB, dia sendiri yang rekrut, tiket dia yang bayar", True),
    ("Selamat pagi, saya Ibu Fransiska, staf rekrutmen PT Sasando Jaya Abadi. Silakan daftar dulu di Disnaker "
     "kabupaten, lalu bawa berkas ke kantor kami di Kupang", False),
    ("Saya petugas PT Lontar Karya, datang dengan surat tugas. Pendaftaran di Disnaker dulu, baru ke kantor, kami "
     "tidak terima uang di kampung", False),
    ("Om saya hanya kasih info ada lowongan di PT Timor Sejahtera, dia suruh saya daftar sendiri di LTSA Kupang",
     False),
    ("Kemarin tanta antar saya ke kantor Disnaker untuk daftar SIAPkerja, lalu saya pilih PT sendiri", False),
    ("Hubungi kantor PT Mitra Flobamora, CP Ibu Agnes (bagian pendaftaran), datang langsung ke kantor", False),
], ids=["field-agent-collects", "pl-takes-money", "staff-personal-account", "arranges-all-names-pt",
        "relative-abroad-arranges", "employer-recruits-directly", "named-staff-office", "officer-informs-only",
        "relative-passes-info", "relative-accompanies-to-office", "office-contact-person"])
def test_perekrut_perorangan_guideline(rules: OfferRules, text: str, fires: bool) -> None:
    assert ("perekrut_perorangan" in find_signs(rules, text)) is fires


@pytest.mark.parametrize(("text", "fires"), [
    ("Kontraknya dipegang kantor, kamu tidak perlu pegang", True),
    ("Kontrak kerja diurus setelah tiba di Kuala Lumpur", True),
    ("Kontrak tanda tangan di Malaysia depan majikan", True),
    ("Gaji cuma dijanjikan secara lisan, son ada kertas apa-apa", True),
    ("No need contract, boss baik", True),
    ("Contract nya full Arabic only, just sign", True),
    ("Tidak dikasih salinan kontrak sama sekali", True),
    ("Kontrak tdk usah, nanti bos yang jamin gaji", True),
    ("Kontrak kerja ditandatangani di Kupang sebelum berangkat, bahasa Indonesia", False),
    ("Kontrak sdh ttd, bhs Indo-Inggris, ada salinan", False),
    ("Perjanjian kerja ditandatangani di hadapan petugas Disnakertrans", False),
    ("Kontrak ttd d LTSA Kupang", False),
    ("Perjanjian kerja sudah ibu tandatangani di kantor cabang, salinannya ibu simpan", False),
    ("Contract udah sign di office Kupang, ada versi Bahasa Indonesia", False),
], ids=["kept-by-office", "after-arrival", "signed-abroad", "spoken-only", "no-need-english", "foreign-only",
        "no-copy", "no-need-abbreviated", "signed-at-home", "signed-bilingual", "signed-at-disnaker",
        "signed-at-ltsa", "signed-tandatangani", "signed-english-mixed"])
def test_tanpa_kontrak_table(rules: OfferRules, text: str, fires: bool) -> None:
    assert ("tanpa_kontrak" in find_signs(rules, text)) is fires


def test_the_learned_part_is_used(rules: OfferRules) -> None:
    """A sign the rules cannot see is added when the model is sure, and only then."""
    text = "xq zv"  # no rule matches text like this
    sure = OfferModel({"perekrut_perorangan": SignModel({f: 50.0 for f in features(text)}, 0.0)},
                      {"perekrut_perorangan": 0.6})
    assert rule_signs(rules, text) == set()
    assert find_signs(rules, text, sure) == ["perekrut_perorangan"]
    assert find_signs(rules, text, RULES_ONLY) == []
    # the real model is trained from knowledge/cek/contoh_tawaran/ and covers the learned signs
    assert set(learned_model(rules).signs) == set(LEARNED_SIGNS)


def test_the_rules_veto_the_model_where_they_read_the_opposite(rules: OfferRules) -> None:
    text = "Kontrak kerja ditandatangani di Kupang sebelum berangkat"
    sure = OfferModel({"tanpa_kontrak": SignModel({f: 50.0 for f in features(text)}, 0.0)}, {"tanpa_kontrak": 0.4})
    assert "kontrak_tertulis" in rule_signs(rules, text)
    assert "tanpa_kontrak" not in find_signs(rules, text, sure)


def test_the_model_drops_rule_hits_it_is_nearly_sure_are_wrong(rules: OfferRules) -> None:
    """A rule hit stays unless the model scores it below the sign's floor; without a model the rules stand."""
    text = "Hub kak Lina untuk info lowongan"
    assert "perekrut_perorangan" in rule_signs(rules, text)
    vector = features(text)
    doubtful = OfferModel({"perekrut_perorangan": SignModel({f: -50.0 for f in vector}, 0.0)},
                          {"perekrut_perorangan": 0.7}, {"perekrut_perorangan": 0.15})
    unsure = OfferModel({"perekrut_perorangan": SignModel({}, 0.0)},  # probability 0.5: above the floor
                        {"perekrut_perorangan": 0.7}, {"perekrut_perorangan": 0.15})
    assert "perekrut_perorangan" not in find_signs(rules, text, doubtful)
    assert "perekrut_perorangan" in find_signs(rules, text, unsure)
    assert "perekrut_perorangan" in find_signs(rules, text, RULES_ONLY)


def test_the_model_is_deterministic(rules: OfferRules, tmp_path: Path) -> None:
    """The same labelled offers give the same weights, fitted again or read back from the cache."""
    examples = rules.examples[:80]
    first, second = fit(examples), fit(examples)
    assert first.signs == second.signs
    offer_model.model_for.cache_clear()
    built = offer_model.model_for(examples, tmp_path)
    offer_model.model_for.cache_clear()
    offer_model.index_cache._MEMORY.clear()
    read_back = offer_model.model_for(examples, tmp_path)
    assert list(tmp_path.glob("*offer-*.marshal"))
    text = "Om Frans bilang kontrak nanti di sana saja"
    assert built.scores(text) == read_back.scores(text) == first.scores(text)


def test_labelled_offers_are_read_and_checked(tmp_path: Path) -> None:
    folder = tmp_path / "knowledge" / "cek" / "contoh_tawaran"
    folder.mkdir(parents=True)
    (folder / "a.yml").write_text(
        "offers:\n"
        "  - text: Om bilang kontrak nanti\n    warnings: [perekrut_perorangan, tanpa_kontrak]\n    good: []\n"
        "  - text: Lowongan resmi\n    warnings: [tanda_palsu]\n    good: [pt_berizin]\n"
        "  - warnings: []\n", encoding="utf-8")
    examples, problems = read_offer_examples(tmp_path / "knowledge")
    assert examples[0] == OfferExample("Om bilang kontrak nanti", frozenset({"perekrut_perorangan", "tanpa_kontrak"}))
    assert [(p.line, p.field, p.message) for p in problems] == [
        (6, "warnings", "tanda ['tanda_palsu'] tidak dikenal."),
        (8, "text", "contoh tawaran tanpa teks."),
    ]


def test_the_real_labelled_offers_cover_the_learned_signs(rules: OfferRules) -> None:
    for sign in LEARNED_SIGNS:
        assert sum(sign in e.signs for e in rules.examples) >= 30
    assert replace(rules, examples=()).examples == ()
