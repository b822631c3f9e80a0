"""A minimal Bot API server on 127.0.0.1 for end-to-end tests: queues user updates, records and checks bot calls."""

from __future__ import annotations

import contextlib
import email.parser
import email.policy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

from tests import telegram_payloads as tp
from tests.telegram_offline import html_problems, plain

MAX_TEXT = 4096
MAX_CALLBACK_DATA = 64
# Methods the bot may call; anything else is answered 404 like Telegram does, and shows up in `unknown`.
METHODS = frozenset({
    "getMe", "getUpdates", "deleteWebhook", "setMyCommands", "sendMessage", "sendPhoto", "sendVoice",
    "answerCallbackQuery",
    "editMessageText", "editMessageReplyMarkup", "setWebhook", "close", "logOut", "setMyDescription",
    "setMyShortDescription",
})
# Telegram's limits on the bot's profile texts.
MAX_DESCRIPTION = 512
MAX_SHORT_DESCRIPTION = 120


@dataclass
class ApiCall:
    """One request the bot made, with its decoded parameters and when it arrived."""

    method: str
    params: dict[str, Any]
    at: float
    status: int = 200
    files: dict[str, int] = field(default_factory=dict)  # field name -> size in bytes
    message_id: int | None = None  # of the message a send created

    @property
    def created(self) -> int:
        """The message_id of the message this send created; fails the test if it created none."""
        assert self.message_id is not None, f"{self.method} created no message"
        return self.message_id

    @property
    def caption(self) -> str:
        return str(self.params.get("caption", ""))

    @property
    def chat_id(self) -> int | None:
        value = self.params.get("chat_id")
        return int(value) if value is not None else None

    @property
    def text(self) -> str:
        return str(self.params.get("text", ""))

    @property
    def buttons(self) -> list[tuple[str, str]]:
        markup = self.params.get("reply_markup") or {}
        return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a long poll still waiting must not hold up the test's end
    request_queue_size = 128  # a burst of new connections must not be refused


class BotApiEmulator:
    """Speaks enough of the Bot API for python-telegram-bot; every rule it enforces is one Telegram enforces."""

    def __init__(self, token: str = tp.TOKEN) -> None:
        self.token = token
        self.calls: list[ApiCall] = []
        self.unknown: list[str] = []
        self.rejected: list[tuple[str, str]] = []  # (method, description) of 400 answers
        self.blocked: set[int] = set()  # users who blocked the bot: sendMessage gets 403
        self.pushed_at: dict[int, float] = {}  # update_id -> time queued
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # (chat, message_id) -> bot message
        # Called (under the emulator's lock) with every recorded call; the load benchmark replies from here.
        self.on_call: Callable[[ApiCall], None] | None = None
        self._updates: list[dict[str, Any]] = []
        self._next_update = 1
        self._next_message = 1
        self._changed = threading.Condition()
        self._closing = False
        self._server = _Server(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(target=self._server.serve_forever, name="bot-api-emulator", daemon=True)

    # Lifecycle ------------------------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        assert isinstance(host, str)
        return f"http://{host}:{port}"

    def start(self) -> BotApiEmulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._server.shutdown()
        self._server.server_close()

    # The people's side ----------------------------------------------------------------------------
    def push(self, update: dict[str, Any]) -> int:
        """Queue an update (its update_id is replaced by the next in sequence); returns that id."""
        with self._changed:
            update = {**update, "update_id": self._next_update}
            self._next_update += 1
            self._updates.append(update)
            self.pushed_at[update["update_id"]] = time.monotonic()
            self._changed.notify_all()
            return update["update_id"]

    def say(self, user_id: int, text: str | None, **fields: Any) -> int:
        return self.push(tp.message_update(text, user_id, **fields))

    def press(self, user_id: int, message_id: int, data: str, chat_id: int | None = None) -> int:
        """Press a button on a message the bot sent to `user_id` (or, in a group, to `chat_id`)."""
        with self._changed:
            shown = self.messages[(chat_id if chat_id is not None else user_id, message_id)]
        return self.push(tp.callback_update(data, user_id, on_message=shown))

    def reply_in_group(self, chat_id: int, user_id: int, message_id: int, text: str | None, **fields: Any) -> int:
        """`user_id` answers, in the group `chat_id`, with a Telegram reply to the bot's message `message_id`."""
        with self._changed:
            replied = self.messages[(chat_id, message_id)]
        return self.push(tp.message_update(text, user_id, chat_id=chat_id, chat_type="supergroup",
                                           reply_to_message=replied, **fields))

    def wait_for(self, condition: Callable[[list[ApiCall]], bool], timeout: float = 10.0) -> list[ApiCall]:
        """Block until `condition(calls)` holds; returns a copy of the calls (AssertionError on timeout)."""
        deadline = time.monotonic() + timeout
        with self._changed:
            while not condition(self.calls):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out after {timeout}s; last calls: "
                                         f"{[(c.method, c.chat_id, c.text[:60]) for c in self.calls[-8:]]}")
                self._changed.wait(left)
            return list(self.calls)

    def replies(self, chat_id: int, since: int = 0) -> list[ApiCall]:
        """Messages and photos the bot sent to one chat, from call index `since` on."""
        with self._changed:
            return [c for c in self.calls[since:] if c.method in ("sendMessage", "sendPhoto", "sendVoice")
                    and c.chat_id == chat_id and c.status == 200]

    def mark(self) -> int:
        with self._changed:
            return len(self.calls)

    def pending(self) -> int:
        with self._changed:
            return len(self._updates)

    # The bot's side -------------------------------------------------------------------------------
    def _handle(self, path: str, params: dict[str, Any], files: dict[str, int]) -> tuple[int, dict[str, Any]]:
        prefix = f"/bot{self.token}/"
        if not path.startswith("/bot"):
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if not path.startswith(prefix):
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        method = path[len(prefix):]
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        with self._changed:
            call = ApiCall(method=method, params=params, at=time.monotonic(), files=files)
            status, body = self._answer(method, params)
            call.status = status
            result = body.get("result")
            if isinstance(result, dict) and method.startswith("send"):
                call.message_id = result.get("message_id")
            self.calls.append(call)
            if self.on_call is not None:
                self.on_call(call)
            self._changed.notify_all()
        return status, body

    def _answer(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if method not in METHODS:
            self.unknown.append(method)
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if method == "getMe":
            return 200, {"ok": True, "result": tp.bot_user()}
        if method == "setMyCommands":
            commands = params.get("commands") or []
            if not commands or any(not c.get("command") or not c.get("description") for c in commands):
                return self._bad(method, "Bad Request: BOT_COMMANDS_INVALID")
            return 200, {"ok": True, "result": True}
        if method == "setMyDescription" and len(params.get("description", "")) > MAX_DESCRIPTION:
            return self._bad(method, "Bad Request: BOT_DESCRIPTION_INVALID")
        if method == "setMyShortDescription" and len(params.get("short_description", "")) > MAX_SHORT_DESCRIPTION:
            return self._bad(method, "Bad Request: BOT_SHORT_DESCRIPTION_INVALID")
        if method in ("sendMessage", "sendPhoto", "sendVoice", "editMessageText", "editMessageReplyMarkup"):
            return self._message(method, params)
        return 200, {"ok": True, "result": True}

    def _bad(self, method: str, description: str) -> tuple[int, dict[str, Any]]:
        self.rejected.append((method, description))
        return 400, {"ok": False, "error_code": 400, "description": description}

    def _message(self, method: str, params: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        chat_id = int(params.get("chat_id", 0))
        if chat_id in self.blocked:
            return 403, {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
        text = params.get("text") if "text" in params else params.get("caption")
        if method in ("sendMessage", "editMessageText") and not text:
            return self._bad(method, "Bad Request: message text is empty")
        if text and params.get("parse_mode") == "HTML":
            problems = html_problems(text)
            if problems:
                return self._bad(method, f"Bad Request: can't parse entities: {problems[0]}")
        if text and tp.utf16_len(plain(text)) > MAX_TEXT:
            return self._bad(method, "Bad Request: message is too long")
        markup = params.get("reply_markup")
        for row in (markup or {}).get("inline_keyboard", []):
            for button in row:
                if len(button.get("callback_data", "").encode()) > MAX_CALLBACK_DATA:
                    return self._bad(method, "Bad Request: BUTTON_DATA_INVALID")
        if method.startswith("edit"):
            key = (chat_id, int(params.get("message_id", 0)))
            if key not in self.messages:
                return self._bad(method, "Bad Request: message to edit not found")
            shown = dict(self.messages[key])
            if text:
                shown["text"] = text
            if markup:
                shown["reply_markup"] = markup
            else:
                shown.pop("reply_markup", None)
            self.messages[key] = shown
            return 200, {"ok": True, "result": shown}
        message_id = self._next_message
        self._next_message += 1
        shown = tp.bot_message(text or "", chat_id, message_id, markup,
                               "private" if chat_id > 0 else "supergroup")
        if method == "sendPhoto":
            shown.pop("text")
            shown["photo"] = [{"file_id": f"photo{message_id}", "file_unique_id": f"u{message_id}",
                               "width": 330, "height": 330}]
            if text:
                shown["caption"] = text
        if method == "sendVoice":
            shown.pop("text")
            shown["voice"] = {"file_id": f"voice{message_id}", "file_unique_id": f"v{message_id}", "duration": 3}
            if text:
                shown["caption"] = text
        self.messages[(chat_id, message_id)] = shown
        return 200, {"ok": True, "result": shown}

    def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + timeout
        with self._changed:
            # Telegram forgets updates below the offset: they were confirmed by the bot.
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            while not self._updates and not self._closing:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._changed.wait(left)
            return self._updates[:limit]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        emulator = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes; without this, Nagle plus delayed ACKs add ~40 ms to each.
            disable_nagle_algorithm = True

            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                params, files = _decode(self.headers.get("Content-Type", ""), body)
                status, answer = emulator._handle(urlparse(self.path).path, params, files)
                payload = json.dumps(answer).encode()
                # The bot cancels its long poll when it stops; the closed connection is expected.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)

            do_GET = do_POST

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet: the test output shows only what matters."""

        return Handler


def _value(raw: str) -> Any:
    """PTB sends lists and objects as JSON strings inside the form; plain strings stay strings."""
    if raw[:1] in "[{":
        try:
            return json.loads(raw)
        except ValueError:
            return raw
    return raw


def _decode(content_type: str, body: bytes) -> tuple[dict[str, Any], dict[str, int]]:
    if content_type.startswith("multipart/form-data"):
        parsed = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        params: dict[str, Any] = {}
        files: dict[str, int] = {}
        for part in parsed.iter_parts():
            name = part.get_param("name", header="content-disposition")
            if not isinstance(name, str):
                continue  # not a form field
            decoded = part.get_payload(decode=True)
            payload = decoded if isinstance(decoded, bytes) else b""
            if part.get_filename():
                files[name] = len(payload)
            else:
                params[name] = _value(payload.decode())
        return params, files
    if content_type.startswith("application/json"):
        return (json.loads(body) if body else {}), {}
    return {key: _value(values[-1]) for key, values in parse_qs(body.decode()).items()}, {}
