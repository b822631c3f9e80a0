"""`kawan actions`: the real rasa-sdk action server as a process, called over HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from bot.cli import main
from bot.content.markup import to_plain
from bot.core.conversation import Engine
from tests.conftest import ROOT
from tests.processes import free_port, stop_process_group

# Every test here talks to `kawan actions` running as a real process (several seconds to start).
pytestmark = pytest.mark.slow

START_TIMEOUT = 60.0


def http(method: str, url: str, body: bytes | None = None) -> tuple[int, Any]:
    request = urllib.request.Request(url, data=body, method=method, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    pytest.importorskip("rasa_sdk")
    port = free_port()
    # Its own session, so teardown can stop the server and the worker it spawns by this one process group id.
    process = subprocess.Popen([sys.executable, "-m", "bot", "actions", "--port", str(port), "--host", "127.0.0.1"],
                               cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                               start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + START_TIMEOUT
    try:
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                pytest.fail(f"server aksi berhenti (kode {process.returncode}):\n{output}")
            try:
                if http("GET", f"{base}/health")[0] == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("server aksi tidak siap dalam 60 detik")
            time.sleep(0.3)
        yield base
    finally:
        stop_process_group(process, timeout=15)
        if process.stdout:
            process.stdout.close()


def action_call(action: str, text: str, intent: str, confidence: float) -> dict[str, Any]:
    """The body Rasa 3.6 POSTs to the action server after a user message."""
    user = {"event": "user", "timestamp": 1_700_000_000.0, "text": text, "input_channel": "rest",
            "parse_data": {"intent": {"name": intent, "confidence": confidence}, "entities": [],
                           "intent_ranking": [{"name": intent, "confidence": confidence}], "text": text}}
    return {
        "next_action": action,
        "sender_id": "uji-http",
        "version": "3.6.21",
        "tracker": {
            "sender_id": "uji-http", "slots": {}, "paused": False, "followup_action": None, "active_loop": {},
            "latest_message": {"text": text, "intent": {"name": intent, "confidence": confidence}, "entities": [],
                               "intent_ranking": [{"name": intent, "confidence": confidence}],
                               "message_id": "m1", "metadata": {}},
            "latest_event_time": 1_700_000_000.0, "latest_input_channel": "rest",
            "latest_action": {"action_name": "action_listen"}, "latest_action_name": "action_listen",
            "events": [{"event": "action", "name": "action_session_start", "timestamp": 1_699_999_999.0},
                       {"event": "session_started", "timestamp": 1_699_999_999.0},
                       {"event": "action", "name": "action_listen", "timestamp": 1_699_999_999.5}, user],
        },
        "domain": {"version": "3.1", "intents": [intent], "actions": ["action_jawab", "action_darurat"],
                   "session_config": {"session_expiration_time": 60, "carry_over_slots_to_new_session": True}},
    }


def post(base: str, payload: object) -> tuple[int, Any]:
    return http("POST", f"{base}/webhook", json.dumps(payload).encode())


def test_health(server: str) -> None:
    assert http("GET", f"{server}/health") == (200, {"status": "ok"})


def test_lists_both_actions(server: str) -> None:
    status, body = http("GET", f"{server}/actions")
    assert status == 200
    assert sorted(a["name"] for a in body) == ["action_darurat", "action_jawab"]


@pytest.mark.parametrize("topic", ["syarat_pmi", "cek_perusahaan", "kontak_pusat", "paspor_ditahan", "lapor_tppo"])
def test_topic_intents_get_the_knowledge_answer(server: str, engine: Engine, topic: str) -> None:
    # The text only has to be harmless: Rasa names the intent, and a bare "paspor ditahan" may read as danger.
    status, body = post(server, action_call("action_jawab", "tolong jelaskan topik ini", topic, 0.91))
    assert status == 200
    assert body["events"] == []
    [message] = body["responses"]
    assert message["text"] == to_plain(engine.answer(topic).text)
    related = [f"/{r}" for r in engine.kb.topics[topic].related]
    assert [b["payload"] for b in message["buttons"]] == [f"more:{topic}", *related, "menu"]


def test_nlu_fallback_uses_our_matcher(server: str, engine: Engine) -> None:
    text = "kalau mau kerja ke luar negeri syaratnya apa saja"
    status, body = post(server, action_call("action_jawab", text, "nlu_fallback", 0.42))
    assert status == 200
    assert body["responses"][0]["text"] == to_plain(engine.respond(text).text)


def test_out_of_scope_gets_the_fallback(server: str, engine: Engine) -> None:
    status, body = post(server, action_call("action_jawab", "resep kue cucur", "out_of_scope", 0.99))
    assert status == 200
    assert body["responses"][0]["text"].startswith("Maaf, saya belum mengerti pertanyaan itu.")


def test_emergency_words_come_first_whatever_the_intent(server: str, engine: Engine) -> None:
    text = "tolong sy dipukul majikan dan dikunci di kamar"
    status, body = post(server, action_call("action_jawab", text, "gaji_tidak_dibayar", 0.97))
    assert status == 200
    assert body["responses"][0]["text"].startswith(to_plain(engine.answer("darurat").text))


def test_action_darurat(server: str, engine: Engine) -> None:
    status, body = post(server, action_call("action_darurat", "halo", "sapaan", 0.99))
    assert status == 200
    assert body["responses"][0]["text"] == to_plain(engine.answer("darurat").text)


def test_unknown_action_is_an_error_json_not_a_crash(server: str) -> None:
    status, body = post(server, action_call("action_tidak_ada", "halo", "sapaan", 0.99))
    assert status == 404
    assert body == {"error": "No registered action found for name 'action_tidak_ada'.", "action_name": "action_tidak_ada"}
    assert http("GET", f"{server}/health")[0] == 200


def test_malformed_json_is_a_400_json(server: str) -> None:
    status, body = http("POST", f"{server}/webhook", b'{"next_action": "action_jawab", ')
    assert status == 400
    assert "json" in body["message"].lower()
    assert http("GET", f"{server}/health")[0] == 200


def test_a_call_without_tracker_is_an_error_json(server: str) -> None:
    status, body = post(server, {"next_action": "action_jawab"})
    assert status == 500
    assert "error" in body
    assert http("GET", f"{server}/health")[0] == 200


def test_missing_rasa_sdk_says_how_to_install_it(capsys: pytest.CaptureFixture[str],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes `import rasa_sdk...` fail exactly as if it were not installed.
    monkeypatch.setitem(sys.modules, "rasa_sdk", None)
    monkeypatch.setitem(sys.modules, "rasa_sdk.endpoint", None)
    assert main(["actions"]) == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == ("rasa-sdk belum terpasang, jadi server aksi Rasa tidak bisa dijalankan.\n"
                   "Pasang dulu dari folder proyek:  pip install -e \".[rasa]\"\n"
                   "lalu jalankan lagi:  kawan actions\n")
