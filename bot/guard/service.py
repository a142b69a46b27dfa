"""The spoiler guard's decisions: which line applies where, and what a message spoils."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import NOTHING, EpisodeRef, episode_label
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.guard.engine.types import Verdict
from bot.guard.index_store import SpoilerIndexStore
from bot.guard.lines import Scope, read_place_scope
from db.changes import WriteWatch
from db.channels import tied_channels
from db.outbox import DATABASE_ERRORS, GUARD_READ_SECONDS

log = logging.getLogger(__name__)

LINE_TABLES = ("channel_shows", "channel_watchers", "watch_progress", "discussion_threads", "shows")
"""The tables a channel's spoiler line is read from."""
LINE_CACHE_SECONDS = 30.0
LINE_CACHE_SIZE = 10_000
Place = tuple[int, int | None]


@dataclass(frozen=True, slots=True)
class Finding:
    """A message that spoils a show past the line that applies."""

    show: ShowInfo
    line: EpisodeRef
    verdict: Verdict

    @property
    def episode(self) -> EpisodeRef:
        """The last episode the message reveals: its label and Reveal gate (never the earliest)."""
        assert self.verdict.label_episode is not None
        return self.verdict.label_episode

    @property
    def label(self) -> str:
        """`Ballard S01E10`."""
        return episode_label(self.show.title, self.episode)


class SpoilerGuard:
    """Decides whether a message spoils something for the place it was posted in."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: CatalogStore,
        indexes: SpoilerIndexStore,
        writes: WriteWatch | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._indexes = indexes
        self._writes = writes
        self._clock = clock
        self._lines: dict[Place, tuple[int, float, Scope | None]] = {}
        self._known: dict[Place, Scope | None] = {}  # last line read, for database outages

    async def scopes(self, channel_id: int, parent_id: int | None, text: str) -> list[Scope]:
        """The shows guarded where the message was posted (or the shows it names)."""
        scope = await self._place_scope(channel_id, parent_id)
        if scope is not None:
            return [scope]
        catalog = self._catalog.catalog
        named = self._indexes.index.shows_named(text)
        return [Scope(show, NOTHING, "named") for i in named if (show := catalog.by_id(i))]

    async def _place_scope(self, channel_id: int, parent_id: int | None) -> Scope | None:
        """The line tied to a thread or channel, cached until a write touches line tables.

        Without a write watch every message reads the database; with one, this process's
        writes drop the cache at once and other processes' writes within
        `LINE_CACHE_SECONDS`.
        """
        if self._writes is None:
            return (await self._read_place(channel_id, parent_id))[0]
        place, version, now = (channel_id, parent_id), self._writes.version, self._clock()
        cached = self._lines.get(place)
        if cached is not None and cached[0] == version and cached[1] > now:
            return cached[2]
        scope, fresh = await self._read_place(channel_id, parent_id)
        if fresh:
            if len(self._lines) >= LINE_CACHE_SIZE:
                self._lines.clear()
            self._lines[place] = (version, now + LINE_CACHE_SECONDS, scope)
        return scope

    async def _read_place(
        self, channel_id: int, parent_id: int | None
    ) -> tuple[Scope | None, bool]:
        """The place's line and True; while the database is down, the last known one and False.

        A thread nobody read yet falls back to its parent channel's line; a place with no known
        line gets None, so the shows a message names are checked at the premise.
        """
        place = (channel_id, parent_id)
        try:
            async with asyncio.timeout(GUARD_READ_SECONDS), self._sessions() as session:
                scope = await read_place_scope(
                    session, self._catalog.catalog, channel_id, parent_id
                )
        except DATABASE_ERRORS as error:
            log.warning("line of %s unreadable, using the last known one: %s", channel_id, error)
            if place in self._known:
                return self._known[place], False
            return self._known.get((parent_id or 0, None)), False
        self._remember(place, scope)
        return scope, True

    def _remember(self, place: Place, scope: Scope | None) -> None:
        if len(self._known) >= LINE_CACHE_SIZE:
            self._known.clear()
        self._known[place] = scope

    async def warm(self) -> list[int]:
        """Read every tied channel's line into memory (for outages); return those channels."""
        async with self._sessions() as session:
            channels = await tied_channels(session)
            for channel_id in channels:
                scope = await read_place_scope(session, self._catalog.catalog, channel_id, None)
                self._remember((channel_id, None), scope)
        return channels

    async def check(
        self, guild_id: int | None, channel_id: int, parent_id: int | None, text: str
    ) -> Finding | None:
        """The strongest spoiler in the message for this place, or None."""
        if not text.strip() or not self._indexes.ready:
            return None
        index = await self._indexes.for_guild(guild_id)
        findings = []
        for scope in await self.scopes(channel_id, parent_id, text):
            show, line = scope.show, scope.line
            unbuilt = await self._indexes.unbuilt_verdict(show.id, text, line, show.layout.last)
            if unbuilt is not None:  # its model is still building: fail closed, by names
                verdict = unbuilt
            elif index.semantic is None and index.verifier is None:
                verdict = index.check(text, scope.show.id, scope.line)
            else:  # a model may run (the paraphrase layer, the verifier): off the event loop
                verdict = await asyncio.to_thread(index.check, text, scope.show.id, scope.line)
            if verdict.spoiler and verdict.episode is not None:
                findings.append(Finding(scope.show, scope.line, verdict))
        return max(findings, key=lambda f: f.verdict.score, default=None)

    async def own_label(
        self, guild_id: int | None, show: ShowInfo, episode: EpisodeRef, text: str
    ) -> EpisodeRef:
        """An author's own spoiler: the later of their episode and the last one the text reveals.

        The engine's episode is capped at the show's last one; before the show's model is built
        the text cannot be read, so the label is the show's last episode (it errs late).
        """
        last = show.layout.last
        if not self._indexes.ready or self._indexes.building(show.id):
            return max(episode, last)
        index = await self._indexes.for_guild(guild_id)
        if index.semantic is None and index.verifier is None:
            found = index.last_revealed(text, show.id, episode)
        else:  # a model may run (the paraphrase layer, the verifier): off the event loop
            found = await asyncio.to_thread(index.last_revealed, text, show.id, episode)
        return max(episode, min(found, last)) if found is not None else episode
