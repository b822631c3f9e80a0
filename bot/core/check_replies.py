"""Cek PT and Cek tawaran as replies every shell shows: texts, buttons, and state carried in the buttons."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.content.offer_rules import GOOD_IDS, WARNING_IDS
from bot.content.validate import Bundle
from bot.core.company_check import CompanyCheck, CompanyIndex, shown_name
from bot.core.conversation import Button, Reply
from bot.core.offer_check import OfferCheck, build, check_offer, find_signs, looks_like_offer

# Button actions. The offer's state travels in the button itself (sign bits, questions, answers, company
# counts), so nothing about the offer or the people in it is kept on the server.
CHECK_ACTION = "cek"
COMPANY_ACTION = "cekpt"
ANSWER_ACTION = "ck"
CARD_ACTION = "ckc"
SIGN_ORDER = WARNING_IDS + GOOD_IDS
# "cek PT X" or "PT X resmi?": a short message asking about one company.
COMPANY_QUESTION = re.compile(
    r"^\s*(cek|periksa)\s+(pt|perusahaan)\b|^\s*pt\.?\s+\S+.{0,60}\b(resmi|berizin|terdaftar|legal|izin)\b", re.IGNORECASE)
MAX_COMPANY_QUESTION = 100

PROMPT = (
    "*Cek tawaran kerja & Cek PT* 🔎\n"
    "Tempel atau teruskan (forward) pesan lowongan/tawaran kerja yang Anda terima, atau ketik nama perusahaannya "
    "(misalnya: cek PT Sumber Rejeki Abadi). Saya cari tanda bahaya dan mencocokkan nama perusahaan dengan "
    "salinan daftar P3MI berizin.\n"
    "Jangan kirim foto KTP, paspor, atau nomor HP Anda."
)
CONFIRM_WHERE = (
    "Pastikan di SISKOP2MI ([siskop2mi.bp2mi.go.id](https://siskop2mi.bp2mi.go.id/profil/lembaga/list_lembaga/p3mi)), "
    "di kantor BP3MI, atau di Disnakertrans kabupaten/kota Anda sebelum membayar atau menandatangani apa pun."
)
FOUND = "*{name}*: Ada di salinan daftar P3MI berizin per {date} (nomor izin {licence})."
NO_LICENCE = "tidak tercantum di salinan"
FOUND_MEANS = (
    "Artinya: perusahaan ini tercatat berizin pada tanggal salinan itu. Itu *belum* menjamin tawarannya: izin bisa "
    "dibekukan atau dicabut sesudahnya, dan lowongannya (job order) serta pendaftaran Anda sendiri di SIAPkerja "
    "juga harus dicek."
)
NOT_FOUND = "*{query}*: Tidak ada di salinan daftar per {date}."
NOT_FOUND_MEANS = (
    "Ini belum tentu berarti perusahaan itu tidak berizin: namanya mungkin ditulis lain, atau izinnya lebih baru "
    "dari salinan ini. Tetapi *jangan membayar atau menandatangani apa pun* sebelum perusahaan itu dipastikan:\n"
    "1. cari namanya di SISKOP2MI;\n"
    "2. tanyakan ke BP3MI atau Disnakertrans kabupaten/kota;\n"
    "3. minta perekrut menunjukkan izin perusahaan (SIP3MI) dan surat izin perekrutan untuk lowongan itu."
)
SIMILAR = "Nama persis *{query}* tidak ada di salinan daftar per {date}. Mungkin maksud Anda salah satu ini:"
SIMILAR_HINT = "Tekan nama yang Anda maksud. Bila tidak ada yang cocok, anggap belum terdaftar sampai dipastikan."
EMPTY_NAME = "Ketik nama perusahaannya, misalnya: cek PT Sumber Rejeki Abadi."
HEADLINES = {
    "bahaya": "🚨 *Ada tanda bahaya: jangan bayar, jangan berangkat dulu.*",
    "bahaya_banyak": "🚨 *Banyak tanda bahaya: jangan bayar, jangan berangkat dulu.*",
    "kurang_info": "❔ *Belum cukup informasi* untuk menilai tawaran ini.",
    "tidak_terlihat": "✅ *Tidak ada tanda bahaya yang terlihat*, tetap cek perusahaan dan lowongannya.",
}
NEXT_STEPS = {
    "bahaya": ("Langkah berikutnya: jangan kirim uang atau dokumen. Tanyakan tawaran ini ke Disnakertrans "
               "kabupaten/kota, BP3MI, atau KP2MI *0800-1000* (WA 0811-8080-141). Dalam bahaya: Polisi *110*, "
               "SAPA *129*."),
    "kurang_info": ("Langkah berikutnya: jawab pertanyaan di bawah, atau tanyakan hal itu ke perekrut, lalu "
                    "pastikan tawarannya di Disnakertrans kabupaten/kota atau BP3MI."),
    "tidak_terlihat": ("Langkah berikutnya: pastikan perusahaan dan lowongannya di SISKOP2MI atau Disnakertrans, "
                       "dan daftar lewat SIAPkerja. Jalur resmi tidak memungut biaya pendaftaran."),
}
VERDICT_WORDS = {"bahaya": "Tanda bahaya", "kurang_info": "Belum cukup informasi", "tidak_terlihat": "Tidak terlihat"}
WARNINGS_TITLE = "Tanda bahaya yang saya temukan:"
GOOD_TITLE = "Tanda baik:"
COMPANIES_TITLE = "Perusahaan yang disebut (Cek PT):"
COMPANY_COUNTS = "{found} ada di salinan daftar P3MI per {date}, {other} tidak ada atau belum pasti."
QUESTION = "Satu pertanyaan lagi ({number}/{total}): *{text}*"
CAVEAT = "Pemeriksaan otomatis dari teks; bisa keliru dan bukan keputusan pemerintah."
YES, NO = "Ya", "Tidak"
CARD_BUTTON = "🖼️ Buat gambar untuk dibagikan"
CARD_CAPTION = "Bagikan gambar ini ke keluarga dan grup. Gambar ini tidak memuat nama atau nomor siapa pun."
CARD_FOOTER = ("Cek tawaran kerja sebelum membayar apa pun: Disnakertrans kabupaten/kota, BP3MI, KP2MI 0800-1000. "
               "Pemeriksaan otomatis oleh Kawan Migran (bot relawan, bukan layanan pemerintah).")


def is_company_question(text: str) -> bool:
    return len(text) <= MAX_COMPANY_QUESTION and bool(COMPANY_QUESTION.search(text))


def is_check_request(text: str) -> bool:
    """Free text every shell sends to a check without being asked: an advert-like text or "cek PT X"."""
    return bool(text) and not text.startswith("/") and (looks_like_offer(text) or is_company_question(text))


@dataclass(frozen=True)
class OfferState:
    """Everything needed to show an offer's result again, without its text: small enough for a button."""

    signs: frozenset[str]
    questions: tuple[int, ...]
    answers: tuple[bool | None, ...]
    found: int
    other: int

    def encode(self) -> str:
        mask = sum(1 << i for i, s in enumerate(SIGN_ORDER) if s in self.signs)
        answers = "".join("-" if a is None else ("y" if a else "n") for a in self.answers)
        return f"{mask:x}.{''.join(map(str, self.questions))}.{answers}.{min(self.found, 9)}{min(self.other, 9)}"

    @classmethod
    def decode(cls, raw: str) -> OfferState | None:
        """None for anything malformed (an old or forged button)."""
        try:
            mask_hex, questions, answers, counts = raw.split(".")
            mask = int(mask_hex, 16)
            if (mask >= 1 << len(SIGN_ORDER) or len(questions) != len(answers) or len(counts) != 2
                    or not set(answers) <= set("-yn")):
                return None
            return cls(frozenset(s for i, s in enumerate(SIGN_ORDER) if mask >> i & 1),
                       tuple(int(q) for q in questions),
                       tuple(None if a == "-" else a == "y" for a in answers), int(counts[0]), int(counts[1]))
        except ValueError:
            return None


class Checker:
    """Cek PT and Cek tawaran over one validated bundle."""

    def __init__(self, bundle: Bundle) -> None:
        self.rules = bundle.offer_rules
        self.index = CompanyIndex(bundle.p3mi) if bundle.p3mi is not None else None

    @property
    def available(self) -> bool:
        return self.rules is not None and self.index is not None

    def reply_for_text(self, text: str) -> Reply:
        """A company question gets Cek PT; anything else is read as an offer."""
        return self.company_reply(text) if is_company_question(text) else self.offer_reply(text)

    # Cek PT -----------------------------------------------------------------------------------
    def company(self, query: str) -> CompanyCheck | None:
        return self.index.check(query) if self.index is not None else None

    def company_reply(self, query: str) -> Reply:
        result = self.company(query)
        if result is None or not query.strip():
            return Reply(text=EMPTY_NAME, kind="check")
        return self.company_result_reply(result)

    def company_result_reply(self, result: CompanyCheck) -> Reply:
        date = result.copy_date.strftime("%d-%m-%Y")
        if result.status == "found":
            company = result.matches[0]
            text = "\n\n".join((FOUND.format(name=company.name, date=date, licence=company.licence or NO_LICENCE),
                                FOUND_MEANS, CONFIRM_WHERE))
            return Reply(text=text, kind="check", buttons=((Button(label="📋 Menu", action="menu"),),))
        shown = shown_name(result.query)
        if result.status == "similar":
            rows = tuple((Button(label=c.name, action=f"{COMPANY_ACTION}:{c.id}"),) for c in result.matches)
            text = "\n\n".join((SIMILAR.format(query=shown, date=date), SIMILAR_HINT))
            return Reply(text=text, kind="check", buttons=rows + ((Button(label="📋 Menu", action="menu"),),))
        text = "\n\n".join((NOT_FOUND.format(query=shown, date=date), NOT_FOUND_MEANS, CONFIRM_WHERE))
        return Reply(text=text, kind="check", buttons=((Button(label="📋 Menu", action="menu"),),))

    def company_by_id(self, company_id: str) -> Reply:
        """A similar-name button: the company chosen, answered as found."""
        company = self.index.by_id(company_id) if self.index is not None else None
        if company is None or self.index is None:
            return Reply(text=EMPTY_NAME, kind="check")
        return self.company_result_reply(CompanyCheck(company.name, "found", (company,), self.index.copy_date))

    # Cek tawaran -------------------------------------------------------------------------------
    def offer(self, text: str) -> OfferCheck | None:
        if self.rules is None:
            return None
        return check_offer(self.rules, self.index, text)

    def offer_reply(self, text: str) -> Reply:
        """The first result for a pasted or forwarded offer."""
        if self.rules is None:
            return Reply(text=PROMPT, kind="check")
        signs = frozenset(find_signs(self.rules, text))
        result = self.offer(text)
        assert result is not None
        state = OfferState(signs, tuple(self.rules.questions.index(q) for q in result.questions),
                           tuple(None for _ in result.questions),
                           sum(c.status == "found" for c in result.companies),
                           sum(c.status != "found" for c in result.companies))
        return self._offer_reply(result, state)

    def _result_of(self, state: OfferState) -> OfferCheck:
        assert self.rules is not None
        questions = tuple(self.rules.questions[i] for i in state.questions)
        answers = {q.id: a for q, a in zip(questions, state.answers, strict=True) if a is not None}
        return build(self.rules, state.signs, (), answers, questions)

    def answer(self, raw_state: str) -> Reply | None:
        """A yes/no button: the result again with that answer; None for a malformed button."""
        state = OfferState.decode(raw_state)
        if self.rules is None or state is None or any(q >= len(self.rules.questions) for q in state.questions):
            return None
        return self._offer_reply(self._result_of(state), state)

    def _offer_reply(self, result: OfferCheck, state: OfferState) -> Reply:
        lines = [self.headline(result), ""]
        if result.warnings:
            lines.append(f"*{WARNINGS_TITLE}*")
            lines += [f"• *{self._title(f.id)}*: {f.text}" for f in result.warnings]
            lines.append("")
        if result.good:
            lines.append(f"*{GOOD_TITLE}*")
            lines += [f"• {self._title(f.id)}" for f in result.good]
            lines.append("")
        if result.companies:
            lines.append(f"*{COMPANIES_TITLE}*")
            lines += [self._company_line(c) for c in result.companies]
            lines.append("")
        elif state.found or state.other:
            lines += [f"*{COMPANIES_TITLE}*", COMPANY_COUNTS.format(found=state.found, other=state.other,
                                                                    date=self._copy_date()), ""]
        lines.append(NEXT_STEPS[result.verdict])
        open_questions = result.open_questions
        rows: list[tuple[Button, ...]] = []
        if open_questions:
            question = open_questions[0]
            position = result.questions.index(question)
            lines += ["", QUESTION.format(number=position + 1, total=len(result.questions), text=question.text)]
            rows.append(tuple(
                Button(label=label, action=f"{ANSWER_ACTION}:{self._with_answer(state, position, value).encode()}")
                for label, value in ((YES, True), (NO, False))))
        lines += ["", CAVEAT]
        rows.append((Button(label=CARD_BUTTON, action=f"{CARD_ACTION}:{state.encode()}"),))
        rows.append((Button(label="📋 Menu", action="menu"),))
        return Reply(text="\n".join(lines), kind="check", buttons=tuple(rows))

    @staticmethod
    def _with_answer(state: OfferState, position: int, value: bool) -> OfferState:
        answers = list(state.answers)
        answers[position] = value
        return OfferState(state.signs, state.questions, tuple(answers), state.found, state.other)

    def _copy_date(self) -> str:
        return self.index.copy_date.strftime("%d-%m-%Y") if self.index is not None else "-"

    def _title(self, sign_id: str) -> str:
        assert self.rules is not None
        return self.rules.sign(sign_id).title

    def _company_line(self, check: CompanyCheck) -> str:
        date = check.copy_date.strftime("%d-%m-%Y")
        if check.status == "found":
            company = check.matches[0]
            return "• " + FOUND.format(name=company.name, date=date, licence=company.licence or NO_LICENCE)
        if check.status == "similar":
            names = ", ".join(c.name for c in check.matches)
            return f"• {NOT_FOUND.format(query=check.query, date=date)} Nama mirip: {names}."
        return "• " + NOT_FOUND.format(query=check.query, date=date)

    @staticmethod
    def headline(result: OfferCheck) -> str:
        if result.verdict == "bahaya" and len(result.warnings) >= 3:
            return HEADLINES["bahaya_banyak"]
        return HEADLINES[result.verdict]

    def card(self, raw_state: str) -> tuple[str, str, tuple[tuple[str, tuple[str, ...]], ...], str] | None:
        """What the share card shows (verdict, headline, sections, next step), or None for a malformed button."""
        state = OfferState.decode(raw_state)
        if self.rules is None or state is None or any(q >= len(self.rules.questions) for q in state.questions):
            return None
        result = self._result_of(state)
        sections: list[tuple[str, tuple[str, ...]]] = []
        if result.warnings:
            sections.append((WARNINGS_TITLE, tuple(f"{self._title(f.id)}: {f.text}" for f in result.warnings)))
        if result.good:
            sections.append((GOOD_TITLE, tuple(self._title(f.id) for f in result.good)))
        if state.found or state.other:
            sections.append((COMPANIES_TITLE, (COMPANY_COUNTS.format(found=state.found, other=state.other,
                                                                     date=self._copy_date()),)))
        plain_headline = self.headline(result).replace("*", "")
        return result.verdict, plain_headline, tuple(sections), NEXT_STEPS[result.verdict].replace("*", "")


_CACHE: dict[int, tuple[Bundle, Checker]] = {}


def checker_for(bundle: Bundle) -> Checker:
    """One Checker per loaded bundle (the live bot swaps bundles on reload)."""
    cached = _CACHE.get(id(bundle))
    if cached is not None and cached[0] is bundle:
        return cached[1]
    checker = Checker(bundle)
    _CACHE.clear()  # only the current bundle is served
    _CACHE[id(bundle)] = (bundle, checker)
    return checker
