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

from telegram import Bot, CallbackQuery, Message, ReplyParameters, Update, User
from telegram.constants import ChatType, MessageEntityType
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.admin.referral import code_from_start, referral_code, share_link
from bot.admin.store_thread import StoreThread, StoreUnavailable
from bot.content.knowledge import EMERGENCY_TOPIC
from bot.core.conversation import Reply
from bot.core.live_knowledge import LiveKnowledge
from bot.problems import Problem
from bot.settings import Settings
from bot.telegram import relay_texts as rt
from bot.telegram import texts as tt
from bot.telegram.flood import FloodGuard, Verdict
from bot.telegram.handoff import with_volunteer_button
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
# PTB runs handler groups in ascending order: the gate sees every update before the handlers that answer it.
GATE_GROUP = -1
ANSWER_GROUP = 0
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


@dataclass(kw_only=True)
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
        # Every emergency card, reached by words, menu, deep link, a place button or /darurat, counts as one.
        kind = "emergency" if reply.emergency or reply.topic == EMERGENCY_TOPIC else reply.kind
        # The store keeps the question only where admins need it (fallbacks, low confidence), masked;
        # for emergencies it keeps which signal fired (its id), never the words.
        self.record(kind, user, topic=reply.topic, confidence=reply.confidence, text=question, unsure=reply.unsure,
                    signal=reply.signal)


def state(context: ContextTypes.DEFAULT_TYPE) -> BotState:
    return context.bot_data[STATE_KEY]


def state_of(application: Application) -> BotState:
    return application.bot_data[STATE_KEY]


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
    if state(context).settings.volunteer_chat is not None:
        reply = with_volunteer_button(reply)
    sent = await send(context.bot, chat.id, render(reply), _question(update))
    if sent is not None and question and reply.topic:
        state(context).questions.remember(chat.id, sent.message_id, question)


async def gate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Flood control and counting for every update a handler will answer; stops the update when over the limit."""
    taker = _taker(context.application, update)
    if taker is None or isinstance(taker, AdminCommandHandler):
        return  # not for this bot (group chatter, other bots' commands), or an admin's command: never limited
    st = state(context)
    user = update.effective_user
    verdict = st.flood.check(user.id, st.clock()) if user is not None else Verdict.PASS
    query = update.callback_query
    if verdict is not Verdict.PASS:
        if query is not None:
            # Answered even when dropped: otherwise the button keeps spinning on the person's phone.
            await query.answer(tt.SLOW_DOWN_SHORT if verdict is Verdict.WARN else None)
        elif verdict is Verdict.WARN:
            await respond_with(update, context, render_markup(tt.SLOW_DOWN))
        raise ApplicationHandlerStop
    if query is None:
        st.record("message", user)  # button presses are counted by what they open, not as messages


def _taker(application: Application, update: Update) -> BaseHandler | None:
    """The handler PTB will run for this update in the answering group, as PTB picks it: the first that matches."""
    for handler in application.handlers.get(ANSWER_GROUP, ()):
        check = handler.check_update(update)
        if check is not None and check is not False:  # PTB's own test for a match
            return handler
    return None


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


class CommandForThisChat(filters.MessageFilter):
    """A command meant for this bot: "/x@ThisBot" anywhere, a bare "/x" only in private chats.

    In groups a bare unknown command is probably for another bot, and "/x@OtherBot" certainly is.
    """

    def filter(self, message: Message) -> bool:
        entities = message.entities
        if not entities or entities[0].type != MessageEntityType.BOT_COMMAND or entities[0].offset != 0:
            return False
        _, _, target = (message.text or "")[1 : entities[0].length].partition("@")
        if target:
            return target.lower() == message.get_bot().username.lower()
        return message.chat.type == ChatType.PRIVATE


class AdminCommandHandler(CommandHandler):
    """A command only KAWAN_ADMINS may run, in a private chat; the gate neither limits nor counts it."""


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
    await send_reply(update, context, state(context).live.engine.menu())


async def emergency(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/darurat: the emergency contacts, at any time."""
    st = state(context)
    reply = st.live.engine.answer(EMERGENCY_TOPIC)
    st.record_reply(reply, update.effective_user)
    await send_reply(update, context, reply)


async def contacts(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/kontak: the official contacts group."""
    await send_reply(update, context, state(context).live.engine.group(CONTACTS_GROUP))


async def share(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bagikan: this person's share link and its QR code."""
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
    settings = state(context).settings
    text = tt.PRIVACY.format(days=settings.retention_days)
    if settings.volunteer_chat is not None:
        text += rt.PRIVACY.format(days=settings.retention_days)
    await respond_with(update, context, render_markup(text))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/bantuan: how to use the bot."""
    volunteers = state(context).settings.volunteer_chat is not None
    await respond_with(update, context, render_markup(tt.HELP + ("\n" + rt.HELP_LINE if volunteers else "")))


# Admin commands: answered only for KAWAN_ADMINS in a private chat; everyone else falls through to the
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
    # One notice, however many problems: a file with 12,000 problems once sent hundreds of messages.
    shown = problems[:tt.NOTICE_PROBLEMS]
    listing = "\n".join(f"- {problem}" for problem in shown)
    more = render_markup(tt.PROBLEMS_MORE.format(more=len(problems) - len(shown),
                                                 files=len({p.path for p in problems})))
    return (render_markup(template.format(count=len(problems))) + render_plain(listing)
            + (more if len(problems) > len(shown) else []))


async def statistics(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/statistik: the last week in numbers and as a chart."""
    from bot.admin.stats_report import summary_chart_png, summary_text  # Pillow only when an admin asks

    st = state(context)
    chat = update.effective_chat
    if chat is None:
        return  # the command filter only passes messages, which always have a chat
    try:
        text = await st.store.call(summary_text, STATS_DAYS)
    except StoreUnavailable as exc:
        await respond_with(update, context, render_plain(tt.STATS_UNAVAILABLE.format(reason=exc)))
        return
    await respond_with(update, context, render_markup(text))
    png = await st.store.call(summary_chart_png, STATS_DAYS)
    await context.bot.send_photo(chat.id, png)


# Messages ---------------------------------------------------------------------------------------
async def free_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A question in the person's own words (edited messages too): the core decides the reply."""
    st = state(context)
    message = update.effective_message
    if message is None:
        return  # the text filters only pass updates that carry a message
    question = without_mention(message.text or "", context.bot.username)
    reply = st.live.engine.respond(question)
    # Send first: a reply on its way matters more than a statistic, and a 👎 needs the sent message id.
    await send_reply(update, context, reply, question)
    st.record_reply(reply, update.effective_user, question)


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Photos, stickers, voice notes, locations, documents: kindly ask for typed text."""
    await respond_with(update, context, render_markup(tt.TYPE_PLEASE))


# Buttons ----------------------------------------------------------------------------------------
async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A press on an inline button: navigation, a topic, or a 👍/👎 vote."""
    query = update.callback_query
    if query is None:
        return  # registered for callback queries only
    st = state(context)
    data = query.data or ""
    if data.startswith(f"{FEEDBACK_PREFIX}:"):
        await vote(update, context, query, data)
        return
    # Answer at once so the spinner stops even if the reply takes a while on a slow network.
    await query.answer()
    reply = st.live.engine.handle(data)
    st.record_reply(reply, update.effective_user)
    await send_reply(update, context, reply)


async def vote(update: Update, context: ContextTypes.DEFAULT_TYPE, query: CallbackQuery, data: str) -> None:
    """A 👍/👎 press: counted (a 👎 with its masked question, when still in memory), thanked, thumbs removed."""
    st = state(context)
    _, direction, topic = data.split(":", 2) if data.count(":") >= 2 else ("", "", "")
    message = query.message
    question = st.questions.take(message.chat.id, message.message_id) if message else None
    # Button data comes from the person's client and can be forged: only known topics are counted.
    if direction in ("up", "down") and topic in st.live.engine.kb.topics:
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


PUBLIC_COMMANDS = {"start": start, "menu": menu, "darurat": emergency, "kontak": contacts, "bagikan": share,
                   "privasi": privacy, "bantuan": help_command}


def _command_parts(message: Message) -> tuple[str, str]:
    """("darurat", "OtherBot") for "/darurat@OtherBot ..."; empty strings when the message is no command."""
    entities = message.entities
    if not entities or entities[0].type != MessageEntityType.BOT_COMMAND or entities[0].offset != 0:
        return "", ""
    name, _, target = (message.text or "")[1 : entities[0].length].partition("@")
    return name.lower(), target


class ForeignPublicCommand(filters.MessageFilter):
    """"/darurat@OtherBot" in a private chat (copied or forwarded): only this bot can be meant there."""

    def filter(self, message: Message) -> bool:
        if message.chat.type != ChatType.PRIVATE:
            return False
        name, target = _command_parts(message)
        return bool(target) and target.lower() != message.get_bot().username.lower() and name in PUBLIC_COMMANDS


async def foreign_public_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.effective_message is None:
        return  # the ForeignPublicCommand filter only passes messages
    name, _ = _command_parts(update.effective_message)
    await PUBLIC_COMMANDS[name](update, context)


def register(application: Application) -> None:
    """The gate, then every handler in the order PTB tries them (the first match wins)."""
    messages = filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE
    addressed = AddressedToBot()
    application.add_handler(TypeHandler(Update, gate), group=GATE_GROUP)
    for name, callback in PUBLIC_COMMANDS.items():
        application.add_handler(CommandHandler(name, callback, filters=messages), group=ANSWER_GROUP)
    application.add_handler(MessageHandler(messages & ForeignPublicCommand(), foreign_public_command),
                            group=ANSWER_GROUP)
    admins = messages & filters.ChatType.PRIVATE & filters.User(user_id=state_of(application).settings.admins)
    for name, callback in {"reload": reload_command, "statistik": statistics}.items():
        application.add_handler(AdminCommandHandler(name, callback, filters=admins), group=ANSWER_GROUP)
    answering = [
        # Any other command, and admin commands from anyone else, are ordinary unknown input.
        MessageHandler(messages & CommandForThisChat(), free_text),
        MessageHandler(messages & filters.TEXT & ~filters.COMMAND & addressed, free_text),
        MessageHandler(messages & ~filters.TEXT & ~filters.StatusUpdate.ALL & addressed, not_text),
        CallbackQueryHandler(button),
    ]
    application.add_handlers(answering, group=ANSWER_GROUP)
    application.add_error_handler(on_error)
