"""The conversation core: golden conversations, navigation, emergencies and bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.content.markup import to_plain
from bot.core import texts
from bot.core.bounds import MAX_INPUT, bound
from bot.core.conversation import Engine, Reply
from bot.core.matcher import Match
from tests.conftest import INTENTS, KNOWLEDGE, ROOT

GOLDEN = Path(__file__).parent / "golden"


def _conversations() -> list[tuple[str, list[dict]]]:
    out = []
    for path in sorted(GOLDEN.glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            out.append((conversation["name"], conversation["steps"]))
    return out


def _check(reply: Reply, step: dict) -> None:
    if "topic" in step:
        shown = None if reply.kind in ("fallback", "empty") else reply.topic
        assert shown == step["topic"], (reply.kind, reply.topic, reply.alternatives)
    if "kind" in step:
        assert reply.kind == step["kind"]
    if "answered" in step:
        assert reply.answered == step["answered"], (reply.kind, reply.topic, reply.alternatives)
    if "emergency" in step:
        assert reply.emergency is step["emergency"]
    if "contains" in step:
        assert step["contains"] in to_plain(reply.text)
    for wanted in step.get("buttons", []):
        buttons = [b for row in reply.buttons for b in row]
        assert any(wanted in (b.label, b.action) for b in buttons), wanted


@pytest.mark.parametrize(("name", "steps"), _conversations(), ids=[c[0] for c in _conversations()])
def test_golden_conversation(engine: Engine, name: str, steps: list[dict]) -> None:
    for step in steps:
        reply = engine.respond(step["say"]) if "say" in step else engine.handle(step["press"])
        _check(reply, step)


BAD_INPUTS = {
    "empty": "",
    "blank": " \n\t ",
    "ten_thousand_chars": "saya mau kerja di malaysia " * 400,
    "binary_junk": "\x00\x01\xff\ufffd\x7f" * 50,
    "only_emoji": "😭🙏🔥💯",
    "rtl_marks": "\u200f\u202e\u202bمرحبا\u202c",
    "html_looking": "<script>alert(1)</script><b>paspor</b>",
    "markup_looking": "*bold* [x](javascript:alert(1))",
    "surrogate_like": "paspor \udcff",
}


@pytest.mark.parametrize("text", BAD_INPUTS.values(), ids=BAD_INPUTS.keys())
def test_bad_input_gets_a_sensible_reply(engine: Engine, text: str) -> None:
    reply = engine.respond(text)
    assert reply.text.strip()
    assert reply.buttons
    assert 0.0 <= reply.confidence <= 1.0


def test_non_string_input_is_treated_as_empty(engine: Engine) -> None:
    assert engine.respond(None).kind == "empty"  # type: ignore[arg-type]


# Prints repr() of each reply, so every field (full-precision confidence, order of alternatives) is compared.
REPLIES_SCRIPT = """
import json, sys
from pathlib import Path
from bot.core.conversation import Engine
knowledge, intents = sys.argv[1:3]
engine = Engine.from_dirs(Path(knowledge), Path(intents))
print(json.dumps([repr(engine.respond(text)) for text in json.load(sys.stdin)]))
"""
# Typos, slang and near ties: where set or dict order could leak into ranking or spelling correction.
VARIED = ["gmn cara cek PT resmi", "brp biaya jadi tki?", "pasport sy ditahn majikn", "beta mau pi karja di Malaysia",
          "son ada paspor", "tolong saya dikurung", "siapa pemenang piala dunia", "kontak", "gaji", "pt", "lpk ltsa blk"]


def replies_in_a_new_process(texts: list[str], hash_seed: str) -> list[str]:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run([sys.executable, "-c", REPLIES_SCRIPT, str(KNOWLEDGE), str(INTENTS)], input=json.dumps(texts),
                            capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=True)
    return json.loads(result.stdout)


@pytest.mark.slow
def test_same_input_same_reply_across_processes(engine: Engine) -> None:
    texts = VARIED + list(BAD_INPUTS.values()) + [step["say"] for _, steps in _conversations() for step in steps
                                                   if "say" in step]
    first = replies_in_a_new_process(texts, "1")
    assert replies_in_a_new_process(texts, "2") == first
    assert [repr(engine.respond(text)) for text in texts] == first


def test_welcome_offers_every_group(engine: Engine) -> None:
    reply = engine.welcome()
    assert [b.action for row in reply.buttons for b in row] == [f"group:{g.id}" for g in engine.kb.groups] + ["cek"]


def test_every_answer_links_related_topics_and_menu(engine: Engine) -> None:
    for topic in engine.kb.topics.values():
        actions = [b.action for row in engine.answer(topic.id).buttons for b in row]
        more = [f"more:{topic.id}"] if topic.details or topic.show_sources else []
        assert actions == more + [f"topic:{r}" for r in topic.related] + ["menu"]


def test_unknown_action_returns_the_menu(engine: Engine) -> None:
    reply = engine.handle("topic:tidak_ada")
    assert reply.kind == "menu" and "tidak ada" in reply.text


def test_denied_danger_is_not_an_emergency(engine: Engine) -> None:
    assert not engine.respond("saya tidak dipukul tapi gaji belum dibayar 3 bulan").emergency


def test_danger_at_the_end_of_a_long_message_is_read(engine: Engine) -> None:
    """A 2,144-character story ending in danger got "Maksud Anda:" when only the first 2,000 were read."""
    story = ("saya dulu kerja di kebun dan rumah makan, gaji kecil tapi cukup untuk keluarga di kampung. " * 22)
    text = story + "sekarang saya dikurung di rumah majikan, dipukul, tolong saya"
    assert len(text) > 2000
    assert engine.respond(text).emergency


def test_danger_at_the_end_of_a_100000_character_message_is_read(engine: Engine) -> None:
    text = "cerita panjang tentang kerja di kebun. " * 2600 + "tolong saya dikurung majikan"
    assert len(text) > 100_000
    assert engine.respond(text).emergency


def test_bound_keeps_the_start_and_the_end() -> None:
    text = "awal " + "x" * 10_000 + " akhir"
    bounded = bound(text)
    assert len(bounded) == MAX_INPUT and bounded.startswith("awal ") and bounded.endswith(" akhir")
    assert bound("pendek") == "pendek"


def test_selengkapnya_opens_details_then_every_source_with_its_date(engine: Engine) -> None:
    topic = engine.kb.topics["biaya_penempatan"]
    first = engine.answer(topic.id)
    assert topic.details and topic.details not in first.text and "Sumber" not in first.text
    more = engine.handle(f"more:{topic.id}")
    assert more.kind == "details" and more.topic == topic.id
    assert to_plain(more.text).startswith(to_plain(topic.details))
    assert topic.checked.strftime("%d-%m-%Y") in more.text
    assert all(s.title in more.text for s in topic.sources)
    assert [b.action for row in more.buttons for b in row] == [f"topic:{r}" for r in topic.related] + ["menu"]


def test_an_outlet_without_a_link_is_named_not_linked(engine: Engine) -> None:
    topic = next(t for t in engine.kb.topics.values() if any(not s.url for s in t.sources))
    unlinked = next(s for s in topic.sources if not s.url)
    assert f"- {unlinked.title}" in engine.details(topic.id).text


@pytest.mark.parametrize("topic_id", ["sapaan", "terima_kasih"])
def test_greetings_and_thanks_carry_no_source_footer(engine: Engine, topic_id: str) -> None:
    reply = engine.answer(topic_id)
    assert "Sumber" not in reply.text
    assert not any(b.action.startswith("more:") for row in reply.buttons for b in row)


def test_unknown_more_returns_the_menu(engine: Engine) -> None:
    assert engine.handle("more:tidak_ada").kind == "menu"


def _ranked_as(engine: Engine, monkeypatch: pytest.MonkeyPatch, ranked: tuple[tuple[str, float], ...]) -> None:
    """Make the matcher return these scores, to pin what the engine does with them."""
    monkeypatch.setattr(engine.matcher, "rank_tokens", lambda tokens, limit=5: Match(ranked))


@pytest.mark.parametrize(("ranked", "kind", "topic"), [
    ((("paspor_visa", 0.40), ("paspor_ditahan", 0.38)), "clarify", "paspor_visa"),   # close and not confident
    ((("paspor_visa", 0.40), ("paspor_ditahan", 0.36)), "answer", "paspor_visa"),    # a clear lead
    ((("paspor_visa", 0.60), ("paspor_ditahan", 0.59)), "answer", "paspor_visa"),    # confident enough
    ((("paspor_visa", 0.15), ("bpjs_pmi", 0.04)), "fallback", None),  # below every floor
    ((("paspor_visa", 0.24), ("sapaan", 0.23), ("bpjs_pmi", 0.22)), "clarify", None),  # unsure: guesses, no greeting
    ((("sapaan", 0.18), ("tentang_bot", 0.17)), "fallback", None),  # never offered as a guess
    ((("out_of_scope", 0.9), ("paspor_visa", 0.05)), "fallback", None),
], ids=["close_call", "clear_lead", "confident", "below_every_floor", "unsure_guesses",
        "no_social_guesses", "out_of_scope"])
def test_scores_to_reply(engine: Engine, monkeypatch: pytest.MonkeyPatch, ranked: tuple, kind: str,
                         topic: str | None) -> None:
    _ranked_as(engine, monkeypatch, ranked)
    reply = engine.respond("pertanyaan biasa tentang sesuatu")
    assert (reply.kind, reply.topic) == (kind, topic)
    offered = [b.action for row in reply.buttons for b in row]
    assert not {"topic:sapaan", "topic:terima_kasih", "topic:tentang_bot"} & set(offered)
    if kind == "clarify":
        assert reply.text.startswith("Maksud Anda salah satu ini?") and "110" in reply.text
        assert 1 <= sum(a.startswith("topic:") for a in offered) <= 3


@pytest.mark.parametrize(("text", "topic"), [
    ("terima kasih infonya, terus kalau mau lapor calo ke mana?", "lapor_tppo"),
    ("makasih kak, syarat jadi pmi apa saja?", "syarat_pmi"),
    ("halo kak selamat pagi, bpjs untuk pmi itu wajib atau tidak", "bpjs_pmi"),
    ("makasih kak", "terima_kasih"),
    ("halo kak", "sapaan"),
], ids=lambda v: v)
def test_politeness_never_wins_over_a_question(engine: Engine, text: str, topic: str) -> None:
    assert engine.respond(text).topic == topic


def test_a_second_subject_is_offered_as_the_first_button(engine: Engine) -> None:
    reply = engine.respond("berapa biaya penempatan ke taiwan? satu lagi, bagaimana cara cek perusahaan resmi?")
    assert reply.kind == "answer" and {reply.topic, reply.alternatives[0]} == {"biaya_penempatan", "cek_perusahaan"}
    assert reply.buttons[0][0].action == f"topic:{reply.alternatives[0]}"
    assert len({b.action for row in reply.buttons for b in row}) == sum(len(row) for row in reply.buttons)


DANGER_WORDS = "majikan pukul saya tiap hari dan kunci saya di kamar"


@pytest.mark.parametrize(("ranked", "answered"), [
    ((("paspor_ditahan", 0.40), ("darurat", 0.35)), "paspor_ditahan"),  # the question beside the danger
    ((("darurat", 0.60), ("paspor_ditahan", 0.30)), "paspor_ditahan"),  # second to the emergency topic
    ((("darurat", 0.60), ("paspor_ditahan", 0.15)), None),              # too weak to be the question
    ((("darurat", 0.60), ("darurat_jiwa", 0.5), ("paspor_ditahan", 0.5)), None),  # only the two best count
    ((("sapaan", 0.50), ("paspor_ditahan", 0.10)), None),               # a greeting is not a question
], ids=["top", "second", "weak", "third", "greeting"])
def test_an_emergency_answers_the_question_under_the_numbers(engine: Engine, monkeypatch: pytest.MonkeyPatch,
                                                             ranked: tuple, answered: str | None) -> None:
    _ranked_as(engine, monkeypatch, ranked)
    reply = engine.respond(DANGER_WORDS)
    assert reply.kind == "emergency" and reply.emergency
    assert reply.answered == answered
    card = engine.kb.topics[reply.topic or ""].answer
    assert reply.text.startswith(card)  # the numbers come first, always
    if answered is None:
        assert texts.EMERGENCY_ANSWER not in reply.text
        return
    body = engine.kb.topics[answered].answer
    assert reply.text.index(texts.EMERGENCY_ANSWER) < reply.text.index(body)
    assert answered not in reply.alternatives
    assert [b.action for row in reply.buttons for b in row].count(f"topic:{answered}") == 0
    assert reply.text.endswith(texts.EMERGENCY_ALSO) == bool(reply.alternatives)


def test_a_child_taken_to_work_gets_sapa_129_and_the_answer_about_children(engine: Engine) -> None:
    reply = engine.respond("keponakan saya baru 15 tahun dibawa calo kerja ke kebun sawit, kami harus lapor ke mana?")
    assert reply.kind == "emergency" and reply.topic == "darurat_anak"
    assert reply.answered == "anak_dibawa_kerja"
    assert reply.text.index("129") < reply.text.index(texts.EMERGENCY_ANSWER)


def test_self_harm_gets_only_the_gentle_reply(engine: Engine) -> None:
    reply = engine.respond("saya mau bunuh diri saja, gaji saya tidak dibayar majikan")
    assert reply.topic == "darurat_jiwa" and reply.answered is None
    assert texts.EMERGENCY_ANSWER not in reply.text
