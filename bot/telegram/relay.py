"""Bicara dengan relawan: consent, a case relayed between one user and the volunteers' group, closing, reminders."""

from __future__ import annotations

import asyncio
import contextlib
import html
import logging
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, ReplyParameters, Update
from telegram.constants import ChatType, MessageLimit
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.admin.cases import (
    Case,
    active_chats,
    case_label,
    case_of_message,
    close_case,
    get_case,
    link_message,
    mark_answered,
    mark_media_warned,
    open_case,
    overdue_cases,
    rate_case,
    referral_of,
    take_case,
)
from bot.admin.referral import referral_code
from bot.settings import Settings
from bot.telegram import relay_texts as rt
from bot.telegram.handlers import ANSWER_GROUP, STATE_KEY, BotState, send, state
from bot.telegram.posts_in_flight import PostsInFlight
from bot.telegram.render import MAX_CHUNK, Outgoing, plain_to_html, render, render_markup, split_markup

logger = logging.getLogger(__name__)

RELAY_KEY = "kawan_relay"
CHECKER_KEY = "kawan_relay_checker"
CONSENT_ACTION = "relawan:ya"
DECLINE_ACTION = "relawan:batal"
USER_ACTION = re.compile(r"^relawan:(tanya|ya|batal)$")
CASE_ACTION = re.compile(r"^kasus:(ambil|tutup|blokir|selesai|nilai):(\d{1,12})(?::(up|down))?$")
# "mau bicara dengan orang", "bisa ngobrol sama relawan?", "sambungkan ke admin"; not "orang tua".
ASK_WORDS = re.compile(
    r"\b(bicara|berbicara|ngobrol|ngomong|omong|bacarita|chat|hubungi|sambungkan|disambungkan)\b"
    r"(\s+\S+){0,3}?\s+(orang(?!\s+tua)|relawan|manusia|admin|operator)\b", re.IGNORECASE)
# Room left in a group message for the case header above the user's words.
RELAY_CHUNK = MAX_CHUNK - 300
MAX_CAPTION = MessageLimit.CAPTION_LENGTH - 200
# After a block, the same chat cannot open a new case for a day (memory only: nothing about it is written).
BLOCK_SECONDS = 24 * 3600.0
# The reminder check runs often enough to be on time, rarely enough to cost nothing.
MIN_CHECK_SECONDS, MAX_CHECK_SECONDS = 0.2, 60.0
GUESSED_KINDS = frozenset({"answer", "clarify", "emergency"})
# How long a reply whose message is not linked yet waits for the posts in flight (sends retry for longer only
# when Telegram is unreachable, and then the reply could not have been written either).
LINK_WAIT_SECONDS = 30.0


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(kw_only=True)
class Relay:
    """The feature's state; `chats` (user chat -> active case) lives in memory only and is rebuilt from the
    sealed ids in the database at start."""

    group: int
    timeout: timedelta
    chats: dict[int, int] = field(default_factory=dict)
    blocked: dict[int, float] = field(default_factory=dict)
    posts: PostsInFlight = field(default_factory=PostsInFlight)
    clock: Callable[[], datetime] = utc_now
    monotonic: Callable[[], float] = time.monotonic

    @property
    def check_seconds(self) -> float:
        return min(MAX_CHECK_SECONDS, max(MIN_CHECK_SECONDS, self.timeout.total_seconds() / 4))

    def is_blocked(self, chat_id: int) -> bool:
        until = self.blocked.get(chat_id)
        if until is not None and until <= self.monotonic():
            del self.blocked[chat_id]
            return False
        return until is not None


def relay_of(context: ContextTypes.DEFAULT_TYPE) -> Relay:
    return context.bot_data[RELAY_KEY]


def enabled(settings: Settings) -> bool:
    return settings.volunteer_chat is not None


# Small pieces ---------------------------------------------------------------------------------------
def _keyboard(*rows: tuple[tuple[str, str], ...]) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row]
                                 for row in rows])


def _with_keyboard(messages: list[Outgoing], markup: InlineKeyboardMarkup | None) -> list[Outgoing]:
    return [*messages[:-1], replace(messages[-1], keyboard=markup)]


def end_keyboard(number: int) -> InlineKeyboardMarkup:
    return _keyboard(((rt.END_BUTTON, f"kasus:selesai:{number}"),))


def _case_keyboard(number: int, taken: bool) -> InlineKeyboardMarkup:
    row = ((rt.CLOSE_BUTTON, f"kasus:tutup:{number}"), (rt.BLOCK_BUTTON, f"kasus:blokir:{number}"))
    return _keyboard(row) if taken else _keyboard(((rt.TAKE_BUTTON, f"kasus:ambil:{number}"),), row)


def _header(case: Case) -> str:
    ref = rt.REF_PART.format(ref=html.escape(case.ref)) if case.ref else ""
    return rt.NEW_CASE.format(label=case.label, ref=ref)


def _name(update: Update) -> str:
    """The volunteer's first name, shown to the other volunteers only (they are in the same group anyway)."""
    user = update.effective_user
    return html.escape(user.first_name if user and user.first_name else "relawan", quote=False)


async def _to_group(context: ContextTypes.DEFAULT_TYPE, number: int, text: str,
                    markup: InlineKeyboardMarkup | None = None, quote: Message | None = None) -> Message:
    """Post in the volunteers' group and remember the message, so replies to it find the case."""
    relay, st = relay_of(context), state(context)
    reply_to = ReplyParameters(quote.message_id, allow_sending_without_reply=True) if quote else None
    async with relay.posts.post():
        sent = await context.bot.send_message(relay.group, text, reply_markup=markup, reply_parameters=reply_to)
        await st.store.call(link_message, number, relay.group, sent.message_id)
    return sent


async def _case_of_post(context: ContextTypes.DEFAULT_TYPE, message_id: int) -> Case | None:
    """The case a message in the group belongs to, also when the reply to it overtook the storing of its link."""
    relay, st = relay_of(context), state(context)
    case = await st.store.call(case_of_message, relay.group, message_id)
    if case is None and await relay.posts.settle(LINK_WAIT_SECONDS):
        case = await st.store.call(case_of_message, relay.group, message_id)
    return case


async def _to_user(context: ContextTypes.DEFAULT_TYPE, chat_id: int, messages: list[Outgoing]) -> bool:
    """False when the person cannot be reached (blocked the bot, deleted the chat)."""
    try:
        await send(context.bot, chat_id, messages)
    except Forbidden:
        return False
    return True


# The user's side ------------------------------------------------------------------------------------
async def offer(context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    """Explain what the volunteer will see, and ask for consent with a button; nothing is sent before it."""
    relay = relay_of(context)
    number = relay.chats.get(chat_id)
    if number is not None:
        await send(context.bot, chat_id, render_markup(rt.ALREADY_OPEN.format(label=case_label(number))))
    elif relay.is_blocked(chat_id):
        await send(context.bot, chat_id, render_markup(rt.BLOCKED_RECENTLY))
    else:
        markup = _keyboard(((rt.CONSENT_YES, CONSENT_ACTION),), ((rt.CONSENT_NO, DECLINE_ACTION),))
        await send(context.bot, chat_id, _with_keyboard(render_markup(rt.CONSENT), markup))


async def ask_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/relawan: the request for a person."""
    if update.effective_chat is not None:
        await offer(context, update.effective_chat.id)


async def ask_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Free text such as "mau bicara dengan relawan"; in danger the emergency numbers come first."""
    st, chat, message = state(context), update.effective_chat, update.effective_message
    if chat is None or message is None:
        return  # the text filter only passes messages, which always have a chat
    reply = st.live.engine.respond(message.text or "")
    if reply.emergency:
        await send(context.bot, chat.id, render(reply))
        st.record_reply(reply, update.effective_user)
    await offer(context, chat.id)


async def user_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """The user's buttons: ask for a volunteer, consent, or decline."""
    query = update.callback_query
    if query is None:
        return  # registered for callback queries only
    # Answer at once so the spinner stops even if opening the case takes a moment.
    await query.answer()
    chat = update.effective_chat
    pressed = USER_ACTION.match(query.data or "")
    if chat is None or chat.type != ChatType.PRIVATE or pressed is None:
        return
    action = pressed.group(1)
    if action == "tanya":
        await offer(context, chat.id)
        return
    if isinstance(query.message, Message):
        # The consent buttons go, so a second tap cannot open a second case.
        with contextlib.suppress(BadRequest):
            await query.edit_message_reply_markup(None)
    if action == "batal":
        await send(context.bot, chat.id, render_markup(rt.DECLINED))
    else:
        await open_for(update, context, chat.id)


async def open_for(update: Update, context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
    """Consent given: a new case, announced to the user and to the volunteers' group."""
    relay, st = relay_of(context), state(context)
    if chat_id in relay.chats or relay.is_blocked(chat_id):
        await offer(context, chat_id)
        return
    user = update.effective_user
    ref = await st.store.call(referral_of, user.id) if user else None
    case = await st.store.call(open_case, chat_id, ref, relay.clock())
    relay.chats[chat_id] = case.number
    logger.info("Kasus %s dibuka.", case.label)
    await send(context.bot, chat_id, _with_keyboard(render_markup(rt.OPENED.format(label=case.label)),
                                                    end_keyboard(case.number)))
    await _to_group(context, case.number, _header(case), _case_keyboard(case.number, taken=False))


class InCase(filters.MessageFilter):
    """Private messages of a person whose case is active (checked in memory, so it costs nothing)."""

    def __init__(self, relay: Relay) -> None:
        super().__init__()
        self.relay = relay

    def filter(self, message: Message) -> bool:
        return message.chat.type == ChatType.PRIVATE and message.chat.id in self.relay.chats


async def from_user(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A message of a person in a case: relayed to the group under the case number, never stored."""
    relay, st = relay_of(context), state(context)
    message = update.effective_message
    if message is None:
        return  # the InCase filter only passes messages
    chat_id = message.chat.id
    case = await st.store.call(get_case, relay.chats[chat_id]) if chat_id in relay.chats else None
    if case is None or not case.active:
        relay.chats.pop(chat_id, None)  # ended elsewhere, or removed by retention
        await send(context.bot, chat_id, render_markup(rt.ENDED_FOR_USER))
        return
    if message.text:
        await _relay_text(context, case, message, message.text, edited=update.edited_message is not None)
    elif message.photo or message.voice:
        await _relay_media(context, case, message)
    else:
        await send(context.bot, chat_id, render_markup(rt.ONLY_SOME_MEDIA))


async def _relay_text(context: ContextTypes.DEFAULT_TYPE, case: Case, message: Message, text: str,
                      edited: bool) -> None:
    st = state(context)
    reply = st.live.engine.respond(text)
    details = ""
    if reply.emergency:
        # In danger the numbers come first, from the bot, before any volunteer could read the message.
        await send(context.bot, message.chat.id, render(reply, feedback=False))
        st.record_reply(reply, message.from_user)
    topic = st.live.engine.kb.topics.get(reply.topic) if reply.kind in GUESSED_KINDS and reply.topic else None
    if topic is not None:
        details += rt.TOPIC_PART.format(topic=html.escape(topic.title, quote=False))
    if case.ref:
        details += rt.REF_DETAIL.format(ref=html.escape(case.ref))
    if reply.emergency:
        details += rt.EMERGENCY_PART
    if edited:
        details += rt.EDITED_PART
    for chunk in split_markup(text, RELAY_CHUNK, render=plain_to_html):
        await _to_group(context, case.number, rt.RELAYED.format(label=case.label, details=details,
                                                                   body=plain_to_html(chunk)))


async def _relay_media(context: ContextTypes.DEFAULT_TYPE, case: Case, message: Message) -> None:
    relay, st = relay_of(context), state(context)
    if not case.media_warned:
        # A photo can show a face, a name on a document, a place: the person decides again after being told.
        await st.store.call(mark_media_warned, case.number)
        await send(context.bot, message.chat.id, render_markup(rt.MEDIA_WARNING))
        return
    what = rt.PHOTO if message.photo else rt.VOICE
    caption = rt.MEDIA_CAPTION.format(label=case.label, what=what)
    if message.caption:
        caption += "\n" + plain_to_html(message.caption[:MAX_CAPTION])
    # Sent again by file id, never forwarded: a forward would carry the person's name.
    async with relay.posts.post():
        if message.photo:
            sent = await context.bot.send_photo(relay.group, message.photo[-1].file_id, caption=caption)
        elif message.voice:
            sent = await context.bot.send_voice(relay.group, message.voice.file_id, caption=caption)
        else:
            return  # only photos and voice notes reach here
        await st.store.call(link_message, case.number, relay.group, sent.message_id)


# The volunteers' side -------------------------------------------------------------------------------
class RepliesToBot(filters.MessageFilter):
    """A reply to one of the bot's own messages."""

    def filter(self, message: Message) -> bool:
        replied = message.reply_to_message
        return replied is not None and replied.from_user is not None and replied.from_user.id == message.get_bot().id


def _volunteer_admitted(update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
    """Only people (no bots, no anonymous admins) in the volunteers' group; the gate already did flood control."""
    chat, user = update.effective_chat, update.effective_user
    return chat is not None and chat.id == relay_of(context).group and user is not None and not user.is_bot


async def volunteer_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A volunteer's reply to a case message: delivered to that case's user as "Relawan Kawan PMI: …"."""
    if not _volunteer_admitted(update, context):
        return
    relay, st = relay_of(context), state(context)
    message, user = update.effective_message, update.effective_user
    if message is None or message.reply_to_message is None or user is None:
        return  # the RepliesToBot filter only passes replies, and _volunteer_admitted checked the user
    case = await _case_of_post(context, message.reply_to_message.message_id)
    if case is None:
        return
    if not case.active or case.chat_id is None:
        await _to_group(context, case.number, rt.ENDED_NOTICE.format(label=case.label), quote=message)
        return
    if not message.text:
        await _to_group(context, case.number, rt.TEXT_ONLY.format(label=case.label), quote=message)
        return
    chunks = split_markup(f"{rt.REPLY_PREFIX} {message.text}", render=plain_to_html)
    outgoing = _with_keyboard([Outgoing(html=plain_to_html(chunk)) for chunk in chunks], end_keyboard(case.number))
    if not await _to_user(context, case.chat_id, outgoing):
        await _to_group(context, case.number, rt.NOT_DELIVERED.format(label=case.label), quote=message)
        return
    code = referral_code(user.id, st.store.secret)
    await st.store.call(mark_answered, case.number, code, relay.clock())


async def end_case(context: ContextTypes.DEFAULT_TYPE, number: int, by: str, name: str = "") -> bool:
    """Close or block a case: the sealed chat id is deleted; both sides are told. False if it had ended already."""
    relay, st = relay_of(context), state(context)
    before = await st.store.call(close_case, number, by, relay.clock())
    if before is None:
        return False
    logger.info("Kasus %s berakhir (%s).", before.label, by)
    if before.chat_id is not None and relay.chats.get(before.chat_id) == number:
        del relay.chats[before.chat_id]
    notice = {"user": rt.CLOSED_BY_USER, "volunteer": rt.CLOSED_BY_VOLUNTEER, "block": rt.BLOCKED_BY}[by]
    await _to_group(context, number, notice.format(label=before.label, name=name))
    if before.chat_id is None:
        return True
    if by == "block":
        relay.blocked[before.chat_id] = relay.monotonic() + BLOCK_SECONDS
        await _to_user(context, before.chat_id, render_markup(rt.BLOCKED_FOR_USER))
    else:
        rating = _keyboard((("👍", f"kasus:nilai:{number}:up"), ("👎", f"kasus:nilai:{number}:down")))
        await _to_user(context, before.chat_id,
                       _with_keyboard(render_markup(rt.CLOSED_FOR_USER.format(label=before.label)), rating))
    return True


async def close_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/selesai: in a private chat ends the person's case; in the group, as a reply to a case message, that case."""
    relay = relay_of(context)
    chat, message = update.effective_chat, update.effective_message
    if chat is None or message is None:
        return  # commands always come in a message with a chat
    if chat.id == relay.group:
        if not _volunteer_admitted(update, context):
            return
        replied = message.reply_to_message
        case = await _case_of_post(context, replied.message_id) if replied else None
        if case is None:
            await context.bot.send_message(relay.group, rt.CLOSE_HOW,
                                           reply_parameters=ReplyParameters(message.message_id,
                                                                            allow_sending_without_reply=True))
        elif not await end_case(context, case.number, "volunteer", _name(update)):
            await _to_group(context, case.number, rt.ENDED_NOTICE.format(label=case.label), quote=message)
        return
    if chat.type != ChatType.PRIVATE:
        return
    number = relay.chats.get(chat.id)
    if number is None or not await end_case(context, number, "user"):
        relay.chats.pop(chat.id, None)
        await send(context.bot, chat.id, render_markup(rt.NOT_IN_CASE))


async def case_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Case buttons: take, close or block (volunteers' group only); end or rate (the case's user only)."""
    query = update.callback_query
    pressed = CASE_ACTION.match(query.data or "") if query is not None else None
    if query is None or pressed is None:
        return  # registered for callback queries matching CASE_ACTION only
    relay, st = relay_of(context), state(context)
    action, raw_number, vote = pressed.groups()
    number = int(raw_number)
    chat = query.message.chat if query.message else None
    if action in ("selesai", "nilai"):
        if chat is None or chat.type != ChatType.PRIVATE:
            await query.answer()
            return
        if action == "nilai":
            await st.store.call(rate_case, number, vote)
            await query.answer(rt.RATING_THANKS)
            with contextlib.suppress(BadRequest):
                await query.edit_message_reply_markup(None)
        elif relay.chats.get(chat.id) == number:
            await query.answer()
            await end_case(context, number, "user")
        else:
            await query.answer(rt.CASE_ENDED)
        return
    # Only members of the volunteers' group see its messages, so a press from there is a volunteer's.
    user = update.effective_user
    if chat is None or chat.id != relay.group or user is None or user.is_bot:
        await query.answer()
        return
    if action == "ambil":
        code = referral_code(user.id, st.store.secret)
        taken, case = await st.store.call(take_case, number, code, relay.clock())
        if not taken or case is None:
            await query.answer(rt.ALREADY_TAKEN if case is not None and case.active else rt.CASE_ENDED)
            return
        await query.answer(rt.TAKEN_TOAST)
        with contextlib.suppress(BadRequest):
            await query.edit_message_text(_header(case) + rt.TAKEN_BY.format(name=_name(update)),
                                          reply_markup=_case_keyboard(number, taken=True))
        if case.chat_id is not None:
            await _to_user(context, case.chat_id, render_markup(rt.TAKEN_FOR_USER.format(label=case.label)))
        return
    ended = await end_case(context, number, "block" if action == "blokir" else "volunteer", _name(update))
    await query.answer(None if ended else rt.CASE_ENDED)
    with contextlib.suppress(BadRequest):
        await query.edit_message_reply_markup(None)


# Reminders ------------------------------------------------------------------------------------------
def _minutes(timeout: timedelta) -> str:
    minutes = timeout.total_seconds() / 60
    return str(round(minutes)) if minutes >= 1 else "kurang dari 1"


async def remind_overdue(application: Application) -> int:
    """Cases nobody answered within the timeout: remind the group, and tell the user honestly; returns how many."""
    relay: Relay = application.bot_data[RELAY_KEY]
    st: BotState = application.bot_data[STATE_KEY]
    cases = await st.store.call(overdue_cases, relay.timeout, relay.clock())
    for case in cases:
        try:
            async with relay.posts.post():
                sent = await application.bot.send_message(
                    relay.group, rt.REMINDER.format(label=case.label, minutes=_minutes(relay.timeout)))
                await st.store.call(link_message, case.number, relay.group, sent.message_id)
        except TelegramError as exc:
            logger.warning("Pengingat kasus %s tidak terkirim ke grup: %s", case.label, type(exc).__name__)
        if case.chat_id is not None:
            try:
                await send(application.bot, case.chat_id, render_markup(rt.NO_ANSWER_YET.format(label=case.label)))
            except TelegramError as exc:
                logger.info("Kabar kasus %s tidak terkirim ke pengguna: %s", case.label, type(exc).__name__)
    return len(cases)


async def _check_forever(application: Application, interval: float) -> None:
    while True:
        try:
            await remind_overdue(application)
        except Exception as exc:  # noqa: BLE001 - the loop must outlive any one failure
            logger.error("Pemeriksaan kasus relawan gagal: %s", type(exc).__name__)
        await asyncio.sleep(interval)


async def load_relay(application: Application) -> None:
    """Rebuild the in-memory index of active cases from the database (after a restart, cases go on)."""
    relay: Relay = application.bot_data[RELAY_KEY]
    st: BotState = application.bot_data[STATE_KEY]
    relay.chats = await st.store.call(active_chats)
    logger.info("Relawan: %d kasus aktif dimuat.", len(relay.chats))


async def start_relay(application: Application) -> None:
    """At start-up: load active cases, then check for overdue ones periodically (cases live in the database)."""
    relay: Relay | None = application.bot_data.get(RELAY_KEY)
    if relay is None:
        return
    await load_relay(application)
    application.bot_data[CHECKER_KEY] = asyncio.create_task(_check_forever(application, relay.check_seconds))


async def stop_relay(application: Application) -> None:
    checker = application.bot_data.pop(CHECKER_KEY, None)
    if checker is not None:
        checker.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await checker


def register_relay(application: Application, settings: Settings) -> None:
    """Add the feature's handlers to the answering group ahead of the general ones (first match wins), so the gate
    applies flood control to them too; nothing when the feature is off."""
    if settings.volunteer_chat is None:
        return
    relay = Relay(group=settings.volunteer_chat, timeout=timedelta(minutes=settings.volunteer_timeout_minutes))
    application.bot_data[RELAY_KEY] = relay
    messages = filters.UpdateType.MESSAGE | filters.UpdateType.EDITED_MESSAGE
    group = filters.Chat(relay.group)
    private = filters.ChatType.PRIVATE
    application.add_handlers([
        CommandHandler("relawan", ask_command, filters=messages & private),
        CommandHandler("selesai", close_command, filters=messages & (private | group)),
        MessageHandler(messages & group & RepliesToBot() & ~filters.COMMAND, volunteer_message),
        MessageHandler(messages & InCase(relay) & ~filters.COMMAND, from_user),
        MessageHandler(filters.UpdateType.MESSAGE & private & filters.TEXT & ~filters.COMMAND & filters.Regex(ASK_WORDS),
                       ask_text),
        CallbackQueryHandler(user_button, pattern=USER_ACTION),
        CallbackQueryHandler(case_button, pattern=CASE_ACTION),
    ], group=ANSWER_GROUP)
