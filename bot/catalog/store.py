"""Keeps the in-memory show catalogue in step with the database."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef, resolve_episode
from bot.catalog.shows import Catalog, ShowInfo, build_catalog
from db.shows import season_lengths, shows_by_title


async def load_catalog(session: AsyncSession) -> Catalog:
    """Every show with its season lengths, as an in-memory catalogue."""
    seasons = await season_lengths(session)
    return build_catalog(
        ShowInfo(
            id=show.id,
            title=show.title,
            aliases=tuple(show.aliases or ()),
            seasons=tuple(seasons.get(show.id, ())),
            genres=tuple(show.genres or ()),
        )
        for show in await shows_by_title(session)
    )


class CatalogStore:
    """The current catalogue; refresh it after anything changes shows or episodes."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._catalog = Catalog(())

    @property
    def catalog(self) -> Catalog:
        """The catalogue as of the last refresh."""
        return self._catalog

    async def refresh(self) -> Catalog:
        """Reload every show from the database."""
        async with self._sessions() as session:
            self._catalog = await load_catalog(session)
        return self._catalog

    def resolve(self, query: str) -> ShowInfo:
        """The show a member meant (fuzzy), or a friendly error."""
        return self._catalog.resolve(query)

    def resolve_episode(self, show_query: str, episode_text: str) -> tuple[ShowInfo, EpisodeRef]:
        """The show and the episode of it a member named, or a friendly error."""
        show = self.resolve(show_query)
        return show, resolve_episode(episode_text, show.layout)
