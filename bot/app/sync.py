"""Register slash commands with Discord only when the command tree changed.

`tree.sync()` replaces every command in one request, which Discord rate-limits tightly and
which makes clients refetch; a restart with the same code should not do it. The hash of what
Discord would hold (the endpoint, the application, the scope and the command payload) is kept
in the database, and the commands are synced when it differs or when forced (`run --sync`).
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

import discord
from discord import app_commands
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.clock import Clock
from db.bot_state import get_state, set_state

log = logging.getLogger(__name__)
SYNC_KEY = "command_sync"


def command_payload(
    tree: app_commands.CommandTree[Any], guild: discord.abc.Snowflake | None
) -> list[dict[str, Any]]:
    """What `tree.sync(guild=guild)` would send (no translator is used)."""
    return [command.to_dict(tree) for command in tree.get_commands(guild=guild)]


def payload_hash(target: str, payload: list[dict[str, Any]]) -> str:
    """A stable hash of where the commands go and what they are."""
    text = json.dumps([target, payload], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class CommandSync:
    """Syncs the tree when its hash differs from the one stored, and stores the new one."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], clock: Clock, *, force: bool = False
    ) -> None:
        self.sessions = sessions
        self.clock = clock
        self.force = force

    async def ensure(
        self,
        tree: app_commands.CommandTree[Any],
        guild: discord.abc.Snowflake | None,
        target: str,
    ) -> bool:
        """Sync if the commands changed (or forced); True when a sync was sent."""
        digest = payload_hash(target, command_payload(tree, guild))
        async with self.sessions() as session:
            stored = await get_state(session, SYNC_KEY)
        if stored == digest and not self.force:
            log.info("application commands unchanged since the last sync; not syncing")
            return False
        reason = "forced by --sync" if self.force else "the command tree changed"
        synced = await tree.sync(guild=guild)
        async with self.sessions.begin() as session:
            await set_state(session, SYNC_KEY, digest, self.clock.now())
        log.info("synced %d application commands (%s)", len(synced), reason)
        return True
