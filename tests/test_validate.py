"""One test per validator rule, each with the exact Indonesian message admins will read.

Most rules are checked on a copy of the real data plus one synthetic topic, on the day the real data was last
checked, so re-checking a fact later never breaks them. The date rules (unreadable, future, stale) are checked on
synthetic data alone, on a fixed day.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date
from pathlib import Path

import pytest

from bot.content.validate import load_bundle, validate
from bot.errors import KnowledgeError
from tests.conftest import KNOWLEDGE

# The fixed day of the date-rule tests; the synthetic topic was checked 27 days before.
TODAY = date(2026, 11, 28)
# Generous enough that no real fact counts as stale: staleness of real data is not what these tests check.
NEVER_STALE = 100 * 366
TOPIC = """\
topics:
  - id: uji_topik
    group: prosedur
    title: "Topik uji"
    answer: |
      *Judul jawaban*
      Isi jawaban dengan [tautan](https://kp2mi.go.id).
      *Langkah berikutnya:* telepon 0800-1000.
    related: [syarat_pmi]
    sources:
      - title: "Sumber uji"
        url: "https://kp2mi.go.id"
    checked: "2026-11-01"
"""
EXAMPLES = "".join(f"      - contoh pertanyaan uji nomor {n} tentang zebra\n" for n in range(25))
INTENT = f'version: "3.1"\nnlu:\n  - intent: uji_topik\n    examples: |\n{EXAMPLES}'


def latest_date(folder: Path) -> date:
    """The latest YYYY-MM-DD date written in the folder's YAML files (checked dates, copy dates, any other)."""
    found: list[date] = []
    for path in folder.rglob("*.yaml"):
        for text in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", path.read_text(encoding="utf-8")):
            with contextlib.suppress(ValueError):
                found.append(date.fromisoformat(text))
    return max(found)


# The real data is never in the future on the latest day it mentions.
DATA_DAY = latest_date(KNOWLEDGE)


def write(data: tuple[Path, Path], topic: str, intent: str) -> tuple[Path, Path]:
    knowledge, intents = data
    (knowledge / "uji.yaml").write_text(topic, encoding="utf-8")
    (intents / "uji.yml").write_text(intent, encoding="utf-8")
    return knowledge, intents


def run(data: tuple[Path, Path], topic: str = TOPIC, intent: str = INTENT) -> list[str]:
    """Problems of the real data copy plus the synthetic topic, on the day the real data was last checked."""
    _, problems = validate(*write(data, topic, intent), DATA_DAY, NEVER_STALE)
    return [str(p) for p in problems]


@pytest.fixture
def synthetic(tmp_path: Path) -> tuple[Path, Path]:
    """Empty knowledge/ and intents/ folders: only the synthetic topic, so no real date takes part."""
    knowledge, intents = tmp_path / "knowledge", tmp_path / "intents"
    knowledge.mkdir()
    intents.mkdir()
    return knowledge, intents


def run_dated(data: tuple[Path, Path], topic: str = TOPIC, stale_days: int = 180) -> list[str]:
    """Problems of the synthetic topic alone, on the fixed day TODAY."""
    _, problems = validate(*write(data, topic, INTENT), TODAY, stale_days)
    return [str(p) for p in problems]


def test_base_case_is_clean(data_copy: tuple[Path, Path]) -> None:
    assert run(data_copy) == []


CASES = [
    ("broken_yaml", TOPIC.replace('title: "Topik uji"', 'title: "Topik uji'), INTENT,
     "knowledge/uji.yaml:4: GALAT: YAML rusak dan tidak bisa dibaca (tanda kutip yang dibuka di baris ini tidak "
     "ditutup di baris yang sama). "
     "Cara memperbaiki: periksa indentasi (pakai spasi, bukan tab), tanda titik dua, dan tanda kutip di baris ini "
     "atau baris sebelumnya."),
    ("duplicate_key", TOPIC.replace('    title: "Topik uji"\n', '    title: "Topik uji"\n    title: "Lagi"\n'), INTENT,
     "knowledge/uji.yaml:5: kolom 'title': GALAT: kunci 'title' ditulis dua kali; YAML diam-diam memakai yang terakhir. "
     "Cara memperbaiki: hapus atau ganti nama salah satunya."),
    ("unknown_field", TOPIC.replace("    related:", "    tautan: x\n    related:"), INTENT,
     "knowledge/uji.yaml:9: [uji_topik] kolom 'tautan': GALAT: kolom ini tidak dikenal. Cara memperbaiki: periksa "
     "ejaannya; kolom yang boleh: id, group, title, answer, details, related, sources, checked, emergency, "
     "card, show_sources."),
    ("missing_field", TOPIC.replace('    checked: "2026-11-01"\n', ""), INTENT,
     "knowledge/uji.yaml:2: [uji_topik] kolom 'checked': GALAT: kolom wajib ini tidak ada. Cara memperbaiki: tambahkan "
     "'checked: ...' di entri ini."),
    ("unquoted_number", TOPIC.replace('title: "Topik uji"', "title: 0700"), INTENT,
     "knowledge/uji.yaml:4: [uji_topik] kolom 'title': GALAT: nilai 0700 dibaca YAML sebagai angka (448), bukan teks; "
     "nomor telepon atau angka berawalan 0 bisa berubah. Cara memperbaiki: beri tanda kutip, misalnya title: \"0700\"."),
    ("unquoted_time", TOPIC.replace('title: "Topik uji"', "title: 10:30"), INTENT,
     "knowledge/uji.yaml:4: [uji_topik] kolom 'title': GALAT: nilai 10:30 dibaca YAML sebagai angka (630), bukan teks; "
     "nomor telepon atau angka berawalan 0 bisa berubah. Cara memperbaiki: beri tanda kutip, misalnya title: \"10:30\"."),
    ("yes_no_becomes_bool", TOPIC.replace('title: "Topik uji"', "title: no"), INTENT,
     "knowledge/uji.yaml:4: [uji_topik] kolom 'title': GALAT: nilainya dibaca YAML sebagai False (kata seperti "
     "no/yes/off jadi true/false). Cara memperbaiki: beri tanda kutip, misalnya title: \"teks\"."),
    ("empty_answer", TOPIC.replace("    answer: |\n      *Judul jawaban*\n      Isi jawaban dengan [tautan]"
                                   "(https://kp2mi.go.id).\n      *Langkah berikutnya:* telepon 0800-1000.\n",
                                   '    answer: "  "\n'), INTENT,
     "knowledge/uji.yaml:5: [uji_topik] kolom 'answer': GALAT: jawaban kosong. Cara memperbaiki: tulis jawaban di "
     "bawah 'answer: |'."),
    ("answer_too_long", TOPIC.replace("      Isi jawaban", "      " + "panjang " * 200 + "\n      Isi jawaban"), INTENT,
     "knowledge/uji.yaml:5: [uji_topik] kolom 'answer': GALAT: jawaban terlalu panjang (1708 karakter, maksimal 1500). "
     "Cara memperbaiki: ringkas jawaban atau pecah menjadi topik terkait."),
    ("first_screen_too_long", TOPIC.replace("      Isi jawaban", "      " + "panjang " * 80 + "\n      Isi jawaban"),
     INTENT,
     "knowledge/uji.yaml:5: [uji_topik] kolom 'answer': PERINGATAN: bagian pertama jawaban 742 karakter, lebih dari "
     "satu layar HP (600). Cara memperbaiki: sisakan inti dan *Langkah berikutnya:* di 'answer', pindahkan rincian ke "
     "'details'."),
    ("empty_details", TOPIC.replace("    related:", '    details: " "\n    related:'), INTENT,
     "knowledge/uji.yaml:9: [uji_topik] kolom 'details': GALAT: rincian kosong. Cara memperbaiki: tulis rinciannya, "
     "atau hapus baris 'details'."),
    ("details_too_long", TOPIC.replace("    related:", "    details: |\n      " + "rinci " * 520 + "\n    related:"),
     INTENT,
     "knowledge/uji.yaml:9: [uji_topik] kolom 'details': GALAT: rincian terlalu panjang (3121 karakter, maksimal "
     "2500). Cara memperbaiki: ringkas rincian atau pecah menjadi topik terkait."),
    ("unbalanced_bold_in_details", TOPIC.replace("    related:", "    details: |\n      *Rincian\n    related:"), INTENT,
     "knowledge/uji.yaml:10: [uji_topik] kolom 'details': GALAT: tanda * tidak berpasangan. Cara memperbaiki: tulis "
     "teks tebal sebagai *teks* (satu bintang di awal dan di akhir, dalam satu baris)."),
    ("unbalanced_bold", TOPIC.replace("*Judul jawaban*", "*Judul jawaban"), INTENT,
     "knowledge/uji.yaml:6: [uji_topik] kolom 'answer': GALAT: tanda * tidak berpasangan. Cara memperbaiki: tulis teks "
     "tebal sebagai *teks* (satu bintang di awal dan di akhir, dalam satu baris)."),
    ("html_in_answer", TOPIC.replace("*Judul jawaban*", "<b>Judul jawaban</b>"), INTENT,
     "knowledge/uji.yaml:6: [uji_topik] kolom 'answer': GALAT: ada tag HTML di jawaban. Cara memperbaiki: hapus tag "
     "seperti <b>; pakai *teks* untuk tebal dan [teks](https://...) untuk tautan."),
    ("broken_link", TOPIC.replace("[tautan](https://kp2mi.go.id)", "[tautan] (kp2mi.go.id)"), INTENT,
     "knowledge/uji.yaml:7: [uji_topik] kolom 'answer': GALAT: tautan tidak lengkap. Cara memperbaiki: tulis tautan "
     "sebagai [teks](https://alamat) tanpa spasi di dalam alamat."),
    ("bad_id", TOPIC.replace("id: uji_topik", "id: Uji-Topik"), INTENT.replace("uji_topik", "Uji-Topik"),
     "knowledge/uji.yaml:2: [Uji-Topik] kolom 'id': GALAT: id 'Uji-Topik' tidak sah. Cara memperbaiki: pakai huruf "
     "kecil, angka dan garis bawah saja (contoh: paspor_visa), diawali huruf, maksimal 40 karakter."),
    ("duplicate_id", TOPIC.replace("id: uji_topik", "id: syarat_pmi"), INTENT.replace("uji_topik", "syarat_pmi"),
     "knowledge/uji.yaml:2: [syarat_pmi] kolom 'id': GALAT: id 'syarat_pmi' sudah dipakai di knowledge/prosedur.yaml:2. "
     "Cara memperbaiki: setiap topik perlu id yang unik; ganti salah satunya."),
    ("unknown_group", TOPIC.replace("group: prosedur", "group: lain"), INTENT,
     "knowledge/uji.yaml:3: [uji_topik] kolom 'group': GALAT: kelompok 'lain' tidak ada di knowledge/groups.yaml. "
     "Cara memperbaiki: pakai salah satu: prosedur, kontak, bahaya, luar_negeri, komunitas."),
    ("unknown_related", TOPIC.replace("related: [syarat_pmi]", "related: [syarat_pmi, tidak_ada]"), INTENT,
     "knowledge/uji.yaml:2: [uji_topik] kolom 'related': GALAT: topik terkait 'tidak_ada' tidak ada. Cara memperbaiki: "
     "tulis id topik lain yang ada, atau hapus dari related."),
    ("self_related", TOPIC.replace("related: [syarat_pmi]", "related: [uji_topik]"), INTENT,
     "knowledge/uji.yaml:2: [uji_topik] kolom 'related': GALAT: topik terkait 'uji_topik' menunjuk dirinya sendiri. "
     "Cara memperbaiki: tulis id topik lain yang ada, atau hapus dari related."),
    ("no_sources", TOPIC.replace('    sources:\n      - title: "Sumber uji"\n        url: "https://kp2mi.go.id"\n',
                                 "    sources: []\n"), INTENT,
     "knowledge/uji.yaml:10: [uji_topik] kolom 'sources': GALAT: tidak ada sumber. Cara memperbaiki: tambahkan minimal "
     "satu sumber dengan 'title' dan 'url'."),
    ("bad_source_url", TOPIC.replace('url: "https://kp2mi.go.id"', 'url: "kp2mi.go.id"'), INTENT,
     "knowledge/uji.yaml:12: [uji_topik] kolom 'sources': GALAT: alamat sumber tidak valid: 'kp2mi.go.id'. Cara "
     "memperbaiki: tulis alamat lengkap yang diawali https://."),
    ("title_too_long", TOPIC.replace('title: "Topik uji"', 'title: "' + "Judul yang sangat panjang sekali" + '"'), INTENT,
     "knowledge/uji.yaml:4: [uji_topik] kolom 'title': GALAT: judul terlalu panjang (32 karakter, maksimal 30). Cara "
     "memperbaiki: pendekkan judul agar muat di tombol ponsel."),
    ("wrong_shape", "- id: uji_topik\n", INTENT,
     "knowledge/uji.yaml:1: kolom 'topics': GALAT: berkas harus diawali 'topics:' berisi daftar entri. Cara memperbaiki: "
     "lihat contoh di berkas lain; tulis 'topics:' lalu entri yang diawali '- id: ...'."),
    ("intent_without_answer", TOPIC, INTENT + "  - intent: topik_hantu\n    examples: |\n      - pertanyaan hantu\n",
     "intents/uji.yml:30: [topik_hantu] kolom 'intent': GALAT: intent 'topik_hantu' tidak punya jawaban di knowledge/. "
     "Cara memperbaiki: tulis topik dengan id yang sama di knowledge/, atau perbaiki nama intent."),
    ("answer_without_intent", TOPIC, 'version: "3.1"\nnlu: []\n',
     "intents: [uji_topik] kolom 'intent': GALAT: topik 'uji_topik' punya jawaban tetapi tidak punya contoh pertanyaan. "
     "Cara memperbaiki: tambahkan '- intent: uji_topik' dengan contoh di salah satu berkas intents/."),
    ("example_in_two_intents", TOPIC, INTENT + "  - intent: out_of_scope\n    examples: |\n"
     "      - contoh pertanyaan uji nomor 3 tentang zebra\n",
     "intents/uji.yml:32: [out_of_scope] kolom 'examples': GALAT: contoh 'contoh pertanyaan uji nomor 3 tentang zebra' "
     "juga ada di intent 'uji_topik' (intents/uji.yml:8). Cara memperbaiki: satu contoh hanya boleh di satu intent; "
     "hapus atau ubah salah satunya."),
    ("missing_version", TOPIC, INTENT.replace('version: "3.1"\n', 'version: 3.1\n'),
     "intents/uji.yml:1: kolom 'version': GALAT: versi format Rasa harus \"3.1\" (dengan tanda kutip). Cara memperbaiki: "
     "tulis version: \"3.1\" di baris pertama."),
    ("example_line_without_dash", TOPIC, INTENT + "      contoh tanpa tanda\n",
     "intents/uji.yml:30: [uji_topik] kolom 'examples': GALAT: baris contoh harus diawali '- ': 'contoh tanpa tanda'. "
     "Cara memperbaiki: tambahkan '- ' di depan contoh ini."),
    ("lexicon_conflict", TOPIC, INTENT + "  - synonym: tidak\n    examples: |\n      - zzq\n"
     "  - synonym: saya\n    examples: |\n      - zzq\n",
     "intents/uji.yml:35: [saya] kolom 'examples': GALAT: 'zzq' sudah dipetakan ke 'tidak' di intents/uji.yml:32. Cara "
     "memperbaiki: satu kata hanya boleh punya satu arti baku; hapus salah satunya."),
    ("lexicon_drops_negation", TOPIC, INTENT + "  - synonym: baik\n    examples: |\n      - gak papa\n",
     "intents/uji.yml:32: [baik] kolom 'examples': GALAT: 'gak papa' dipetakan ke 'baik' sehingga kata negasi hilang. "
     "Cara memperbaiki: kamus tidak boleh membuang kata negasi, kata tanya, atau kata bahaya; hapus baris ini atau "
     "pertahankan kata itu dalam arti bakunya."),
    ("lexicon_drops_question_word", TOPIC, INTENT + "  - synonym: harga\n    examples: |\n      - berapa harganya\n",
     "intents/uji.yml:32: [harga] kolom 'examples': GALAT: 'berapa harganya' dipetakan ke 'harga' sehingga kata tanya "
     "hilang. Cara memperbaiki: kamus tidak boleh membuang kata negasi, kata tanya, atau kata bahaya; hapus baris ini "
     "atau pertahankan kata itu dalam arti bakunya."),
    ("lexicon_drops_danger_word", TOPIC, INTENT + "  - synonym: dimarahi\n    examples: |\n      - dipukuli\n",
     "intents/uji.yml:32: [dimarahi] kolom 'examples': GALAT: 'dipukuli' dipetakan ke 'dimarahi' sehingga kata bahaya "
     "hilang. Cara memperbaiki: kamus tidak boleh membuang kata negasi, kata tanya, atau kata bahaya; hapus baris ini "
     "atau pertahankan kata itu dalam arti bakunya."),
]


@pytest.mark.parametrize(("topic", "intent", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule_message(data_copy: tuple[Path, Path], topic: str, intent: str, expected: str) -> None:
    assert expected in run(data_copy, topic, intent)


def test_a_source_may_name_its_outlet_without_a_link(data_copy: tuple[Path, Path]) -> None:
    topic = TOPIC.replace('        url: "https://kp2mi.go.id"\n', '')
    assert run(data_copy, topic) == []
    knowledge, intents = data_copy
    source = load_bundle(knowledge, intents, DATA_DAY).knowledge.topics["uji_topik"].sources[0]
    assert (source.title, source.url) == ("Sumber uji", "")


# Synthetic data on the fixed day TODAY: only the rule decides, never the calendar or the real data.
DATE_CASES = [
    ("bad_date", TOPIC.replace('checked: "2026-11-01"', 'checked: "1 November 2026"'),
     "knowledge/uji.yaml:13: [uji_topik] kolom 'checked': GALAT: tanggal '1 November 2026' tidak bisa dibaca. Cara "
     "memperbaiki: tulis tanggal sebagai \"TTTT-BB-HH\", misalnya \"2026-11-28\"."),
    ("future_date", TOPIC.replace('checked: "2026-11-01"', 'checked: "2027-01-01"'),
     "knowledge/uji.yaml:13: [uji_topik] kolom 'checked': GALAT: tanggal 2027-01-01 ada di masa depan. Cara "
     "memperbaiki: tulis tanggal fakta terakhir diperiksa (hari ini atau sebelumnya)."),
]


@pytest.mark.parametrize(("topic", "expected"), [c[1:] for c in DATE_CASES], ids=[c[0] for c in DATE_CASES])
def test_date_rule_message(synthetic: tuple[Path, Path], topic: str, expected: str) -> None:
    assert expected in run_dated(synthetic, topic)


def test_required_topic_missing(data_copy: tuple[Path, Path]) -> None:
    knowledge, _ = data_copy
    path = knowledge / "komunitas.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("id: tentang_bot", "id: tentang_bot_lama"), encoding="utf-8")
    problems = run(data_copy)
    assert ("knowledge: [tentang_bot] kolom 'id': GALAT: topik wajib 'tentang_bot' tidak ada; tautan, Rasa dan "
            "statistik memakai id ini. Cara memperbaiki: tambahkan kembali topik dengan id ini.") in problems


def test_stale_fact_is_a_warning_not_an_error(synthetic: tuple[Path, Path]) -> None:
    problems = run_dated(synthetic, stale_days=10)
    expected = ("knowledge/uji.yaml:13: [uji_topik] kolom 'checked': PERINGATAN: fakta terakhir diperiksa 2026-11-01, "
                "lebih dari 10 hari lalu. Cara memperbaiki: periksa ulang fakta dan nomor di sumbernya, lalu perbarui "
                "tanggal.")
    assert expected in problems


def test_stale_facts_do_not_stop_loading(data_copy: tuple[Path, Path]) -> None:
    bundle, problems = validate(*write(data_copy, TOPIC, INTENT), DATA_DAY, 10)
    assert any("lebih dari 10 hari lalu" in str(p) for p in problems)
    assert bundle is not None and [p for p in problems if p.is_error] == []


def test_few_examples_is_a_warning(data_copy: tuple[Path, Path]) -> None:
    intent = 'version: "3.1"\nnlu:\n  - intent: uji_topik\n    examples: |\n      - satu-satunya contoh zebra\n'
    assert ("intents/uji.yml:3: [uji_topik] kolom 'examples': PERINGATAN: hanya 1 contoh pertanyaan (disarankan minimal "
            "25). Cara memperbaiki: tambahkan contoh yang beragam: bahasa sehari-hari, singkatan SMS, logat Kupang."
            ) in run(data_copy, intent=intent)


def test_every_problem_reported_at_once(data_copy: tuple[Path, Path]) -> None:
    broken = TOPIC.replace("group: prosedur", "group: lain").replace('url: "https://kp2mi.go.id"', 'url: "x"')
    problems = run(data_copy, broken, INTENT + "      tanpa tanda\n")
    assert len(problems) >= 3


def test_loading_refuses_a_broken_kb_with_the_message(data_copy: tuple[Path, Path]) -> None:
    knowledge, intents = data_copy
    (knowledge / "uji.yaml").write_text(TOPIC.replace("group: prosedur", "group: lain"), encoding="utf-8")
    (intents / "uji.yml").write_text(INTENT, encoding="utf-8")
    with pytest.raises(KnowledgeError) as caught:
        load_bundle(knowledge, intents, DATA_DAY)
    assert any("kelompok 'lain' tidak ada" in str(p) for p in caught.value.problems)


def test_a_related_topic_with_its_own_errors_is_not_reported_missing(data_copy: tuple[Path, Path]) -> None:
    # syarat_pmi is referred to by many topics; breaking its title must give one error, not one per reference.
    knowledge, _ = data_copy
    path = next(p for p in knowledge.glob("*.yaml") if "id: syarat_pmi\n" in p.read_text(encoding="utf-8"))
    text = path.read_text(encoding="utf-8")
    start = text.index("id: syarat_pmi\n")
    title = text.index("title:", start)
    end = text.index("\n", title)
    path.write_text(text[:title] + "title: 0700" + text[end:], encoding="utf-8")
    problems = run(data_copy)
    assert [p for p in problems if "GALAT" in p] == [p for p in problems if "[syarat_pmi] kolom 'title'" in p]
    assert len(problems) == 1


def test_a_missing_topic_file_is_named_first_instead_of_every_reference(data_copy: tuple[Path, Path]) -> None:
    knowledge, intents = data_copy
    (knowledge / "kontak.yaml").unlink()
    _, found = validate(knowledge, intents, DATA_DAY, NEVER_STALE)
    errors = [str(p) for p in found if p.is_error]
    assert "tidak punya topik satu pun" in errors[0] and "kontak.yaml" in errors[0]
    assert len(errors) <= 3 and not any("topik terkait" in e for e in errors)


@pytest.mark.parametrize(("text", "line", "words"), [
    ('a:\n  b: "buka\n  c: "tutup"\n  d: 1\n', 2, "tanda kutip yang dibuka di baris ini tidak ditutup"),
    ('a:\n\tb: 1\n', 2, "ada karakter tab"),
    ('a: b: c\n', 1, "titik dua (:) di tempat yang salah"),
    ('a: [1, 2\nb: 3\n', 2, "daftar [ ... ] tidak ditutup"),
], ids=["unclosed-quote", "tab", "colon", "open-list"])
def test_broken_yaml_names_the_line_in_indonesian(text: str, line: int, words: str) -> None:
    from bot.content.yaml_source import load_yaml_text

    data, issues = load_yaml_text(text)
    assert data is None and len(issues) == 1
    assert issues[0].line == line and words in issues[0].detail
    assert not any(english in issues[0].detail for english in ("expected", "found", "while"))
