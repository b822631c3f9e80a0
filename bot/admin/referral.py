"""Volunteer referral codes and t.me deep links: same person, same code; the Telegram id cannot be recovered."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re

DEFAULT_BOT_USERNAME = "KawanMigranBot"
REF_PREFIX = "ref_"
# 8 base32 characters = 40 bits: unique across any number of volunteers, short enough to read out or type.
CODE_CHARS = 8
CODE_PATTERN = re.compile(r"^[a-z2-7]{8}$")
# Telegram's rule for the start parameter: up to 64 of A-Z, a-z, 0-9, _ and -.
START_PARAMETER = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


def referral_code(user_id: int, secret: str) -> str:
    """A short keyed hash of a volunteer's Telegram id (domain-separated from the statistics hash)."""
    digest = hmac.new(secret.encode(), f"ref:{user_id}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:CODE_CHARS]


def code_from_start(parameter: str) -> str | None:
    """The referral code in a /start parameter such as "ref_ab3k7q2m", else None."""
    if parameter.startswith(REF_PREFIX) and CODE_PATTERN.match(parameter[len(REF_PREFIX):]):
        return parameter[len(REF_PREFIX):]
    return None


def _link(bot_username: str, parameter: str | None) -> str:
    username = bot_username.strip().lstrip("@")
    if not USERNAME.match(username):
        raise ValueError(f"not a Telegram bot username: {bot_username!r}")
    if parameter is None:
        return f"https://t.me/{username}"
    if not START_PARAMETER.match(parameter):
        raise ValueError(f"not a valid start parameter: {parameter!r}")
    return f"https://t.me/{username}?start={parameter}"


def share_link(bot_username: str, code: str) -> str:
    """https://t.me/<bot>?start=ref_<code>: opening it starts the bot and credits the volunteer."""
    return _link(bot_username, REF_PREFIX + code)


def topic_link(bot_username: str, topic_id: str) -> str:
    """https://t.me/<bot>?start=<topic id>: opening it starts the bot on that topic's answer."""
    return _link(bot_username, topic_id)


def bot_link(bot_username: str) -> str:
    """https://t.me/<bot>: the plain link, for posters without a code."""
    return _link(bot_username, None)
