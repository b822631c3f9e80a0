"""The Telegram bot: builds the PTB Application over the core and runs it with long polling or a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Sequence
from urllib.parse import urlparse

from telegram import BotCommand, LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.error import TelegramError
from telegram.ext import Application, Defaults
from telegram.request import BaseRequest

from bot.admin.store_thread import StoreThread
from bot.core.conversation import Engine
from bot.core.live_knowledge import POLL_SECONDS, LiveKnowledge
from bot.core.vocabulary import known_words
from bot.problems import Problem
from bot.settings import Settings
from bot.telegram import offer_check
from bot.telegram import relay_texts as rt
from bot.telegram import texts as tt
from bot.telegram.delivery import NETWORK_DELAYS, PerChatUpdateProcessor, RetryingRateLimiter
from bot.telegram.flood import FloodGuard
from bot.telegram.handlers import STATE_KEY, BotState, register, reload_report, send
from bot.telegram.relay import enabled as relay_enabled
from bot.telegram.relay import register_relay, start_relay, stop_relay
from bot.telegram.render import Outgoing, render_markup
from bot.telegram.webhook import UpdateContentFilter
from bot.telegram.webhook import install as install_webhook

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = (Update.MESSAGE, Update.EDITED_MESSAGE, Update.CALLBACK_QUERY)
WATCHER_KEY = "kawan_watcher"
WATCH_SECONDS_KEY = "kawan_watch_seconds"
CONNECTIONS = 32
POOL_TIMEOUT = 10.0  # seconds a reply may wait for a free connection during a burst
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class TokenRedactor(logging.Filter):
    """Last line of defence: whatever a library logs, the bot token is replaced before it is written."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def filter(self, record: logging.LogRecord) -> bool:
        if self.token:
            message = record.getMessage()
            if self.token in message:
                record.msg, record.args = message.replace(self.token, "<TOKEN>"), None
        return True


def configure_logging(token: str) -> None:
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    # httpx logs every request URL at INFO, and Bot API URLs contain the token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("httpcore").setLevel(logging.WARNING)
    redactor = TokenRedactor(token)
    scrubber = UpdateContentFilter()
    for handler in logging.getLogger().handlers:
        handler.addFilter(scrubber)
        handler.addFilter(redactor)


class VocabularyCache:
    """The current engine's words for masking, computed once per loaded engine."""

    def __init__(self, live: LiveKnowledge) -> None:
        self._live = live
        self._engine: Engine | None = None
        self._words: frozenset[str] = frozenset()

    def __call__(self) -> frozenset[str]:
        engine = self._live.engine
        if engine is not self._engine:
            self._words, self._engine = known_words(engine), engine
        return self._words


def build_application(settings: Settings, live: LiveKnowledge, store: StoreThread, *,
                      request: BaseRequest | None = None, updates_request: BaseRequest | None = None,
                      telegram_limits: bool = True, retry_delays: tuple[float, ...] = NETWORK_DELAYS,
                      flood: FloodGuard | None = None,
                      watch_seconds: float | None = POLL_SECONDS) -> Application:
    """The configured Application; tests pass a recording `request` and run it without a network."""
    # Without Telegram's limits (benchmarks against an emulator) the retries stay; only the pacing goes.
    limits = {} if telegram_limits else {"overall_max_rate": 0, "group_max_rate": 0}
    builder = (
        Application.builder()
        .token(settings.token)
        # PTB appends the token: requests go to {TELEGRAM_API_URL}/bot{token}/{method}.
        .base_url(f"{settings.api_url}/bot")
        .base_file_url(f"{settings.api_url}/file/bot")
        # Previews of the source links would cost data on cheap phones and push the answer off screen.
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .concurrent_updates(PerChatUpdateProcessor())
        .post_init(_post_init)
        .post_stop(_post_stop)
        .rate_limiter(RetryingRateLimiter(retry_delays, **limits))
    )
    if request is not None:
        builder = builder.request(request).get_updates_request(updates_request or request)
    else:
        # PTB's default of 256 connections costs CPU on every request (httpcore checks each idle one); 30
        # messages a second at a few hundred milliseconds each need far fewer.
        builder = builder.connection_pool_size(CONNECTIONS).pool_timeout(POOL_TIMEOUT)
    application = builder.build()
    application.bot_data[STATE_KEY] = BotState(settings=settings, live=live, store=store,
                                               flood=flood if flood is not None else FloodGuard())
    application.bot_data[WATCH_SECONDS_KEY] = watch_seconds
    store.set_vocabulary_source(VocabularyCache(live))
    register_relay(application, settings)  # ahead of the general handlers: a person in a case is relayed
    offer_check.register(application)  # first: a check wins over an ordinary question
    register(application)
    return application


async def _post_init(application: Application) -> None:
    """Register the command list and start watching the knowledge files."""
    state: BotState = application.bot_data[STATE_KEY]
    listed = tt.COMMANDS + ((rt.COMMAND,) if relay_enabled(state.settings) else ())
    commands = [BotCommand(name, description) for name, description in listed]
    try:
        await application.bot.set_my_commands(commands)
    except TelegramError as exc:
        # The bot answers commands anyway; only Telegram's "/" menu would be missing.
        logger.warning("Daftar perintah tidak terdaftar: %s", type(exc).__name__)
    await start_relay(application)
    try:
        await application.bot.set_my_description(tt.DESCRIPTION)
        await application.bot.set_my_short_description(tt.SHORT_DESCRIPTION)
    except TelegramError as exc:
        logger.warning("Deskripsi bot tidak terpasang: %s", type(exc).__name__)
    loop = asyncio.get_running_loop()

    def tell_admins_from_store(text: str) -> None:
        # Called on the store's thread: hand the notice to the event loop.
        asyncio.run_coroutine_threadsafe(notify_admins(application, render_markup(text)), loop)

    state.store.set_notify(tell_admins_from_store)
    interval = application.bot_data.get(WATCH_SECONDS_KEY)
    if interval:

        async def tell_admins(problems: tuple[Problem, ...], _engine: Engine) -> None:
            await notify_admins(application, reload_report(problems, state.live, auto=True))

        application.bot_data[WATCHER_KEY] = asyncio.create_task(state.live.watch(tell_admins, interval))
    logger.info("Kawan Migran berjalan sebagai @%s.", application.bot.username)


async def _post_stop(application: Application) -> None:
    await stop_relay(application)
    watcher = application.bot_data.pop(WATCHER_KEY, None)
    if watcher is not None:
        watcher.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await watcher


async def notify_admins(application: Application, messages: Sequence[Outgoing]) -> None:
    """Send a notice to every admin; one who never opened the bot cannot be reached, which is logged."""
    state: BotState = application.bot_data[STATE_KEY]
    for admin in sorted(state.settings.admins):
        try:
            # A private chat's id is the person's user id.
            await send(application.bot, admin, messages)
        except TelegramError as exc:
            logger.warning("Pemberitahuan ke admin tidak terkirim: %s", type(exc).__name__)


def webhook_path(url: str) -> str:
    """The path Telegram will POST to, taken from KAWAN_WEBHOOK_URL (PTB listens on that path)."""
    return urlparse(url).path.strip("/")


def health(live: LiveKnowledge, store: StoreThread) -> dict[str, object]:
    """What GET /healthz reports: the bot answers whenever it runs; statistics may be failing."""
    return {"status": "ok", "topics": len(live.engine.kb.topics),
            "statistics": "ok" if store.available else "gagal"}


def run_bot(settings: Settings, *, telegram_limits: bool = True) -> int:
    """Run until SIGTERM or SIGINT; returns the exit code. Broken knowledge at start raises KnowledgeError."""
    configure_logging(settings.token)
    live = LiveKnowledge(lambda: Engine.from_settings(settings), (settings.knowledge_dir, settings.intents_dir))
    store = StoreThread.open(settings.db_path, settings.secret, settings.retention_days)
    try:
        application = build_application(settings, live, store, telegram_limits=telegram_limits)
        # bootstrap_retries=-1: on a flaky uplink, keep trying to reach Telegram at start instead of exiting.
        if settings.webhook_url:
            install_webhook(lambda: health(live, store))
            # Telegram sends this secret in a header with every request; PTB rejects requests without it.
            secret = settings.webhook_secret or secrets.token_urlsafe(32)
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=webhook_path(settings.webhook_url),
                webhook_url=settings.webhook_url,
                secret_token=secret,
                allowed_updates=list(ALLOWED_UPDATES),
                bootstrap_retries=-1,
            )
        else:
            application.run_polling(allowed_updates=list(ALLOWED_UPDATES), bootstrap_retries=-1)
    finally:
        store.close()
    return 0
