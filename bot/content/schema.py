"""Declarative field checks shared by the knowledge and training readers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.content.yaml_source import LineDict, YamlIssue
from bot.problems import Problem, Severity

TYPE_NAMES = {str: "teks", list: "daftar", bool: "true/false", date: "tanggal", dict: "pasangan kunci: nilai"}


@dataclass(kw_only=True, frozen=True)
class Where:
    """Where an entry stands: file shown to admins and the entry's id."""

    path: str
    entry: str = ""

    def problem(self, line: int, field: str, message: str, fix: str, severity: Severity = "galat") -> Problem:
        return Problem(path=self.path, line=line, entry=self.entry, field=field, message=message, fix=fix,
                       severity=severity)


def yaml_problems(path: str, issues: list[YamlIssue]) -> list[Problem]:
    """Turn YAML reader issues into admin-facing problems."""
    out = []
    for issue in issues:
        if issue.kind == "duplicate":
            out.append(Problem(path=path, line=issue.line, entry="", field=issue.detail,
                               message=f"kunci '{issue.detail}' ditulis dua kali; YAML diam-diam memakai yang terakhir.",
                               fix="hapus atau ganti nama salah satunya."))
        elif issue.kind == "file":
            out.append(Problem(path=path, line=0, entry="", field="", message=f"berkas tidak bisa dibaca: {issue.detail}.",
                               fix="ganti dengan berkas teks YAML biasa, atau hapus berkas ini dari folder."))
        else:
            out.append(Problem(path=path, line=issue.line, entry="", field="",
                               message=f"YAML rusak dan tidak bisa dibaca ({issue.detail}).",
                               fix="periksa indentasi (pakai spasi, bukan tab), tanda titik dua, dan tanda kutip "
                                   "di baris ini atau baris sebelumnya."))
    return out


def check_type(where: Where, data: LineDict, key: str, expected: type) -> bool:
    """True when data[key] has the expected type; else records why not."""
    value = data[key]
    if expected is date and isinstance(value, str):
        return True  # parsed later, with its own message
    return bool(isinstance(value, expected) and not (expected is not bool and isinstance(value, bool)))


def type_problem(where: Where, data: LineDict, key: str, expected: type) -> Problem:
    value: Any = data[key]
    line = data.key_lines.get(key, data.line)
    if expected is str and isinstance(value, (int, float)) and not isinstance(value, bool):
        # The hint shows what the admin wrote, not the number YAML made of it.
        written = data.raw_values.get(key, str(value))
        return where.problem(line, key,
                             f"nilai {written} dibaca YAML sebagai angka ({value!r}), bukan teks; nomor telepon atau "
                             "angka berawalan 0 bisa berubah.",
                             f'beri tanda kutip, misalnya {key}: "{written}".')
    if expected is str and isinstance(value, bool):
        return where.problem(line, key,
                             f"nilainya dibaca YAML sebagai {value} (kata seperti no/yes/off jadi true/false).",
                             f'beri tanda kutip, misalnya {key}: "teks".')
    if value is None:
        return where.problem(line, key, "kolom ini kosong.", "isi kolom ini atau hapus baris kolomnya.")
    return where.problem(line, key, f"harus berupa {TYPE_NAMES[expected]}, bukan {type(value).__name__}.",
                         f"ubah nilai '{key}' menjadi {TYPE_NAMES[expected]}.")


def check_fields(where: Where, data: LineDict, fields: dict[str, type], required: set[str]) -> list[Problem]:
    """Unknown, missing and wrongly typed fields of one mapping."""
    out = []
    for key in data:
        if key not in fields:
            allowed = ", ".join(fields)
            out.append(where.problem(data.key_lines.get(key, data.line), key, "kolom ini tidak dikenal.",
                                     f"periksa ejaannya; kolom yang boleh: {allowed}."))
        elif not check_type(where, data, key, fields[key]):
            out.append(type_problem(where, data, key, fields[key]))
    for key in sorted(required - set(data)):
        out.append(where.problem(data.line, key, "kolom wajib ini tidak ada.", f"tambahkan '{key}: ...' di entri ini."))
    return out


def parse_date(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            return None
    return None
