"""The dated copy of the licensed recruitment companies (P3MI) list: read, checked and compared."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.content.knowledge import SOURCE_FIELDS, Source
from bot.content.schema import Where, check_fields, parse_date, yaml_problems
from bot.content.yaml_source import LineDict, load_yaml_file
from bot.problems import Problem

FOLDER = "cek"
CSV_FILE = "daftar_p3mi.csv"
META_FILE = "daftar_p3mi.yaml"
COLUMNS = ("id", "nama_lengkap", "nomor_izin")
META_FIELDS: dict[str, type] = {"copy_date": date, "checked": date, "sources": list}
ID_PATTERN = re.compile(r"^\d{1,12}$")
LICENCE_PATTERN = re.compile(r"^\d{6,24}$")



def _problem(path: str, line: int, entry: str, field: str, message: str, fix: str) -> Problem:
    return Problem(path=path, line=line, entry=entry, field=field, message=message, fix=fix)

@dataclass(frozen=True)
class Company:
    """One row of the copy: SISKOP2MI's id, the full name as listed, and the licence number (may be empty)."""

    id: str
    name: str
    licence: str


@dataclass(frozen=True)
class P3miList:
    companies: tuple[Company, ...]
    copy_date: date
    sources: tuple[Source, ...]


@dataclass(frozen=True)
class ListChanges:
    """What a new copy changes: by SISKOP2MI id, a different name under the same id is a rename."""

    added: tuple[Company, ...]
    removed: tuple[Company, ...]
    renamed: tuple[tuple[Company, Company], ...]
    licence_changed: tuple[tuple[Company, Company], ...]


def read_csv_text(text: str, shown: str) -> tuple[list[Company], list[Problem]]:
    """Rows of a P3MI CSV, and every problem: header, empty or malformed cells, duplicate ids and names."""
    where = Where(path=shown)
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    if not rows or tuple(c.strip() for c in rows[0]) != COLUMNS:
        found = ", ".join(rows[0]) if rows else "(kosong)"
        return [], [where.problem(1, "", f"baris judul harus '{','.join(COLUMNS)}', bukan '{found}'.",
                                  "pakai CSV dengan tiga kolom itu, dalam urutan itu.")]
    companies: list[Company] = []
    problems: list[Problem] = []
    ids: dict[str, int] = {}
    names: dict[str, int] = {}
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(COLUMNS):
            problems.append(where.problem(line, "", f"baris berisi {len(row)} kolom, seharusnya {len(COLUMNS)}.",
                                          "periksa koma di dalam nama; nama yang berisi koma harus diberi tanda kutip."))
            continue
        company_id, name, licence = (cell.strip() for cell in row)
        row_where = Where(path=shown, entry=company_id)
        if not ID_PATTERN.match(company_id):
            problems.append(row_where.problem(line, "id", f"id {company_id!r} bukan angka.", "salin id dari SISKOP2MI."))
            continue
        if not name:
            problems.append(row_where.problem(line, "nama_lengkap", "nama perusahaan kosong.", "isi nama lengkapnya."))
            continue
        if licence and not LICENCE_PATTERN.match(licence):
            problems.append(row_where.problem(line, "nomor_izin", f"nomor izin {licence!r} bukan deretan angka.",
                                              "salin nomor izin dari SISKOP2MI, atau kosongkan bila tidak ada."))
        if company_id in ids:
            problems.append(row_where.problem(line, "id", f"id {company_id} sudah dipakai di baris {ids[company_id]}.",
                                              "hapus baris ganda; setiap perusahaan satu baris."))
            continue
        # The same name under two ids is how SISKOP2MI itself lists a few companies: kept, matched as one.
        key = (company_id, " ".join(name.upper().replace(".", " ").split()))
        ids[company_id] = line
        names.setdefault(" ".join(key), line)
        companies.append(Company(company_id, name, licence))
    if not companies and not problems:
        problems.append(where.problem(1, "", "daftar tidak berisi perusahaan.", "pakai salinan yang lengkap."))
    return companies, problems


def _read_meta(path: Path, shown: str, today: date) -> tuple[date | None, tuple[Source, ...], list[Problem]]:
    where = Where(path=shown)
    if not path.is_file():
        return None, (), [where.problem(0, "", "berkas keterangan salinan daftar P3MI tidak ada.",
                                        "buat berkas ini dengan copy_date, checked dan sources.")]
    data, issues = load_yaml_file(path)
    problems = yaml_problems(shown, issues)
    if not isinstance(data, LineDict):
        if data is not None or not issues:
            problems.append(where.problem(1, "", "berkas harus berisi copy_date, checked dan sources.",
                                          "lihat contoh di panduan admin."))
        return None, (), problems
    problems += check_fields(where, data, META_FIELDS, set(META_FIELDS))
    dates: dict[str, date] = {}
    for key in ("copy_date", "checked"):
        if key not in data or any(p.field == key for p in problems):
            continue
        value = parse_date(data[key])
        line = data.key_lines[key]
        if value is None:
            problems.append(where.problem(line, key, f"tanggal {data[key]!r} tidak bisa dibaca.",
                                          "tulis tanggal sebagai \"TTTT-BB-HH\", misalnya \"2026-09-17\"."))
        elif value > today:
            problems.append(where.problem(line, key, f"tanggal {value.isoformat()} ada di masa depan.",
                                          "tulis tanggal yang sudah lewat (hari ini atau sebelumnya)."))
        else:
            dates[key] = value
    if "copy_date" in dates and "checked" in dates and dates["checked"] < dates["copy_date"]:
        problems.append(where.problem(data.key_lines["checked"], "checked",
                                      "tanggal diperiksa lebih awal dari tanggal salinan.",
                                      "perbarui checked ke tanggal Anda memeriksa salinan ini."))
    sources: list[Source] = []
    raw = data.get("sources")
    if isinstance(raw, list) and not any(p.field == "sources" for p in problems):
        if not raw:
            problems.append(where.problem(data.key_lines["sources"], "sources", "tidak ada sumber.",
                                          "tambahkan minimal satu sumber dengan 'title' dan 'url'."))
        for item in raw:
            if not isinstance(item, LineDict):
                problems.append(where.problem(data.key_lines["sources"], "sources", "sumber harus berisi 'title' dan 'url'.",
                                              "tulis '- title: ...' lalu 'url: https://...'."))
                continue
            found = check_fields(where, item, SOURCE_FIELDS, set(SOURCE_FIELDS))
            problems += found
            if not found:
                sources.append(Source(title=item["title"], url=item["url"]))
    return dates.get("copy_date"), tuple(sources), problems


def read_p3mi(knowledge_dir: Path, today: date) -> tuple[P3miList | None, list[Problem]]:
    """The copy under knowledge/cek/, or None with the problems that stop it from being used."""
    folder = knowledge_dir / FOLDER
    csv_path = folder / CSV_FILE
    shown_csv = f"{knowledge_dir.name}/{FOLDER}/{CSV_FILE}"
    copy_date, sources, problems = _read_meta(folder / META_FILE, f"{knowledge_dir.name}/{FOLDER}/{META_FILE}", today)
    if not csv_path.is_file():
        problems.append(_problem(shown_csv, 0, "", "", "salinan daftar P3MI tidak ada.",
                                "jalankan 'kawan p3mi import BERKAS.csv' dengan salinan terbaru."))
        return None, problems
    try:
        text = csv_path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return None, [*problems, _problem(shown_csv, 0, "", "", f"bukan teks UTF-8 ({exc.reason}).",
                                         "simpan CSV sebagai UTF-8.")]
    companies, found = read_csv_text(text, shown_csv)
    problems += found
    if copy_date is None or any(p.is_error for p in problems):
        return None, problems
    return P3miList(tuple(companies), copy_date, sources), problems


def compare(old: list[Company] | tuple[Company, ...], new: list[Company] | tuple[Company, ...]) -> ListChanges:
    """Added, removed and renamed companies between two copies, matched by SISKOP2MI id."""
    before = {c.id: c for c in old}
    after = {c.id: c for c in new}
    return ListChanges(
        added=tuple(c for i, c in after.items() if i not in before),
        removed=tuple(c for i, c in before.items() if i not in after),
        renamed=tuple((before[i], c) for i, c in after.items() if i in before and before[i].name != c.name),
        licence_changed=tuple((before[i], c) for i, c in after.items()
                              if i in before and before[i].licence != c.licence),
    )
