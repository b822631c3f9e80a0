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
from bot.core.bounds import MAX_INPUT, bound
from bot.core.conversation import Engine, Reply
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


def test_close_call_offers_choices(engine: Engine) -> None:
    reply = engine.respond("biaya paspor")  # making a passport vs a passport held by the employer
    assert reply.kind == "clarify" and reply.text == "Maksud Anda:"
    topics = [b.action for row in reply.buttons for b in row if b.action.startswith("topic:")]
    assert 2 <= len(topics) <= 3 and topics[0] == f"topic:{reply.topic}"
    assert reply.alternatives and reply.topic not in reply.alternatives


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
