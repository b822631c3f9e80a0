"""`kawan p3mi import`: replace the dated copy of the P3MI list and report what changed."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from datetime import date
from pathlib import Path

from bot.cli.common import settings_for
from bot.content.p3mi_list import CSV_FILE, FOLDER, META_FILE, compare, read_csv_text
from bot.errors import KawanError

SHOWN = 10


def register(commands: argparse._SubParsersAction) -> None:
    parser = commands.add_parser("p3mi", help="kelola salinan daftar P3MI berizin (knowledge/cek/)")
    actions = parser.add_subparsers(dest="p3mi_action", metavar="AKSI", parser_class=type(parser))
    importer = actions.add_parser("import", help="ganti salinan dengan CSV baru dan laporkan perubahannya")
    importer.add_argument("file", metavar="BERKAS.csv", type=Path, help="CSV dengan kolom id,nama_lengkap,nomor_izin")
    importer.add_argument("--knowledge", metavar="FOLDER", type=Path, help="folder jawaban (bawaan: knowledge/)")
    importer.set_defaults(handler=run_import)


def _listing(title: str, lines: list[str]) -> list[str]:
    if not lines:
        return []
    more = [f"  ... dan {len(lines) - SHOWN} lagi"] if len(lines) > SHOWN else []
    return [f"{title}:"] + [f"  {line}" for line in lines[:SHOWN]] + more


def run_import(args: argparse.Namespace, env: Mapping[str, str]) -> int:
    settings = settings_for(args, env)
    if not args.file.is_file():
        raise KawanError(f"berkas {args.file} tidak ada.")
    try:
        text = args.file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise KawanError(f"berkas {args.file} bukan teks UTF-8; simpan ulang sebagai CSV UTF-8.") from None
    new, problems = read_csv_text(text, args.file.name)
    errors = [p for p in problems if p.is_error]
    if errors:
        for problem in errors:
            print(f"- {problem}")
        raise KawanError(f"salinan baru tidak dipakai: {len(errors)} galat. Salinan lama tetap dipakai.")
    target = settings.knowledge_dir / FOLDER / CSV_FILE
    old = read_csv_text(target.read_text(encoding="utf-8"), CSV_FILE)[0] if target.is_file() else []
    changes = compare(old, new)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
    lines = [f"Salinan daftar P3MI diganti: {len(old)} -> {len(new)} perusahaan.",
             f"Ditambah {len(changes.added)}, dihapus {len(changes.removed)}, ganti nama {len(changes.renamed)}, "
             f"ganti nomor izin {len(changes.licence_changed)}."]
    lines += _listing("Ditambah", [f"{c.id} {c.name}" for c in changes.added])
    lines += _listing("Dihapus", [f"{c.id} {c.name}" for c in changes.removed])
    lines += _listing("Ganti nama", [f"{a.id} {a.name} -> {b.name}" for a, b in changes.renamed])
    lines += _listing("Ganti nomor izin", [f"{a.id} {a.name}: {a.licence or '-'} -> {b.licence or '-'}"
                                           for a, b in changes.licence_changed])
    lines += [f"Peringatan: {p}" for p in problems if not p.is_error]
    lines.append(f"Perbarui copy_date dan checked di {settings.knowledge_dir.name}/{FOLDER}/{META_FILE} "
                 f"(hari ini {date.today().isoformat()}), lalu jalankan 'kawan validate'.")
    print("\n".join(lines))
    return 0
