"""The webhook server: secret and size checked before the body is read, no update content logged, a health check."""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
from collections.abc import Callable
from http import HTTPStatus
from typing import Any

import tornado.http1connection
import tornado.web
from telegram import Bot, Update
from telegram.ext import ExtBot
from telegram.ext import _updater as ptb_updater

logger = logging.getLogger(__name__)

# Telegram's updates are a few kilobytes; 1 MB leaves room for the largest message with entities.
MAX_BODY = 1024 * 1024
HEALTH_PATH = "/healthz"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
Health = Callable[[], dict[str, Any]]


@tornado.web.stream_request_body
class UpdateHandler(tornado.web.RequestHandler):
    """Checks the secret and the announced size from the headers alone, then reads at most MAX_BODY bytes."""

    SUPPORTED_METHODS = ("POST",)

    def initialize(self, bot: Bot, update_queue: asyncio.Queue, secret_token: str | None) -> None:
        self.bot = bot
        self.update_queue = update_queue
        self.secret_token = secret_token
        self._chunks: list[bytes] = []
        self._size = 0

    def prepare(self) -> None:
        given = self.request.headers.get(SECRET_HEADER, "")
        if self.secret_token and not hmac.compare_digest(given.encode(), self.secret_token.encode()):
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        if self.request.headers.get("Content-Type", "").split(";")[0].strip() != "application/json":
            raise tornado.web.HTTPError(HTTPStatus.FORBIDDEN)
        try:
            announced = int(self.request.headers.get("Content-Length", "0"))
        except ValueError:
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        if announced > MAX_BODY:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        connection = self.request.connection
        if isinstance(connection, tornado.http1connection.HTTP1Connection):  # the only kind Tornado's server makes
            connection.set_max_body_size(MAX_BODY)

    def data_received(self, chunk: bytes) -> None:
        self._size += len(chunk)
        if self._size > MAX_BODY:
            raise tornado.web.HTTPError(HTTPStatus.REQUEST_ENTITY_TOO_LARGE)
        self._chunks.append(chunk)

    async def post(self) -> None:
        data: Any = None
        try:
            data = json.loads(b"".join(self._chunks))
            update = Update.de_json(data, self.bot)
        except Exception as exc:
            # The body holds names, phone numbers and messages: log which update failed and why, nothing else.
            update_id = data.get("update_id") if isinstance(data, dict) else None
            logger.warning("Update %s dari Telegram tidak bisa dibaca dan dilewati (%s).",
                           update_id if isinstance(update_id, int) else "?", type(exc).__name__)
            raise tornado.web.HTTPError(HTTPStatus.BAD_REQUEST) from None
        self.set_status(HTTPStatus.OK)
        if update is not None:
            if isinstance(self.bot, ExtBot):
                self.bot.insert_callback_data(update)
            await self.update_queue.put(update)

    def log_exception(self, typ: Any, value: Any, tb: Any) -> None:
        """Tornado would log the request; refused requests are expected and say nothing private."""
        if not isinstance(value, tornado.web.HTTPError):
            logger.error("Galat di server webhook: %s", type(value).__name__)


class HealthHandler(tornado.web.RequestHandler):
    """GET /healthz: 200 while the bot runs, with what it serves; for Docker, systemd and load balancers."""

    SUPPORTED_METHODS = ("GET",)

    def initialize(self, health: Health) -> None:
        self.health = health

    def get(self) -> None:
        self.set_header("Content-Type", "application/json")
        self.write(json.dumps(self.health()))


class WebhookApp(tornado.web.Application):
    """PTB's webhook application with the handlers above."""

    health: Health = staticmethod(lambda: {"status": "ok"})

    def __init__(self, webhook_path: str, bot: Bot, update_queue: asyncio.Queue,
                 secret_token: str | None = None) -> None:
        shared: dict[str, Any] = {"bot": bot, "update_queue": update_queue, "secret_token": secret_token}
        checks: dict[str, Any] = {"health": type(self).health}
        handlers = [
            (HEALTH_PATH, HealthHandler, checks),
            (rf"{webhook_path}/?", UpdateHandler, shared),
        ]
        super().__init__(handlers)

    def log_request(self, handler: tornado.web.RequestHandler) -> None:
        """No access log: request lines carry nothing useful and the bot logs what matters."""


def install(health: Health) -> None:
    """Make PTB's run_webhook serve WebhookApp (PTB offers no hook for its web application)."""
    WebhookApp.health = staticmethod(health)
    if not hasattr(ptb_updater, "WebhookAppClass"):
        raise RuntimeError("python-telegram-bot changed its webhook server; update bot/telegram/webhook.py")
    # PTB offers no hook, so its class is replaced by ours, which takes the same arguments.
    ptb_updater.WebhookAppClass = WebhookApp  # type: ignore[assignment,misc]


class UpdateContentFilter(logging.Filter):
    """Last line of defence: a library record that carries a raw update (a dict) is logged without it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith("telegram") and record.levelno >= logging.WARNING:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            if any(isinstance(arg, (dict, Update)) for arg in args) or "Received data" in str(record.msg):
                record.msg = "Update dari Telegram tidak bisa dibaca dan dilewati (isi tidak dicatat)."
                record.args = None
                record.exc_info = None
                record.exc_text = None
        return True
