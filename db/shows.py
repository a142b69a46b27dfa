"""Queries for shows, seasons and episodes."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from bot.catalog.shows import Catalog, ShowInfo, build_catalog
from bot.catalog.specs import ShowSpec, slugify
from db.models import Episode, Season, Show


async def load_catalog(session: AsyncSession) -> Catalog:
    """Every show with its season lengths, as an in-memory catalogue."""
    counts = (
        select(Season.show_id, Season.number, func.count(Episode.id))
        .join(Episode, Episode.season_id == Season.id)
        .group_by(Season.show_id, Season.number)
    )
    seasons: dict[int, list[tuple[int, int]]] = {}
    for show_id, number, count in await session.execute(counts):
        seasons.setdefault(show_id, []).append((number, count))
    shows = await session.scalars(select(Show).order_by(Show.title))
    return build_catalog(
        ShowInfo(
            id=show.id,
            title=show.title,
            aliases=tuple(show.aliases or ()),
            seasons=tuple(sorted(seasons.get(show.id, []))),
            genres=tuple(show.genres or ()),
        )
        for show in shows
    )


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


async def upsert_show(session: AsyncSession, spec: ShowSpec) -> tuple[Show, bool]:
    """Create or update a show from its catalogue; return it and whether it was new."""
    show = await find_show_by_title(session, spec.title)
    created = show is None
    if show is None:
        show = Show(title=spec.title, slug=slugify(spec.title), aliases=[], genres=[], seasons=[])
        session.add(show)
    show.aliases = list(spec.aliases)
    show.genres = list(spec.genres)
    show.premise = spec.premise
    show.year = spec.year
    show.catalogued = True
    for season_spec in spec.seasons:
        season = _season(show, season_spec.number)
        for number, title in enumerate(season_spec.episode_titles, start=1):
            _episode(season, number).title = title
    await session.flush()
    return show, created


def _season(show: Show, number: int) -> Season:
    for season in show.seasons:
        if season.number == number:
            return season
    season = Season(number=number, episodes=[])
    show.seasons.append(season)
    return season


def _episode(season: Season, number: int) -> Episode:
    for episode in season.episodes:
        if episode.number == number:
            return episode
    episode = Episode(number=number)
    season.episodes.append(episode)
    return episode


async def create_show(session: AsyncSession, title: str) -> Show:
    """Create a bare show (a review named a show no catalogue describes)."""
    show = Show(title=title, slug=slugify(title), aliases=[], genres=[], seasons=[])
    session.add(show)
    await session.flush()
    return show


def ensure_season(show: Show, number: int) -> Season:
    """The season row, created (unflushed) when the show has no catalogue entry for it."""
    return _season(show, number)
