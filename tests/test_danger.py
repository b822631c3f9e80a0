"""The danger detector, pinned: phrases that must and must not fire, negation scope, context, place and cards."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from bot.core.conversation import Engine
from bot.core.danger import ABROAD, INDONESIA, forms, skeleton
from bot.core.normalize import basic_tokens

ROOT = Path(__file__).resolve().parent.parent

# Written for these tests (not taken from benchmarks/sets/); each row names the signal it must fire.
MUST_FIRE = [
    ("pasif", "tadi malam saya ditendang bos di dapur", "kekerasan.pasif"),
    ("aktif_kupang", "bos tampeleng beta di dapur", "kekerasan.pelaku_memukul"),
    ("aktif_korban", "tadi cekik aku semalam", "kekerasan.memukul_korban"),
    ("kena_pukul", "beta kena pukul lai", "kekerasan.pasif"),
    ("siram", "nyonya siram saya pakai air mendidih", "kekerasan.memukul_korban"),
    ("english_hit", "my madam hits me when i am slow", "kekerasan.pasif"),
    ("dikurung", "saya disekap di ruko", "kurungan.dikurung"),
    ("kunci_korban", "mandor kunci kami di barak", "kurungan.mengunci_korban"),
    ("gembok", "pintu depan selalu digembok", "kurungan.dikurung"),
    ("tidak_boleh_keluar", "saya tidak dikasih keluar dari mess", "kurungan.tidak_boleh_keluar"),
    ("sms_keluar", "sy gk blh plg", "kurungan.tidak_boleh_keluar"),
    ("locked_in", "we are locked in a room", "kurungan.dikurung"),
    ("hp_disita", "hp saya disita mandor", "kurungan.hp_diambil"),
    ("raba", "anak majikan suka raba raba saya", "seksual.perkosa"),
    ("layani_tamu", "saya disuruh temani tamu laki laki", "seksual.layani_tamu"),
    ("ancam", "agen ancam saya", "ancaman.diancam"),
    ("lapor_polisi", "bos bilang mau lapor saya ke polisi", "ancaman.lapor_polisi"),
    ("makan", "sudah tiga hari tidak dikasih makan", "makanan.tidak_dikasih_makan"),
    ("dipaksa", "saya dipaksa kerja tanpa libur", "kerja_paksa.dipaksa"),
    ("scam", "kami disuruh kerja di kantor scam", "kerja_paksa.scam"),
    ("utang", "utang saya terus ditambah agen", "utang.jerat_utang"),
    ("dijual", "saya mau dijual ke bos lain", "dijual.dijual"),
    ("jual_aktif", "mereka jual saya ke orang", "dijual.dijual"),
    ("sembunyi", "saya sembunyi di gereja", "kabur.sembunyi"),
    ("tolong", "tolong saya", "minta_tolong.tolong_saya"),
    ("help", "help", "minta_tolong.tolong_saya"),
    ("help-me-please", "help me please", "minta_tolong.tolong_saya"),
    ("help-me-end", "i am in Ipoh, help me", "minta_tolong.tolong_saya"),
    ("lunasi-sebelum-pulang", "agensi bilang saya wajib melunasi 25 juta sebelum diizinkan pulang", "utang.jerat_utang"),
    ("bayar-dulu-baru-pulang", "bos suruh bayar 30 juta dulu baru boleh pulang", "utang.jerat_utang"),
    ("takut", "saya takut sekali", "minta_tolong.takut"),
    ("tersesat", "saya tidak tahu ini di mana", "tersesat.tidak_tahu_di_mana"),
    ("anak", "keponakan saya umur 13 dibawa orang kerja", "anak.dibawa_kerja"),
    ("bunuh_diri", "rasanya saya mau bunuh diri", "bunuh_diri.ingin_mati"),
    ("melukai_diri", "saya sudah minum racun", "bunuh_diri.melukai_diri"),
    ("kata_benda_penyiksaan", "kakak saya mengalami penyiksaan di rumah majikan", "kekerasan.mengalami"),
    ("kata_benda_korban", "beta jadi korban penganiayaan mandor", "kekerasan.mengalami"),
    ("sms_tanpa_vokal", "majikan pkl sy", "kekerasan.pelaku_memukul"),
    # SMS "sp" is "siapa" as often as "surat peringatan": only "sp1" and "peringatan" make a threat a work matter
    ("sp_siapa", "sy diancam bos td mlm, hrs lapor sp", "ancaman.diancam"),
    # round six: SMS drops the "i" of the passive prefix; Kupang/English verbs; handing a person on; self-harm idioms
    ("sms_d_pasif", "sy dkunci di gudang dr smlm", "kurungan.dikunci"),
    ("tinju", "tuan tinju beta tadi malam", "kekerasan.memukul_korban"),
    ("grab", "the boss grabs my breast when i clean", "seksual.pegang_pegang"),
    ("dioper", "sy dioper k bos lain tnp izin", "dijual.dijual"),
    ("passed_on", "they passed me to a new agent like goods", "dijual.dijual"),
    ("pills", "maybe better if i am gone. already have the pills", "bunuh_diri.melukai_diri"),
]

MUST_NOT_FIRE = [
    ("help-my-cousin", "i want to help my cousin choose a good agency"),
    ("help-me-understand", "help me understand the placement fee"),
    ("bayar-tiket-sebelum-pulang", "saya harus bayar tiket sendiri sebelum pulang ya?"),
    ("negasi_langsung", "saya tidak dipukul, cuma gaji telat"),
    ("negasi_jauh", "majikan saya tidak pernah sekalipun pukul saya"),
    ("negasi_english", "my madam never hits me"),
    ("negasi_nobody", "nobody locks us in, we go out every sunday"),
    ("negasi_doesnt", "she doesnt beat me, she is kind"),
    ("ancam_sp1", "saya diancam dapat SP1 kalau telat lagi"),
    ("keluar_negeri", "umur 19 sudah boleh keluar negeri?"),
    ("jual_tanah", "om jual tanah buat ongkos"),
    ("ternak_milik_bapa_dijual", "sapi bapa su dijual untuk ongkos berangkat, aman ko?"),  # issue 9: a cow, not a person
    ("jual_motor", "saya mau jual saya punya motor"),
    ("tolong_jelaskan", "tolong jelaskan syarat paspor"),
    ("tolong_pinjam", "tolong pinjamin pulsa dulu"),
    ("akun_terkunci", "akun email saya terkunci"),
    ("hujan", "kami terkurung hujan di sekolah"),
    ("konsep", "apa itu perbudakan modern?"),
    ("konsep_termasuk", "apakah potong gaji termasuk kerja paksa?"),
    ("sos_konsep", "sos itu singkatan apa?"),
    ("pengandaian", "kalau nanti majikan kurung saya, lapor ke mana?"),
    ("berita", "di berita ada pekerja disekap agen"),
    ("lampau_aman", "dulu saya pernah dikurung, sekarang sudah aman"),
    ("canda", "mama mau pukul beta kalau telat pulang haha"),
    ("darurat_bpjs", "nomor keadaan darurat bpjs berapa?"),
    ("kontrak", "kontrak belum selesai, tidak boleh pulang cuti ya?"),
    ("jam", "mandor datang pukul 5 pagi"),
    ("english_any", "which agency is good, any tips?"),  # "any" is not an SMS spelling of "aniaya"
    ("kata_benda_konsep", "apa itu pelecehan seksual di tempat kerja?"),
    ("kata_benda_andai", "kalau mengalami kekerasan dari majikan, lapor ke mana?"),
    # round six: things sold, accounts and suitcases locked, waiting, films, stories that are over
    ("sold_motorbike", "we sold my motorbike to pay the training center"),
    ("email_locked", "my email account is locked after too many password tries"),
    ("koper_dikunci", "koper saya dikunci tapi kuncinya hilang"),
    ("forced_to_wait", "aku forced to wait 3 bulan buat visa"),
    ("film", "habis nonton sinetron soal TKW disiksa, jadi kepikiran"),
    ("back_in_home_now", "back in 2018 i was locked in by my employer but i came home and i am fine now"),
    ("rescued", "last year kakak aku sempat dikurung di penampungan, tapi sudah diselamatkan"),
]


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_dirs(ROOT / "knowledge", ROOT / "intents")


@pytest.mark.parametrize(("text", "signal"), [(t, s) for _, t, s in MUST_FIRE], ids=[i for i, _, _ in MUST_FIRE])
def test_phrase_fires_its_signal(engine: Engine, text: str, signal: str) -> None:
    found = engine.danger.detect(text)
    assert found is not None and found.signal == signal, found


@pytest.mark.parametrize("text", [t for _, t in MUST_NOT_FIRE], ids=[i for i, _ in MUST_NOT_FIRE])
def test_phrase_does_not_fire(engine: Engine, text: str) -> None:
    assert engine.danger.detect(text) is None


def test_negation_reaches_only_its_own_clause(engine: Engine) -> None:
    assert engine.danger.detect("saya tidak pernah dipukul") is None
    assert engine.danger.detect("saya tidak tahu harus bagaimana, majikan pukul saya") is not None
    assert engine.danger.detect("gaji tidak dibayar tapi saya dipukul") is not None


def test_the_end_of_a_long_message_is_read(engine: Engine) -> None:
    padding = "Saya mau cerita soal kebun dan cuaca di kampung. " * 80  # far past normalize.MAX_CHARS
    assert len(padding) > 3000
    found = engine.danger.detect(padding + "Sekarang saya dikunci di gudang.")
    assert found is not None and found.category == "kurungan"


@pytest.mark.parametrize(("text", "where"), [
    ("saya di johor, majikan pukul saya", ABROAD),
    ("saya dari kupang, sekarang di penang dan disekap", ABROAD),
    ("saya di batam disekap di penampungan", INDONESIA),
    ("majikan pukul saya", None),
], ids=["malaysia", "asal_bukan_lokasi", "indonesia", "tidak_disebut"])
def test_where_the_person_is(engine: Engine, text: str, where: str | None) -> None:
    found = engine.danger.detect(text)
    assert found is not None and found.where == where


@pytest.mark.parametrize(("text", "card"), [
    ("saya di sabah, majikan pukul saya", "darurat_luar_negeri"),
    ("saya di surabaya dan dipukul mandor", "darurat_indonesia"),
    ("adik saya dikurung majikan di taiwan", "darurat_keluarga"),
    ("anak saya umur 15 dibawa calo kerja", "darurat_anak"),
    ("saya mau bunuh diri", "darurat_jiwa"),
    ("majikan pukul saya", "darurat"),
], ids=["luar_negeri", "indonesia", "keluarga", "anak", "bunuh_diri", "tidak_tahu"])
def test_the_card_fits_the_person(engine: Engine, text: str, card: str) -> None:
    reply = engine.respond(text)
    assert reply.emergency and reply.kind == "emergency" and reply.topic == card and reply.signal


def test_unknown_place_asks_with_three_buttons_under_the_numbers(engine: Engine) -> None:
    reply = engine.respond("majikan pukul saya")
    actions = [b.action for row in reply.buttons for b in row]
    assert actions[:3] == ["darurat:luar_negeri", "darurat:indonesia", "darurat:keluarga"]
    for number in ("999", "110", "129", "+62 812 9007 0027"):
        assert number in reply.text
    for action, card in zip(actions[:3], ("darurat_luar_negeri", "darurat_indonesia", "darurat_keluarga"), strict=True):
        pressed = engine.handle(action)
        assert pressed.topic == card and pressed.emergency


def test_self_harm_reply_is_gentle(engine: Engine) -> None:
    reply = engine.respond("aku pengen mati aja")
    assert "119 ext. 8" in reply.text and "110" in reply.text
    assert "melawan" not in reply.text.lower()


def test_minor_card_puts_sapa_first(engine: Engine) -> None:
    text = engine.respond("adik sy umur 14 dibawa orang ke medan").text
    assert text.index("129") < text.index("110")


def test_clarify_with_danger_among_choices_shows_the_numbers(engine: Engine) -> None:
    for text in ("darurat paspor", "bahaya paspor", "paspor ditahan darurat"):
        reply = engine.respond(text)
        if reply.kind == "clarify" and "darurat" in (reply.topic, *reply.alternatives):
            assert "110" in reply.text and "999" in reply.text
    assert "110" in engine.respond("zzz qqq").text  # fallback always carries the numbers


# Found by a QA tester on main (not in benchmarks/sets/); each pins a general rule, not the sentence.
QA_CARDS = [
    ("akhiri_hidup", "saya ingin mengakhiri hidup", "darurat_jiwa"),
    ("akhiri_hidup_saja", "mau akhiri hidup saja", "darurat_jiwa"),
    ("bundir", "sy mau bundir", "darurat_jiwa"),
    ("loncat_lantai", "mau loncat dari lantai atas saja", "darurat_jiwa"),
    ("potong_tangan", "saya potong tangan saya sendiri", "darurat_jiwa"),
    ("tidak_sanggup_hidup", "saya sudah tidak sanggup hidup", "darurat_jiwa"),
    ("kupang_dong_jual", "adik beta dong jual ke malaysia", "darurat_keluarga"),
    ("sms_tanpa_vokal", "sy kna pkl mjkn", "darurat"),
    ("makan_angka", "saya lapar, tidak dikasih makan 3 hari", "darurat"),
    ("ancam_bunuh_keluarga", "agen bilang kalau saya lari dia bunuh keluarga saya", "darurat"),
    ("sapaan_koma", "kaka, beta dikunci di kamar", "darurat"),
    ("sapaan_ibu", "ibu, saya disekap di penampungan", "darurat"),
    ("sapaan_setelah_tolong", "tolong kaka beta takut sekali", "darurat"),
    ("kerabat_lapor", "mama bilang adik dijual om ke kalimantan", "darurat_keluarga"),
    ("kerabat_dia", "adik sa hilang su 2 bulan, terakhir dia bilang dia dipukul", "darurat_keluarga"),
    ("kerabat_milik", "saya khawatir, adik saya dipukul majikan", "darurat_keluarga"),
    ("sapaan_bukan_kerabat", "kak saya dipukul", "darurat"),
]

QA_CALM = [
    ("mati_ketawa", "saya mau mati ketawa baca ini"),
    ("tidak_ingin_bunuh_diri", "saya tidak ingin bunuh diri, cuma mau tanya"),
    ("kabur_dari_orang_tua", "saya kabur dari rumah karena mau kerja ke malaysia tapi orang tua tidak izinkan"),
    ("negasi_polos", "saya tidak dipukul majikan, majikan baik"),
    ("pukul_benda", "dia pukul meja waktu marah, normal ka?"),
    ("keluar_kerja", "saya mau keluar dari pekerjaan sekarang, bisa?"),
    ("ancam_pecat", "saya diancam dipecat kalau tidak lembur, itu boleh?"),
]


@pytest.mark.parametrize(("text", "card"), [(t, c) for _, t, c in QA_CARDS], ids=[i for i, _, _ in QA_CARDS])
def test_qa_messages_get_the_card_that_fits(engine: Engine, text: str, card: str) -> None:
    reply = engine.respond(text)
    assert reply.emergency and reply.topic == card, (reply.kind, reply.topic)


@pytest.mark.parametrize("text", [t for _, t in QA_CALM], ids=[i for i, _ in QA_CALM])
def test_qa_messages_raise_no_alarm(engine: Engine, text: str) -> None:
    assert engine.danger.detect(text) is None
    assert not engine.respond(text).emergency


def test_vocative_is_not_the_person_harmed(engine: Engine) -> None:
    for text in ("kaka, beta dikunci di kamar", "ibu, saya disekap di penampungan", "tolong kaka beta takut sekali"):
        found = engine.danger.detect(text)
        assert found is not None and not found.family
    found = engine.danger.detect("ibu saya disekap di penampungan")
    assert found is not None and found.family


def test_sms_spelling_without_vowels() -> None:
    assert skeleton("pukul") == "pkl" and skeleton("majikan") == "mjkn"


def test_a_time_of_day_is_not_a_blow_but_a_count_of_days_is_hunger(engine: Engine) -> None:
    assert engine.danger.detect("mandor datang pkl 5 pagi") is None
    assert engine.danger.detect("sudah 3 hari tidak dikasih makan 2 kali") is not None


@pytest.mark.parametrize(("token", "reading"), [
    ("dipukuli", ("pukul", "pasif")), ("memukul", ("pukul", "aktif")), ("mukul", ("pukul", "aktif")),
    ("menyiksa", ("siksa", "aktif")), ("terkunci", ("kunci", "pasif")), ("kunciin", ("kunci", "aktif")),
    ("locked", ("lock", "pasif")),
])
def test_verb_forms(token: str, reading: tuple[str, str]) -> None:
    assert reading in forms(token)


def _key(text: str) -> str:
    return " ".join(basic_tokens(text))


def test_no_danger_set_sentence_is_in_the_training_data() -> None:
    # Frozen evaluation sentences (dev and test) must never leak into what the bot learns from.
    items = yaml.safe_load((ROOT / "benchmarks" / "sets" / "danger.yml").read_text(encoding="utf-8"))["messages"]
    held = {_key(item["text"]) for item in items}
    held_words = [set(k.split()) for k in held if len(k.split()) >= 5]
    leaks = []  # file and line only: printing the line could show a held-out test sentence
    for path in sorted((ROOT / "intents").glob("*.yml")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip().startswith("- "):
                continue
            key = _key(line.strip()[2:])
            words = set(key.split())
            near = len(words) >= 5 and any(len(words & h) / len(words | h) >= 0.8 for h in held_words)
            if key in held or near:
                leaks.append(f"{path.name}:{number}")
    assert leaks == []
