"""Spoiler-tagged posts of the bot and who may see what they hide."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.clock import Clock
from bot.errors import NotFoundError
from bot.guard.journal import OutboxJournal
from bot.guard.outbox import sanitise
from bot.progress.service import ProgressService
from db.channels import (
    forget_hidden_messages,
    hidden_message,
    hidden_parts,
)
from db.models import HiddenMessage


@dataclass(frozen=True, slots=True)
class HiddenPost:
    """What a bot post hides: the text, its show and episode, and who wrote it."""

    message_id: int
    show: ShowInfo
    episode: EpisodeRef
    content: str
    kind: str
    author_id: int | None


@dataclass(frozen=True, slots=True)
class RevealDecision:
    """Whether a clicker may see a hidden post straight away."""

    post: HiddenPost
    allowed: bool
    progress: EpisodeRef | None


class HiddenPosts:
    """Stores hidden posts and answers Reveal clicks by the clicker's own progress."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: CatalogStore,
        progress: ProgressService,
        clock: Clock,
        journal: OutboxJournal,
    ) -> None:
        self._sessions = sessions
        self._journal = journal
        self._catalog = catalog
        self._progress = progress
        self._clock = clock

    async def remember(
        self,
        *,
        message_id: int,
        guild_id: int,
        channel_id: int,
        show: ShowInfo,
        episode: EpisodeRef,
        content: str,
        kind: str,
        author_id: int | None = None,
    ) -> None:
        """Record what a just-sent post hides (batched with other writes; Reveal sees it now)."""
        row = {
            "message_id": message_id,
            "guild_id": guild_id,
            "channel_id": channel_id,
            "author_id": author_id,
            "show_id": show.id,
            "season": episode.season,
            "episode": episode.episode,
            "kind": kind,
            "content": sanitise(content),
            "created_at": self._clock.now(),
        }
        self._journal.remember_hidden(row)

    async def flush(self) -> bool:
        """Write the records still waiting in the batch; False if the database refused."""
        return await self._journal.flush()

    async def _row(self, message_id: int) -> HiddenMessage | None:
        """The stored record, or one still waiting to be written (the database may be down)."""
        waiting = self._journal.hidden_row(message_id)
        if waiting is not None:
            return HiddenMessage(**waiting)
        async with self._sessions() as session:
            return await hidden_message(session, message_id)

    async def get(self, message_id: int) -> HiddenPost:
        """The hidden post behind a message, or a friendly error if it is unknown."""
        row = await self._row(message_id)
        show = self._catalog.catalog.by_id(row.show_id) if row else None
        if row is None or show is None:
            raise NotFoundError("I no longer have the text behind that spoiler.")
        return HiddenPost(
            row.message_id,
            show,
            EpisodeRef(row.season, row.episode),
            row.content,
            row.kind,
            row.author_id,
        )

    async def parts(self, message_id: int) -> list[int]:
        """The message ids of every part of the post behind `message_id`, in order."""
        async with self._sessions() as session:
            return await hidden_parts(session, message_id)

    async def forget(self, message_ids: list[int]) -> None:
        """Drop the records of posts that were deleted."""
        async with self._sessions.begin() as session:
            await forget_hidden_messages(session, message_ids)

    async def exists(self, message_id: int) -> bool:
        """Whether the message is one of the bot's spoiler-tagged posts."""
        return await self._row(message_id) is not None

    async def decide(self, message_id: int, user_id: int) -> RevealDecision:
        """May this member see the post now? Only if their progress reaches its label.

        The label is the last episode the post reveals (never the earliest), so reaching it
        means nothing in the post is new; no recorded progress never reaches it.
        """
        post = await self.get(message_id)
        progress = await self._progress.get(user_id, post.show)
        allowed = progress is not None and progress >= post.episode
        return RevealDecision(post, allowed, progress)
