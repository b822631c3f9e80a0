"""The letter n-gram regression: its n-grams, and its probabilities equal scikit-learn's TF-IDF + regression."""

from __future__ import annotations

import pytest

from bot.core.letter_model import LetterModel, fit, grams, word_grams

EXAMPLES = [
    ("gaji saya belum dibayar", 0), ("majikan tidak bayar gaji", 0), ("gaji telat tiga bulan", 0),
    ("cara buat paspor", 1), ("syarat paspor untuk kerja", 1), ("paspor hilang bagaimana", 1),
    ("nomor bp3mi kupang", 2), ("alamat kantor bp3mi", 2), ("telepon bp3mi ntt", 2),
]


@pytest.mark.parametrize(("word", "expected"), [
    ("aku", (" a", "ak", "ku", "u ", " ak", "aku", "ku ", " aku", "aku ", " aku ")),
    ("a", (" a", "a ", " a ")),
], ids=["three-letters", "one-letter"])
def test_word_grams_are_padded_2_to_5_grams(word: str, expected: tuple[str, ...]) -> None:
    assert word_grams(word) == expected


def test_grams_count_repeats_across_words() -> None:
    assert grams(["ka", "ka"])[" ka "] == 2


def _model() -> LetterModel:
    return fit([text.split() for text, _ in EXAMPLES], [label for _, label in EXAMPLES], 4)


def test_probabilities_match_scikit_learn() -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline

    def analyse(text: str) -> list[str]:
        return [g for word in text.split() for g in word_grams(word)]

    reference = make_pipeline(TfidfVectorizer(analyzer=analyse, sublinear_tf=True),
                              LogisticRegression(C=10.0, max_iter=3000))
    reference.fit([text for text, _ in EXAMPLES], [label for _, label in EXAMPLES])
    model = _model()
    for message in ("gaji saya telat", "paspor saya hilang", "kantor bp3mi di mana", "kakaka zzz"):
        ours = model.probabilities(message.split())
        theirs = reference.predict_proba([message])[0]
        assert ours[:3] == pytest.approx(list(theirs), abs=1e-6)
        assert ours[3] == pytest.approx(0.0, abs=1e-12)  # no examples: never a candidate


def test_cache_round_trip_keeps_the_probabilities() -> None:
    model = _model()
    again = LetterModel.unpack(model.pack())
    for message in ("gaji belum dibayar", "bp3mi", ""):
        assert again.probabilities(message.split()) == pytest.approx(model.probabilities(message.split()))


def test_unknown_letters_give_the_prior() -> None:
    model = _model()
    assert model.probabilities(["qqqq"]) == pytest.approx(model.probabilities([]))
