"""Bot API JSON as Telegram sends it (users, chats, messages, button presses), for offline tests and the emulator."""

from __future__ import annotations

import itertools
import re
import time
from typing import Any

BOT_ID = 7000000001
BOT_USERNAME = "KawanMigranTestBot"
TOKEN = "7000000001:TEST-token-that-must-never-be-logged_xyz"
GROUP_ID = -1001234567890
_COMMAND = re.compile(r"^/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?")
_MENTION = re.compile(r"@[A-Za-z0-9_]{5,32}")

_ids = itertools.count(1)


def next_id() -> int:
    return next(_ids)


def bot_user() -> dict[str, Any]:
    return {"id": BOT_ID, "is_bot": True, "first_name": "Kawan Migran", "username": BOT_USERNAME,
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}


def user(user_id: int) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": f"Pengguna {user_id}", "language_code": "id"}


def chat(chat_id: int, kind: str = "private") -> dict[str, Any]:
    if kind == "private":
        return {"id": chat_id, "type": "private", "first_name": f"Pengguna {chat_id}"}
    return {"id": chat_id, "type": kind, "title": "Grup Desa"}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def entities(text: str) -> list[dict[str, Any]]:
    """The entities Telegram's servers add: a leading bot command, and @mentions (offsets in UTF-16)."""
    found: list[dict[str, Any]] = []
    command = _COMMAND.match(text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": utf16_len(command.group())})
    for mention in _MENTION.finditer(text):
        if command and mention.start() < command.end():
            continue
        found.append({"type": "mention", "offset": utf16_len(text[: mention.start()]),
                      "length": utf16_len(mention.group())})
    return found


def message(text: str | None, user_id: int, chat_id: int | None = None, chat_type: str = "private",
            message_id: int | None = None, **extra: Any) -> dict[str, Any]:
    """A message from a person; `extra` adds fields such as photo, sticker or reply_to_message."""
    data: dict[str, Any] = {
        "message_id": message_id or next_id(),
        "date": int(time.time()),
        "chat": chat(chat_id if chat_id is not None else user_id, chat_type),
        "from": user(user_id),
    }
    if text is not None:
        data["text"] = text
        if entities(text):
            data["entities"] = entities(text)
    data.update(extra)
    return data


def message_update(text: str | None, user_id: int, update_id: int | None = None, edited: bool = False,
                   **fields: Any) -> dict[str, Any]:
    key = "edited_message" if edited else "message"
    body = message(text, user_id, **fields)
    if edited:
        body["edit_date"] = body["date"] + 5
    return {"update_id": update_id or next_id(), key: body}


def bot_message(text: str, chat_id: int, message_id: int, reply_markup: dict[str, Any] | None = None,
                chat_type: str = "private") -> dict[str, Any]:
    data: dict[str, Any] = {"message_id": message_id, "date": int(time.time()), "chat": chat(chat_id, chat_type),
                            "from": bot_user(), "text": text}
    if reply_markup:
        data["reply_markup"] = reply_markup
    return data


def callback_update(data: str, user_id: int, on_message: dict[str, Any] | None = None,
                    update_id: int | None = None) -> dict[str, Any]:
    """A button press on one of the bot's messages."""
    on_message = on_message or bot_message("Pilih:", user_id, next_id())
    return {
        "update_id": update_id or next_id(),
        "callback_query": {
            "id": str(next_id()),
            "from": user(user_id),
            "message": on_message,
            "chat_instance": f"ci-{on_message['chat']['id']}",
            "data": data,
        },
    }


PHOTO: dict[str, Any] = {"photo": [{"file_id": "AgAD-photo", "file_unique_id": "p1", "width": 90, "height": 90}]}
STICKER: dict[str, Any] = {"sticker": {"file_id": "CAAD-sticker", "file_unique_id": "s1", "width": 512, "height": 512,
                       "is_animated": False, "is_video": False, "type": "regular"}}
VOICE: dict[str, Any] = {"voice": {"file_id": "AwAD-voice", "file_unique_id": "v1", "duration": 3}}
LOCATION: dict[str, Any] = {"location": {"latitude": -10.17, "longitude": 123.6}}
DOCUMENT: dict[str, Any] = {"document": {"file_id": "BQAD-doc", "file_unique_id": "d1", "file_name": "kontrak.pdf"}}
NON_TEXT: dict[str, dict[str, Any]] = {"photo": PHOTO, "sticker": STICKER, "voice": VOICE, "location": LOCATION,
                                       "document": DOCUMENT}
