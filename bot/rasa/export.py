"""A ready Rasa 3.x project built from the validated knowledge and intents, answered by our action server."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

from bot.content.signals import CLASS_PREFIX, EXCEPT
from bot.content.training import DANGER_LOOKUP, OUT_OF_SCOPE
from bot.content.validate import Bundle

RASA_FORMAT = "3.1"
# Names shared with bot/actions.py, which needs rasa-sdk; this module must not.
ACTION_ANSWER = "action_jawab"
ACTION_EMERGENCY = "action_darurat"
# Rasa's FallbackClassifier puts this intent first when DIET's confidence is too low.
NLU_FALLBACK = "nlu_fallback"
ACTION_URL = "http://localhost:5055/webhook"
# Below this DIET confidence Rasa predicts nlu_fallback and action_jawab asks our own matcher instead.
# Chosen by 3-fold cross-validation over intents/ with this exact pipeline (benchmarks/rasa_diet.py --tune,
# table in benchmarks/results/rasa_threshold.json), never on the held-out set: 0.65 maximises the mean of
# in-scope accuracy (0.704) and out-of-scope rejection (0.822); the curve is flat between 0.50 and 0.70
# (means 0.751-0.763), and lower thresholds let DIET answer out-of-scope questions with confident-looking topics.
FALLBACK_THRESHOLD = 0.65
AMBIGUITY_THRESHOLD = 0.1  # Rasa's default: top two intents closer than this also fall back
TUNING = ("Ambang {threshold}: validasi silang 3 lipatan atas intents/ (benchmarks/results/rasa_threshold.json)\n"
          "  # memberi rata-rata tertinggi ketepatan dalam cakupan (0.704) dan penolakan luar cakupan (0.822).")
DIET_EPOCHS = 100
RANDOM_SEED = 42
SESSION_MINUTES = 60

CONFIG_TEMPLATE = """\
# Dibuat oleh `kawan export-rasa`. Pipeline untuk bahasa Indonesia sehari-hari (singkatan SMS, logat Kupang).
recipe: default.v1
assistant_id: kawan_migran
language: id

pipeline:
  - name: WhitespaceTokenizer
  # Ciri dari tabel lookup sinyal_darurat (data/nlu.yml) membantu DIET mengenali bahaya.
  - name: RegexFeaturizer
  - name: LexicalSyntacticFeaturizer
  - name: CountVectorsFeaturizer
  # N-gram huruf 1-4 di dalam kata: tahan salah ketik dan singkatan ("gmn", "sy", "krj").
  - name: CountVectorsFeaturizer
    analyzer: char_wb
    min_ngram: 1
    max_ngram: 4
  - name: DIETClassifier
    epochs: {epochs}
    constrain_similarities: true
    random_seed: {seed}
  - name: EntitySynonymMapper
  # Di bawah ambang ini Rasa memilih nlu_fallback, lalu action_jawab memakai pencocok Kawan Migran sendiri.
  # {tuning}
  - name: FallbackClassifier
    threshold: {threshold}
    ambiguity_threshold: {ambiguity}

policies:
  # Setiap intent punya aturan ke action_jawab (data/rules.yml); bila tidak ada aturan yang cocok pun,
  # action_jawab yang menjawab, jadi pengguna selalu mendapat jawaban atau menu.
  - name: RulePolicy
    core_fallback_threshold: 0.3
    core_fallback_action_name: {answer}
    enable_fallback_prediction: true
"""

README_TEMPLATE = """\
# Asisten Rasa Kawan Migran

Proyek Rasa 3.x ini dibuat oleh `kawan export-rasa` dari `knowledge/` dan `intents/` Kawan Migran
({topics} topik, {examples} contoh pertanyaan). Rasa hanya menebak topik; jawabannya ditulis oleh server
aksi Kawan Migran dari `knowledge/`. Jadi **mengubah jawaban tidak perlu melatih ulang**. Mengubah contoh
pertanyaan di `intents/` perlu: jalankan lagi `kawan export-rasa` lalu `rasa train`.

## Menjalankan

Rasa Open Source hanya berjalan di Python 3.10 atau lebih lama:

    python3.10 -m venv .venv-rasa && .venv-rasa/bin/pip install rasa==3.6.21
    .venv-rasa/bin/rasa data validate
    .venv-rasa/bin/rasa train    # DIET 100 epoch: sekitar 10 menit di 2 inti CPU

Di terminal lain, dari folder proyek Kawan Migran (setelah `pip install -e ".[rasa]"`), jalankan server aksi
di port 5055 (sesuai `endpoints.yml`):

    kawan actions
    # atau: python -m rasa_sdk --actions bot.actions   (dari folder proyek, atau isi KAWAN_KNOWLEDGE/KAWAN_INTENTS)

Lalu coba asistennya:

    .venv-rasa/bin/rasa shell
    # atau sebagai server: rasa run --enable-api, lalu
    # POST http://localhost:5005/webhooks/rest/webhook  {{"sender": "uji", "message": "syarat jadi pmi"}}

## Isi

- `domain.yml`: semua intent topik, `out_of_scope`, aksi `{answer}` dan `{emergency}`, pengaturan sesi.
- `config.yml`: pipeline DIET untuk bahasa sehari-hari dan FallbackClassifier (ambang {threshold}).
- `data/nlu.yml`: contoh pertanyaan, kamus singkatan sebagai sinonim, tabel `{lookup}`.
- `data/rules.yml`: setiap intent dan `nlu_fallback` menjalankan `{answer}`.
- `endpoints.yml`: server aksi di {url}.
- `credentials.yml`: kanal REST.
"""


def _dump(data: object) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=1000)


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _block(kind: str, name: str, examples: Iterable[str]) -> list[str]:
    """One nlu item with its examples as a literal block, the way Rasa's own files are written."""
    lines = [f"  - {kind}: {name}", "    examples: |"]
    seen: set[str] = set()
    for example in examples:
        example = _one_line(example)
        if example and example not in seen:
            seen.add(example)
            lines.append(f"      - {example}")
    return lines


def intents_of(bundle: Bundle) -> list[str]:
    """Topic intents in menu order, then out_of_scope: exactly the intents that have examples."""
    trained = set(bundle.training.intents())  # emergency cards have no examples, so they are no intents
    topics = [t for group in bundle.knowledge.groups for t in group.topics if t in trained]
    topics += sorted(t for t in trained if t not in topics and t != OUT_OF_SCOPE)
    return topics + ([OUT_OF_SCOPE] if OUT_OF_SCOPE in trained else [])


def nlu_yml(bundle: Bundle) -> str:
    training = bundle.training
    lines = [f'version: "{RASA_FORMAT}"', "nlu:"]
    for intent in intents_of(bundle):
        lines += _block("intent", intent, (e.text for e in training.examples if e.intent == intent))
    # Rasa applies synonyms to extracted entities only; they are kept so the lexicon travels with the data.
    by_target: dict[str, list[str]] = {}
    for variant, standard in training.lexicon.items():
        by_target.setdefault(" ".join(standard), []).append(" ".join(variant))
    for target in sorted(by_target):
        lines += _block("synonym", target, sorted(by_target[target]))
    # Danger signals travel as Rasa lookups: word classes ("kelas.*") and one lookup per signal, so the
    # RegexFeaturizer sees the words and our reader gets the same signals back.
    signals = training.signals
    for name, entries in signals.classes.items():
        lines += _block("lookup", f"{CLASS_PREFIX}{name}", (" ".join(e) for e in entries))
    for signal in signals.signals:
        extra = [f"{EXCEPT} {', '.join(sorted(signal.excepts))}"] if signal.excepts else []
        lines += _block("lookup", f"{DANGER_LOOKUP}.{signal.id}", [*signal.texts, *extra])
    return "\n".join(lines) + "\n"


def domain_yml(bundle: Bundle) -> str:
    return _dump({
        "version": RASA_FORMAT,
        "intents": intents_of(bundle),
        "actions": [ACTION_ANSWER, ACTION_EMERGENCY],
        "session_config": {"session_expiration_time": SESSION_MINUTES, "carry_over_slots_to_new_session": True},
    })


def rules_yml(bundle: Bundle) -> str:
    rules = [{"rule": f"jawab {intent}", "steps": [{"intent": intent}, {"action": ACTION_ANSWER}]}
             for intent in [*intents_of(bundle), NLU_FALLBACK]]
    return _dump({"version": RASA_FORMAT, "rules": rules})


def config_yml(threshold: float = FALLBACK_THRESHOLD, epochs: int = DIET_EPOCHS) -> str:
    return CONFIG_TEMPLATE.format(epochs=epochs, seed=RANDOM_SEED, threshold=threshold,
                                  ambiguity=AMBIGUITY_THRESHOLD, tuning=TUNING.format(threshold=threshold),
                                  answer=ACTION_ANSWER)


def project_files(bundle: Bundle, threshold: float = FALLBACK_THRESHOLD, epochs: int = DIET_EPOCHS) -> dict[str, str]:
    """Every file of the Rasa project, by relative path; nothing is written here."""
    readme = README_TEMPLATE.format(topics=len(bundle.knowledge.topics), examples=len(bundle.training.examples),
                                    answer=ACTION_ANSWER, emergency=ACTION_EMERGENCY, threshold=threshold,
                                    lookup=DANGER_LOOKUP, url=ACTION_URL)
    return {
        "domain.yml": domain_yml(bundle),
        "config.yml": config_yml(threshold, epochs),
        "data/nlu.yml": nlu_yml(bundle),
        "data/rules.yml": rules_yml(bundle),
        "endpoints.yml": _dump({"action_endpoint": {"url": ACTION_URL}}),
        "credentials.yml": "# Kanal REST: POST /webhooks/rest/webhook\nrest:\n",
        "README.md": readme,
    }


def write_project(files: Mapping[str, str], target: Path) -> list[Path]:
    """Write the files under target (created if needed), replacing only these files."""
    written = []
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
