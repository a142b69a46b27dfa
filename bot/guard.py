"""The spoiler guard's decisions: which line applies where, and what a message spoils."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog_store import CatalogStore
from bot.episodes import NOTHING, EpisodeRef
from bot.index_store import SpoilerIndexStore
from bot.shows import ShowInfo
from bot.spoilers.types import Verdict
from db import channels as queries
from db.models import ChannelShow


@dataclass(frozen=True, slots=True)
class Scope:
    """A show whose spoilers are guarded somewhere, and up to where talk is open."""

    show: ShowInfo
    line: EpisodeRef
    reason: str  # channel | watchers | thread | named


@dataclass(frozen=True, slots=True)
class Finding:
    """A message that spoils a show past the line that applies."""

    show: ShowInfo
    line: EpisodeRef
    verdict: Verdict

    @property
    def episode(self) -> EpisodeRef:
        """The earliest episode the message spoils."""
        assert self.verdict.episode is not None
        return self.verdict.episode

    @property
    def label(self) -> str:
        """`Ballard S01E10`."""
        return f"{self.show.title} {self.episode.code}"


class SpoilerGuard:
    """Decides whether a message spoils something for the place it was posted in."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: CatalogStore,
        indexes: SpoilerIndexStore,
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._indexes = indexes

    async def scopes(self, channel_id: int, parent_id: int | None, text: str) -> list[Scope]:
        """The shows guarded where the message was posted (or the shows it names)."""
        catalog = self._catalog.catalog
        async with self._sessions() as session:
            thread = await queries.discussion_thread(session, channel_id)
            if thread is not None and (show := catalog.by_id(thread.show_id)):
                return [Scope(show, EpisodeRef(thread.season, thread.episode), "thread")]
            for candidate in (channel_id, parent_id):
                if candidate is None:
                    continue
                tie = await queries.channel_show(session, candidate)
                if tie is not None and (show := catalog.by_id(tie.show_id)):
                    return [await self._channel_scope(session, tie, show)]
        named = self._indexes.index.shows_named(text)
        return [Scope(show, NOTHING, "named") for i in named if (show := catalog.by_id(i))]

    async def _channel_scope(
        self, session: AsyncSession, tie: ChannelShow, show: ShowInfo
    ) -> Scope:
        line = EpisodeRef(tie.line_season, tie.line_episode)
        if tie.follow_watchers:
            slowest = await queries.slowest_watcher(session, tie.channel_id, show.id)
            if slowest is not None:
                return Scope(show, slowest, "watchers")
        return Scope(show, line, "channel")

    async def check(
        self, guild_id: int | None, channel_id: int, parent_id: int | None, text: str
    ) -> Finding | None:
        """The strongest spoiler in the message for this place, or None."""
        if not text.strip() or not self._indexes.ready:
            return None
        index = await self._indexes.for_guild(guild_id)
        findings = []
        for scope in await self.scopes(channel_id, parent_id, text):
            verdict = index.check(text, scope.show.id, scope.line)
            if verdict.spoiler and verdict.episode is not None:
                findings.append(Finding(scope.show, scope.line, verdict))
        return max(findings, key=lambda f: f.verdict.score, default=None)
