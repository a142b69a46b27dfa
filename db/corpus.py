"""Read-side queries over the review corpus."""

from __future__ import annotations

from sqlalchemy import ColumnElement, distinct, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from db.models import Episode, ReviewDocument, Season, Show

GuildColumn = InstrumentedAttribute[int | None]


def in_layer(column: GuildColumn, guild_id: int | None) -> ColumnElement[bool]:
    """Rows of exactly one layer: a server's own (`guild_id`), or the shared one (None)."""
    return column.is_(None) if guild_id is None else column == guild_id


def visible_to(column: GuildColumn, guild_id: int | None) -> ColumnElement[bool]:
    """Rows a server reads: the shared layer and its own (outside a server: shared only)."""
    return column.is_(None) if guild_id is None else or_(column.is_(None), column == guild_id)


async def coverage_lines(session: AsyncSession, show_id: int | None = None) -> list[str]:
    """One line per show (or only `show_id`'s): seasons, episodes, and how many have reviews."""
    documented = (
        select(
            Season.show_id,
            Season.number,
            func.count(distinct(Episode.id)),
            func.count(distinct(ReviewDocument.episode_id)),
            func.count(ReviewDocument.id),
        )
        .join(Episode, Episode.season_id == Season.id)
        .outerjoin(ReviewDocument, ReviewDocument.episode_id == Episode.id)
        .group_by(Season.show_id, Season.number)
        .order_by(Season.show_id, Season.number)
    )
    per_show: dict[int, list[tuple[int, int, int, int]]] = {}
    for owner, season, episodes, covered, docs in await session.execute(documented):
        per_show.setdefault(owner, []).append((season, episodes, covered, docs))
    shows = list(await session.scalars(select(Show).order_by(Show.title)))
    if show_id is not None:
        shows = [show for show in shows if show.id == show_id]
    lines = []
    for show in shows:
        seasons = per_show.get(show.id, [])
        parts = ", ".join(
            f"S{season:02d}: {covered}/{episodes} episodes documented"
            for season, episodes, covered, _ in seasons
        )
        documents = sum(docs for *_, docs in seasons)
        lines.append(f"{show.title} — {parts or 'no episodes'} ({documents} documents)")
    return lines


async def guild_layer_shows(session: AsyncSession, guild_id: int | None = None) -> set[int]:
    """Shows a server's own uploads cover (None: every server's), as show ids."""
    statement = (
        select(Season.show_id)
        .join(Episode, Episode.season_id == Season.id)
        .join(ReviewDocument, ReviewDocument.episode_id == Episode.id)
        .where(ReviewDocument.guild_id.is_not(None))
        .distinct()
    )
    if guild_id is not None:
        statement = statement.where(ReviewDocument.guild_id == guild_id)
    return set(await session.scalars(statement))


async def layered_guilds(session: AsyncSession) -> set[int]:
    """Servers with uploads of their own."""
    statement = select(ReviewDocument.guild_id).where(ReviewDocument.guild_id.is_not(None))
    return {guild for guild in await session.scalars(statement.distinct()) if guild is not None}
