"""Questions the bot could not answer well: grouped with counts, and drafted as Rasa NLU YAML for admins to sort."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from bot.admin.storage import StoredQuestion

# Every exported example sits under this intent until an admin moves it to a real topic; no topic has this id.
PLACEHOLDER_INTENT = "perlu_dipilah"
RASA_VERSION = "3.1"
_TRAILING = re.compile(r"[\s?!.,]+$")


@dataclass(kw_only=True, frozen=True)
class QuestionGroup:
    """One question as people wrote it, how often, why it is on the list, and the topics the bot tried."""

    text: str
    count: int
    reasons: tuple[tuple[str, int], ...]
    topics: tuple[str, ...] = ()


# Says exactly what anonymise.mask hides, and what it leaves: short numbers stay readable on purpose.
MASKED_NOTE = ("Disamarkan: nama, alamat, tanggal lahir, nomor HP, e-mail, NIK, paspor, akun, tautan dan angka "
               "7 digit atau lebih. Angka pendek (umur, tahun, jumlah uang) tetap terlihat.")
REASONS = {"fallback": "tidak terjawab", "clarify": "ditanya balik", "feedback_down": "👎", "answer": "yakin rendah"}


def _key(text: str) -> str:
    """Questions that differ only in case, spacing or final punctuation are the same question."""
    return _TRAILING.sub("", " ".join(text.lower().split()))


def _by_count(counter: Counter[str]) -> list[tuple[str, int]]:
    return sorted(counter.items(), key=lambda item: (-item[1], item[0]))


def group_questions(questions: Iterable[StoredQuestion]) -> list[QuestionGroup]:
    """Most frequent first; each group shows its most common wording."""
    wordings: dict[str, Counter[str]] = {}
    reasons: dict[str, Counter[str]] = {}
    topics: dict[str, Counter[str]] = {}
    for question in questions:
        key = _key(question.text)
        if not key:
            continue
        wordings.setdefault(key, Counter())[question.text.strip()] += 1
        reasons.setdefault(key, Counter())[REASONS.get(question.kind, question.kind)] += 1
        tried = topics.setdefault(key, Counter())
        if question.topic:
            tried[question.topic] += 1
    groups = [
        QuestionGroup(text=_by_count(wordings[key])[0][0], count=sum(wordings[key].values()),
                      reasons=tuple(_by_count(reasons[key])),
                      topics=tuple(topic for topic, _ in _by_count(topics[key])))
        for key in wordings
    ]
    return sorted(groups, key=lambda group: (-group.count, _key(group.text)))


def format_groups(groups: list[QuestionGroup], first: date, last: date) -> str:
    """The `kawan unanswered` listing."""
    period = f"{first.strftime('%d-%m-%Y')} s.d. {last.strftime('%d-%m-%Y')} (UTC)"
    if not groups:
        return f"Tidak ada pertanyaan yang belum terjawab pada {period}."
    total = sum(group.count for group in groups)
    lines = [f"Pertanyaan yang belum terjawab baik, {period}: {total} kali, {len(groups)} pertanyaan berbeda.",
             MASKED_NOTE, ""]
    width = len(str(groups[0].count))
    for group in groups:
        why = ", ".join(f"{label} {count}×" for label, count in group.reasons)
        if group.topics:
            why += f"; topik: {', '.join(group.topics)}"
        lines.append(f"{group.count:>{width}}× {group.text}  ({why})")
    return "\n".join(lines)


def rasa_draft(groups: list[QuestionGroup], first: date, last: date) -> str:
    """A Rasa NLU YAML file with every question as an example of the placeholder intent."""
    period = f"{first.strftime('%d-%m-%Y')} s.d. {last.strftime('%d-%m-%Y')}"
    header = [
        f"# Draf dari 'kawan unanswered': pertanyaan yang belum terjawab baik, {period}.",
        "# Data pribadi sudah disamarkan ([nama], [alamat], [tanggal], [nomor], [email], [nik], [paspor], [angka], "
        "[tautan], [akun]).",
        "# Cara memilah (lihat knowledge/README.md):",
        "# 1. Untuk tiap contoh, cari topiknya: id topik di knowledge/, misalnya biaya_penempatan.",
        "# 2. Salin contoh itu ke bawah '- intent: <id topik>' di berkas intents/ yang cocok.",
        "#    Contoh berisi [nomor] dan sejenisnya: tulis ulang dengan kata biasa, atau lewati.",
        "# 3. Pertanyaan tanpa topik yang cocok: usulkan topik baru, atau masukkan ke out_of_scope.",
        f"# 4. Jangan taruh berkas ini di intents/ apa adanya: intent {PLACEHOLDER_INTENT} tidak punya jawaban.",
        "# 5. Jalankan 'kawan validate', lalu coba dengan 'kawan ask \"pertanyaannya\"'.",
        f'version: "{RASA_VERSION}"',
        "nlu:",
        f"  - intent: {PLACEHOLDER_INTENT}",
    ]
    if not groups:
        return "\n".join([*header, "    examples: \"\""]) + "\n"
    # One example per line in a block scalar: no quoting needed, whatever the text holds.
    examples = [f"      - {' '.join(group.text.split())}" for group in groups]
    return "\n".join([*header, "    examples: |", *examples]) + "\n"
