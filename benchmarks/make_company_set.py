"""Make the frozen Cek PT set: misspelt queries for listed companies plus names that are not on the list.

Run once; the output benchmarks/sets/companies.yml is committed and must not be regenerated to tune.
Queries are made with a fixed seed, so the file is reproducible from the copy dated 17-09-2026.
"""

from __future__ import annotations

import hashlib
import random
from pathlib import Path

import yaml

from bot.content.p3mi_list import read_csv_text
from bot.core.company_check import name_key

ROOT = Path(__file__).resolve().parent.parent
LIST = ROOT / "knowledge" / "cek" / "daftar_p3mi.csv"
OUT = Path(__file__).resolve().parent / "sets" / "companies.yml"
SEED = 20260917
ON_LIST = 240

# Plausible Indonesian-style recruitment company names, written for this set; checked below not to be listed.
NOT_ON_LIST = """
PT Sumber Rejeki Abadi; PT Bina Karya Mandiri; PT Mitra Sejahtera Global; PT Karya Anugerah Bersama;
PT Samudra Biru Nusantara; PT Nusantara Kerja Sejahtera; PT Global Digital Asia; PT Eropa Jaya Abadi;
PT Tunas Harapan Bangsa; PT Mitra Karya Timur; PT Anugerah Insan Mandiri; PT Borneo Karya Utama;
PT Amanah Jaya Sentosa; PT Karya Bakti Nusantara; PT Mitra Sehat Mandiri; PT Global Sukses Digital;
PT Cahaya Mitra Sejahtera; PT Sinar Harapan Timur; PT Anugerah Kasih Nusantara; PT Bintang Timur Jaya;
PT Samudra Jaya Bahari; PT Duta Anugerah Sejahtera; PT Timor Jaya Perkasa; PT Surya Karya Flobamora;
PT Lautan Rezeki Nusantara; PT Kebun Hijau Mandiri; PT Flobamora Tenaga Mandiri; PT Sumba Karya Sejati;
PT Kupang Mitra Abadi; PT Cendana Putra Perkasa; PT Komodo Jaya Lestari; PT Sasando Insan Mulia;
PT Rote Samudra Indah; PT Lembata Karya Utama; PT Alor Bahari Sentosa; PT Ende Lio Mandiri;
PT Nusa Bunga Sejahtera; PT Flores Timur Jaya; PT Belu Perbatasan Abadi; PT Malaka Sinar Harapan;
PT Matahari Terbit Mandiri; PT Pelangi Karya Nusa; PT Rajawali Sakti Utama; PT Garuda Emas Persada;
PT Bunga Tanjung Sejati; PT Melati Putih Sentosa; PT Anggrek Bulan Jaya; PT Kenanga Harum Abadi;
PT Permata Hati Bersama; PT Intan Berlian Perkasa; PT Mutiara Timur Raya; PT Zamrud Khatulistiwa Karya;
PT Teratai Mas Sejahtera; PT Bahtera Kasih Mandiri; PT Dermaga Biru Nusantara; PT Jembatan Emas Internasional;
PT Cakrawala Tenaga Prima; PT Horizon Karya Global; PT Sentosa Makmur Selalu; PT Makmur Jaya Bersaudara;
PT Berkah Amanah Sejahtera; PT Barokah Insani Mulia; PT Rahmat Ilahi Mandiri; PT Hikmah Karya Bersama;
PT Cipta Kerja Migran; PT Tenaga Muda Perkasa; PT Pekerja Cemerlang Abadi; PT Harapan Baru Sentosa;
PT Sejahtera Bersama Kita; PT Maju Terus Pantang Mundur; PT Kerja Nyata Mandiri; PT Abdi Negeri Sejahtera;
PT Putra Putri Timor; PT Anak Bangsa Perkasa; PT Generasi Emas Migran; PT Insan Cita Karya;
PT Mega Karya Kupang; PT Prima Tenaga Flores; PT Surya Gemilang Sumba; PT Citra Lestari Nusa;
PT Wahana Karya Sejati; PT Graha Mitra Utama; PT Dharma Bakti Tenaga; PT Sinar Pagi Abadi;
PT Angin Timur Bahari; PT Ombak Biru Samudera; PT Karang Laut Jaya; PT Pulau Seribu Karya;
PT Lintas Benua Mandiri; PT Jaya Raya Transindo; PT Delta Migran Sejahtera; PT Omega Tenaga Mandiri;
PT Alfa Karya Persada; PT Beta Insan Perkasa; PT Sigma Mitra Abadi; PT Kasih Bunda Sejahtera;
PT Tangan Emas Bersatu; PT Langkah Pasti Migran; PT Jalan Terang Sejahtera; PT Pintu Rezeki Utama
"""

FILLERS = ("{q}", "{q}", "{q}", "cek {q}", "{q} resmi ka?", "{q} resmi ko?", "apakah {q} berizin?",
           "tolong cek {q}", "{q} terdaftar ga", "cek PT {q} resmi atau tidak")
NEIGHBOURS = {"a": "sq", "i": "uo", "u": "yi", "e": "wr", "o": "ip", "n": "bm", "m": "n", "r": "et", "s": "ad",
              "t": "ry", "k": "jl", "h": "gj", "d": "sf", "j": "hk", "g": "fh", "l": "k", "p": "o", "b": "vn"}


def typo(word: str, rng: random.Random) -> str:
    """One realistic slip: a dropped, doubled, swapped or neighbouring letter, or an SMS-style dropped vowel."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "double", "swap", "neighbour", "vowel"))
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "neighbour" and word[i] in NEIGHBOURS:
        return word[:i] + rng.choice(NEIGHBOURS[word[i]]) + word[i + 1:]
    vowels = [j for j in range(1, len(word) - 1) if word[j] in "aeiou"]
    if vowels:
        j = rng.choice(vowels)
        return word[:j] + word[j + 1:]
    return word


def misspell(name: str, rng: random.Random) -> tuple[str, str]:
    """A query as someone might type a listed name, and the variation used."""
    words = name_key(name).split()
    kinds = []
    if len(words) > 1 and rng.random() < 0.25:
        rng.shuffle(words)
        kinds.append("urutan")
    n_typos = rng.choice((0, 1, 1, 1, 2))
    for _ in range(n_typos):
        k = rng.randrange(len(words))
        words[k] = typo(words[k], rng)
    if n_typos:
        kinds.append(f"salah_ketik_{n_typos}")
    if len(words) > 2 and rng.random() < 0.1:
        k = rng.randrange(len(words) - 1)
        words[k:k + 2] = [words[k] + words[k + 1]]
        kinds.append("gabung")
    prefix = rng.choice(("PT ", "PT. ", "pt ", "pt.", "", ""))
    if not prefix:
        kinds.append("tanpa_pt")
    text = prefix + " ".join(words)
    text = rng.choice((text.upper(), text.lower(), text.title(), text))
    text = rng.choice(FILLERS).format(q=text)
    return text, "+".join(kinds) or "persis"


def split_of(text: str) -> str:
    return "dev" if int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "test"


def main() -> None:
    companies, _ = read_csv_text(LIST.read_text(encoding="utf-8"), LIST.name)
    listed = {name_key(c.name) for c in companies}
    rng = random.Random(SEED)
    items = []
    for company in rng.sample(companies, ON_LIST):
        query, kind = misspell(company.name, rng)
        items.append({"query": query, "expected": company.id, "variation": kind, "split": split_of(query)})
    negatives = [n.strip() for n in NOT_ON_LIST.replace("\n", " ").split(";") if n.strip()]
    assert len(negatives) == 100, len(negatives)
    clash = [n for n in negatives if name_key(n) in listed]
    assert not clash, f"on the list: {clash}"
    for name in negatives:
        items.append({"query": name, "expected": None, "variation": "tidak_terdaftar", "split": split_of(name)})
    header = ("# Frozen Cek PT set: misspelt queries for companies in the 17-09-2026 copy (expected = SISKOP2MI id)\n"
              "# and 100 names not on it (expected: null). Made by benchmarks/make_company_set.py (seed "
              f"{SEED}); do not edit.\n# Tune thresholds on split: dev only.\n")
    OUT.write_text(header + yaml.safe_dump({"queries": items}, allow_unicode=True, sort_keys=False, width=200),
                   encoding="utf-8")
    print(OUT, len(items))


if __name__ == "__main__":
    main()
