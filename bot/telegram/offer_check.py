"""Telegram entry points of Cek tawaran and Cek PT: /cek, /start cek, forwarded and advert-like messages, buttons."""

from __future__ import annotations

import asyncio

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.admin.share_card import CardContent, card_png
from bot.core.check_replies import (
    ANSWER_ACTION,
    CARD_ACTION,
    CARD_CAPTION,
    CARD_FOOTER,
    CHECK_ACTION,
    COMPANY_ACTION,
    PROMPT,
    Checker,
    checker_for,
    is_check_request,
)
from bot.core.conversation import Reply
from bot.telegram.handlers import ANSWER_GROUP, AddressedToBot, send_reply, state

# Only a yes/no flag per chat, in memory: the next text in this chat is an offer or a company name.
AWAITING_KEY = "kawan_cek_menunggu"


def _checker(context: ContextTypes.DEFAULT_TYPE) -> Checker:
    return checker_for(state(context).live.engine.bundle)


class CheckRequest(filters.MessageFilter):
    """Messages that are checks: forwarded texts, advert-like long texts, and "cek PT X"."""

    def filter(self, message: Message) -> bool:
        text = message.text or ""
        if not text or text.startswith("/"):
            return False
        return message.forward_origin is not None or is_check_request(text)


async def check_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cek [teks]: check the text given, or ask for the offer or company name."""
    # "/start cek" (the deep link) carries "cek" as its argument; only "/cek TEKS" carries text to check.
    message = update.effective_message
    is_start = message is not None and (message.text or "").startswith("/start")
    text = "" if is_start else " ".join(context.args or [])
    if text:
        await _answer_text(update, context, text)
        return
    if context.chat_data is not None:
        context.chat_data[AWAITING_KEY] = True
    await send_reply(update, context, Reply(text=PROMPT, kind="check"))


async def check_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A forwarded or advert-like message, or the text after /cek."""
    if update.effective_message is not None:
        await _answer_text(update, context, update.effective_message.text or "")


async def _answer_text(update: Update, context: ContextTypes.DEFAULT_TYPE, text: str) -> None:
    if context.chat_data is not None:
        context.chat_data.pop(AWAITING_KEY, None)
    st = state(context)
    engine = st.live.engine
    # Someone in danger now gets the emergency contacts first, whatever else the message is.
    first = engine.respond(text)
    if first.emergency:
        await send_reply(update, context, first)
        st.record_reply(first, update.effective_user)
    # Counted without the text and without company names: only that a check happened.
    st.record("check", update.effective_user)
    await send_reply(update, context, _checker(context).reply_for_text(text))


class Awaiting(filters.MessageFilter):
    """Texts that follow /cek in the same chat (the flag lives in chat_data, set by /cek)."""

    def __init__(self, application: Application) -> None:
        super().__init__()
        self.application = application

    def filter(self, message: Message) -> bool:
        if not message.text or message.text.startswith("/"):
            return False
        data = self.application.chat_data.get(message.chat.id)
        return bool(data and data.get(AWAITING_KEY))


async def check_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Buttons of a check: the menu button, a similar company, a yes/no answer, or the share card."""
    query = update.callback_query
    if query is None:
        return  # registered for callback queries only
    st = state(context)
    user = update.effective_user
    await query.answer()  # at once, so the spinner stops even on a slow network
    checker = _checker(context)
    action, _, value = (query.data or "").partition(":")
    if action == CHECK_ACTION:
        if context.chat_data is not None:
            context.chat_data[AWAITING_KEY] = True
        await send_reply(update, context, Reply(text=PROMPT, kind="check"))
    elif action == COMPANY_ACTION:
        await send_reply(update, context, checker.company_by_id(value))
    elif action == ANSWER_ACTION:
        reply = checker.answer(value)
        await send_reply(update, context, reply or Reply(text=PROMPT, kind="check"))
    elif action == CARD_ACTION:
        content = checker.card(value)
        chat = update.effective_chat
        if content is None or chat is None:
            await send_reply(update, context, Reply(text=PROMPT, kind="check"))
            return
        verdict_id, headline, sections, next_step = content
        png = await asyncio.to_thread(card_png, CardContent(verdict_id, headline, sections, next_step, CARD_FOOTER))
        await context.bot.send_photo(chat.id, png, caption=CARD_CAPTION)
        st.record("check_card", user)


def register(application: Application) -> None:
    """Added to the answering group before the general handlers, so checks win over ordinary questions (the gate
    group still limits and counts them)."""
    messages = filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE
    addressed = AddressedToBot()
    application.add_handler(CommandHandler("cek", check_command, filters=messages), group=ANSWER_GROUP)
    deep_link = filters.Regex(r"^/start(@\w+)?\s+cek\s*$")
    application.add_handler(CommandHandler("start", check_command, filters=messages & deep_link), group=ANSWER_GROUP)
    text = messages & filters.TEXT & ~filters.COMMAND & addressed
    application.add_handler(MessageHandler(text & (CheckRequest() | Awaiting(application)), check_text), group=ANSWER_GROUP)
    actions = "|".join((CHECK_ACTION, COMPANY_ACTION, ANSWER_ACTION, CARD_ACTION))
    application.add_handler(CallbackQueryHandler(check_button, pattern=rf"^({actions})(:|$)"), group=ANSWER_GROUP)
