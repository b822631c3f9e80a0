"""`kawan export-rasa`: the files follow Rasa 3.x's documented format and cover every intent."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.cli import main
from bot.content.training import read_training
from bot.content.validate import Bundle, load_bundle
from bot.rasa.export import ACTION_URL, FALLBACK_THRESHOLD, project_files
from tests.conftest import INTENTS, KNOWLEDGE, ROOT

FILES = ["domain.yml", "config.yml", "data/nlu.yml", "data/rules.yml", "endpoints.yml", "credentials.yml",
         "README.md"]
# Top-level keys Rasa 3.x documents for each file (domain, config, training data).
DOMAIN_KEYS = {"version", "intents", "entities", "slots", "responses", "actions", "forms", "e2e_actions",
               "session_config"}
CONFIG_KEYS = {"recipe", "assistant_id", "language", "pipeline", "policies"}
RULE_KEYS = {"rule", "steps", "condition", "conversation_start", "wait_for_user_input"}
RASA_DEFAULT_INTENTS = {"nlu_fallback", "restart", "back", "out_of_scope", "session_start"}
PIPELINE = ["WhitespaceTokenizer", "RegexFeaturizer", "LexicalSyntacticFeaturizer", "CountVectorsFeaturizer",
            "CountVectorsFeaturizer", "DIETClassifier", "EntitySynonymMapper", "FallbackClassifier"]


@pytest.fixture(scope="module")
def bundle() -> Bundle:
    return load_bundle(KNOWLEDGE, INTENTS)


@pytest.fixture(scope="module")
def project(bundle: Bundle) -> dict[str, object]:
    """Every YAML file parsed the way Rasa reads it (safe_load); README as text."""
    files = project_files(bundle)
    return {name: text if name.endswith(".md") else yaml.safe_load(text) for name, text in files.items()}


def test_the_project_has_exactly_the_documented_files(bundle: Bundle) -> None:
    assert list(project_files(bundle)) == FILES


def test_domain_lists_every_topic_intent_and_both_actions(project: dict, bundle: Bundle) -> None:
    domain = project["domain.yml"]
    assert set(domain) <= DOMAIN_KEYS
    assert domain["version"] == "3.1"  # a string: unquoted 3.1 would be a float and Rasa rejects it
    topics = {t.id for t in bundle.knowledge.topics.values() if not t.card}
    assert set(domain["intents"]) == topics | {"out_of_scope"}
    assert len(domain["intents"]) == len(set(domain["intents"]))
    assert domain["actions"] == ["action_jawab", "action_darurat"]
    assert domain["session_config"] == {"session_expiration_time": 60, "carry_over_slots_to_new_session": True}


def test_config_is_the_pipeline_for_informal_indonesian(project: dict) -> None:
    config = project["config.yml"]
    assert set(config) <= CONFIG_KEYS
    assert (config["recipe"], config["language"]) == ("default.v1", "id")
    assert [c["name"] for c in config["pipeline"]] == PIPELINE
    char_ngrams = config["pipeline"][4]
    assert (char_ngrams["analyzer"], char_ngrams["min_ngram"], char_ngrams["max_ngram"]) == ("char_wb", 1, 4)
    assert config["pipeline"][5]["epochs"] == 100
    fallback = config["pipeline"][-1]
    assert fallback["threshold"] == FALLBACK_THRESHOLD and 0 < FALLBACK_THRESHOLD < 1
    assert 0 < fallback["ambiguity_threshold"] < 1
    assert [p["name"] for p in config["policies"]] == ["RulePolicy"]
    assert config["policies"][0]["core_fallback_action_name"] == "action_jawab"


def test_nlu_round_trips_through_the_rasa_nlu_reader(tmp_path: Path, bundle: Bundle) -> None:
    # Our intents/ reader is a Rasa NLU YAML reader: reading the export back must give the same data.
    (tmp_path / "nlu.yml").write_text(project_files(bundle)["data/nlu.yml"], encoding="utf-8")
    again, problems = read_training(tmp_path)
    assert again is not None, problems
    assert [p for p in problems if p.is_error] == []
    original = bundle.training
    assert sorted({(e.intent, " ".join(e.text.split())) for e in original.examples}) == \
        sorted({(e.intent, e.text) for e in again.examples})
    assert dict(again.lexicon) == dict(original.lexicon)
    assert again.danger_phrases == original.danger_phrases
    assert again.signals == original.signals


def test_nlu_items_are_rasa_items_with_example_blocks(project: dict) -> None:
    nlu = project["data/nlu.yml"]
    assert set(nlu) == {"version", "nlu"} and nlu["version"] == "3.1"
    kinds: dict[str, list[str]] = {}
    for item in nlu["nlu"]:
        [kind] = [k for k in ("intent", "synonym", "lookup", "regex") if k in item]
        assert set(item) == {kind, "examples"}
        lines = item["examples"].splitlines()
        assert lines and all(line.startswith("- ") and line[2:].strip() for line in lines), item[kind]
        assert len(lines) == len(set(lines)), f"contoh ganda di {item[kind]}"
        kinds.setdefault(kind, []).append(item[kind])
    assert len(kinds["intent"]) == len(set(kinds["intent"]))
    assert all(k.startswith(("sinyal_darurat.", "kelas.")) for k in kinds["lookup"])
    assert any(k.startswith("sinyal_darurat.bunuh_diri.") for k in kinds["lookup"])
    assert "tidak" in kinds["synonym"]


def test_rules_send_every_intent_and_nlu_fallback_to_action_jawab(project: dict) -> None:
    domain, rules = project["domain.yml"], project["data/rules.yml"]
    assert set(rules) == {"version", "rules"} and rules["version"] == "3.1"
    covered = []
    for rule in rules["rules"]:
        assert set(rule) <= RULE_KEYS
        intent_step, action_step = rule["steps"]
        assert intent_step["intent"] in set(domain["intents"]) | RASA_DEFAULT_INTENTS
        assert action_step["action"] in domain["actions"]
        assert action_step["action"] == "action_jawab"
        covered.append(intent_step["intent"])
    assert sorted(covered) == sorted([*domain["intents"], "nlu_fallback"])
    assert len({r["rule"] for r in rules["rules"]}) == len(rules["rules"])


def test_endpoints_and_credentials(project: dict) -> None:
    assert project["endpoints.yml"] == {"action_endpoint": {"url": "http://localhost:5055/webhook"}}
    assert ACTION_URL == "http://localhost:5055/webhook"
    assert project["credentials.yml"] == {"rest": None}


def test_readme_tells_how_to_train_and_talk(project: dict) -> None:
    readme = project["README.md"]
    for command in ("rasa train", "rasa shell", "rasa data validate", "kawan actions",
                    "python -m rasa_sdk --actions bot.actions", 'pip install -e ".[rasa]"'):
        assert command in readme


def test_export_rasa_command_writes_the_project(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    target = tmp_path / "asisten"
    assert main(["export-rasa", str(target)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert out == (f"Proyek Rasa ditulis ke {target}:\n" + "".join(f"- {name}\n" for name in FILES)
                   + f"Langkah berikutnya: cd {target} && rasa train, lalu jalankan 'kawan actions' dan 'rasa shell' "
                   "(lihat README.md di folder itu).\n")
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*") if p.is_file()) == sorted(FILES)


def test_export_rasa_refuses_broken_data(capsys: pytest.CaptureFixture[str], data_copy: tuple[Path, Path],
                                         tmp_path: Path) -> None:
    knowledge, intents = data_copy
    shutil.rmtree(intents)
    code = main(["export-rasa", str(tmp_path / "x"), "--knowledge", str(knowledge), "--intents", str(intents)])
    assert code == 1
    assert "folder contoh (intents) tidak ditemukan" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()


def test_the_export_needs_no_rasa_sdk() -> None:
    code = ("import sys\nimport bot.rasa.export, bot.cli.export_rasa\n"
            "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] == 'rasa_sdk')))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == ""
