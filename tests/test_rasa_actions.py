"""The Rasa actions, run the way rasa-sdk runs them: a Tracker from a dict, a CollectingDispatcher."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

pytest.importorskip("rasa_sdk")

from rasa_sdk import Tracker  # noqa: E402
from rasa_sdk.executor import CollectingDispatcher  # noqa: E402

from bot.actions import ActionDarurat, ActionJawab  # noqa: E402
from bot.content.markup import to_plain  # noqa: E402
from bot.core.conversation import Engine  # noqa: E402
from bot.rasa import actions  # noqa: E402
from tests.conftest import INTENTS, KNOWLEDGE, ROOT  # noqa: E402

DANGER = "tolong saya dikunci di kamar sama majikan"


def tracker(text: str, intent: str | None, confidence: float = 1.0) -> Tracker:
    """A tracker as Rasa sends it after a user message (only the fields the actions read matter)."""
    latest: dict[str, Any] = {"text": text, "entities": [], "intent_ranking": []}
    if intent is not None:
        latest["intent"] = {"name": intent, "confidence": confidence}
        latest["intent_ranking"] = [{"name": intent, "confidence": confidence}]
    return Tracker.from_dict({"sender_id": "uji", "slots": {}, "latest_message": latest, "events": [],
                              "latest_action_name": "action_listen"})


def run(action: ActionJawab | ActionDarurat, state: Tracker) -> list[dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    assert action.run(dispatcher, state, {}) == []
    return dispatcher.messages


def answer_text(engine: Engine, topic: str) -> str:
    return to_plain(engine.answer(topic).text)


def payloads(message: dict[str, Any]) -> list[str]:
    return [b["payload"] for b in message["buttons"]]


def test_names_match_the_exported_domain() -> None:
    assert (ActionJawab().name(), ActionDarurat().name()) == ("action_jawab", "action_darurat")


@pytest.mark.parametrize("topic", ["syarat_pmi", "kontak_pusat", "paspor_ditahan", "lapor_tppo"])
def test_confident_topic_intent_answers_that_topic_with_related_buttons(engine: Engine, topic: str) -> None:
    # Rasa names the intent; the text only has to be harmless (a bare "paspor ditahan" may read as danger).
    [message] = run(ActionJawab(engine), tracker("tolong jelaskan topik ini", topic, 0.93))
    assert message["text"] == answer_text(engine, topic)
    related = engine.kb.topics[topic].related
    assert payloads(message) == [f"more:{topic}"] + [f"/{r}" for r in related] + ["menu"]
    assert [b["title"] for b in message["buttons"][1:-1]] == [engine.kb.topics[r].title for r in related]


def test_rasa_wins_when_it_is_sure_even_if_our_matcher_would_say_otherwise(engine: Engine) -> None:
    [message] = run(ActionJawab(engine), tracker("syarat jadi pmi", "kontak_pusat", 0.9))
    assert message["text"] == answer_text(engine, "kontak_pusat")


@pytest.mark.parametrize(("text", "intent", "confidence"), [
    pytest.param("syarat jadi pmi", "kontak_pusat", 0.05, id="below-threshold"),
    pytest.param("apa saja dokumen untuk daftar pmi", "nlu_fallback", 0.7, id="nlu_fallback"),
    pytest.param("resep kue cucur", "out_of_scope", 1.0, id="out_of_scope"),
    pytest.param("syarat jadi pmi", "cuaca_besok", 0.99, id="unknown-intent"),
    pytest.param("syarat jadi pmi", None, 0.0, id="no-intent"),
])
def test_unsure_or_foreign_intents_use_our_own_matcher(engine: Engine, text: str, intent: str | None,
                                                       confidence: float) -> None:
    [message] = run(ActionJawab(engine), tracker(text, intent, confidence))
    assert message["text"] == to_plain(engine.respond(text).text)


def test_below_threshold_still_finds_the_topic_in_the_words(engine: Engine) -> None:
    [message] = run(ActionJawab(engine), tracker("syarat jadi pmi", "kontak_pusat", engine.threshold - 0.01))
    assert message["text"] == answer_text(engine, "syarat_pmi")


def test_out_of_scope_gets_the_fallback_with_human_contacts(engine: Engine) -> None:
    [message] = run(ActionJawab(engine), tracker("resep kue cucur", "out_of_scope", 1.0))
    assert message["text"].startswith("Maaf, saya belum mengerti pertanyaan itu.")
    assert "KP2MI 0800-1000" in message["text"]


def test_danger_in_the_words_wins_over_a_confident_other_intent(engine: Engine) -> None:
    [message] = run(ActionJawab(engine), tracker(DANGER, "biaya_penempatan", 0.99))
    assert message["text"].startswith(answer_text(engine, "darurat"))
    # Rasa's topic is still offered, first, for after the person is safe.
    assert payloads(message)[0] == "/biaya_penempatan"


def test_danger_with_nlu_fallback_is_still_an_emergency(engine: Engine) -> None:
    [message] = run(ActionJawab(engine), tracker(DANGER, "nlu_fallback", 0.4))
    assert message["text"].startswith(answer_text(engine, "darurat"))


def test_a_denied_danger_phrase_is_not_an_emergency(engine: Engine) -> None:
    [message] = run(ActionJawab(engine), tracker("saya tidak dikunci, cuma mau tanya biaya", "biaya_penempatan", 0.9))
    assert message["text"] == answer_text(engine, "biaya_penempatan")


def test_button_payload_is_answered_without_reading_the_slash_as_words(engine: Engine) -> None:
    [message] = run(ActionJawab(engine), tracker("/kontak_pusat", "kontak_pusat", 1.0))
    assert message["text"] == answer_text(engine, "kontak_pusat")


@pytest.mark.parametrize(("text", "kind"), [("menu", "menu"), ("group:kontak", "group"), ("topic:ltsa", "answer"),
                                                   ("more:ltsa", "details")])
def test_menu_and_group_buttons_come_back_as_text_and_navigate(engine: Engine, text: str, kind: str) -> None:
    [message] = run(ActionJawab(engine), tracker(text, "syarat_pmi", 0.8))
    reply = engine.handle(text)
    assert reply.kind == kind
    assert message["text"] == to_plain(reply.text)
    if kind == "group":
        group = engine.kb.group("kontak")
        assert group is not None
        assert payloads(message) == [f"/{t}" for t in group.topics] + ["menu"]
    if kind == "menu":
        assert payloads(message) == [f"group:{g.id}" for g in engine.kb.groups] + ["cek"]


def test_empty_latest_message_gets_the_prompt_not_a_crash(engine: Engine) -> None:
    state = Tracker.from_dict({"sender_id": "uji", "latest_message": {}, "events": []})
    [message] = run(ActionJawab(engine), state)
    assert message["text"] == to_plain(engine.respond("").text)


def test_action_darurat_sends_the_emergency_contacts_whatever_was_said(engine: Engine) -> None:
    [message] = run(ActionDarurat(engine), tracker("syarat jadi pmi", "syarat_pmi", 0.99))
    assert message["text"] == answer_text(engine, "darurat")
    assert "110" in message["text"] and "129" in message["text"]


def test_engine_is_not_loaded_at_import_time() -> None:
    code = ("import os, sys\n"
            "os.environ['KAWAN_KNOWLEDGE'] = '/folder/yang/tidak/ada'\n"
            "import bot.actions\n"
            "print(bot.actions.shared_engine.cache_info().currsize)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "0"


@pytest.mark.slow
def test_actions_load_the_engine_once_from_the_environment(monkeypatch: pytest.MonkeyPatch, engine: Engine) -> None:
    monkeypatch.setenv("KAWAN_KNOWLEDGE", str(KNOWLEDGE))
    monkeypatch.setenv("KAWAN_INTENTS", str(INTENTS))
    actions.shared_engine.cache_clear()
    try:
        first = run(ActionJawab(), tracker("syarat jadi pmi", "syarat_pmi", 0.9))
        second = run(ActionDarurat(), tracker("halo", "sapaan", 0.9))
        assert first[0]["text"] == answer_text(engine, "syarat_pmi")
        assert second[0]["text"] == answer_text(engine, "darurat")
        info = actions.shared_engine.cache_info()
        assert (info.misses, info.currsize) == (1, 1)
    finally:
        actions.shared_engine.cache_clear()
