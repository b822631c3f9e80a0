"""Entry point kept for `python -m rasa_sdk --actions bot.actions`; the actions live in bot.rasa.actions."""

from bot.rasa.actions import ActionDarurat, ActionJawab, choose_reply, shared_engine

__all__ = ["ActionDarurat", "ActionJawab", "choose_reply", "shared_engine"]
