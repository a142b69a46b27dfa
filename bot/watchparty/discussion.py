"""Discussion threads: who may join which episode's thread, decided by watch progress."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef, episode_label, resolve_episode
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.clock import Clock
from bot.errors import NotFoundError
from bot.progress.service import read_progress
from bot.watchparty import store
from bot.watchparty.store import ThreadRow
from db import progress as progress_queries


@dataclass(frozen=True, slots=True)
class ThreadAccess:
    """A member asking for an episode's thread, and whether their progress reaches it."""

    show: ShowInfo
    thread: ThreadRow
    progress: EpisodeRef | None

    @property
    def allowed(self) -> bool:
        """Members at or past the episode may join."""
        return self.progress is not None and self.progress >= self.thread.episode


def thread_name(show_title: str, episode: EpisodeRef) -> str:
    """`Ballard S01E05 · discussion` (at most 100 characters)."""
    suffix = f" {episode.code} · discussion"
    return show_title[: 100 - len(suffix)] + suffix


class DiscussionService:
    """Gates episode threads by each member's progress."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore, clock: Clock
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._clock = clock

    def show(self, show_id: int) -> ShowInfo:
        """A show by id, or a friendly error if the corpus lost it."""
        show = self._catalog.catalog.by_id(show_id)
        if show is None:
            raise NotFoundError("That show is no longer in the corpus.")
        return show

    async def access(
        self, guild_id: int, user_id: int, show_query: str, episode_text: str
    ) -> ThreadAccess:
        """Find the episode's thread in this server and the member's progress."""
        show = self._catalog.resolve(show_query)
        episode = resolve_episode(episode_text, show.layout)
        return await self.access_episode(guild_id, user_id, show, episode)

    async def access_episode(
        self, guild_id: int, user_id: int, show: ShowInfo, episode: EpisodeRef
    ) -> ThreadAccess:
        """Like `access`, for an already resolved show and episode."""
        async with self._sessions() as session:
            thread = await store.get_thread(session, guild_id, show.id, episode)
            progress = await read_progress(session, user_id, show.id)
        if thread is None:
            raise NotFoundError(
                f"There is no {episode_label(show.title, episode)} discussion thread in this "
                "server yet. Watch parties (`/schedule add`) open one for each episode they post."
            )
        return ThreadAccess(show, thread, progress)

    async def catch_up_to(self, user_id: int, show: ShowInfo, episode: EpisodeRef) -> EpisodeRef:
        """Set the member's progress to `episode` unless they are already further."""
        async with self._sessions.begin() as session:
            current = await read_progress(session, user_id, show.id)
            if current is not None and current >= episode:
                return current
            now = self._clock.now()
            await progress_queries.set_progress(session, user_id, show.id, episode, now)
        return episode

    async def reachable(
        self, guild_id: int, user_id: int, show: ShowInfo, up_to: EpisodeRef
    ) -> list[ThreadRow]:
        """Threads up to `up_to` that the member's current progress lets them join."""
        async with self._sessions() as session:
            progress = await read_progress(session, user_id, show.id)
            if progress is None or progress.is_nothing:
                return []
            limit = min(progress, up_to)
            return await store.threads_between(session, guild_id, show.id, None, limit)

    async def passed(
        self, guild_id: int, show: ShowInfo, before: EpisodeRef | None, after: EpisodeRef
    ) -> list[ThreadRow]:
        """Threads of episodes a progress change moved past: (before, after]."""
        if before is not None and after <= before:
            return []
        async with self._sessions() as session:
            return await store.threads_between(session, guild_id, show.id, before, after)

    async def open_threads(self, guild_id: int) -> dict[int, list[EpisodeRef]]:
        """Every episode discussion thread of a server: show id → its episodes, in order."""
        async with self._sessions() as session:
            return await store.open_threads(session, guild_id)
