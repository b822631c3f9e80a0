"""The conversation core: text, a menu choice or a topic id in; a reply with buttons out."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Literal

from bot.content.knowledge import EMERGENCY_TOPIC, KnowledgeBase, Topic
from bot.content.training import OUT_OF_SCOPE
from bot.content.validate import Bundle, load_bundle
from bot.core import texts
from bot.core.bounds import bound
from bot.core.danger import ABROAD, INDONESIA, Danger, DangerDetector
from bot.core.danger_check import DangerCheck
from bot.core.matcher import Match, Matcher
from bot.core.normalize import Normalizer
from bot.settings import Settings

# Tuned by cross-validation on intents/ (benchmarks/tune_mix.py --letters, 42 topics, LINEAR_SHARE 0.8,
# LETTER_SHARE 0.6): the highest threshold on the plateau of the cross-validated mean, 0.27 since the UJ, UK and UM
# questions (0.28 before them, 0.25 and 0.23 before that; dev: 0.987 / 0.986 at 0.27). Never tuned on a held-out
# split.
THRESHOLD = 0.27
# Emergency cards by where the person is (knowledge/darurat.yaml); the plain `darurat` card asks with buttons.
CARD_ABROAD, CARD_INDONESIA, CARD_FAMILY = "darurat_luar_negeri", "darurat_indonesia", "darurat_keluarga"
CARD_MINOR, CARD_SELF_HARM = "darurat_anak", "darurat_jiwa"
PLACE_CARDS = {"luar_negeri": CARD_ABROAD, "indonesia": CARD_INDONESIA, "keluarga": CARD_FAMILY}
# Top two scores closer than this, and the top not clearly confident: ask "Maksud Anda…?".
CLOSE_MARGIN = 0.03
CONFIDENT = 0.55
MAX_ALTERNATIVES = 3
MORE_PREFIX = "more"
MENU_WORDS = frozenset({"menu", "mulai", "start", "daftar topik"})
# What a button sends back: shells without buttons (the terminal, Rasa's text channels) send it as text.
ACTION = re.compile(r"menu|(?:group|topic|more|darurat):[a-z0-9_]+")
# Greetings and thanks never win over a real question in the same message ("makasih, terus lapor ke mana?"),
# and these three are never offered as a guess for a real question.
POLITE_TOPICS = frozenset({"sapaan", "terima_kasih"})
NEVER_SUGGESTED = POLITE_TOPICS | {"tentang_bot"}
# Words of greeting, thanks and apology (normalised): what is left without them is the request.
POLITE_WORDS = frozenset({
    "halo", "hai", "hi", "selamat", "pagi", "siang", "sore", "malam", "salam", "shalom", "horas", "terima", "kasih",
    "banyak", "maaf", "permisi", "mohon", "izin", "kak", "kakak", "min", "admin", "bapak", "ibu", "paman", "bibi",
    "nona", "adik", "ya", "infonya", "info", "sebelumnya", "sehat", "tuhan", "berkati", "sudah", "dibantu", "bantu",
})
# Below this share of the threshold a topic is too far off to be offered as a guess at all.
SUGGEST_SHARE = 0.75
# A clause of a longer message must match another topic this well to be offered as a second button.
SECOND_SUBJECT = 0.30
_CLAUSE_BREAK = re.compile(r"[.?!;\n]+|,\s+(?=(?:terus|trus|lalu|dan|tapi|tetapi|juga|sama|satu lagi)\b)", re.IGNORECASE)

# "check" is a reply of Cek tawaran or Cek PT (bot.core.check_replies).
ReplyKind = Literal["welcome", "menu", "group", "answer", "details", "clarify", "fallback", "empty", "emergency",
                    "check"]


@dataclass(kw_only=True, frozen=True)
class Button:
    """A choice offered to the user; `action` is "topic:<id>", "more:<id>", "group:<id>" or "menu"."""

    label: str
    action: str


# Below the topic buttons of a group, an answer, a clarification or a fallback.
MENU_ROW = (Button(label=texts.MENU_BUTTON, action="menu"),)


@dataclass(kw_only=True, frozen=True)
class Reply:
    """What every shell shows: text in the small markup, plus buttons and match details."""

    text: str
    kind: ReplyKind
    topic: str | None = None
    confidence: float = 0.0
    alternatives: tuple[str, ...] = ()
    emergency: bool = False
    buttons: tuple[tuple[Button, ...], ...] = ()
    signal: str | None = None  # the danger signal id behind an emergency reply (for statistics, never text)
    # The topic answered under an emergency card: numbers first, then what the person asked ("anak umur 15
    # dibawa kerja, harus bagaimana?" gets SAPA 129 and the answer about children taken to work).
    answered: str | None = None

    @property
    def unsure(self) -> bool:
        """An answer given below the confident score: admins should see the question."""
        return self.kind == "answer" and self.confidence < CONFIDENT


class Engine:
    """Pure, deterministic conversation logic over one validated bundle."""

    def __init__(self, bundle: Bundle, threshold: float = THRESHOLD, cache_dir: Path | None = None) -> None:
        self.bundle = bundle
        self.kb: KnowledgeBase = bundle.knowledge
        training = bundle.training
        self.normalizer = Normalizer.from_examples(training.lexicon, (e.text for e in training.examples))
        self.matcher = Matcher.build(((e.text, e.intent) for e in training.examples), self.normalizer,
                                     cache_dir=cache_dir)
        self.danger = DangerDetector(training.signals, self.normalizer)
        self.danger_check = DangerCheck.build(training, self.normalizer, self.danger, cache_dir)
        self.threshold = threshold

    @classmethod
    def from_dirs(cls, knowledge_dir: Path, intents_dir: Path, today: date | None = None,
                  stale_days: int = 180, cache_dir: Path | None = None) -> Engine:
        """The engine over two folders; the trained model is cached in `cache_dir` (default: the user's cache)."""
        cache = cache_dir if cache_dir is not None else Settings().cache_dir
        return cls(load_bundle(knowledge_dir, intents_dir, today, stale_days, cache), cache_dir=cache)

    @classmethod
    def from_settings(cls, settings: Settings) -> Engine:
        """The engine over the folders the deployment names."""
        return cls.from_dirs(settings.knowledge_dir, settings.intents_dir, stale_days=settings.stale_days,
                             cache_dir=settings.cache_dir)

    # Navigation -------------------------------------------------------------------------------
    def _menu_rows(self) -> tuple[tuple[Button, ...], ...]:
        groups = tuple((Button(label=g.title, action=f"group:{g.id}"),) for g in self.kb.groups)
        return groups + ((Button(label=texts.CHECK_BUTTON, action="cek"),),)

    def welcome(self) -> Reply:
        return Reply(text=texts.WELCOME, kind="welcome", buttons=self._menu_rows())

    def menu(self) -> Reply:
        return Reply(text=texts.MENU, kind="menu", buttons=self._menu_rows())

    def group(self, group_id: str) -> Reply:
        group = self.kb.group(group_id)
        if group is None:
            return replace(self.menu(), text=texts.UNKNOWN_TOPIC)
        rows = tuple((self.topic_button(t),) for t in group.topics)
        return Reply(text=texts.GROUP.format(title=group.title), kind="group",
                     buttons=rows + (MENU_ROW,))

    def topic_button(self, topic_id: str) -> Button:
        """The button that opens one topic; every shell offers topics the same way."""
        return Button(label=self.kb.topics[topic_id].title, action=f"topic:{topic_id}")

    def answer(self, topic_id: str, confidence: float = 1.0, alternatives: tuple[str, ...] = ()) -> Reply:
        """The first screen: the core of the answer and its next step; details and sources one tap away."""
        topic = self.kb.topics.get(topic_id)
        if topic is None:
            return replace(self.menu(), text=texts.UNKNOWN_TOPIC)
        return Reply(text=topic.answer, kind="answer", topic=topic.id, confidence=confidence,
                     alternatives=alternatives, emergency=topic.emergency,
                     buttons=self._more_rows(topic) + self._related_rows(topic))

    def details(self, topic_id: str) -> Reply:
        """What "Selengkapnya" opens: the details, then every source with the date it was checked."""
        topic = self.kb.topics.get(topic_id)
        if topic is None or not self._has_more(topic):
            return self.answer(topic_id)
        parts = [topic.details] if topic.details else []
        if topic.show_sources:
            parts.append(self._sources_text(topic))
        return Reply(text="\n\n".join(parts), kind="details", topic=topic.id, confidence=1.0,
                     emergency=topic.emergency, buttons=self._related_rows(topic))

    @staticmethod
    def _has_more(topic: Topic) -> bool:
        return bool(topic.details) or (topic.show_sources and bool(topic.sources))

    def _more_rows(self, topic: Topic) -> tuple[tuple[Button, ...], ...]:
        """The "Selengkapnya" row of a topic that has details or sources, else nothing."""
        return ((Button(label=texts.MORE_BUTTON, action=f"{MORE_PREFIX}:{topic.id}"),),) if self._has_more(topic) else ()

    def _related_rows(self, topic: Topic) -> tuple[tuple[Button, ...], ...]:
        return tuple((self.topic_button(r),) for r in topic.related) + (MENU_ROW,)

    @staticmethod
    def _sources_text(topic: Topic) -> str:
        links = "\n".join(f"- [{s.title}]({s.url})" if s.url else f"- {s.title}" for s in topic.sources)
        return f"{texts.SOURCES.format(checked=topic.checked.strftime('%d-%m-%Y'))}\n{links}"

    def handle(self, action: str) -> Reply:
        """A button press or deep link: "menu", "group:<id>", "topic:<id>" or a bare topic id."""
        kind, _, value = action.partition(":")
        if action == "menu":
            return self.menu()
        if kind == "group":
            return self.group(value)
        if kind == "topic":
            return self.answer(value)
        if kind == EMERGENCY_TOPIC and value in PLACE_CARDS:
            return replace(self.answer(PLACE_CARDS[value]), kind="emergency", emergency=True)
        if kind == MORE_PREFIX:
            return self.details(value)
        if action in self.kb.topics:
            return self.answer(action)
        return replace(self.menu(), text=texts.UNKNOWN_TOPIC)

    # Free text --------------------------------------------------------------------------------
    def respond(self, text: str) -> Reply:
        """Answer free text: a topic id or a menu word directly, else by matching the words."""
        text = bound(text) if isinstance(text, str) else ""
        stripped = text.strip()
        if stripped in self.kb.topics:
            return self.answer(stripped)
        tokens = self.normalizer.tokens(text)
        if not tokens:
            return Reply(text=texts.EMPTY, kind="empty", buttons=self._menu_rows())
        if " ".join(tokens) in MENU_WORDS:
            return self.menu()
        return self._reply_to_words(text, tokens, clauses(text))

    def _reply_to_words(self, text: str, tokens: tuple[str, ...], parts: Sequence[str] = ()) -> Reply:
        """Emergency first, then answer (offering a second subject of the message), clarify or fall back."""
        corrected = [self.matcher.correct(t) for t in tokens]
        found = self.matcher.rank_tokens(corrected)
        ranked = [(t, s) for t, s in found.ranked if t != OUT_OF_SCOPE]
        # The detector reads the whole message itself (sentences and clauses, every one of them).
        reading = self.danger.read(text)
        danger = self.danger_check.judge(reading, text, tokens)
        if danger is not None:
            return self._emergency(ranked, danger)
        found = self._past_politeness(corrected, found)
        ranked = [(t, s) for t, s in found.ranked if t != OUT_OF_SCOPE]
        top = self.kb.topics.get(found.intent) if found.intent else None
        if reading.dismissed and top is not None and top.emergency:
            # Danger words the rules read and set aside ("tidak dipukul", "diancam dipecat"): answer the rest.
            # A question that only sounds like the emergency topic is asked back below, numbers on screen.
            ranked = [(t, s) for t, s in ranked if not self.kb.topics[t].emergency]
            if not ranked or ranked[0][1] < self.threshold:
                return self._fallback(ranked)
            return self._answer_or_clarify(ranked)
        if found.intent in (None, OUT_OF_SCOPE) or found.score < self.threshold:
            return self._fallback(ranked)
        if self.kb.topics[ranked[0][0]].emergency:
            return self._emergency_topic_without_danger(ranked)
        reply = self._answer_or_clarify(ranked)
        second = self._second_subject(parts, reply.topic) if reply.kind == "answer" else None
        if second is None:
            return reply
        action = self.topic_button(second).action
        rows = tuple(row for row in reply.buttons if all(b.action != action for b in row))
        return replace(reply, text=f"{reply.text}\n\n{texts.ALSO_ASKED}",
                       alternatives=(second, *(t for t in reply.alternatives if t != second)),
                       buttons=((self.topic_button(second),), *rows))

    def _past_politeness(self, corrected: Sequence[str], found: Match) -> Match:
        """A greeting or thanks wins only when nothing else is asked: rank the rest of the message on its own."""
        if found.intent not in POLITE_TOPICS:
            return found
        rest = [t for t in corrected if t not in POLITE_WORDS]
        if len(rest) < 2:
            return found
        other = self.matcher.rank_tokens(rest)
        if other.intent in (None, OUT_OF_SCOPE, EMERGENCY_TOPIC) or other.intent in POLITE_TOPICS:
            return found  # danger was already checked on the whole message
        return other if other.score >= self.threshold else found

    def _second_subject(self, parts: Sequence[str], main: str | None) -> str | None:
        """Another topic that one clause of a longer message clearly asks about, offered as a button."""
        if len(parts) < 2:
            return None
        best: tuple[float, str] | None = None
        for part in parts:
            words = [self.matcher.correct(t) for t in self.normalizer.tokens(part)]
            if len(words) < 3:
                continue
            found = self.matcher.rank_tokens(words, limit=1)
            topic = found.intent
            if topic in (None, OUT_OF_SCOPE, main, EMERGENCY_TOPIC) or topic in NEVER_SUGGESTED:
                continue
            if found.score >= SECOND_SUBJECT and (best is None or found.score > best[0]):
                best = (found.score, topic)
        return best[1] if best else None

    def _emergency_topic_without_danger(self, ranked: list[tuple[str, float]]) -> Reply:
        """The words look like the emergency topic but the detector sees no danger: ask, numbers on screen.

        The full card would hide the answer the person needed ("apa itu kerja paksa?"); the emergency
        option stays first and the numbers line is visible before anyone picks.
        """
        top, score = ranked[0]
        others = tuple(t for t, s in ranked[1:MAX_ALTERNATIVES] if s >= self.threshold and not self.kb.topics[t].emergency)
        rows = tuple((self.topic_button(t),) for t in (top, *others))
        return Reply(text=texts.UNSURE, kind="clarify", topic=top, confidence=score,
                     alternatives=others, emergency=False, buttons=rows + (MENU_ROW,))

    def _answer_or_clarify(self, ranked: list[tuple[str, float]]) -> Reply:
        """The top topic; "Maksud Anda…?" instead when others score as close and the top is not confident."""
        top, score = ranked[0]
        close = tuple(t for t, s in ranked[1:MAX_ALTERNATIVES] if s >= score - CLOSE_MARGIN and s >= self.threshold
                      and t not in NEVER_SUGGESTED)
        if close and score < CONFIDENT:
            rows = tuple((self.topic_button(t),) for t in (top, *close))
            return Reply(text=texts.UNSURE, kind="clarify", topic=top, confidence=score, alternatives=close,
                         emergency=False, buttons=rows + (MENU_ROW,))
        alternatives = tuple(t for t, s in ranked[1:MAX_ALTERNATIVES + 1] if s >= self.threshold
                             and t not in NEVER_SUGGESTED)
        return self.answer(top, score, alternatives)

    def card(self, danger: Danger) -> str:
        """The emergency card that fits the person: self-harm, a child, family at home, or where they are."""
        if danger.self_harm:
            return CARD_SELF_HARM
        if danger.minor:
            return CARD_MINOR
        if danger.family:
            return CARD_FAMILY
        return {ABROAD: CARD_ABROAD, INDONESIA: CARD_INDONESIA}.get(danger.where or "", EMERGENCY_TOPIC)

    def place_buttons(self) -> tuple[tuple[Button, ...], ...]:
        """"Where are you?" for a danger message that does not say: each opens the card that fits."""
        return tuple((Button(label=label, action=f"{EMERGENCY_TOPIC}:{place}"),) for place, label in texts.PLACE_BUTTONS)

    def _emergency(self, ranked: list[tuple[str, float]], danger: Danger) -> Reply:
        card = self.card(danger)
        reply = replace(self.answer(card if card in self.kb.topics else EMERGENCY_TOPIC), signal=danger.signal)
        # Where the message does not say where the person is, ask first, right under the numbers.
        places = self.place_buttons() if reply.topic == EMERGENCY_TOPIC else ()
        ordinary = [(t, s) for t, s in ranked if not self.kb.topics[t].emergency]
        if danger.self_harm:  # one gentle reply, nothing else competing with it
            return replace(reply, kind="emergency", emergency=True, buttons=places + reply.buttons)
        answered = self._asked_beside_danger(ranked)
        others = tuple(t for t, s in ordinary[:MAX_ALTERNATIVES] if s >= self.threshold and t != answered)
        text = reply.text
        more: tuple[tuple[Button, ...], ...] = ()
        if answered is not None:
            topic = self.kb.topics[answered]
            text = f"{text}\n\n{texts.EMERGENCY_ANSWER}\n{topic.answer}"
            more = self._more_rows(topic)
        if others:
            text = f"{text}\n\n{texts.EMERGENCY_ALSO}"
        rows = places + tuple((self.topic_button(t),) for t in others) + more + reply.buttons
        return replace(reply, text=text, kind="emergency", emergency=True, alternatives=others, buttons=rows,
                       answered=answered)

    def _asked_beside_danger(self, ranked: list[tuple[str, float]]) -> str | None:
        """The ordinary topic the message asks about, when it is one of the two best matches and clears the
        answer threshold: shown in full under the numbers instead of hidden behind a button."""
        for topic, score in ranked[:2]:
            if self.kb.topics[topic].emergency or topic in NEVER_SUGGESTED:
                continue
            return topic if score >= self.threshold else None
        return None

    def _fallback(self, ranked: list[tuple[str, float]]) -> Reply:
        """Not sure: up to three plausible topics as buttons ("Maksud Anda salah satu ini?"), else "belum mengerti"."""
        near = tuple(t for t, s in ranked if s >= self.threshold * SUGGEST_SHARE and t not in NEVER_SUGGESTED)
        near = near[:MAX_ALTERNATIVES]
        confidence = ranked[0][1] if ranked else 0.0
        if near:
            rows = tuple((self.topic_button(t),) for t in near) + (MENU_ROW,)
            return Reply(text=texts.UNSURE, kind="clarify", topic=None, confidence=confidence, alternatives=near,
                         emergency=False, buttons=rows)
        return Reply(text=texts.FALLBACK, kind="fallback", topic=None, confidence=confidence,
                     emergency=False, buttons=self._menu_rows())


def clauses(text: str) -> list[str]:
    """Sentences and joined clauses of an already bounded message ("..., terus ..."), for a second subject."""
    return [part for part in _CLAUSE_BREAK.split(text) if part and part.strip()]
