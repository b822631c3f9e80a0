"""The knowledge base: topics with sourced answers, read and checked from knowledge/*.yaml."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.content.markup import markup_errors, to_plain
from bot.content.schema import Where, check_fields, parse_date, yaml_problems
from bot.content.yaml_source import LineDict, LineList, load_yaml_file
from bot.problems import Problem

GROUPS_FILE = "groups.yaml"
YAML_PATTERNS = ("*.yaml", "*.yml")
GROUPS_FILE_SHOWN = f"knowledge/{GROUPS_FILE}"
# Public ids: deep links, Rasa intents, statistics and other programs rely on these names.
REQUIRED_TOPICS = (
    "syarat_pmi", "dokumen_pmi", "langkah_pendaftaran", "cek_perusahaan", "biaya_penempatan",
    "pelatihan_sertifikat", "paspor_visa", "perjanjian_kerja", "bpjs_pmi", "lowongan_resmi",
    "larangan_timur_tengah", "ltsa",
    "kontak_bp3mi_ntt", "kontak_pusat", "kontak_perwakilan_ri", "posko_pencegahan", "kontak_bp3mi_lain",
    "tanda_perdagangan_orang", "calo_perekrut", "risiko_nonprosedural", "lapor_tppo", "darurat",
    "paspor_ditahan", "gaji_tidak_dibayar", "pulang_kepulangan",
    "kawan_pmi", "sapaan", "terima_kasih", "tentang_bot",
    "keluarga_hilang_kontak", "ditahan_deportasi", "penipuan_lowongan", "anak_dibawa_kerja",
    "perdagangan_dalam_negeri", "abk_kapal", "korban_kena_hukum", "gaji_luar_negeri",
)
EMERGENCY_TOPIC = "darurat"
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
MAX_TITLE = 30
MAX_ANSWER = 1500
# The first message must fit one phone screen with its buttons; the rest waits behind "Selengkapnya".
MAX_FIRST_SCREEN = 600
MAX_DETAILS = 2500
TOPIC_FIELDS: dict[str, type] = {
    "id": str, "group": str, "title": str, "answer": str, "details": str, "related": list,
    "sources": list, "checked": date, "emergency": bool, "card": bool, "show_sources": bool,
}
TOPIC_REQUIRED = {"id", "group", "title", "answer", "related", "sources", "checked"}
GROUP_FIELDS: dict[str, type] = {"id": str, "title": str}
SOURCE_FIELDS: dict[str, type] = {"title": str, "url": str}


@dataclass(kw_only=True, frozen=True)
class Source:
    title: str
    url: str = ""  # empty: the outlet is named, not linked


@dataclass(kw_only=True, frozen=True)
class Topic:
    """One answer people can reach by question, menu, deep link or Rasa intent."""

    id: str
    group: str
    title: str
    answer: str
    related: tuple[str, ...]
    sources: tuple[Source, ...]
    checked: date
    emergency: bool = False
    card: bool = False  # reached only by the emergency path: no example questions, not in the menu
    details: str = ""
    # Greetings and thanks are not facts: their sources stay in the YAML but are not shown.
    show_sources: bool = True


@dataclass(kw_only=True, frozen=True)
class Group:
    id: str
    title: str
    topics: tuple[str, ...]


@dataclass(kw_only=True, frozen=True)
class KnowledgeBase:
    groups: tuple[Group, ...]
    topics: Mapping[str, Topic]

    def group(self, group_id: str) -> Group | None:
        return next((g for g in self.groups if g.id == group_id), None)


def data_files(directory: Path) -> list[Path]:
    """The YAML files of one folder that are loaded (and watched): *.yaml and *.yml, not in subfolders."""
    return sorted(path for pattern in YAML_PATTERNS for path in directory.glob(pattern))


def _shown(directory: Path, path: Path) -> str:
    return f"{directory.name}/{path.name}"


def _items(where: Where, data: object, key: str, line: int) -> tuple[LineList, list[Problem]]:
    """The list under a file's top-level key, or a problem saying the file has the wrong shape."""
    if isinstance(data, LineDict) and isinstance(data.get(key), LineList):
        extra = [where.problem(data.key_lines[k], k, "kunci paling atas ini tidak dikenal.",
                               f"berkas ini hanya boleh berisi '{key}:'.") for k in data if k != key]
        return data[key], extra
    empty = LineList()
    empty.item_lines = []
    return empty, [where.problem(line, key, f"berkas harus diawali '{key}:' berisi daftar entri.",
                                 f"lihat contoh di berkas lain; tulis '{key}:' lalu entri yang diawali '- id: ...'.")]


def _read_groups(directory: Path) -> tuple[list[tuple[str, str]], list[Problem]]:
    path = directory / GROUPS_FILE
    shown = _shown(directory, path)
    if not path.is_file():
        return [], [Problem(path=shown, line=0, entry="", field="", message="berkas daftar kelompok menu tidak ada.",
                            fix="buat berkas ini dengan 'groups:' berisi id dan judul tiap kelompok.")]
    data, issues = load_yaml_file(path)
    problems = yaml_problems(shown, issues)
    if data is None and issues:
        return [], problems
    items, shape = _items(Where(path=shown), data, "groups", 1)
    problems += shape
    groups: list[tuple[str, str]] = []
    for item, line in zip(items, items.item_lines, strict=False):
        if not isinstance(item, LineDict):
            problems.append(Problem(path=shown, line=line, entry="", field="",
                                    message="entri kelompok harus berupa id dan judul.",
                                    fix="tulis '- id: ...' lalu 'title: ...'."))
            continue
        where = Where(path=shown, entry=str(item.get("id", "")))
        found = check_fields(where, item, GROUP_FIELDS, set(GROUP_FIELDS))
        problems += found
        if not found:
            groups.append((item["id"], item["title"]))
    return groups, problems


def _check_answer(where: Where, item: LineDict) -> list[Problem]:
    answer: str = item["answer"]
    line = item.key_lines["answer"]
    out = []
    if not answer.strip():
        return [where.problem(line, "answer", "jawaban kosong.", "tulis jawaban di bawah 'answer: |'.")]
    if len(answer) > MAX_ANSWER:
        out.append(where.problem(line, "answer", f"jawaban terlalu panjang ({len(answer)} karakter, maksimal "
                                 f"{MAX_ANSWER}).", "ringkas jawaban atau pecah menjadi topik terkait."))
    elif (shown := len(to_plain(answer.strip()))) > MAX_FIRST_SCREEN and not item.get("emergency"):
        out.append(where.problem(line, "answer", f"bagian pertama jawaban {shown} karakter, "
                                 f"lebih dari satu layar HP ({MAX_FIRST_SCREEN}).",
                                 "sisakan inti dan *Langkah berikutnya:* di 'answer', pindahkan rincian ke 'details'.",
                                 "peringatan"))
    for offset, message, fix in markup_errors(answer):
        # Block scalars start on the line after "answer: |".
        out.append(where.problem(line + 1 + offset, "answer", message, fix))
    return out


def _check_details(where: Where, item: LineDict) -> list[Problem]:
    """The part behind "Selengkapnya": optional, but when written it must be real, sized and well marked up."""
    details: str = item["details"]
    line = item.key_lines["details"]
    if not details.strip():
        return [where.problem(line, "details", "rincian kosong.", "tulis rinciannya, atau hapus baris 'details'.")]
    out = []
    if len(details) > MAX_DETAILS:
        out.append(where.problem(line, "details", f"rincian terlalu panjang ({len(details)} karakter, maksimal "
                                 f"{MAX_DETAILS}).", "ringkas rincian atau pecah menjadi topik terkait."))
    for offset, message, fix in markup_errors(details):
        out.append(where.problem(line + 1 + offset, "details", message, fix))
    return out


def _read_sources(where: Where, item: LineDict) -> tuple[tuple[Source, ...], list[Problem]]:
    raw: LineList = item["sources"]
    line = item.key_lines["sources"]
    if not raw:
        return (), [where.problem(line, "sources", "tidak ada sumber.",
                                  "tambahkan minimal satu sumber dengan 'title' dan 'url'.")]
    out, problems = [], []
    for source, source_line in zip(raw, raw.item_lines, strict=False):
        if not isinstance(source, LineDict):
            problems.append(where.problem(source_line, "sources", "sumber harus berisi 'title' dan 'url'.",
                                          "tulis '- title: ...' lalu 'url: https://...'."))
            continue
        # A source may name its outlet without a link: for copies on unrelated hosts, when the original page
        # is unknown, the outlet's name is shown and the copy is not linked.
        found = check_fields(where, source, SOURCE_FIELDS, {"title"})
        if not found and "url" in source and not re.match(r"^https?://\S+$", source["url"]):
            found.append(where.problem(source.key_lines["url"], "sources",
                                       f"alamat sumber tidak valid: {source['url']!r}.",
                                       "tulis alamat lengkap yang diawali https://."))
        problems += found
        if not found:
            out.append(Source(title=source["title"], url=source.get("url", "")))
    return tuple(out), problems


def _read_topic(where: Where, item: LineDict, today: date, stale_days: int,
                group_ids: list[str]) -> tuple[Topic | None, list[Problem]]:
    """One topic entry, checked field by field; None when it has errors."""
    problems = check_fields(where, item, TOPIC_FIELDS, TOPIC_REQUIRED)
    bad = {p.field for p in problems}  # fields with the wrong type or missing: not checked further
    problems += _group_problems(where, item, bad, group_ids)
    problems += _id_problems(where, item, bad)
    problems += _title_problems(where, item, bad)
    if "answer" not in bad and "answer" in item:
        problems += _check_answer(where, item)
    if "details" not in bad and "details" in item:
        problems += _check_details(where, item)
    sources: tuple[Source, ...] = ()
    if "sources" not in bad and "sources" in item:
        sources, found = _read_sources(where, item)
        problems += found
    checked = parse_date(item.get("checked")) if "checked" not in bad else None
    if "checked" in item and "checked" not in bad:
        problems += _checked_problems(where, item, checked, today, stale_days)
    problems += _related_problems(where, item, bad)
    if any(p.is_error for p in problems):
        return None, problems
    topic = Topic(id=item["id"], group=item["group"], title=item["title"].strip(), answer=item["answer"].strip(),
                  related=tuple(item.get("related") or ()), sources=sources, checked=checked or today,
                  emergency=bool(item.get("emergency", False)), card=bool(item.get("card", False)),
                  details=str(item.get("details", "")).strip(), show_sources=bool(item.get("show_sources", True)))
    return topic, problems


def _group_problems(where: Where, item: LineDict, bad: set[str], group_ids: list[str]) -> list[Problem]:
    if "group" in item and "group" not in bad and group_ids and item["group"] not in group_ids:
        return [where.problem(item.key_lines["group"], "group",
                              f"kelompok '{item['group']}' tidak ada di {GROUPS_FILE_SHOWN}.",
                              f"pakai salah satu: {', '.join(group_ids)}.")]
    return []


def _id_problems(where: Where, item: LineDict, bad: set[str]) -> list[Problem]:
    if "id" not in bad and not ID_PATTERN.match(item["id"]):
        return [where.problem(item.key_lines["id"], "id", f"id {item['id']!r} tidak sah.",
                              "pakai huruf kecil, angka dan garis bawah saja (contoh: paspor_visa), "
                              "diawali huruf, maksimal 40 karakter.")]
    return []


def _title_problems(where: Where, item: LineDict, bad: set[str]) -> list[Problem]:
    if "title" in bad:
        return []
    if not item["title"].strip():
        return [where.problem(item.key_lines["title"], "title", "judul kosong.", "tulis judul singkat.")]
    if len(item["title"]) > MAX_TITLE:
        return [where.problem(item.key_lines["title"], "title",
                              f"judul terlalu panjang ({len(item['title'])} karakter, maksimal {MAX_TITLE}).",
                              "pendekkan judul agar muat di tombol ponsel.")]
    return []


def _checked_problems(where: Where, item: LineDict, checked: date | None, today: date,
                      stale_days: int) -> list[Problem]:
    """The date a fact was last checked: readable, not in the future, and a warning when stale."""
    line = item.key_lines["checked"]
    if checked is None:
        return [where.problem(line, "checked", f"tanggal {item['checked']!r} tidak bisa dibaca.",
                              "tulis tanggal sebagai \"TTTT-BB-HH\", misalnya \"2026-11-28\".")]
    if checked > today:
        return [where.problem(line, "checked", f"tanggal {checked.isoformat()} ada di masa depan.",
                              "tulis tanggal fakta terakhir diperiksa (hari ini atau sebelumnya).")]
    if (today - checked).days > stale_days:
        return [where.problem(line, "checked",
                              f"fakta terakhir diperiksa {checked.isoformat()}, lebih dari {stale_days} hari lalu.",
                              "periksa ulang fakta dan nomor di sumbernya, lalu perbarui tanggal.",
                              "peringatan")]
    return []


def _related_problems(where: Where, item: LineDict, bad: set[str]) -> list[Problem]:
    """Related entries must be topic ids (whether those topics exist is checked once all are read)."""
    related = item.get("related")
    if "related" in bad or related is None:
        return []
    return [where.problem(line, "related", f"isi related harus id topik, bukan {value!r}.",
                          "tulis id topik lain, misalnya dokumen_pmi.")
            for value, line in zip(related, related.item_lines, strict=False) if not isinstance(value, str)]


def read_knowledge(directory: Path, today: date, stale_days: int = 180) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Read every knowledge file; return the KB (None when there are errors) and all problems."""
    if not directory.is_dir():
        return None, [Problem(path=str(directory), line=0, entry="", field="",
                              message="folder pengetahuan tidak ditemukan.",
                              fix="jalankan perintah dari folder proyek atau pakai --knowledge FOLDER.")]
    groups, problems = _read_groups(directory)
    found = _Topics(group_ids=[g for g, _ in groups], today=today, stale_days=stale_days)
    for path in data_files(directory):
        if path.name != GROUPS_FILE:
            problems += found.read_file(path, _shown(directory, path))
    if found.broken:
        # A file that cannot be read hides its topics: listing them as missing would bury the one real cause.
        return None, problems
    missing = found.missing_related() + _missing_required(directory, found.topics, problems)
    problems += _missing_file_problems(directory, groups, found, missing) or missing
    if any(p.is_error for p in problems):
        return None, problems
    ordered = tuple(Group(id=gid, title=title, topics=tuple(t.id for t in found.topics.values()
                                                                  if t.group == gid and not t.card))
                    for gid, title in groups)
    return KnowledgeBase(groups=ordered, topics=found.topics), problems


@dataclass(kw_only=True)
class _Topics:
    """The topics read so far, in file order, with where each one stands (for duplicate and related checks)."""

    group_ids: list[str]
    today: date
    stale_days: int
    topics: dict[str, Topic] = field(default_factory=dict)
    places: dict[str, tuple[str, int]] = field(default_factory=dict)
    broken: bool = False  # a file could not be read at all
    failed: set[str] = field(default_factory=set)  # ids of entries that exist but have errors of their own

    def read_file(self, path: Path, shown: str) -> list[Problem]:
        data, issues = load_yaml_file(path)
        problems = yaml_problems(shown, issues)
        if data is None and issues:
            self.broken = True
            return problems
        items, shape = _items(Where(path=shown), data, "topics", 1)
        problems += shape
        for item, line in zip(items, items.item_lines, strict=False):
            problems += self._read_entry(shown, item, line)
        return problems

    def _read_entry(self, shown: str, item: object, line: int) -> list[Problem]:
        if not isinstance(item, LineDict):
            return [Problem(path=shown, line=line, entry="", field="",
                            message="entri topik harus berupa kolom-kolom (id, title, ...).",
                            fix="tulis '- id: ...' lalu kolom lain dengan indentasi yang sama.")]
        where = Where(path=shown, entry=str(item.get("id", "")))
        topic, problems = _read_topic(where, item, self.today, self.stale_days, self.group_ids)
        if topic is None:
            if isinstance(item.get("id"), str):
                self.failed.add(item["id"])
            return problems
        if topic.id in self.topics:
            first_path, first_line = self.places[topic.id]
            problems.append(where.problem(item.key_lines["id"], "id",
                                          f"id '{topic.id}' sudah dipakai di {first_path}:{first_line}.",
                                          "setiap topik perlu id yang unik; ganti salah satunya."))
            return problems
        self.topics[topic.id] = topic
        self.places[topic.id] = (shown, item.line)
        return problems

    def missing_related(self) -> list[Problem]:
        """Related ids that name no topic, or the topic itself."""
        problems = []
        for topic in self.topics.values():
            shown, line = self.places[topic.id]
            for related in topic.related:
                if related in self.failed and related not in self.topics:
                    continue  # the topic is there with its own errors: "does not exist" would mislead
                if related == topic.id or related not in self.topics:
                    reason = "menunjuk dirinya sendiri" if related == topic.id else "tidak ada"
                    problems.append(Problem(path=shown, line=line, entry=topic.id, field="related",
                                            message=f"topik terkait '{related}' {reason}.",
                                            fix="tulis id topik lain yang ada, atau hapus dari related."))
        return problems


def _missing_file_problems(directory: Path, groups: list[tuple[str, str]], found: _Topics,
                           missing: list[Problem]) -> list[Problem]:
    """A menu group left without topics means a whole file is gone: say that first, and count what it breaks
    instead of listing every reference to its topics (empty when no group is empty)."""
    used = {t.group for t in found.topics.values()}
    empty = [(gid, title) for gid, title in groups if gid not in used]
    if not empty or found.failed:
        return []
    out = [Problem(path=directory.name, line=0, entry="", field="",
                   message=f"kelompok menu '{gid}' ({title}) tidak punya topik satu pun; berkas topiknya "
                           f"(misalnya {directory.name}/{gid}.yaml) tidak ada atau kosong.",
                   fix="kembalikan berkas itu (misalnya dari git), atau hapus kelompok ini dari "
                       f"{GROUPS_FILE_SHOWN}.")
           for gid, title in empty]
    if missing:
        ids = sorted({p.message.split("'")[1] for p in missing})
        out.append(Problem(path=directory.name, line=0, entry="", field="related",
                           message=f"{len(missing)} rujukan ke topik yang tidak ada, kemungkinan dari berkas yang "
                                   f"hilang itu: {', '.join(ids)}.",
                           fix="kembalikan berkas yang hilang; bila topik itu memang dihapus, hapus juga dari "
                               "related dan dari daftar topik wajib."))
    return out


def _missing_required(directory: Path, topics: Mapping[str, Topic], problems: list[Problem]) -> list[Problem]:
    """Public topic ids that are gone (and not already reported as broken)."""
    return [Problem(path=directory.name, line=0, entry=required, field="id",
                    message=f"topik wajib '{required}' tidak ada; tautan, Rasa dan statistik memakai id ini.",
                    fix="tambahkan kembali topik dengan id ini.")
            for required in REQUIRED_TOPICS
            if required not in topics and not any(p.entry == required for p in problems)]
