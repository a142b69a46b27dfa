"""Tying channels to shows, their spoiler lines, and their watchers; where a place's line is."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import NOTHING, EpisodeRef, resolve_episode
from bot.catalog.shows import Catalog, ShowInfo
from bot.catalog.store import CatalogStore
from bot.errors import NotFoundError
from db import channels as queries


@dataclass(frozen=True, slots=True)
class Scope:
    """A show whose spoilers are guarded somewhere, and up to where talk is open."""

    show: ShowInfo
    line: EpisodeRef
    reason: str  # channel | watchers | thread | named


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
        return self.scope.line

    @property
    def scope(self) -> Scope:
        """The line in force now, and whether it is the channel's or the slowest watcher's."""
        if self.follow_watchers and self.watchers_line is not None:
            return Scope(self.show, self.watchers_line, "watchers")
        return Scope(self.show, self.line, "channel")

    def describe(self) -> str:
        """`Ballard · talk is open up to S01E05` (codes only)."""
        effective = self.effective
        where = "kept to the premise" if effective.is_nothing else f"open up to {effective.code}"
        mode = " (following the slowest watcher)" if self.follow_watchers else ""
        return f"**{self.show.title}** · talk is {where}{mode}"


def watchers_line(configured: EpisodeRef, watchers: list[EpisodeRef]) -> EpisodeRef | None:
    """The line in follow-watchers mode: the slowest watcher's position, never above the others.

    Each watcher may raise the line only as far as the slowest of the *other* watchers; a lone
    watcher has no others, so the channel's configured line stands in for them (they can lower
    it, never raise it). With no watchers the configured line holds (None).
    """
    if not watchers:
        return None
    if len(watchers) == 1:
        return min(configured, watchers[0])
    return min(watchers)


async def read_channel_line(
    session: AsyncSession, catalog: Catalog, channel_id: int
) -> ChannelLine | None:
    """The channel's show and line (None unless it is tied to a show the catalogue knows).

    The slowest watcher is read only when the line follows the watchers.
    """
    tie = await queries.channel_show(session, channel_id)
    show = catalog.by_id(tie.show_id) if tie else None
    if tie is None or show is None:
        return None
    line = EpisodeRef(tie.line_season, tie.line_episode)
    if not tie.follow_watchers:
        return ChannelLine(show, line, follow_watchers=False)
    positions = await queries.watcher_positions(session, channel_id, show.id)
    watchers = [EpisodeRef(*position) for position in positions]
    return ChannelLine(
        show, line, follow_watchers=True, watchers_line=watchers_line(line, watchers)
    )


async def read_place_scope(
    session: AsyncSession, catalog: Catalog, channel_id: int, parent_id: int | None
) -> Scope | None:
    """The line where a message was posted: a discussion thread's episode, else the line of
    the channel or, for a thread, of its parent channel."""
    thread = await queries.discussion_thread(session, channel_id)
    if thread is not None and (show := catalog.by_id(thread.show_id)):
        return Scope(show, EpisodeRef(thread.season, thread.episode), "thread")
    for candidate in (channel_id, parent_id):
        if candidate is None:
            continue
        tied = await read_channel_line(session, catalog, candidate)
        if tied is not None:
            return tied.scope
    return None


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
            line = await read_channel_line(session, self._catalog.catalog, channel_id)
        if line is None:
            raise NotFoundError(
                "This channel isn't tied to a show. A moderator can use `/channel-show set`."
            )
        return line

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
