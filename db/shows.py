"""Queries for shows, seasons and episodes."""

from __future__ import annotations

import re
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from db.models import Episode, Season, Show

SeasonTitles = tuple[int, Sequence[str | None]]
"""A season's number and its episode titles in order (None where a title is unknown)."""


def slugify(title: str) -> str:
    """The `slug` column of a show: 'The Lantern Keeper' → 'the-lantern-keeper'."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.casefold()).strip("-")
    return slug or "show"


async def shows_by_title(session: AsyncSession) -> list[Show]:
    """Every show (without seasons), in title order."""
    return list(await session.scalars(select(Show).order_by(Show.title)))


async def season_lengths(session: AsyncSession) -> dict[int, list[tuple[int, int]]]:
    """Show id → (season number, episode count) of each season with episodes, by number."""
    counts = (
        select(Season.show_id, Season.number, func.count(Episode.id))
        .join(Episode, Episode.season_id == Season.id)
        .group_by(Season.show_id, Season.number)
    )
    seasons: dict[int, list[tuple[int, int]]] = {}
    for show_id, number, count in await session.execute(counts):
        seasons.setdefault(show_id, []).append((number, count))
    return {show_id: sorted(lengths) for show_id, lengths in seasons.items()}


async def get_show(session: AsyncSession, show_id: int) -> Show | None:
    """A show with its seasons and episodes loaded."""
    return await session.get(
        Show, show_id, options=[selectinload(Show.seasons).selectinload(Season.episodes)]
    )


async def find_show_by_title(session: AsyncSession, title: str) -> Show | None:
    """The show with exactly this title or slug, seasons and episodes loaded."""
    statement = (
        select(Show)
        .where((Show.title == title) | (Show.slug == slugify(title)))
        .options(selectinload(Show.seasons).selectinload(Season.episodes))
    )
    return (await session.scalars(statement)).first()


async def upsert_show(
    session: AsyncSession,
    title: str,
    *,
    aliases: Sequence[str],
    genres: Sequence[str],
    premise: str | None,
    year: int | None,
    seasons: Sequence[SeasonTitles],
) -> tuple[Show, bool]:
    """Create or update a show from its catalogue; return it and whether it was new."""
    show = await find_show_by_title(session, title)
    created = show is None
    if show is None:
        show = Show(title=title, slug=slugify(title), aliases=[], genres=[], seasons=[])
        session.add(show)
    show.aliases = list(aliases)
    show.genres = list(genres)
    show.premise = premise
    show.year = year
    show.catalogued = True
    by_number = {season.number: season for season in show.seasons}
    for season_number, episode_titles in seasons:
        season = by_number.get(season_number) or _season(show, season_number)
        episodes = {episode.number: episode for episode in season.episodes}
        for number, episode_title in enumerate(episode_titles, start=1):
            episode = episodes.get(number)
            if episode is None:
                episode = Episode(number=number)
                season.episodes.append(episode)
            episode.title = episode_title
    await session.flush()
    return show, created


def _season(show: Show, number: int) -> Season:
    """The show's season `number`, added (unflushed) if it has none."""
    for season in show.seasons:
        if season.number == number:
            return season
    season = Season(number=number, episodes=[])
    show.seasons.append(season)
    return season


async def create_show(session: AsyncSession, title: str) -> Show:
    """Create a bare show (a review named a show no catalogue describes)."""
    show = Show(title=title, slug=slugify(title), aliases=[], genres=[], seasons=[])
    session.add(show)
    await session.flush()
    return show


def ensure_season(show: Show, number: int) -> Season:
    """The season row, created (unflushed) when the show has no catalogue entry for it."""
    return _season(show, number)
