"""Read a show's catalogue file (`show.toml`): title, aliases, genres, seasons, episode titles."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from typing import Any

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


def _strings(value: Any, name: str, path: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise CorpusError(f"{name} must be a list of strings", path=path)
    return tuple(" ".join(item.split()) for item in value if item.strip())


def _season(entry: Any, path: str) -> SeasonSpec:
    if not isinstance(entry, dict):
        raise CorpusError("each [[seasons]] entry must be a table", path=path)
    number = entry.get("number")
    if isinstance(number, bool) or not isinstance(number, int) or number < 1:
        raise CorpusError(f"season number must be a whole number from 1, got {number!r}", path=path)
    titles = entry.get("episodes")
    if isinstance(titles, int) and titles > 0:
        return SeasonSpec(number, (None,) * titles)
    episode_titles = _strings(titles, f"season {number} episodes", path)
    if not episode_titles:
        raise CorpusError(f"season {number} lists no episodes", path=path)
    return SeasonSpec(number, episode_titles)


def parse_show_toml(raw: bytes, path: str) -> ShowSpec:
    """Validate a `show.toml`; raise CorpusError naming the file on any problem."""
    try:
        data = tomllib.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise CorpusError("text is not UTF-8", path=path) from None
    except tomllib.TOMLDecodeError as error:
        raise CorpusError(f"not valid TOML ({error})", path=path) from None
    title = data.get("title")
    if not isinstance(title, str) or not title.strip():
        raise CorpusError("show.toml needs a title", path=path)
    seasons = tuple(_season(entry, path) for entry in data.get("seasons", []))
    if len({season.number for season in seasons}) != len(seasons):
        raise CorpusError("a season number appears twice", path=path)
    year = data.get("year")
    premise = data.get("premise")
    return ShowSpec(
        title=" ".join(title.split())[:200],
        aliases=_strings(data.get("aliases"), "aliases", path),
        genres=tuple(genre.casefold() for genre in _strings(data.get("genres"), "genres", path)),
        premise=" ".join(premise.split()) if isinstance(premise, str) else None,
        year=year if isinstance(year, int) and not isinstance(year, bool) else None,
        seasons=tuple(sorted(seasons, key=lambda season: season.number)),
    )
