"""Telegram handlers: each turns one update into calls to the core and sends the rendered reply."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import time
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from telegram import Bot, Message, ReplyParameters, Update, User
from telegram.constants import ChatType, MessageEntityType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.admin.referral import code_from_start, referral_code, share_link
from bot.admin.store_thread import StoreThread
from bot.content.knowledge import EMERGENCY_TOPIC
from bot.core.conversation import Reply
from bot.core.live_knowledge import LiveKnowledge
from bot.problems import Problem
from bot.settings import Settings
from bot.telegram import texts as tt
from bot.telegram.flood import FloodGuard, Verdict
from bot.telegram.render import (
    FEEDBACK_PREFIX,
    Outgoing,
    render,
    render_markup,
    render_plain,
    without_feedback,
)

logger = logging.getLogger(__name__)

STATE_KEY = "kawan"
CONTACTS_GROUP = "kontak"
STATS_DAYS = 7
# Questions behind recent answers, kept in memory only, so a 👎 can be stored with its (masked) question.
RECENT_QUESTIONS = 2000
# Reply kinds that are also event kinds in the statistics; menus and welcomes are counted as messages only.
RECORDED_REPLIES = frozenset({"answer", "emergency", "clarify", "fallback"})


class RecentQuestions:
    """A small bounded map (chat, answer message) -> question; lost on restart, never written to disk."""

    def __init__(self, capacity: int = RECENT_QUESTIONS) -> None:
        self.capacity = capacity
        self._items: OrderedDict[tuple[int, int], str] = OrderedDict()

    def remember(self, chat_id: int, message_id: int, question: str) -> None:
        self._items[(chat_id, message_id)] = question
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def take(self, chat_id: int, message_id: int) -> str | None:
        return self._items.pop((chat_id, message_id), None)

    def __len__(self) -> int:
        return len(self._items)


@dataclass
class BotState:
    """Everything the handlers share, kept in `application.bot_data[STATE_KEY]`."""

    settings: Settings
    live: LiveKnowledge
    store: StoreThread
    flood: FloodGuard = field(default_factory=FloodGuard)
    questions: RecentQuestions = field(default_factory=RecentQuestions)
    clock: Callable[[], float] = time.monotonic

    def record(self, kind: str, user: User | None, **fields: object) -> None:
        self.store.record(kind, user_id=user.id if user else None, **fields)

    def record_reply(self, reply: Reply, user: User | None, question: str | None = None) -> None:
        if reply.kind not in RECORDED_REPLIES:
            return
        # The emergency answer reached by menu, deep link or /darurat counts as an emergency too.
        kind = "emergency" if reply.topic == EMERGENCY_TOPIC else reply.kind
        # The store keeps the question only where admins need it (fallbacks, low confidence), masked.
        self.record(kind, user, topic=reply.topic, confidence=reply.confidence, text=question, unsure=reply.unsure)

    def is_admin(self, user: User | None) -> bool:
        return user is not None and user.id in self.settings.admins


def state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.bot_data[STATE_KEY]


# Sending ----------------------------------------------------------------------------------------
async def send(bot: Bot, chat_id: int, messages: Sequence[Outgoing], quote: Message | None = None) -> Message | None:
    """Send the messages in order; in groups the first one quotes the question it answers."""
    sent: Message | None = None
    for index, outgoing in enumerate(messages):
        reply_to = None
        if index == 0 and quote is not None and quote.chat.type != ChatType.PRIVATE:
            reply_to = ReplyParameters(quote.message_id, allow_sending_without_reply=True)
        sent = await bot.send_message(chat_id, outgoing.html, reply_markup=outgoing.keyboard, reply_parameters=reply_to)
    return sent


async def respond_with(update: Update, context: ContextTypes.DEFAULT_TYPE, messages: Sequence[Outgoing]) -> None:
    """Send fixed texts to the chat the update came from."""
    if update.effective_chat is not None:
        await send(context.bot, update.effective_chat.id, messages, _question(update))


def _question(update: Update) -> Message | None:
    """The person's message to quote in groups (none for button presses)."""
    return update.message or update.edited_message


async def send_reply(update: Update, context: ContextTypes.DEFAULT_TYPE, reply: Reply,
                     question: str | None = None) -> None:
    chat = update.effective_chat
    if chat is None:
        return
    sent = await send(context.bot, chat.id, render(reply), _question(update))
    if sent is not None and question and reply.topic:
        state(context).questions.remember(chat.id, sent.message_id, question)


async def admit(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Flood control and counting for every message a person sends; False means do not answer."""
    st = state(context)
    user = update.effective_user
    if user is not None:
        verdict = st.flood.check(user.id, st.clock())
        if verdict is Verdict.DROP:
            return False
        if verdict is Verdict.WARN:
            await respond_with(update, context, render_markup(tt.SLOW_DOWN))
            return False
    st.record("message", user)
    return True


# Filters ----------------------------------------------------------------------------------------
class AddressedToBot(filters.MessageFilter):
    """Private chats, and in groups only messages that mention the bot or reply to it."""

    def filter(self, message: Message) -> bool:
        if message.chat.type == ChatType.PRIVATE:
            return True
        bot = message.get_bot()
        replied = message.reply_to_message
        if replied is not None and replied.from_user is not None and replied.from_user.id == bot.id:
            return True
        return _mentions(message, bot.username, bot.id)


def _mentions(message: Message, username: str, bot_id: int) -> bool:
    wanted = f"@{username}".lower()
    for entity, text in {**message.parse_entities(), **message.parse_caption_entities()}.items():
        if entity.type == MessageEntityType.MENTION and text.lower() == wanted:
            return True
        if entity.type == MessageEntityType.TEXT_MENTION and entity.user is not None and entity.user.id == bot_id:
            return True
    return False


def without_mention(text: str, username: str) -> str:
    """"@KawanMigranBot syarat jadi PMI?" -> "syarat jadi PMI?"."""
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip()


# Commands ---------------------------------------------------------------------------------------
async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/start, with an optional deep-link parameter: a topic id or ref_<volunteer code>."""
    if not await admit(update, context):
        return
    st = state(context)
    user = update.effective_user
    engine = st.live.engine
    parameter = context.args[0] if context.args else ""
    st.record("start", user)
    code = code_from_start(parameter)
    if code is not None:
        st.record("referral", user, ref=code)
    if parameter in engine.kb.topics:
        reply = engine.answer(parameter)
        st.record_reply(reply, user)
    else:
        reply = engine.welcome()
    await send_reply(update, context, reply)


async def menu(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/menu: the topic groups."""
    if await admit(update, context):
        await send_reply(update, context, state(context).live.engine.menu())


async def emergency(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/darurat: the emergency contacts, at any time."""
    if not await admit(update, context):
        return
    st = state(context)
    reply = st.live.engine.answer(EMERGENCY_TOPIC)
    st.record_reply(reply, update.effective_user)
    await send_reply(update, context, reply)


async def contacts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/kontak: the official contacts group."""
    if await admit(update, context):
        await send_reply(update, context, state(context).live.engine.group(CONTACTS_GROUP))


async def share(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bagikan: this person's share link and its QR code."""
    if not await admit(update, context):
        return
    from bot.admin.qr import qr_png  # imported late: Pillow is only needed when someone shares

    st = state(context)
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return
    link = share_link(context.bot.username, referral_code(user.id, st.store.secret))
    await respond_with(update, context, render_markup(tt.SHARE.format(link=f"[{link}]({link})")))
    png = await asyncio.to_thread(qr_png, link)
    await context.bot.send_photo(chat.id, png, caption=tt.SHARE_CAPTION)


async def privacy(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/privasi: what is kept, and for how long."""
    if not await admit(update, context):
        return
    days = state(context).settings.retention_days
    await respond_with(update, context, render_markup(tt.PRIVACY.format(days=days)))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bantuan: how to use the bot."""
    if await admit(update, context):
        await respond_with(update, context, render_markup(tt.HELP))


# Admin commands: answered only for KAWAN_ADMINS in a private chat; everyone else gets exactly the
# reply to unknown input, so nothing hints that these commands exist.
async def reload_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/reload: load knowledge/ and intents/ again, or say why not."""
    st = state(context)
    problems = await asyncio.to_thread(st.live.reload)
    await respond_with(update, context, reload_report(problems, st.live, auto=False))


def reload_report(problems: Sequence[Problem], live: LiveKnowledge, auto: bool) -> list[Outgoing]:
    """What admins read after a reload: counts on success, else every problem, exactly as the validator words it."""
    if not problems:
        engine = live.engine
        template = tt.AUTO_RELOAD_OK if auto else tt.RELOAD_OK
        return render_markup(template.format(topics=len(engine.kb.topics),
                                             examples=len(engine.bundle.training.examples)))
    template = tt.AUTO_RELOAD_FAILED if auto else tt.RELOAD_FAILED
    listing = "\n".join(f"- {problem}" for problem in problems)
    return render_markup(template.format(count=len(problems))) + render_plain(listing)


async def statistics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/statistik: the last week in numbers and as a chart."""
    from bot.admin.stats_report import summary_chart_png, summary_text  # Pillow only when an admin asks

    st = state(context)
    chat = update.effective_chat
    text = await st.store.call(summary_text, STATS_DAYS)
    await respond_with(update, context, render_markup(text))
    png = await st.store.call(summary_chart_png, STATS_DAYS)
    await context.bot.send_photo(chat.id, png)


ADMIN_COMMANDS = {"reload": reload_command, "statistik": statistics}


async def other_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Admin commands for admins; any other command is ordinary unknown input."""
    message = update.effective_message
    entity = message.entities[0]
    name, _, target = message.text[1 : entity.length].partition("@")
    username = context.bot.username
    if target and target.lower() != username.lower():
        return  # "/start@OtherBot" in a group is for another bot
    if message.chat.type != ChatType.PRIVATE and not target:
        return  # in groups, unknown bare commands are probably for another bot
    st = state(context)
    handler = ADMIN_COMMANDS.get(name.lower())
    if handler is not None and st.is_admin(update.effective_user) and message.chat.type == ChatType.PRIVATE:
        await handler(update, context)
        return
    await free_text(update, context)


# Messages ---------------------------------------------------------------------------------------
async def free_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question in the person's own words (edited messages too): the core decides the reply."""
    if not await admit(update, context):
        return
    st = state(context)
    question = without_mention(update.effective_message.text or "", context.bot.username)
    reply = st.live.engine.respond(question)
    # Send first: a reply on its way matters more than a statistic, and a 👎 needs the sent message id.
    await send_reply(update, context, reply, question)
    st.record_reply(reply, update.effective_user, question)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, stickers, voice notes, locations, documents: kindly ask for typed text."""
    if await admit(update, context):
        await respond_with(update, context, render_markup(tt.TYPE_PLEASE))


# Buttons ----------------------------------------------------------------------------------------
async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on an inline button: navigation, a topic, or a 👍/👎 vote."""
    query = update.callback_query
    st = state(context)
    user = update.effective_user
    verdict = st.flood.check(user.id, st.clock()) if user else Verdict.PASS
    if verdict is not Verdict.PASS:
        # Answered even when dropped: otherwise the button keeps spinning on the person's phone.
        await query.answer(tt.SLOW_DOWN_SHORT if verdict is Verdict.WARN else None)
        return
    data = query.data or ""
    if data.startswith(f"{FEEDBACK_PREFIX}:"):
        await vote(update, context, data)
        return
    # Answer at once so the spinner stops even if the reply takes a while on a slow network.
    await query.answer()
    reply = st.live.engine.handle(data)
    st.record_reply(reply, user)
    await send_reply(update, context, reply)


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE, data: str) -> None:
    """A 👍/👎 press: counted (a 👎 with its masked question, when still in memory), thanked, thumbs removed."""
    query = update.callback_query
    st = state(context)
    _, direction, topic = data.split(":", 2) if data.count(":") >= 2 else ("", "", "")
    message = query.message
    question = st.questions.take(message.chat.id, message.message_id) if message else None
    if direction in ("up", "down") and topic:
        st.record(f"feedback_{direction}", update.effective_user, topic=topic,
                  text=question if direction == "down" else None)
    await query.answer(tt.FEEDBACK_THANKS)
    if isinstance(message, Message):
        # Already edited (a double tap) or too old to edit: the vote is counted either way.
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(without_feedback(message.reply_markup))


# Errors -----------------------------------------------------------------------------------------
async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log without message content, then apologise to the person if we still can."""
    error = context.error
    if isinstance(error, Forbidden):
        logger.info("Balasan tidak terkirim: pengguna memblokir bot atau bot dikeluarkan dari grup.")
        return
    update_id = update.update_id if isinstance(update, Update) else None
    logger.error("Galat saat menangani update %s: %s", update_id, type(error).__name__, exc_info=error)
    if not isinstance(update, Update):
        return
    if update.callback_query is not None:
        with contextlib.suppress(TelegramError):  # already answered, or too old
            await update.callback_query.answer()
    if update.effective_chat is not None:
        try:
            await respond_with(update, context, render_markup(tt.ERROR_APOLOGY))
        except TelegramError:
            logger.warning("Permintaan maaf pun tidak terkirim.")


def register(application: Application) -> None:
    """Every handler, in the order PTB tries them (the first match wins)."""
    messages = filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE
    addressed = AddressedToBot()
    public = {"start": start, "menu": menu, "darurat": emergency, "kontak": contacts, "bagikan": share,
              "privasi": privacy, "bantuan": help_command}
    for name, callback in public.items():
        application.add_handler(CommandHandler(name, callback, filters=messages))
    application.add_handler(MessageHandler(messages & filters.COMMAND, other_command))
    application.add_handler(MessageHandler(messages & filters.TEXT & ~filters.COMMAND & addressed, free_text))
    application.add_handler(MessageHandler(messages & ~filters.TEXT & ~filters.StatusUpdate.ALL & addressed, not_text))
    application.add_handler(CallbackQueryHandler(button))
    application.add_error_handler(on_error)
