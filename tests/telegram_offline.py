"""PTB without a network: a request object that records every Bot API call and answers like Telegram would."""

from __future__ import annotations

import asyncio
import html
import json
import re
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any, TypeVar

from telegram import Update
from telegram.error import NetworkError
from telegram.request import BaseRequest, RequestData

from bot.admin.store_thread import StoreThread
from bot.core.live_knowledge import LiveKnowledge
from bot.settings import Settings
from bot.telegram.app import build_application
from tests.telegram_payloads import bot_user

T = TypeVar("T")
ALLOWED_TAGS = {"b", "a", "i", "code"}


@dataclass
class Call:
    """One Bot API request the bot made."""

    method: str
    params: dict[str, Any]
    url: str
    files: tuple[str, ...] = ()
    result: Any = None  # what the recorded request answered (the sent message, for sendMessage)


@dataclass
class RecordingRequest(BaseRequest):
    """Answers every request locally; `fail` queues error answers for a method, as (status, description, extra)."""

    calls: list[Call] = field(default_factory=list)
    fail: dict[str, list[tuple[int, str, dict[str, Any]]]] = field(default_factory=dict)
    network_failures: dict[str, int] = field(default_factory=dict)
    # Requests of these methods are recorded and answered only once the event is set, like a slow network.
    held: dict[str, asyncio.Event] = field(default_factory=dict)
    _message_ids: int = 1000

    @property
    def read_timeout(self) -> float | None:
        return 1.0

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout: Any = None, write_timeout: Any = None, connect_timeout: Any = None,
                         pool_timeout: Any = None) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files = tuple(request_data.multipart_data) if request_data and request_data.contains_files else ()
        call = Call(method=name, params=params, url=url, files=files)
        self.calls.append(call)
        if self.network_failures.get(name):
            self.network_failures[name] -= 1
            raise NetworkError("connection reset (simulated)")
        queued = self.fail.get(name)
        if queued:
            status, description, extra = queued.pop(0)
            body = {"ok": False, "error_code": status, "description": description, **extra}
            return status, json.dumps(body).encode()
        call.result = self._result(name, params)
        gate = self.held.get(name)
        if gate is not None:
            await gate.wait()
        return 200, json.dumps({"ok": True, "result": call.result}).encode()

    def _result(self, name: str, params: dict[str, Any]) -> Any:
        if name == "getMe":
            return bot_user()
        if name in ("sendMessage", "sendPhoto", "sendVoice", "editMessageText", "editMessageReplyMarkup"):
            self._message_ids += 1
            chat_id = int(params.get("chat_id", 0))
            kind = "private" if chat_id > 0 else "supergroup"
            result: dict[str, Any] = {
                "message_id": int(params.get("message_id", self._message_ids)), "date": int(time.time()),
                "chat": {"id": chat_id, "type": kind, **({"title": "Grup"} if kind != "private" else {})},
                "from": bot_user(),
            }
            if "text" in params:
                result["text"] = params["text"]
            if name == "sendPhoto":
                result["photo"] = [{"file_id": "x", "file_unique_id": "y", "width": 10, "height": 10}]
            if isinstance(params.get("reply_markup"), dict):
                result["reply_markup"] = params["reply_markup"]
            return result
        if name == "getUpdates":
            return []
        return True


class OfflineBot:
    """The real Application, fed updates one at a time with process_update; every call is recorded."""

    def __init__(self, settings: Settings, live: LiveKnowledge, store: StoreThread, **options: Any) -> None:
        self.request = RecordingRequest()
        self.store = store
        self.loop = asyncio.new_event_loop()
        options.setdefault("watch_seconds", None)
        self.app = build_application(settings, live, store, request=self.request, **options)
        self.run(self.app.initialize())
        self.request.calls.clear()

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def send(self, payload: dict[str, Any]) -> list[Call]:
        """Process one update (a JSON dict as Telegram sends it); returns the calls it caused."""
        start = len(self.request.calls)
        self.run(self.app.process_update(Update.de_json(payload, self.app.bot)))
        return self.request.calls[start:]

    def close(self) -> None:
        self.run(self.app.shutdown())
        self.loop.close()


def sent_texts(calls: list[Call]) -> list[str]:
    return [str(call.params["text"]) for call in calls if call.method == "sendMessage"]


def buttons(call: Call) -> list[tuple[str, str]]:
    """(label, callback_data) of every inline button of one sendMessage call."""
    markup = call.params.get("reply_markup") or {}
    return [(b["text"], b.get("callback_data", "")) for row in markup.get("inline_keyboard", []) for b in row]


def last_buttons(calls: list[Call]) -> list[tuple[str, str]]:
    messages = [call for call in calls if call.method == "sendMessage"]
    return buttons(messages[-1]) if messages else []


class _TelegramHTML(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.problems.append(f"tag <{tag}> not allowed")
        if tag == "a":
            if [name for name, _ in attrs] != ["href"] or not re.match(r"https?://", attrs[0][1] or ""):
                self.problems.append(f"bad link attributes {attrs}")
        elif attrs:
            self.problems.append(f"<{tag}> must have no attributes")
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"unbalanced </{tag}>")
        else:
            self.open.pop()


def html_problems(text: str) -> list[str]:
    """Why Telegram would reject this HTML (empty when it is fine)."""
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    problems = parser.problems + [f"unclosed <{tag}>" for tag in parser.open]
    # Outside tags, '<' and '&' must be escaped: Telegram rejects a bare '<' and unknown entities.
    bare = re.sub(r"</?(b|i|code)>|<a href=\"[^\"<>]*\">|</a>", "", text)
    if "<" in bare or ">" in bare:
        problems.append("unescaped < or > outside the allowed tags")
    if re.search(r"&(?!(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);)", bare):
        problems.append("unescaped &")
    return problems


def plain(text: str) -> str:
    """What the person sees: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))
