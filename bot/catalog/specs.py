"""Read a show's catalogue file (`show.toml`): title, aliases, genres, seasons, episode titles.

Every value is checked against `bot.corpus.limits.LIMITS` (sizes, counts, number ranges), so a
hostile file ends in one `CorpusError` naming the file and the field, never in the database.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

from bot.corpus.limits import LIMITS, unstorable
from bot.errors import CorpusError


@dataclass(frozen=True, slots=True)
class SeasonSpec:
    """A season's number and its episode titles in order."""

    number: int
    episode_titles: tuple[str | None, ...]


@dataclass(frozen=True, slots=True)
class ShowSpec:
    """A show as its catalogue file describes it."""

    title: str
    aliases: tuple[str, ...] = ()
    genres: tuple[str, ...] = ()
    premise: str | None = None
    year: int | None = None
    seasons: tuple[SeasonSpec, ...] = ()


def _refuse(message: str, path: str, field: str) -> CorpusError:
    return CorpusError(f"{field}: {message}", path=path, field=field)


def _line(value: Any, name: str, limit: int, path: str) -> str:
    """One line of text: no NUL or lone surrogate, at most `limit` characters."""
    if not isinstance(value, str):
        raise _refuse("must be text", path, name)
    text = " ".join(value.split())
    if unstorable(text):
        raise _refuse("contains a NUL or an unpaired surrogate", path, name)
    if len(text) > limit:
        raise _refuse(f"is longer than {limit} characters", path, name)
    return text


def _strings(value: Any, name: str, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise _refuse("must be a list of strings", path, name)
    if len(value) > LIMITS.list_items:
        raise _refuse(f"has more than {LIMITS.list_items} entries", path, name)
    items = (_line(item, name, LIMITS.list_item_chars, path) for item in value)
    return tuple(item for item in items if item)


def _number(value: Any, name: str, path: str, highest: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= highest:
        shown = repr(value) if not isinstance(value, int) or abs(value) < 10**12 else "too large"
        raise _refuse(f"must be a whole number from 1 to {highest}, got {shown[:40]}", path, name)
    return value


def _season(entry: Any, path: str) -> SeasonSpec:
    if not isinstance(entry, dict):
        raise _refuse("each [[seasons]] entry must be a table", path, "seasons")
    number = _number(entry.get("number"), "season number", path, LIMITS.highest_number)
    field = f"season {number} episodes"
    titles = entry.get("episodes")
    if isinstance(titles, int) and not isinstance(titles, bool):
        count = _number(titles, field, path, LIMITS.episodes_per_season)
        return SeasonSpec(number, (None,) * count)
    if isinstance(titles, list) and len(titles) > LIMITS.episodes_per_season:
        raise _refuse(f"has more than {LIMITS.episodes_per_season} episodes", path, field)
    if not isinstance(titles, list) or not all(isinstance(title, str) for title in titles):
        raise _refuse("must be a count or a list of episode titles", path, field)
    episode_titles = tuple(_line(title, field, LIMITS.title_chars, path) for title in titles)
    if not any(episode_titles):
        raise _refuse("lists no episodes", path, field)
    return SeasonSpec(number, tuple(title or None for title in episode_titles))


def _seasons(value: Any, path: str) -> tuple[SeasonSpec, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise _refuse(
            "must be [[seasons]] tables, each with a number and episodes", path, "seasons"
        )
    if len(value) > LIMITS.seasons:
        raise _refuse(f"has more than {LIMITS.seasons} seasons", path, "seasons")
    seasons = tuple(_season(entry, path) for entry in value)
    if len({season.number for season in seasons}) != len(seasons):
        raise _refuse("a season number appears twice", path, "seasons")
    if sum(len(season.episode_titles) for season in seasons) > LIMITS.episodes_per_show:
        raise _refuse(f"list more than {LIMITS.episodes_per_show} episodes", path, "seasons")
    return tuple(sorted(seasons, key=lambda season: season.number))


def _year(value: Any, path: str) -> int | None:
    if value is None:
        return None
    earliest, latest = LIMITS.earliest_year, LIMITS.latest_year
    if isinstance(value, bool) or not isinstance(value, int) or not earliest <= value <= latest:
        raise _refuse(f"must be a year from {earliest} to {latest}", path, "year")
    return value


def _load(raw: bytes, path: str) -> dict[str, Any]:
    if len(raw) > LIMITS.catalogue_bytes:
        raise _refuse(f"is larger than {LIMITS.catalogue_bytes // 1000} kB", path, "file")
    try:
        return tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise _refuse("text is not UTF-8", path, "file") from None
    except tomllib.TOMLDecodeError as error:
        raise _refuse(f"not valid TOML ({error})", path, "file") from None
    except RecursionError:
        raise _refuse("not valid TOML (nested too deeply)", path, "file") from None


def parse_show_toml(raw: bytes, path: str) -> ShowSpec:
    """Validate a `show.toml`; raise CorpusError naming the file and the field on any problem."""
    data = _load(raw, path)
    title = data.get("title")
    title = _line(title, "title", LIMITS.show_title_chars, path) if isinstance(title, str) else ""
    if not title:
        raise _refuse("a show.toml needs one", path, "title")
    premise = data.get("premise")
    return ShowSpec(
        title=title,
        aliases=_strings(data.get("aliases"), "aliases", path),
        genres=tuple(genre.casefold() for genre in _strings(data.get("genres"), "genres", path)),
        premise=_line(premise, "premise", LIMITS.premise_chars, path) or None
        if premise is not None
        else None,
        year=_year(data.get("year"), path),
        seasons=_seasons(data.get("seasons"), path),
    )
