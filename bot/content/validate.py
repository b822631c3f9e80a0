"""One validator for everything admins edit: used at load time, by `kawan validate` and by tests."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot.content import bundle_cache
from bot.content.knowledge import KnowledgeBase, read_knowledge
from bot.content.offer_rules import OfferRules, read_offer_rules
from bot.content.p3mi_list import FOLDER as CHECK_FOLDER
from bot.content.p3mi_list import P3miList, read_p3mi
from bot.content.training import MIN_EXAMPLES, OUT_OF_SCOPE, REQUIRED_FILES, Example, TrainingData, read_training
from bot.core.normalize import basic_tokens
from bot.errors import KnowledgeError
from bot.problems import Problem


@dataclass(kw_only=True, frozen=True)
class Bundle:
    """Knowledge and training data that passed validation together."""

    knowledge: KnowledgeBase
    training: TrainingData
    warnings: tuple[Problem, ...] = ()
    # Cek PT and Cek tawaran (knowledge/cek/); None only when that folder does not exist at all.
    p3mi: P3miList | None = None
    offer_rules: OfferRules | None = None


def _cross_check(kb: KnowledgeBase, training: TrainingData, intents_dir: Path) -> list[Problem]:
    problems: list[Problem] = []
    by_intent: dict[str, list] = defaultdict(list)
    for example in training.examples:
        by_intent[example.intent].append(example)
    for intent, examples in sorted(by_intent.items()):
        first = examples[0]
        if intent != OUT_OF_SCOPE and intent not in kb.topics:
            problems.append(Problem(path=first.path, line=first.intent_line, entry=intent, field="intent",
                                    message=f"intent '{intent}' tidak punya jawaban di knowledge/.",
                                    fix="tulis topik dengan id yang sama di knowledge/, atau perbaiki nama intent."))
        elif intent != OUT_OF_SCOPE and len(examples) < MIN_EXAMPLES:
            problems.append(Problem(path=first.path, line=first.intent_line, entry=intent, field="examples",
                                    message=f"hanya {len(examples)} contoh pertanyaan (disarankan minimal {MIN_EXAMPLES}).",
                                    fix="tambahkan contoh yang beragam: bahasa sehari-hari, singkatan SMS, logat Kupang.",
                                    severity="peringatan"))
    for topic_id, topic in kb.topics.items():
        if topic_id not in by_intent and not topic.card:
            problems.append(Problem(path=intents_dir.name, line=0, entry=topic_id, field="intent",
                                    message=f"topik '{topic_id}' punya jawaban tetapi tidak punya contoh pertanyaan.",
                                    fix=f"tambahkan '- intent: {topic_id}' dengan contoh di salah satu berkas intents/."))
    # The same question under two intents teaches the matcher a contradiction.
    seen: dict[str, Example] = {}
    for example in training.examples:
        key = " ".join(basic_tokens(example.text))
        other = seen.get(key)
        if other is None:
            seen[key] = example
            continue
        if other.intent != example.intent:
            problems.append(Problem(path=example.path, line=example.line, entry=example.intent, field="examples",
                                    message=f"contoh '{example.text}' juga ada di intent '{other.intent}' "
                                            f"({other.path}:{other.line}).",
                                    fix="satu contoh hanya boleh di satu intent; hapus atau ubah salah satunya."))
        else:
            problems.append(Problem(path=example.path, line=example.line, entry=example.intent, field="examples",
                                    message=f"contoh '{example.text}' ditulis dua kali.", fix="hapus salah satunya.",
                                    severity="peringatan"))
    return problems


def validate(knowledge_dir: Path, intents_dir: Path, today: date | None = None,
             stale_days: int = 180) -> tuple[Bundle | None, list[Problem]]:
    """Check both folders; every problem at once, errors before warnings, in file order."""
    today = today or date.today()
    kb, problems = read_knowledge(knowledge_dir, today, stale_days)
    training, found = read_training(intents_dir, REQUIRED_FILES)
    problems += found
    if kb is not None and training is not None:
        problems += _cross_check(kb, training, intents_dir)
    p3mi, rules = None, None
    if (knowledge_dir / CHECK_FOLDER).is_dir():
        p3mi, found = read_p3mi(knowledge_dir, today)
        problems += found
        rules, found = read_offer_rules(knowledge_dir, today)
        problems += found
    problems.sort(key=lambda p: (not p.is_error, p.path, p.line, p.entry, p.field))
    if kb is None or training is None or any(p.is_error for p in problems):
        return None, problems
    return Bundle(knowledge=kb, training=training, warnings=tuple(problems), p3mi=p3mi, offer_rules=rules), problems


def load_bundle(knowledge_dir: Path, intents_dir: Path, today: date | None = None,
                stale_days: int = 180, cache_dir: Path | None = None) -> Bundle:
    """Validated data, or KnowledgeError naming every problem: the bot never serves a broken KB.

    With `cache_dir`, a bundle validated earlier from the very same files, on the same day, by the same code is
    loaded from there instead (bot/content/bundle_cache.py); errors are never cached, so they are always reported.
    """
    today = today or date.today()
    cache_key = bundle_cache.key(knowledge_dir, intents_dir, today, stale_days) if cache_dir is not None else None
    if cache_dir is not None and cache_key is not None:
        cached = bundle_cache.read(cache_key, cache_dir)
        if cached is not None:
            return cached
    bundle, problems = validate(knowledge_dir, intents_dir, today, stale_days)
    if bundle is None:
        raise KnowledgeError([p for p in problems if p.is_error])
    # Stored only when no file changed while it was read: the key must describe exactly what was validated.
    if cache_dir is not None and cache_key is not None and cache_key == bundle_cache.key(knowledge_dir, intents_dir,
                                                                                        today, stale_days):
        bundle_cache.write(cache_key, bundle, cache_dir)
    return bundle
