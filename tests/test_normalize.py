"""Normalisation tables: how people type on phones -> standard Indonesian tokens."""

from __future__ import annotations

import pytest

from bot.core.bounds import MAX_INPUT
from bot.core.normalize import MAX_CHARS, Normalizer, basic_tokens, phrase

LEXICON = {
    phrase("gmn"): phrase("bagaimana"),
    phrase("son"): phrase("tidak"),
    phrase("sonde"): phrase("tidak"),
    phrase("gak"): phrase("tidak"),
    phrase("beta"): phrase("saya"),
    phrase("pi"): phrase("pergi"),
    phrase("karja"): phrase("kerja"),
    phrase("brp"): phrase("berapa"),
    phrase("knp"): phrase("kenapa"),
}
NORMALIZER = Normalizer.build(LEXICON, ["maaf", "tolong", "saat"])


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Gmn crnya?", "bagaimana crnya"),
        ("beta mau pi karja di Malaysia, son ada paspor", "saya mau pergi kerja di malaysia tidak ada paspor"),
        ("TOLONGGG!!!", "tolong"),
        ("maaaaf", "maaf"),
        ("saaaat ini", "saat ini"),
        ("hati2 ya", "hati hati ya"),
        ("anak-anak saya", "anak anak saya"),
        ("BP3MI NTT", "bp3mi ntt"),
        ("biaya brp?? 😭😭", "biaya berapa"),
        ("knp gak boleh", "kenapa tidak boleh"),
        ("sonde", "tidak"),
        ("\u200fparsport\u200e", "parsport"),
        ("<b>halo</b> <script>x</script>", "halo x"),
        ("Café ÉNDE", "cafe ende"),
        ("Ｐａｓｐｏｒ", "paspor"),
        ("umur 17 thn", "umur 17 thn"),
        ("", ""),
        ("🙏🙏🙏", ""),
    ],
    ids=lambda value: value if isinstance(value, str) and value else repr(value),
)
def test_normalize(raw: str, expected: str) -> None:
    assert NORMALIZER.normalize(raw) == expected


@pytest.mark.parametrize("word", ["tidak", "bukan", "jangan", "belum", "apa", "bagaimana", "berapa", "kenapa", "siapa"])
def test_negations_and_question_words_survive(word: str) -> None:
    assert word in NORMALIZER.tokens(f"saya {word} paham")


def test_a_huge_message_is_cut_by_the_backstop_above_the_input_bound() -> None:
    tokens = basic_tokens("paspor " * 5000)
    assert MAX_INPUT // len("paspor ") < len(tokens) <= MAX_CHARS // len("paspor ") + 1


def test_multi_word_lexicon_entries_win_over_single_words() -> None:
    normalizer = Normalizer.build({phrase("jalur tikus"): phrase("jalur ilegal"), phrase("tikus"): phrase("hewan")})
    assert normalizer.normalize("lewat jalur tikus") == "lewat jalur ilegal"
    assert normalizer.normalize("ada tikus") == "ada hewan"


def _real_normalizer() -> Normalizer:
    from pathlib import Path

    from bot.content.training import read_training

    training, problems = read_training(Path(__file__).resolve().parent.parent / "intents")
    assert training is not None, problems
    return Normalizer.build(training.lexicon)


REAL = _real_normalizer()


@pytest.mark.parametrize(("raw", "expected"), [
    ("beta son tau mau pi mana", "saya tidak tahu mau ke mana"),
    ("bosong su dapa gaji ko", "kalian sudah dapat gaji ko"),
    ("dong dapa pukul", "mereka dipukul"),
    ("how much agency fee", "berapa biaya penempatan"),
    ("my employer keeps my passport", "saya majikan keeps saya paspor"),
    ("is it legit", "is it resmi"),
    ("visa run ke malaysia", "visa turis ke malaysia"),
    ("i don't have a contract", "saya tidak have a kontrak"),
    ("bp tiga mi kupang", "bp3mi kupang"),
    ("tarima kasi kaka", "terima kasih kakak"),
    ("gpp kaka", "tidak apa apa kakak"),
], ids=lambda value: value)
def test_real_lexicon(raw: str, expected: str) -> None:
    assert REAL.normalize(raw) == expected


@pytest.mark.parametrize("word", ["tidak", "bukan", "jangan", "belum", "apa", "siapa", "mana", "kapan", "berapa",
                                  "bagaimana", "kenapa", "dipukul", "dikurung", "disekap", "diancam", "tolong"])
def test_real_lexicon_keeps_negations_question_and_danger_words(word: str) -> None:
    assert word in REAL.tokens(f"saya {word} itu")
