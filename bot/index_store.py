"""Holds the spoiler index built from the corpus, plus per-server copies with taught phrases."""

from __future__ import annotations

import asyncio
from collections import defaultdict

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.episodes import EpisodeRef
from bot.spoilers.index import SpoilerIndex
from bot.spoilers.types import TaughtPhrase
from db.channels import taught_phrases
from db.spoilers import load_show_corpora


class SpoilerIndexStore:
    """The current index; rebuilt when the corpus or a server's taught phrases change."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._index: SpoilerIndex | None = None
        self._per_guild: dict[int, SpoilerIndex] = {}
        self._taught_guilds: set[int] = set()
        self._lock = asyncio.Lock()

    @property
    def ready(self) -> bool:
        """Whether an index has been built."""
        return self._index is not None

    @property
    def index(self) -> SpoilerIndex:
        """The corpus-wide index (raises if it was never built)."""
        if self._index is None:
            raise RuntimeError("the spoiler index is not built yet")
        return self._index

    async def refresh(self) -> SpoilerIndex:
        """Rebuild from the database (CPU work runs off the event loop)."""
        async with self._lock:
            async with self._sessions() as session:
                corpora = await load_show_corpora(session)
                rows = await taught_phrases(session)
            self._index = await asyncio.to_thread(SpoilerIndex.build, corpora)
            self._taught_guilds = {row.guild_id for row in rows}
            self._per_guild.clear()
            return self._index

    async def for_guild(self, guild_id: int | None) -> SpoilerIndex:
        """The index a server's messages are checked with (its taught phrases included)."""
        index = self.index
        if guild_id is None or guild_id not in self._taught_guilds:
            return index
        if guild_id not in self._per_guild:
            async with self._sessions() as session:
                rows = await taught_phrases(session, guild_id=guild_id)
            by_show: dict[int, list[TaughtPhrase]] = defaultdict(list)
            for row in rows:
                by_show[row.show_id].append(
                    TaughtPhrase(EpisodeRef(row.season, row.episode), row.phrase)
                )
            for show_id, phrases in by_show.items():
                if show_id in index.models:
                    index = index.with_taught(show_id, phrases)
            self._per_guild[guild_id] = index
        return self._per_guild[guild_id]

    def taught_changed(self, guild_id: int) -> None:
        """Forget a server's derived index so the next check rebuilds it."""
        self._taught_guilds.add(guild_id)
        self._per_guild.pop(guild_id, None)
