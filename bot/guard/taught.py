"""Moderator-taught spoiler phrases: add, list and remove, per server."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.clock import Clock
from bot.errors import CliffhangerError, NotFoundError
from bot.guard.index_store import SpoilerIndexStore
from db import channels as queries
from db.models import TaughtSpoilerPhrase

MAX_PHRASE_LENGTH = 300
MIN_PHRASE_LENGTH = 4


@dataclass(frozen=True, slots=True)
class Taught:
    """A phrase as listed to moderators."""

    id: int
    show: str
    episode: EpisodeRef
    phrase: str
    safe: bool = False


class TaughtPhrases:
    """Phrases a server's moderators marked as spoilers for an episode."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: CatalogStore,
        indexes: SpoilerIndexStore,
        clock: Clock,
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._indexes = indexes
        self._clock = clock

    async def teach(
        self, guild_id: int, moderator_id: int, show: ShowInfo, episode: EpisodeRef, phrase: str
    ) -> bool:
        """Remember the phrase; return False if this server already taught it."""
        phrase = " ".join(phrase.split())[:MAX_PHRASE_LENGTH]
        if len(phrase) < MIN_PHRASE_LENGTH:
            raise CliffhangerError("That phrase is too short to teach; use a few words.")
        row = TaughtSpoilerPhrase(
            guild_id=guild_id,
            show_id=show.id,
            season=episode.season,
            episode=episode.episode,
            phrase=phrase,
            taught_by=moderator_id,
            created_at=self._clock.now(),
        )
        async with self._sessions.begin() as session:
            added = await queries.add_taught_phrase(session, row)
        self._indexes.taught_changed(guild_id)
        return added

    async def teach_safe(self, guild_id: int, moderator_id: int, show: ShowInfo, text: str) -> bool:
        """Remember that this exact message is not a spoiler of the show (False: not teachable).

        Only the whole message counts (see `SpoilerIndex.with_safe`), so one undo cannot clear
        a show: a text too short or too long to match exactly is not taught.
        """
        phrase = " ".join(text.split())
        if not MIN_PHRASE_LENGTH <= len(phrase) <= MAX_PHRASE_LENGTH:
            return False
        row = TaughtSpoilerPhrase(
            guild_id=guild_id,
            show_id=show.id,
            season=0,
            episode=0,
            phrase=phrase,
            taught_by=moderator_id,
            created_at=self._clock.now(),
        )
        async with self._sessions.begin() as session:
            await queries.teach_safe_phrase(session, row)
        self._indexes.taught_changed(guild_id)
        return True

    async def list(self, guild_id: int, show_query: str | None = None) -> list[Taught]:
        """The server's taught phrases, optionally for one show."""
        show_id = self._catalog.resolve(show_query).id if show_query else None
        async with self._sessions() as session:
            rows = await queries.taught_phrases(session, guild_id=guild_id, show_id=show_id)
        catalog = self._catalog.catalog
        return [
            Taught(row.id, show.title, EpisodeRef(row.season, row.episode), row.phrase, row.safe)
            for row in rows
            if (show := catalog.by_id(row.show_id)) is not None
        ]

    async def remove(self, guild_id: int, phrase_id: int) -> None:
        """Forget one of the server's taught phrases."""
        async with self._sessions.begin() as session:
            removed = await queries.remove_taught_phrase(session, guild_id, phrase_id)
        if not removed:
            raise NotFoundError(f"There is no taught phrase #{phrase_id} in this server.")
        self._indexes.taught_changed(guild_id)
