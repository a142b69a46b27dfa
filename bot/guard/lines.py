"""Tying channels to shows, their spoiler lines, and their watchers."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import NOTHING, EpisodeRef, resolve_episode
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.errors import NotFoundError
from db import channels as queries


@dataclass(frozen=True, slots=True)
class ChannelLine:
    """A channel's show and the episode up to which talk is open."""

    show: ShowInfo
    line: EpisodeRef
    follow_watchers: bool
    watchers_line: EpisodeRef | None = None

    @property
    def effective(self) -> EpisodeRef:
        """The line in force now (the slowest watcher's, in follow mode)."""
        if self.follow_watchers and self.watchers_line is not None:
            return self.watchers_line
        return self.line

    def describe(self) -> str:
        """`Ballard · talk is open up to S01E05` (codes only)."""
        effective = self.effective
        where = "kept to the premise" if effective.is_nothing else f"open up to {effective.code}"
        mode = " (following the slowest watcher)" if self.follow_watchers else ""
        return f"**{self.show.title}** · talk is {where}{mode}"


class ChannelLines:
    """Reads and changes which show a channel is about and where its line is."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore) -> None:
        self._sessions = sessions
        self._catalog = catalog

    async def set(
        self,
        guild_id: int,
        channel_id: int,
        show_query: str,
        open_up_to: str | None,
        follow_watchers: bool,
    ) -> ChannelLine:
        """Tie a channel to a show; the line defaults to nothing past the premise."""
        show = self._catalog.resolve(show_query)
        line = NOTHING
        if open_up_to:
            line = resolve_episode(open_up_to, show.layout, allow_nothing=True)
        async with self._sessions.begin() as session:
            await queries.set_channel_show(
                session,
                guild_id=guild_id,
                channel_id=channel_id,
                show_id=show.id,
                line=line,
                follow_watchers=follow_watchers,
            )
        return await self.get(channel_id)

    async def get(self, channel_id: int) -> ChannelLine:
        """The channel's show and line, or a friendly error if it has none."""
        async with self._sessions() as session:
            tie = await queries.channel_show(session, channel_id)
            show = self._catalog.catalog.by_id(tie.show_id) if tie else None
            if tie is None or show is None:
                raise NotFoundError(
                    "This channel isn't tied to a show. A moderator can use `/channel show set`."
                )
            slowest = await queries.slowest_watcher(session, channel_id, show.id)
        line = EpisodeRef(tie.line_season, tie.line_episode)
        watchers_line = EpisodeRef(*slowest) if slowest is not None else None
        return ChannelLine(show, line, tie.follow_watchers, watchers_line)

    async def clear(self, channel_id: int) -> None:
        """Untie the channel from its show."""
        async with self._sessions.begin() as session:
            existed = await queries.clear_channel_show(session, channel_id)
        if not existed:
            raise NotFoundError("This channel wasn't tied to a show.")

    async def join(self, channel_id: int, user_id: int) -> tuple[ChannelLine, bool]:
        """Add the member to the channel's watchers; return the line and whether it is new."""
        await self.get(channel_id)
        async with self._sessions.begin() as session:
            added = await queries.add_watcher(session, channel_id, user_id)
        return await self.get(channel_id), added

    async def leave(self, channel_id: int, user_id: int) -> tuple[ChannelLine, bool]:
        """Remove the member from the channel's watchers."""
        await self.get(channel_id)
        async with self._sessions.begin() as session:
            removed = await queries.remove_watcher(session, channel_id, user_id)
        return await self.get(channel_id), removed
