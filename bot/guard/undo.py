"""Undoing a false flag: put a hidden repost back in the open and teach that it is safe."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.errors import CliffhangerError, NotFoundError
from bot.guard.reposts import HideFailed
from bot.guard.taught import TaughtPhrases
from db import channels as queries


class HiddenCopies(Protocol):
    """The bot's tagged copy of a member's message (a Discord adapter implements it)."""

    async def post_open(self, author_id: int | None, text: str, copy_ids: list[int]) -> None:
        """Post `text` (and the copy's files) in the open as the author; HideFailed if not."""
        ...

    async def delete_copies(self, message_ids: list[int]) -> None:
        """Delete the tagged copies (already gone counts as deleted)."""
        ...


@dataclass(frozen=True, slots=True)
class Undone:
    """What undoing a repost did."""

    show: ShowInfo
    episode: EpisodeRef
    author_id: int | None
    taught: bool


class FalseFlags:
    """Moderators' "Not a spoiler": restore first, delete the copy after, teach the exact text."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: CatalogStore,
        phrases: TaughtPhrases,
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._phrases = phrases

    async def undo(
        self, guild_id: int, moderator_id: int, message_id: int, copies: HiddenCopies
    ) -> Undone:
        """Put the repost behind `message_id` back in the open, once, whoever clicks twice."""
        async with self._sessions.begin() as session:
            rows = await queries.claim_repost(session, message_id)
        if not rows:
            raise NotFoundError("That repost was already undone, or it isn't the guard's repost.")
        ids = [row.message_id for row in rows]
        first = rows[0]
        try:
            await copies.post_open(first.author_id, first.content, ids)
        except HideFailed as failure:
            async with self._sessions.begin() as session:
                await queries.release_repost(session, ids)
            raise CliffhangerError(f"I couldn't restore it: {failure.reason}.") from failure
        await copies.delete_copies(ids)
        async with self._sessions.begin() as session:
            await queries.forget_hidden_messages(session, ids)
        show = self._catalog.catalog.by_id(first.show_id)
        if show is None:
            raise NotFoundError("I no longer know the show of that repost.")
        taught = await self._phrases.teach_safe(guild_id, moderator_id, show, first.content)
        return Undone(show, EpisodeRef(first.season, first.episode), first.author_id, taught)
