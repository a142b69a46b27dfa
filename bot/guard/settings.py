"""Each server's spoiler-guard settings: what the guard does, and where it logs."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import channels as queries
from db.models import GuildSettings
from db.outbox import DATABASE_ERRORS, GUARD_READ_SECONDS

log = logging.getLogger(__name__)


class GuardSettings:
    """Reads and changes a server's spoiler mode, repost style, report count and log channel.

    Settings are kept in memory once read (a spoiler costs no settings query) and dropped when
    they change here; while the database is down the last known settings (or the defaults) hold.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions
        self._known: dict[int, GuildSettings] = {}

    async def get(self, guild_id: int) -> GuildSettings:
        """A server's settings (defaults if it never changed any)."""
        known = self._known.get(guild_id)
        if known is not None:
            return known
        try:
            async with asyncio.timeout(GUARD_READ_SECONDS), self._sessions() as session:
                settings = await queries.guild_settings(session, guild_id)
        except DATABASE_ERRORS as error:
            log.warning("settings of %s unreadable, using the defaults: %s", guild_id, error)
            return queries.default_guild_settings(guild_id)
        self._known[guild_id] = settings
        return settings

    async def set_mode(self, guild_id: int, mode: str) -> None:
        """What the guard does with a spoiler here: repost, warn or log."""
        await self._update(guild_id, spoiler_mode=mode)

    async def set_log_channel(self, guild_id: int, channel_id: int | None) -> None:
        """Where the guard records what it did (None turns the log off)."""
        await self._update(guild_id, mod_log_channel_id=channel_id)

    async def set_style(self, guild_id: int, style: str) -> None:
        """How reposts hide text: `tags` (click to open) or `sealed` (Reveal only)."""
        await self._update(guild_id, repost_style=style)

    async def set_report_threshold(self, guild_id: int, count: int) -> None:
        """How many distinct members' marks hide a message (0: never by reports alone)."""
        await self._update(guild_id, report_threshold=count)

    async def _update(self, guild_id: int, **values: object) -> None:
        self._known.pop(guild_id, None)
        try:
            async with self._sessions.begin() as session:
                await queries.update_guild_settings(session, guild_id, **values)
        finally:
            self._known.pop(guild_id, None)
