"""The "Bicara dengan relawan" button that fallback, clarify and emergency replies carry when volunteers are set up."""

from __future__ import annotations

from dataclasses import replace

from bot.core.conversation import Button, Reply
from bot.telegram import relay_texts as rt

ASK_ACTION = "relawan:tanya"
# Replies after which a person may want a human: the bot did not understand, was unsure, or saw danger.
HANDOFF_KINDS = frozenset({"fallback", "clarify", "emergency"})


def with_volunteer_button(reply: Reply) -> Reply:
    """The same reply with one more button row; other replies unchanged."""
    if reply.kind not in HANDOFF_KINDS:
        return reply
    return replace(reply, buttons=(*reply.buttons, (Button(label=rt.ASK_BUTTON, action=ASK_ACTION),)))
