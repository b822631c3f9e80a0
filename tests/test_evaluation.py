"""Scoring predictions: an emergency card that also answered a topic counts for both, a fallback for neither."""

from __future__ import annotations

import pytest

from bot.core.evaluation import engine_prediction, labels, right, score


@pytest.mark.parametrize(("kind", "topic", "answered", "expected"), [
    ("answer", "bpjs_pmi", None, "bpjs_pmi"),
    ("fallback", "bpjs_pmi", None, None),
    ("emergency", "darurat_anak", None, "darurat"),
    ("emergency", "darurat_anak", "anak_dibawa_kerja", ("darurat", "anak_dibawa_kerja")),
], ids=["answer", "fallback", "card", "card_with_answer"])
def test_engine_prediction(kind: str, topic: str, answered: str | None, expected: object) -> None:
    assert engine_prediction(kind, topic, answered) == expected


def test_a_card_with_an_answer_counts_for_both_topics_and_is_not_a_rejection() -> None:
    both = ("darurat", "anak_dibawa_kerja")
    scores = score(["darurat", "anak_dibawa_kerja", "bpjs_pmi", None, None],
                   [both, both, both, both, None])
    assert scores.in_scope_accuracy == pytest.approx(2 / 3)
    assert scores.oos_rejection == 0.5
    precision, recall, support = scores.per_topic["anak_dibawa_kerja"]
    assert precision == pytest.approx(1 / 4) and (recall, support) == (1.0, 1)
    assert ("bpjs_pmi", "darurat", 1) in scores.confused and ("out_of_scope", "darurat", 1) in scores.confused
    assert labels(None) == () and labels("x") == ("x",)
    assert right(None, None) and not right(None, "x") and right("x", both + ("x",)) and not right("x", None)
