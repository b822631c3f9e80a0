"""Settings parsed from the environment only: secrets never live in files or logs."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import KawanError

DEFAULT_API_URL = "https://api.telegram.org"
PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SettingsError(KawanError):
    """An environment variable has a value that cannot be used."""


def data_dir(name: str) -> Path:
    """knowledge/ or intents/ of the current folder, else of the project checkout."""
    here = Path.cwd() / name
    return here if here.is_dir() else PROJECT_ROOT / name


def default_cache_dir(env: Mapping[str, str]) -> Path:
    """KAWAN_CACHE, else the user's cache folder (XDG_CACHE_HOME or ~/.cache) / kawan-migran."""
    if env.get("KAWAN_CACHE", "").strip():
        return Path(env["KAWAN_CACHE"].strip())
    base = env.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "kawan-migran"


def _int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise SettingsError(f"{name} harus berupa angka bulat, bukan {raw!r}.") from None


def _minutes(env: Mapping[str, str], name: str, default: float) -> float:
    """Minutes, fractions allowed (tests use seconds' worth); must be above zero."""
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise SettingsError(f"{name} harus berupa jumlah menit, misalnya 120, bukan {raw!r}.") from None
    if not value > 0:
        raise SettingsError(f"{name} harus lebih dari 0 menit, bukan {raw!r}.")
    return value


def _chat_id(env: Mapping[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not raw.lstrip("-").isdigit():
        raise SettingsError(f"{name} harus berupa id grup Telegram (angka, misalnya -1001234567890), bukan {raw!r}.")
    return int(raw)


@dataclass(kw_only=True, frozen=True)
class Settings:
    token: str = ""
    api_url: str = DEFAULT_API_URL
    db_path: Path = Path("data/kawan.sqlite3")
    admins: frozenset[int] = field(default_factory=frozenset)
    webhook_url: str = ""
    webhook_listen: str = "0.0.0.0"
    webhook_port: int = 8443
    webhook_secret: str = ""
    stale_days: int = 180
    retention_days: int = 180
    secret: str = ""
    # The volunteers' group ("Bicara dengan relawan"); None turns the whole feature off.
    volunteer_chat: int | None = None
    volunteer_timeout_minutes: float = 120.0
    knowledge_dir: Path = field(default_factory=lambda: data_dir("knowledge"))
    intents_dir: Path = field(default_factory=lambda: data_dir("intents"))
    # The trained model of the current intents/ is kept here so that later starts skip training.
    cache_dir: Path = field(default_factory=lambda: default_cache_dir({}))

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> Settings:
        """Pure: the same mapping always gives the same settings."""
        admins: set[int] = set()
        for part in env.get("KAWAN_ADMINS", "").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.lstrip("-").isdigit():
                raise SettingsError(f"KAWAN_ADMINS berisi id Telegram berupa angka, dipisah koma; {part!r} bukan angka.")
            admins.add(int(part))
        return cls(
            token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            api_url=(env.get("TELEGRAM_API_URL", "").strip() or DEFAULT_API_URL).rstrip("/"),
            db_path=Path(env.get("KAWAN_DB", "").strip() or "data/kawan.sqlite3"),
            admins=frozenset(admins),
            webhook_url=env.get("KAWAN_WEBHOOK_URL", "").strip(),
            webhook_listen=env.get("KAWAN_WEBHOOK_LISTEN", "").strip() or "0.0.0.0",
            webhook_port=_int(env, "KAWAN_WEBHOOK_PORT", 8443),
            webhook_secret=env.get("KAWAN_WEBHOOK_SECRET", "").strip(),
            stale_days=_int(env, "KAWAN_STALE_DAYS", 180),
            retention_days=_int(env, "KAWAN_RETENTION_DAYS", 180),
            # Key for hashing user ids and referral codes; empty means one is generated beside the database.
            secret=env.get("KAWAN_SECRET", "").strip(),
            volunteer_chat=_chat_id(env, "KAWAN_VOLUNTEER_CHAT"),
            volunteer_timeout_minutes=_minutes(env, "KAWAN_VOLUNTEER_TIMEOUT_MINUTES", 120.0),
            knowledge_dir=Path(env["KAWAN_KNOWLEDGE"]) if env.get("KAWAN_KNOWLEDGE") else data_dir("knowledge"),
            intents_dir=Path(env["KAWAN_INTENTS"]) if env.get("KAWAN_INTENTS") else data_dir("intents"),
            cache_dir=default_cache_dir(env),
        )
