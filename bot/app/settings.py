"""Typed settings read from `.env` and the environment into one frozen object."""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from dotenv import dotenv_values

from bot.errors import ConfigError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/cliffhanger.db"
DEFAULT_CACHE_DIR = "data/cache"
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_REQUESTS_PER_SECOND = 40.0  # under Discord's global limit of 50 requests a second
DEFAULT_REQUEST_BURST = 5
MIN_REQUEST_BURST = 4  # the budget can be quartered (one request then costs 4)


@dataclass(frozen=True, slots=True)
class Shards:
    """Which gateway shards this process serves: `ids` of `count` (None: Discord's advice)."""

    count: int | None = None
    ids: tuple[int, ...] | None = None


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the bot reads from its environment; secrets have no defaults."""

    discord_token: str | None = field(default=None, repr=False)
    database_url: str = DEFAULT_DATABASE_URL
    log_level: str = "INFO"
    dev_guild_id: int | None = None
    discord_api_base: str | None = None
    discord_gateway_url: str | None = None
    recap_grace_hours: float = 6.0
    cache_dir: Path | None = None
    spoiler_semantic: bool = False
    shards: Shards = field(default_factory=lambda: Shards())
    requests_per_second: float = DEFAULT_REQUESTS_PER_SECOND
    request_burst: int = DEFAULT_REQUEST_BURST
    spoiler_verifier: bool = False
    index_start_wait: float = 10.0

    @property
    def log_level_number(self) -> int:
        """The numeric logging level."""
        return logging.getLevelNamesMapping()[self.log_level]


def _optional(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


def _parse_int(name: str, raw: str | None) -> int | None:
    value = _optional(raw)
    if value is None:
        return None
    if not value.isdigit():
        raise ConfigError(f"{name} must be a Discord ID (digits only), got {value!r}")
    return int(value)


def _parse_url(name: str, raw: str | None, schemes: tuple[str, ...]) -> str | None:
    value = _optional(raw)
    if value is None:
        return None
    if not value.startswith(tuple(f"{scheme}://" for scheme in schemes)):
        expected = " or ".join(f"{scheme}://…" for scheme in schemes)
        raise ConfigError(f"{name} must be a URL starting with {expected}, got {value!r}")
    return value.rstrip("/") if name == "DISCORD_API_BASE" else value


def _parse_database_url(raw: str | None) -> str:
    value = _optional(raw) or DEFAULT_DATABASE_URL
    if value.startswith("postgres://"):
        value = "postgresql+asyncpg://" + value.removeprefix("postgres://")
    elif value.startswith("postgresql://"):
        value = "postgresql+asyncpg://" + value.removeprefix("postgresql://")
    elif value.startswith("sqlite:///"):
        value = "sqlite+aiosqlite:///" + value.removeprefix("sqlite:///")
    if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
        raise ConfigError(
            "DATABASE_URL must be a sqlite+aiosqlite:///path or postgresql+asyncpg://user@host/db "
            f"URL, got {value!r}"
        )
    return value


def _parse_log_level(raw: str | None) -> str:
    value = (_optional(raw) or "INFO").upper()
    if value not in _LOG_LEVELS:
        raise ConfigError(f"LOG_LEVEL must be one of {', '.join(_LOG_LEVELS)}, got {value!r}")
    return value


def _parse_positive_float(name: str, raw: str | None, default: float) -> float:
    value = _optional(raw)
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        number = -1.0
    if number < 0:
        raise ConfigError(f"{name} must be a non-negative number, got {value!r}")
    return number


def settings_from_mapping(env: Mapping[str, str | None]) -> Settings:
    """Build settings from a mapping of environment variables, validating each one."""
    return Settings(
        discord_token=_optional(env.get("DISCORD_TOKEN")),
        database_url=_parse_database_url(env.get("DATABASE_URL")),
        log_level=_parse_log_level(env.get("LOG_LEVEL")),
        dev_guild_id=_parse_int("DEV_GUILD_ID", env.get("DEV_GUILD_ID")),
        discord_api_base=_parse_url(
            "DISCORD_API_BASE", env.get("DISCORD_API_BASE"), ("http", "https")
        ),
        discord_gateway_url=_parse_url(
            "DISCORD_GATEWAY_URL", env.get("DISCORD_GATEWAY_URL"), ("ws", "wss")
        ),
        recap_grace_hours=_parse_positive_float(
            "RECAP_GRACE_HOURS", env.get("RECAP_GRACE_HOURS"), 6.0
        ),
        cache_dir=_parse_cache_dir(env.get("CACHE_DIR")),
        spoiler_semantic=_parse_switch("SPOILER_SEMANTIC", env.get("SPOILER_SEMANTIC")),
        shards=parse_shards(env.get("SHARD_IDS"), env.get("SHARD_COUNT")),
        requests_per_second=_parse_requests_per_second(env.get("DISCORD_REQUESTS_PER_SECOND")),
        request_burst=_parse_request_burst(env.get("DISCORD_REQUEST_BURST")),
        spoiler_verifier=_parse_switch("SPOILER_VERIFIER", env.get("SPOILER_VERIFIER")),
        index_start_wait=_parse_positive_float(
            "INDEX_START_WAIT", env.get("INDEX_START_WAIT"), 10.0
        ),
    )


def parse_shards(raw_ids: str | None, raw_count: str | None) -> Shards:
    """`SHARD_IDS` ("0,1") and `SHARD_COUNT` ("4") checked against each other."""
    count_text, ids_text = _optional(raw_count), _optional(raw_ids)
    if count_text is not None and (not count_text.isdigit() or int(count_text) < 1):
        raise ConfigError(f"SHARD_COUNT must be a whole number of at least 1, got {count_text!r}")
    count = int(count_text) if count_text is not None else None
    if ids_text is None:
        return Shards(count, None)
    parts = [part.strip() for part in ids_text.split(",")]
    if not all(part.isdigit() for part in parts):
        raise ConfigError(f"SHARD_IDS must be shard numbers separated by commas, got {ids_text!r}")
    ids = tuple(sorted({int(part) for part in parts}))
    if count is None:
        raise ConfigError("SHARD_IDS needs SHARD_COUNT: how many shards the bot has in all")
    if ids[-1] >= count:
        raise ConfigError(f"SHARD_IDS must be below SHARD_COUNT ({count}), got {ids_text!r}")
    return Shards(count, ids)


def _parse_requests_per_second(raw: str | None) -> float:
    value = _optional(raw)
    if value is not None and value.lower() == "off":
        return 0.0
    rate = _parse_positive_float("DISCORD_REQUESTS_PER_SECOND", raw, DEFAULT_REQUESTS_PER_SECOND)
    if rate > 50:
        raise ConfigError(
            f"DISCORD_REQUESTS_PER_SECOND must be at most 50 (Discord's limit), got {value!r}"
        )
    return rate


def _parse_request_burst(raw: str | None) -> int:
    value = _optional(raw)
    if value is None:
        return DEFAULT_REQUEST_BURST
    if not value.isdigit() or not MIN_REQUEST_BURST <= int(value) <= 50:
        raise ConfigError(
            f"DISCORD_REQUEST_BURST must be a whole number from {MIN_REQUEST_BURST} to 50, "
            f"got {value!r}"
        )
    return int(value)


_SWITCH = {"on": True, "true": True, "yes": True, "1": True}
_SWITCH |= {"off": False, "false": False, "no": False, "0": False}


def _parse_switch(name: str, raw: str | None) -> bool:
    value = (_optional(raw) or "off").lower()
    if value not in _SWITCH:
        raise ConfigError(f"{name} must be on or off, got {raw!r}")
    return _SWITCH[value]


def _parse_cache_dir(raw: str | None) -> Path | None:
    value = _optional(raw)
    if value is None:
        return Path(DEFAULT_CACHE_DIR)
    return None if value.lower() in ("off", "none", "no") else Path(value)


def load_settings(env_file: str | Path | None = ".env") -> Settings:
    """Read `.env` (if present), let the real environment override it, and validate."""
    values: dict[str, str | None] = {}
    if env_file is not None and Path(env_file).is_file():
        values.update(dotenv_values(env_file))
    values.update(os.environ)
    return settings_from_mapping(values)
