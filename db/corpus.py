"""Read-side queries over the review corpus."""

from __future__ import annotations

from sqlalchemy import distinct, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Episode, ReviewDocument, Season, Show


async def corpus_overview(session: AsyncSession, show_filter: str | None = None) -> list[str]:
    """One line per show: seasons, episodes, and how many episodes have documents."""
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
    for show_id, season, episodes, covered, docs in await session.execute(documented):
        per_show.setdefault(show_id, []).append((season, episodes, covered, docs))
    shows = list(await session.scalars(select(Show).order_by(Show.title)))
    if show_filter:
        from bot.catalog.shows import ShowInfo, build_catalog

        wanted = build_catalog(ShowInfo(s.id, s.title, tuple(s.aliases)) for s in shows).resolve(
            show_filter
        )
        shows = [show for show in shows if show.id == wanted.id]
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
