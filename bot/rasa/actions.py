"""Rasa custom actions (rasa-sdk) over the same engine: Rasa picks the intent, the core writes the answer."""

from __future__ import annotations

import functools
import logging
import os
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from bot.content.knowledge import EMERGENCY_TOPIC
from bot.content.markup import to_plain
from bot.core import texts
from bot.core.conversation import ACTION, Engine, Reply
from bot.rasa.export import ACTION_ANSWER, ACTION_EMERGENCY
from bot.settings import Settings

logger = logging.getLogger(__name__)

# Button payloads that are not Rasa intents: the engine's own navigation, sent back as plain text.
NAVIGATION = ACTION


@functools.cache
def shared_engine() -> Engine:
    """The engine of this process, loaded on the first action call (never at import time)."""
    settings = Settings.from_env(os.environ)
    logger.info("Memuat pengetahuan dari %s dan %s", settings.knowledge_dir, settings.intents_dir)
    return Engine.from_dirs(settings.knowledge_dir, settings.intents_dir, stale_days=settings.stale_days)


def choose_reply(engine: Engine, intent: str | None, confidence: float, text: str) -> Reply:
    """The reply for one Rasa turn: the predicted topic when Rasa is sure, else our own matcher.

    Danger in the user's words always wins, whatever Rasa predicted.
    """
    text = text if isinstance(text, str) else ""
    stripped = text.strip()
    if NAVIGATION.fullmatch(stripped):
        return engine.handle(stripped)
    # "/topic_id" is a button payload Rasa already turned into the intent; there are no user words to check.
    own = engine.respond(text) if stripped and not stripped.startswith("/") else None
    # nlu_fallback, out_of_scope and intents we have no answer for are never topics here.
    topic = intent if intent in engine.kb.topics and confidence >= engine.threshold else None
    if own is not None and own.emergency:
        return _also_offer(engine, own, topic) if topic else own
    if topic:
        return engine.answer(topic, confidence)
    return own if own is not None else engine.respond(text)


def _also_offer(engine: Engine, reply: Reply, topic: str) -> Reply:
    """The emergency reply with Rasa's topic offered as the first follow-up button."""
    if topic in (EMERGENCY_TOPIC, reply.answered) or topic in reply.alternatives:
        return reply
    text = reply.text if reply.alternatives else f"{reply.text}\n\n{texts.EMERGENCY_ALSO}"
    button = engine.topic_button(topic)
    return replace(reply, text=text, alternatives=(topic, *reply.alternatives), buttons=((button,), *reply.buttons))


def rasa_buttons(reply: Reply) -> list[dict[str, str]]:
    """Buttons as Rasa sends them: a topic is the intent "/<id>"; menu, groups and "Selengkapnya" go back as text."""
    buttons = []
    for row in reply.buttons:
        for button in row:
            kind, _, value = button.action.partition(":")
            payload = f"/{value}" if kind == "topic" else button.action
            buttons.append({"title": button.label, "payload": payload})
    return buttons


def utter(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    # Rasa channels differ in what markup they render; plain text reads right on all of them.
    dispatcher.utter_message(text=to_plain(reply.text), buttons=rasa_buttons(reply))


class _WithEngine:
    """The shared engine, or one given by a test; not an Action itself, so rasa-sdk does not register it."""

    def __init__(self, engine: Engine | None = None) -> None:
        self._engine = engine

    @property
    def engine(self) -> Engine:
        return self._engine if self._engine is not None else shared_engine()


class ActionJawab(_WithEngine, Action):
    """Answer the user's last message: Rasa's topic, or the embedded matcher when Rasa is unsure."""

    def name(self) -> str:
        return ACTION_ANSWER

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        message = tracker.latest_message or {}
        intent = message.get("intent") or {}
        name = intent.get("name")
        try:
            confidence = float(intent.get("confidence") or 0.0)
        except (TypeError, ValueError):
            confidence = 0.0
        reply = choose_reply(self.engine, name, confidence, message.get("text") or "")
        # Kind and topic only: the user's words are never logged.
        logger.debug("%s: intent %s (%.2f) -> %s %s", ACTION_ANSWER, name, confidence, reply.kind, reply.topic)
        utter(dispatcher, reply)
        return []


class ActionDarurat(_WithEngine, Action):
    """The emergency contacts, whatever was said."""

    def name(self) -> str:
        return ACTION_EMERGENCY

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        utter(dispatcher, self.engine.answer(EMERGENCY_TOPIC))
        return []
