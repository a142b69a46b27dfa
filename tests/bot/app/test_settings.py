"""Settings: defaults, validation, and the one-line errors for bad values."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.app.settings import DEFAULT_DATABASE_URL, load_settings, settings_from_mapping
from bot.errors import ConfigError


def test_defaults_need_no_environment() -> None:
    settings = settings_from_mapping({})
    assert settings.discord_token is None
    assert settings.database_url == DEFAULT_DATABASE_URL
    assert settings.log_level == "INFO"
    assert settings.dev_guild_id is None
    assert str(settings.cache_dir) == "data/cache"
    assert settings_from_mapping({"CACHE_DIR": "off"}).cache_dir is None


def test_settings_are_frozen_and_hide_the_token() -> None:
    settings = settings_from_mapping({"DISCORD_TOKEN": "secret-token"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.log_level = "DEBUG"  # type: ignore[misc]
    assert "secret-token" not in repr(settings)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://postgres@127.0.0.1/test", "postgresql+asyncpg://postgres@127.0.0.1/test"),
        ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
    ],
)
def test_database_urls_get_the_async_driver(url: str, expected: str) -> None:
    assert settings_from_mapping({"DATABASE_URL": url}).database_url == expected


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("DATABASE_URL", "mysql://x", "DATABASE_URL must be"),
        ("LOG_LEVEL", "chatty", "LOG_LEVEL must be one of"),
        ("DEV_GUILD_ID", "12ab", "DEV_GUILD_ID must be a Discord ID"),
        ("DISCORD_API_BASE", "127.0.0.1:80", "DISCORD_API_BASE must be a URL"),
        ("DISCORD_GATEWAY_URL", "http://x", "DISCORD_GATEWAY_URL must be a URL"),
        ("RECAP_GRACE_HOURS", "-1", "RECAP_GRACE_HOURS must be"),
        ("INDEX_START_WAIT", "soon", "INDEX_START_WAIT must be"),
        ("DISCORD_REQUESTS_PER_SECOND", "60", "at most 50"),
        ("DISCORD_REQUESTS_PER_SECOND", "fast", "DISCORD_REQUESTS_PER_SECOND must be"),
        ("DISCORD_REQUEST_BURST", "2", "DISCORD_REQUEST_BURST must be a whole number"),
        ("DISCORD_REQUEST_BURST", "80", "DISCORD_REQUEST_BURST must be a whole number"),
    ],
)
def test_malformed_values_name_the_variable(name: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        settings_from_mapping({name: value})


def test_dotenv_is_read_and_environment_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("LOG_LEVEL=debug\nDEV_GUILD_ID=42\n")
    monkeypatch.setenv("DEV_GUILD_ID", "7")
    settings = load_settings(env_file)
    assert settings.log_level == "DEBUG"
    assert settings.dev_guild_id == 7


@pytest.mark.parametrize(("raw", "expected"), [(None, False), ("on", True), ("OFF", False)])
def test_the_paraphrase_layer_is_a_switch(raw: str | None, expected: bool) -> None:
    assert settings_from_mapping({"SPOILER_SEMANTIC": raw}).spoiler_semantic is expected


def test_a_bad_switch_value_names_the_setting() -> None:
    with pytest.raises(ConfigError, match="SPOILER_SEMANTIC must be on or off"):
        settings_from_mapping({"SPOILER_SEMANTIC": "maybe"})


def test_shards_default_to_discords_advice() -> None:
    shards = settings_from_mapping({}).shards
    assert (shards.count, shards.ids) == (None, None)


def test_shards_are_read_and_sorted() -> None:
    shards = settings_from_mapping({"SHARD_COUNT": "4", "SHARD_IDS": "3, 1,1"}).shards
    assert (shards.count, shards.ids) == (4, (1, 3))


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SHARD_COUNT": "0"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_COUNT": "two"}, "SHARD_COUNT must be a whole number"),
        ({"SHARD_IDS": "0,1"}, "SHARD_IDS needs SHARD_COUNT"),
        ({"SHARD_IDS": "0,x", "SHARD_COUNT": "2"}, "separated by commas"),
        ({"SHARD_IDS": "2", "SHARD_COUNT": "2"}, "below SHARD_COUNT (2)"),
    ],
)
def test_bad_shards_name_the_setting(env: dict[str, str], message: str) -> None:
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace(")", r"\)")):
        settings_from_mapping(env)


def test_global_pacing_defaults_under_discords_limit_and_can_be_off() -> None:
    settings = settings_from_mapping({})
    assert (settings.requests_per_second, settings.request_burst) == (40.0, 5)
    assert settings.requests_per_second + settings.request_burst <= 50
    assert settings_from_mapping({"DISCORD_REQUESTS_PER_SECOND": "off"}).requests_per_second == 0
    custom = {"DISCORD_REQUESTS_PER_SECOND": "25", "DISCORD_REQUEST_BURST": "8"}
    assert settings_from_mapping(custom).request_burst == 8


@pytest.mark.parametrize(("raw", "expected"), [(None, False), ("on", True), ("no", False)])
def test_the_learned_verifier_is_a_switch(raw: str | None, expected: bool) -> None:
    assert settings_from_mapping({"SPOILER_VERIFIER": raw}).spoiler_verifier is expected


def test_a_start_waits_ten_seconds_for_the_index_unless_told() -> None:
    assert settings_from_mapping({}).index_start_wait == 10.0
    assert settings_from_mapping({"INDEX_START_WAIT": "0"}).index_start_wait == 0.0
