"""Rules and the learned score together: the one place that decides whether a message is an emergency."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.content.training import TrainingData
from bot.core.danger import Danger, DangerDetector, Reading
from bot.core.danger_model import DangerModel, train
from bot.core.normalize import Normalizer

# Chosen by cross-validation over intents/ and on the tuning splits dev..dev4 (python -m benchmarks.tune_danger),
# never on a held-out split. A rule hit stands unless the model is nearly sure the message is harmless (with 1,600
# danger and look-alike examples the veto removed most rule false alarms on dev2 at no recall cost there; it cost
# recall when the model had 900). Without a rule the model alone decides at 0.5: the fresh writer of dev4 wrote
# danger plainly, without the rules' words ("harus melunasi 35 juta sebelum diizinkan pulang", stranded with no
# money), and at 0.7 the bot missed 3 of 88 there and 7 of 583 over all tuning splits; at 0.5 it misses 1 of 583
# and alarms on 8 of 652 harmless messages instead of 6 (all on dev: negations and past events the model half reads
# as danger). Recall comes first.
RULE_FLOOR = 0.1
MODEL_ALONE = 0.5
# Where the rules read danger words and set them aside (a negation, a hypothetical, an exception word), only a model
# this sure overrules them: "ga dikasih makan" is a negation that is itself the harm. Since the model reads negated
# words apart (danger_model.features) and learnt from 200 English and Kupang negations, 5-fold cross-validation over
# the training messages, rules and model together, catches 1,995 of 2,027 danger messages at 0.8 against 1,987 at
# 0.95, with the same 92 false alarms in 6,238 (0.7: 1,997 and 93); the tuning splits are the same at both.
OVERRULE_DISMISSAL = 0.8
# Set aside only by an exception word of the signal ("diancam ... denda", "dikunci ... akun"), the rules' reading is
# weaker than a negation or a hypothetical: 0.7 caught a forced-labour report with "diancam ... bayar denda" (dev6)
# at the same cross-validated numbers as 0.8 (2,208 of 2,251 danger, 106 of 6,679 false alarms); 0.6 adds false
# alarms on cross-validation and on dev.
OVERRULE_EXCEPTION = 0.7
MODEL_SIGNAL = "model"  # what statistics count when only the model fired
EMERGENCY_INTENT = "darurat"
# Questions in these files are ordinary (procedure, greetings, contacts, off-topic): harmless for the model,
# so a greeting that opens many danger stories ("halo selamat pagi") is not read as danger.
HARMLESS_FILES = ("prosedur.yml", "komunitas.yml", "kontak.yml", "out_of_scope.yml")


@dataclass(frozen=True)
class DangerCheck:
    """The signal detector (intents/sinyal_darurat.yml) combined with the model (intents/contoh_bahaya.yml)."""

    rules: DangerDetector
    model: DangerModel
    rule_floor: float = RULE_FLOOR
    model_alone: float = MODEL_ALONE

    @classmethod
    def build(cls, training: TrainingData, normalizer: Normalizer, rules: DangerDetector,
              cache_dir: Path | None = None) -> DangerCheck:
        """The check over this training data; the model's weights are cached in `cache_dir` (bot.core.index_cache)."""
        return cls(rules, train(training_examples(training), normalizer, negators(training, normalizer), cache_dir))

    def detect(self, text: str) -> Danger | None:
        """The emergency in a message, or None."""
        return self.judge(self.rules.read(text), text)

    def judge(self, reading: Reading, text: str, tokens: Sequence[str] | None = None) -> Danger | None:
        """The rules' reading combined with the model; where the rules read danger words and set them aside
        (a negation, a concept question, a hypothetical), only a nearly sure model overrules them. `tokens`: the
        message as the engine's normaliser read it, when the caller has them already."""
        score = self.model.score(text, tokens)
        if reading.danger is None and reading.dismissed:
            overrule = OVERRULE_EXCEPTION if reading.excepted_only else OVERRULE_DISMISSAL
            return combine(None, score, self.rule_floor, overrule)
        return combine(reading.danger, score, self.rule_floor, self.model_alone)


def combine(found: Danger | None, score: float, rule_floor: float = RULE_FLOOR,
            model_alone: float = MODEL_ALONE) -> Danger | None:
    """Rules OR a confident model; a rule hit the model is nearly sure is harmless is dropped."""
    if found is not None and score >= rule_floor:
        return found
    if score >= model_alone:
        return Danger(signal=MODEL_SIGNAL, category="lain", signals=(MODEL_SIGNAL,))
    return None


def training_examples(training: TrainingData) -> Sequence[tuple[str, bool]]:
    """contoh_bahaya.yml, every example of the `darurat` topic as danger, ordinary questions as harmless."""
    emergency = [(e.text, True) for e in training.examples if e.intent == EMERGENCY_INTENT]
    ordinary = [(e.text, False) for e in training.examples if e.path.endswith(HARMLESS_FILES)]
    return (*training.danger_examples, *emergency, *ordinary)


def negators(training: TrainingData, normalizer: Normalizer) -> frozenset[str]:
    """The negation words admins listed (kelas.penyangkal), read like user text."""
    entries = training.signals.classes.get("penyangkal", ())
    return frozenset(t for e in entries for t in normalizer.tokens(" ".join(e)))
