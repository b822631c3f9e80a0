"""The job-offer sign rules admins edit in knowledge/cek/tanda_tawaran.yaml, read and checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bot.content.knowledge import SOURCE_FIELDS, Source
from bot.content.schema import Where, check_fields, parse_date, yaml_problems
from bot.content.yaml_source import LineDict, LineList, load_yaml_file
from bot.problems import Problem

RULES_FILE = "tanda_tawaran.yaml"
# Labelled offers the learned part of Cek tawaran is trained from (written by writers who never saw the rules
# nor the frozen benchmark set); every *.yml file in this folder under knowledge/cek/.
EXAMPLES_FOLDER = "contoh_tawaran"
# Public ids: `kawan cek-tawaran --json`, the labelled benchmark set and statistics rely on these names.
WARNING_IDS = (
    "bayar_sebelum_berangkat", "visa_bukan_kerja", "negara_bukan_penempatan", "proses_kilat", "tanpa_kontrak",
    "dokumen_ditahan", "perekrut_perorangan", "jalur_transit", "gaji_tidak_wajar", "di_bawah_umur",
    "prt_timur_tengah",
)
GOOD_IDS = ("pt_berizin", "daftar_disnaker", "bpjs", "pelatihan_blk", "kontrak_tertulis")
KINDS = {"bahaya": WARNING_IDS, "baik": GOOD_IDS}
SCOPES = ("kalimat", "teks")
CHECKS = ("gaji", "umur")
SIGN_FIELDS: dict[str, type] = {
    "id": str, "kind": str, "title": str, "why": str, "scope": str, "patterns": list, "sure": list, "not_if": list,
    "check": str, "negation": bool, "sources": list, "checked": date,
}
SIGN_REQUIRED = {"id", "kind", "title", "why", "scope", "patterns", "sources", "checked"}
QUESTION_FIELDS: dict[str, type] = {"id": str, "text": str, "unless": list, "yes": str, "no": str}
MAX_WHY = 300

# A pattern is one regex, or several that must all match in the same scope.
Pattern = tuple[re.Pattern[str], ...]



def _problem(path: str, line: int, entry: str, field: str, message: str, fix: str) -> Problem:
    return Problem(path=path, line=line, entry=entry, field=field, message=message, fix=fix)

@dataclass(frozen=True)
class Sign:
    """One warning or good sign: how it is found and the line that says why it matters."""

    id: str
    kind: str  # bahaya | baik
    title: str
    why: str
    scope: str  # kalimat | teks
    patterns: tuple[Pattern, ...]
    not_if: tuple[Pattern, ...]
    check: str
    sources: tuple[Source, ...]
    checked: date
    # True: a match right after a negation word ("tidak lewat Batam", "son usah BLK") does not count.
    negation: bool = False
    # Patterns that find the sign like `patterns` but that the learned model may never overrule ("sponsor").
    sure: tuple[Pattern, ...] = ()

    @property
    def is_warning(self) -> bool:
        return self.kind == "bahaya"


@dataclass(frozen=True)
class Question:
    """A yes/no question asked when the offer is silent on what it covers."""

    id: str
    text: str
    unless: tuple[str, ...]
    yes: str
    no: str


@dataclass(frozen=True)
class OfferExample:
    """One labelled offer: its text and every sign (warning or good) a writer found in it."""

    text: str
    signs: frozenset[str]


@dataclass(frozen=True)
class OfferRules:
    signs: tuple[Sign, ...]
    questions: tuple[Question, ...]
    examples: tuple[OfferExample, ...] = field(default=(), repr=False)

    def sign(self, sign_id: str) -> Sign:
        return next(s for s in self.signs if s.id == sign_id)


def _patterns(where: Where, item: LineDict, key: str) -> tuple[tuple[Pattern, ...], list[Problem]]:
    raw = item.get(key) or []
    lines = getattr(raw, "item_lines", [item.key_lines.get(key, item.line)] * len(raw))
    out: list[Pattern] = []
    problems: list[Problem] = []
    for value, line in zip(raw, lines, strict=False):
        parts = list(value) if isinstance(value, list) else [value]
        if not parts or not all(isinstance(p, str) and p for p in parts):
            problems.append(where.problem(line, key, f"pola harus teks atau daftar teks, bukan {value!r}.",
                                          "tulis pola dalam tanda kutip tunggal, misalnya '\\bvisa turis\\b'."))
            continue
        compiled = []
        for part in parts:
            try:
                compiled.append(re.compile(part))
            except re.error as exc:
                problems.append(where.problem(line, key, f"pola {part!r} rusak ({exc}).",
                                              "periksa tanda kurung dan garis miring terbalik; pakai kutip tunggal."))
        if len(compiled) == len(parts):
            out.append(tuple(compiled))
    return tuple(out), problems


def _sources(where: Where, item: LineDict) -> tuple[tuple[Source, ...], list[Problem]]:
    raw: LineList = item["sources"]
    if not raw:
        return (), [where.problem(item.key_lines["sources"], "sources", "tidak ada sumber.",
                                  "tambahkan minimal satu sumber dengan 'title' dan 'url'.")]
    out, problems = [], []
    for source, line in zip(raw, raw.item_lines, strict=False):
        if not isinstance(source, LineDict):
            problems.append(where.problem(line, "sources", "sumber harus berisi 'title' dan 'url'.",
                                          "tulis '- title: ...' lalu 'url: https://...'."))
            continue
        found = check_fields(where, source, SOURCE_FIELDS, set(SOURCE_FIELDS))
        problems += found
        if not found:
            out.append(Source(title=source["title"], url=source["url"]))
    return tuple(out), problems


def _read_sign(where: Where, item: LineDict, today: date) -> tuple[Sign | None, list[Problem]]:
    problems = check_fields(where, item, SIGN_FIELDS, SIGN_REQUIRED)
    bad = {p.field for p in problems} | (SIGN_REQUIRED - set(item))
    sign_id = item.get("id", "")
    if "kind" not in bad and item["kind"] not in KINDS:
        problems.append(where.problem(item.key_lines["kind"], "kind", f"jenis {item['kind']!r} tidak dikenal.",
                                      "tulis 'bahaya' atau 'baik'."))
    elif "kind" not in bad and "id" not in bad and sign_id not in KINDS[item["kind"]]:
        other = "baik" if item["kind"] == "bahaya" else "bahaya"
        if sign_id in KINDS[other]:
            problems.append(where.problem(item.key_lines["kind"], "kind", f"tanda '{sign_id}' adalah tanda {other}.",
                                          f"tulis kind: {other}."))
        else:
            problems.append(where.problem(item.key_lines["id"], "id", f"id tanda '{sign_id}' tidak dikenal.",
                                          "pakai salah satu id yang sudah ada: " + ", ".join(WARNING_IDS + GOOD_IDS)
                                          + ". Id dipakai perintah JSON dan set uji, jadi tidak boleh diganti."))
    if "scope" not in bad and item["scope"] not in SCOPES:
        problems.append(where.problem(item.key_lines["scope"], "scope", f"cakupan {item['scope']!r} tidak dikenal.",
                                      "tulis 'kalimat' atau 'teks'."))
    if "check" in item and "check" not in bad and item["check"] not in CHECKS:
        problems.append(where.problem(item.key_lines["check"], "check", f"pemeriksaan {item['check']!r} tidak ada.",
                                      f"pakai salah satu: {', '.join(CHECKS)}, atau hapus kolom ini."))
    for key in ("title", "why"):
        if key not in bad and not item[key].strip():
            problems.append(where.problem(item.key_lines[key], key, "kolom ini kosong.", "isi dengan satu kalimat."))
    if "why" not in bad and len(item["why"]) > MAX_WHY:
        problems.append(where.problem(item.key_lines["why"], "why", f"terlalu panjang ({len(item['why'])} karakter, "
                                      f"maksimal {MAX_WHY}).", "ringkas menjadi satu kalimat."))
    patterns: tuple[Pattern, ...] = ()
    not_if: tuple[Pattern, ...] = ()
    if "patterns" not in bad:
        patterns, found = _patterns(where, item, "patterns")
        problems += found
        if not patterns and "check" not in item:
            problems.append(where.problem(item.key_lines["patterns"], "patterns", "tidak ada pola.",
                                          "tambahkan minimal satu pola, atau kolom check."))
    if "not_if" in item and "not_if" not in bad:
        not_if, found = _patterns(where, item, "not_if")
        problems += found
    sure: tuple[Pattern, ...] = ()
    if "sure" in item and "sure" not in bad:
        sure, found = _patterns(where, item, "sure")
        problems += found
    sources: tuple[Source, ...] = ()
    if "sources" not in bad:
        sources, found = _sources(where, item)
        problems += found
    checked = parse_date(item.get("checked")) if "checked" not in bad else None
    if "checked" not in bad:
        if checked is None:
            problems.append(where.problem(item.key_lines["checked"], "checked",
                                          f"tanggal {item['checked']!r} tidak bisa dibaca.",
                                          "tulis tanggal sebagai \"TTTT-BB-HH\", misalnya \"2026-11-29\"."))
        elif checked > today:
            problems.append(where.problem(item.key_lines["checked"], "checked",
                                          f"tanggal {checked.isoformat()} ada di masa depan.",
                                          "tulis tanggal aturan terakhir diperiksa."))
    if any(p.is_error for p in problems) or checked is None:
        return None, problems
    return Sign(sign_id, item["kind"], item["title"].strip(), " ".join(item["why"].split()), item["scope"],
                patterns, not_if, item.get("check", ""), sources, checked, bool(item.get("negation", False)),
                sure), problems


def _read_question(where: Where, item: LineDict, sign_ids: set[str]) -> tuple[Question | None, list[Problem]]:
    problems = check_fields(where, item, QUESTION_FIELDS, set(QUESTION_FIELDS))
    if problems:
        return None, problems
    for key in ("yes", "no"):
        if item[key] and item[key] not in sign_ids:
            problems.append(where.problem(item.key_lines[key], key, f"tanda '{item[key]}' tidak ada.",
                                          "tulis id tanda yang ada, atau kosongkan (\"\")."))
    for value in item["unless"]:
        if value not in sign_ids:
            problems.append(where.problem(item.key_lines["unless"], "unless", f"tanda '{value}' tidak ada.",
                                          "tulis id tanda yang ada."))
    if not item["text"].strip().endswith("?"):
        problems.append(where.problem(item.key_lines["text"], "text", "pertanyaan harus diakhiri tanda tanya.",
                                      "tulis pertanyaan ya/tidak yang diakhiri '?'."))
    if problems:
        return None, problems
    return Question(item["id"], item["text"].strip(), tuple(item["unless"]), item["yes"], item["no"]), []


def read_offer_examples(knowledge_dir: Path) -> tuple[tuple[OfferExample, ...], list[Problem]]:
    """The labelled offers under knowledge/cek/contoh_tawaran/ (none when the folder does not exist)."""
    folder = knowledge_dir / "cek" / EXAMPLES_FOLDER
    examples: list[OfferExample] = []
    problems: list[Problem] = []
    known = set(WARNING_IDS + GOOD_IDS)
    for path in sorted(folder.glob("*.yml")) if folder.is_dir() else []:
        shown = f"{knowledge_dir.name}/cek/{EXAMPLES_FOLDER}/{path.name}"
        data, issues = load_yaml_file(path)
        problems += yaml_problems(shown, issues)
        if not isinstance(data, LineDict) or not isinstance(data.get("offers"), LineList):
            if data is not None or not issues:
                problems.append(_problem(shown, 1, "", "offers", "berkas harus berisi daftar 'offers:'.",
                                         "tulis '- text: |' lalu 'warnings: [...]' dan 'good: [...]'."))
            continue
        for item, line in zip(data["offers"], data["offers"].item_lines, strict=False):
            text = item.get("text") if isinstance(item, LineDict) else None
            if not isinstance(text, str) or not text.strip():
                problems.append(_problem(shown, line, "", "text", "contoh tawaran tanpa teks.",
                                         "tulis '- text: |' lalu teks tawaran di baris berikutnya."))
                continue
            signs: set[str] = set()
            for key in ("warnings", "good"):
                values = item.get(key) or []
                unknown = [v for v in values if v not in known] if isinstance(values, list) else [values]
                if unknown:
                    problems.append(_problem(shown, item.key_lines.get(key, line), "", key,
                                             f"tanda {unknown!r} tidak dikenal.",
                                             "pakai id tanda dari tanda_tawaran.yaml."))
                    continue
                signs.update(values)
            examples.append(OfferExample(text, frozenset(signs)))
    return tuple(examples), problems


def read_offer_rules(knowledge_dir: Path, today: date) -> tuple[OfferRules | None, list[Problem]]:
    """The rules file under knowledge/cek/; None with the problems when it cannot be used."""
    path = knowledge_dir / "cek" / RULES_FILE
    shown = f"{knowledge_dir.name}/cek/{RULES_FILE}"
    if not path.is_file():
        return None, [_problem(shown, 0, "", "", "daftar tanda tawaran kerja tidak ada.",
                              "kembalikan berkas ini; Cek tawaran membutuhkannya.")]
    data, issues = load_yaml_file(path)
    problems = yaml_problems(shown, issues)
    if not isinstance(data, LineDict) or not isinstance(data.get("signs"), LineList):
        if data is not None or not issues:
            problems.append(_problem(shown, 1, "", "", "berkas harus berisi 'signs:' (dan boleh 'questions:').",
                                    "lihat keterangan di awal berkas."))
        return None, problems
    for key in data:
        if key not in ("signs", "questions"):
            problems.append(_problem(shown, data.key_lines[key], "", key, "kunci paling atas ini tidak dikenal.",
                                    "berkas ini hanya boleh berisi 'signs:' dan 'questions:'."))
    signs: dict[str, Sign] = {}
    for item, line in zip(data["signs"], data["signs"].item_lines, strict=False):
        if not isinstance(item, LineDict):
            problems.append(_problem(shown, line, "", "", "entri tanda harus berupa kolom-kolom (id, kind, ...).",
                                    "tulis '- id: ...' lalu kolom lain."))
            continue
        where = Where(path=shown, entry=str(item.get("id", "")))
        sign, found = _read_sign(where, item, today)
        problems += found
        if sign is None:
            continue
        if sign.id in signs:
            problems.append(where.problem(item.key_lines["id"], "id", f"tanda '{sign.id}' ditulis dua kali.",
                                          "gabungkan pola keduanya di satu entri."))
            continue
        signs[sign.id] = sign
    for required in WARNING_IDS + GOOD_IDS:
        if required not in signs and not any(p.entry == required for p in problems):
            problems.append(_problem(shown, 0, required, "id", f"tanda wajib '{required}' tidak ada.",
                                    "tambahkan kembali tanda dengan id ini."))
    questions: list[Question] = []
    raw_questions = data.get("questions") or LineList()
    for item, line in zip(raw_questions, getattr(raw_questions, "item_lines", []), strict=False):
        if not isinstance(item, LineDict):
            problems.append(_problem(shown, line, "", "", "entri pertanyaan harus berupa kolom-kolom.",
                                    "tulis '- id: ...' lalu text, unless, yes, no."))
            continue
        question, found = _read_question(Where(path=shown, entry=str(item.get("id", ""))), item, set(WARNING_IDS + GOOD_IDS))
        problems += found
        if question is not None:
            questions.append(question)
    examples, found = read_offer_examples(knowledge_dir)
    problems += found
    if any(p.is_error for p in problems):
        return None, problems
    order = {sign_id: n for n, sign_id in enumerate(WARNING_IDS + GOOD_IDS)}
    return OfferRules(tuple(sorted(signs.values(), key=lambda s: order[s.id])), tuple(questions),
                      examples), problems
