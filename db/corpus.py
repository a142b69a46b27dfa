"""Read-side queries over the review corpus."""

from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Episode, ReviewDocument, Season, Show


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
