"""The real proof: export, `rasa data validate`, `rasa train`, `rasa run` with our action server, REST questions.

Skipped unless KAWAN_RASA_PYTHON names a Python (3.10 or older) with Rasa Open Source installed, e.g.
    python3.10 -m venv /opt/rasa310 && /opt/rasa310/bin/pip install rasa==3.6.21
    KAWAN_RASA_PYTHON=/opt/rasa310/bin/python pytest -m rasa_full
Training DIET takes several minutes on two cores.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.content.markup import to_plain
from bot.content.validate import load_bundle
from bot.core.conversation import Engine
from bot.rasa.export import project_files, write_project
from tests.conftest import INTENTS, KNOWLEDGE, ROOT
from tests.processes import free_port, stop_process_group

pytestmark = [pytest.mark.rasa_full, pytest.mark.slow]

RASA_PYTHON = os.environ.get("KAWAN_RASA_PYTHON", "")
TRAIN_TIMEOUT = 45 * 60
START_TIMEOUT = 300.0


def _rasa_ready() -> str:
    if not RASA_PYTHON:
        return "KAWAN_RASA_PYTHON tidak diisi"
    if not Path(RASA_PYTHON).is_file():
        return f"KAWAN_RASA_PYTHON={RASA_PYTHON} tidak ada"
    done = subprocess.run([RASA_PYTHON, "-c", "import rasa"], capture_output=True, check=False)
    return "" if done.returncode == 0 else f"Rasa tidak terpasang di {RASA_PYTHON}"


def rasa_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(RASA_TELEMETRY_ENABLED="false", TF_CPP_MIN_LOG_LEVEL="3")
    return env


def rasa(project: Path, *args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    return subprocess.run([RASA_PYTHON, "-m", "rasa", *args], cwd=project, env=rasa_env(), capture_output=True,
                          text=True, timeout=timeout, check=False)


def start(command: list[str], cwd: Path, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    # Own session: teardown stops the process and its workers by this one process group id.
    with log.open("wb") as out:
        return subprocess.Popen(command, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def stop(process: subprocess.Popen[bytes]) -> None:
    stop_process_group(process, timeout=20)


def wait_for(url: str, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"{url} berhenti (kode {process.returncode}):\n{log.read_text(errors='replace')[-4000:]}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(1)
    pytest.fail(f"{url} tidak siap dalam {START_TIMEOUT:.0f} detik:\n{log.read_text(errors='replace')[-4000:]}")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A trained Rasa assistant on loopback, talking to our action server; yields the REST webhook URL."""
    reason = _rasa_ready()
    if reason:
        pytest.skip(reason)
    project = tmp_path_factory.mktemp("rasa") / "proyek"
    files = project_files(load_bundle(KNOWLEDGE, INTENTS))
    actions_port, rasa_port = free_port(), free_port()
    # The exported file points at the default port 5055; the test uses free ports so it can run anywhere.
    files["endpoints.yml"] = files["endpoints.yml"].replace("localhost:5055", f"127.0.0.1:{actions_port}")
    write_project(files, project)

    validated = rasa(project, "data", "validate", timeout=600)
    assert validated.returncode == 0, validated.stdout[-4000:] + validated.stderr[-4000:]
    trained = rasa(project, "train", "--fixed-model-name", "kawan", timeout=TRAIN_TIMEOUT)
    assert trained.returncode == 0, trained.stdout[-4000:] + trained.stderr[-4000:]
    assert (project / "models" / "kawan.tar.gz").is_file()

    actions_log, rasa_log = project / "actions.log", project / "rasa.log"
    actions = start([sys.executable, "-m", "bot", "actions", "--port", str(actions_port), "--host", "127.0.0.1"],
                    ROOT, dict(os.environ), actions_log)
    server = start([RASA_PYTHON, "-m", "rasa", "run", "--enable-api", "-i", "127.0.0.1", "-p", str(rasa_port),
                    "--model", "models/kawan.tar.gz", "--endpoints", "endpoints.yml", "--credentials",
                    "credentials.yml"], project, rasa_env(), rasa_log)
    try:
        wait_for(f"http://127.0.0.1:{actions_port}/health", actions, actions_log)
        wait_for(f"http://127.0.0.1:{rasa_port}/status", server, rasa_log)
        yield f"http://127.0.0.1:{rasa_port}/webhooks/rest/webhook"
    finally:
        stop(server)
        stop(actions)


def ask(url: str, sender: str, message: str) -> list[dict[str, Any]]:
    body = json.dumps({"sender": sender, "message": message}).encode()
    request = urllib.request.Request(url, data=body, method="POST", headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        assert response.status == 200
        return json.loads(response.read())


def first_example(topic: str) -> str:
    bundle = load_bundle(KNOWLEDGE, INTENTS)
    return next(e.text for e in bundle.training.examples if e.intent == topic)


@pytest.mark.parametrize("topic", ["syarat_pmi", "kontak_pusat", "paspor_ditahan"])
def test_rasa_answers_a_trained_question_through_action_jawab(assistant: str, engine: Engine, topic: str) -> None:
    [message] = ask(assistant, f"uji-{topic}", first_example(topic))
    assert message["text"] == to_plain(engine.answer(topic).text)
    assert [b["payload"] for b in message["buttons"]] == [f"/{r}" for r in engine.kb.topics[topic].related] + ["menu"]


def test_a_button_payload_reaches_the_topic(assistant: str, engine: Engine) -> None:
    [message] = ask(assistant, "uji-tombol", "/lapor_tppo")
    assert message["text"] == to_plain(engine.answer("lapor_tppo").text)


def test_out_of_scope_gets_our_fallback(assistant: str, engine: Engine) -> None:
    text = "resep kue cucur"
    [message] = ask(assistant, "uji-luar", text)
    assert message["text"] == to_plain(engine.respond(text).text)
    assert message["text"].startswith("Maaf, saya belum mengerti pertanyaan itu.")


def test_an_emergency_puts_the_emergency_contacts_first(assistant: str, engine: Engine) -> None:
    [message] = ask(assistant, "uji-darurat", "tolong sy dikunci di kamar sm majikan, hp mau diambil")
    assert message["text"].startswith(to_plain(engine.answer("darurat").text))


def test_the_menu_button_text_navigates(assistant: str, engine: Engine) -> None:
    [message] = ask(assistant, "uji-menu", "menu")
    assert message["text"] == to_plain(engine.menu().text)
    assert [b["payload"] for b in message["buttons"]] == [f"group:{g.id}" for g in engine.kb.groups]
