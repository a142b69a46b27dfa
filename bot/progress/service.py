"""Watch progress: set, step, list, clear and share, independent of Discord."""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef, parse_episode, progress_bar, resolve_episode
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.clock import Clock
from bot.errors import CliffhangerError, EpisodeError, NotFoundError, PermissionDenied
from db import marks
from db import progress as queries

MAX_NEXT_ATTEMPTS = 20
"""Compare-and-set rounds for /progress next: each round one concurrent step wins, so n
simultaneous steps can need n rounds (5 was once too few for the six-way test under load)."""


@dataclass(frozen=True, slots=True)
class ProgressView:
    """A member's position in one show."""

    show: ShowInfo
    position: EpisodeRef

    @property
    def watched(self) -> int:
        """Episodes watched so far."""
        return self.show.layout.ordinal(self.position)

    @property
    def total(self) -> int:
        """Episodes the show has."""
        return self.show.layout.total

    @property
    def finished(self) -> bool:
        """Whether the member has seen the last episode."""
        return self.watched >= self.total

    def line(self) -> str:
        """`Ballard ▰▰▰▱▱▱ S01E06 · 6/10` (codes only, never titles)."""
        bar = progress_bar(self.watched, self.total)
        done = " ✓" if self.finished else ""
        return (
            f"**{self.show.title}** {bar} {self.position.code} · {self.watched}/{self.total}{done}"
        )


def _finished(show: ShowInfo, position: EpisodeRef) -> bool:
    """Whether a position is at or past the show's last episode (unknown layouts: no)."""
    if not show.seasons or not show.layout.contains(position):
        return False
    return show.layout.ordinal(position) >= show.layout.total


def not_started_line(show: ShowInfo) -> str:
    """`Coldwake ▱▱▱▱▱▱ not started · 0/8 · on your list` (a watchlist entry)."""
    total = show.layout.total if show.seasons else 0
    return f"**{show.title}** {progress_bar(0, total)} not started · 0/{total} · on your list"


async def read_progress(session: AsyncSession, user_id: int, show_id: int) -> EpisodeRef | None:
    """Where the member is in a show, or None if they never said."""
    position = await queries.get_progress(session, user_id, show_id)
    return EpisodeRef(*position) if position is not None else None


class ProgressService:
    """Reads and writes members' progress."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore, clock: Clock
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._clock = clock

    def _show(self, query: str) -> ShowInfo:
        show = self._catalog.resolve(query)
        if not show.seasons:
            raise EpisodeError(f"I don't know any episodes of {show.title} yet.")
        return show

    async def set(self, user_id: int, show_query: str, episode_text: str) -> ProgressView:
        """Record that the member has watched up to the episode they named."""
        show = self._show(show_query)
        position = resolve_episode(episode_text, show.layout)
        async with self._sessions.begin() as session:
            await queries.set_progress(session, user_id, show.id, position, self._clock.now())
        return ProgressView(show, position)

    async def next(self, user_id: int, show_query: str) -> tuple[ProgressView, bool]:
        """Step one episode forward; return the new view and whether it moved."""
        show = self._show(show_query)
        for _ in range(MAX_NEXT_ATTEMPTS):
            async with self._sessions.begin() as session:
                current = await read_progress(session, user_id, show.id)
                following = show.layout.next_after(current or EpisodeRef(0, 0))
                if following is None:
                    return ProgressView(show, current or show.layout.last), False
                now = self._clock.now()
                if await queries.compare_and_set_progress(
                    session, user_id, show.id, current, following, now
                ):
                    return ProgressView(show, following), True
        raise EpisodeError("Your progress changed while I was updating it; please try again.")

    async def get(self, user_id: int, show: ShowInfo) -> EpisodeRef | None:
        """The member's position in a show, if they recorded one."""
        async with self._sessions() as session:
            return await read_progress(session, user_id, show.id)

    async def get_named(self, user_id: int, show_query: str) -> EpisodeRef | None:
        """The member's progress in a loosely named show (None if unknown or the name unclear)."""
        try:
            show = self._catalog.resolve(show_query)
        except CliffhangerError:
            return None
        return await self.get(user_id, show)

    async def list(self, user_id: int) -> list[ProgressView]:
        """Every show the member has progress in, by title."""
        async with self._sessions() as session:
            rows = await queries.list_progress(session, user_id)
        catalog = self._catalog.catalog
        views = [
            ProgressView(show, EpisodeRef(*row.position))
            for row in rows
            if (show := catalog.by_id(row.show_id)) is not None and show.seasons
        ]
        return sorted(views, key=lambda view: view.show.title.casefold())

    async def clear(self, user_id: int, show_query: str) -> ShowInfo:
        """Forget the member's progress in one show; clearing it before the end is a drop.

        The drop is remembered for recommendations: shows like it move down the member's list.
        """
        show = self._catalog.resolve(show_query)
        async with self._sessions.begin() as session:
            position = await read_progress(session, user_id, show.id)
            existed = await queries.clear_progress(session, user_id, show.id)
            if position is not None and not _finished(show, position):
                await marks.add_mark(session, user_id, show.id, marks.DROPPED, self._clock.now())
        if not existed:
            raise NotFoundError(f"You had no progress recorded for {show.title}.")
        return show

    async def of_member(self, viewer_id: int, member_id: int) -> builtins.list[ProgressView]:
        """Another member's progress, if they share it."""
        if viewer_id != member_id:
            async with self._sessions() as session:
                public = await queries.is_progress_public(session, member_id)
            if not public:
                raise PermissionDenied("That member keeps their progress private.")
        return await self.list(member_id)

    async def set_public(self, user_id: int, public: bool) -> None:
        """Choose whether others may see the member's progress."""
        async with self._sessions.begin() as session:
            await queries.set_progress_public(session, user_id, public)

    async def is_public(self, user_id: int) -> bool:
        """Whether others may see the member's progress."""
        async with self._sessions() as session:
            return await queries.is_progress_public(session, user_id)


def episode_choices(
    show: ShowInfo, position: EpisodeRef | None, typed: str, limit: int = 25
) -> list[str]:
    """Episode codes for autocomplete: matching what was typed, starting near the member."""
    episodes = list(show.layout.episodes())
    typed_clean = typed.strip().lower().replace(" ", "")
    if typed_clean:
        try:
            query = parse_episode(typed)
            wanted = {ref.code for ref in episodes if _matches_query(ref, query)}
        except EpisodeError:
            wanted = set()
        matching = [
            ref for ref in episodes if ref.code in wanted or typed_clean in ref.code.lower()
        ]
        return [ref.code for ref in matching][:limit]
    start = 0
    if position is not None and not position.is_nothing and show.layout.contains(position):
        start = max(0, show.layout.ordinal(position) - 1)
    return [ref.code for ref in (episodes[start:] + episodes[:start])][:limit]


def _matches_query(ref: EpisodeRef, query: object) -> bool:
    season = getattr(query, "season", None)
    episode = getattr(query, "episode", None)
    if episode is None:
        return False
    return ref.episode == episode and (season is None or ref.season == season)
