"""Hear other processes' writes on PostgreSQL (LISTEN/NOTIFY), so shared caches drop at once.

Migration 0009 makes PostgreSQL announce every committed write to the tables processes cache
(channel lines, server settings, taught phrases, the corpus). SQLite serves one process and
needs none of this.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

import asyncpg
from sqlalchemy.ext.asyncio import AsyncEngine

log = logging.getLogger(__name__)

CHANNEL = "cliffhanger_changes"
RECONNECT_SECONDS = (0.5, 1.0, 2.0, 5.0)


def listens(engine: AsyncEngine) -> bool:
    """Whether this database can tell us about other processes' writes."""
    return engine.dialect.name == "postgresql"


class ChangeFeed:
    """One LISTEN connection; calls `on_change(table)` for every announced write.

    When the connection is lost it reconnects with backoff and reports `"*"` (anything may
    have changed meanwhile) so caches drop everything once.
    """

    def __init__(self, engine: AsyncEngine, on_change: Callable[[str], None]) -> None:
        url = engine.url.set(drivername="postgresql")
        self._dsn = url.render_as_string(hide_password=False)
        self._on_change = on_change
        self._task: asyncio.Task[None] | None = None
        self.connected = asyncio.Event()

    def start(self) -> None:
        """Begin listening in the background."""
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="cliffhanger: change feed")

    async def stop(self) -> None:
        """Stop listening and close the connection."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None

    async def _run(self) -> None:
        attempt = 0
        while True:
            try:
                await self._listen_until_lost()
                attempt = 0
            except (OSError, asyncpg.PostgresError) as error:
                delay = RECONNECT_SECONDS[min(attempt, len(RECONNECT_SECONDS) - 1)]
                log.warning("change feed unavailable (%s); retrying in %.1fs", error, delay)
                attempt += 1
                await asyncio.sleep(delay)

    async def _listen_until_lost(self) -> None:
        connection = await asyncpg.connect(self._dsn)
        lost = asyncio.Event()
        try:
            await connection.add_listener(CHANNEL, self._heard)
            connection.add_termination_listener(lambda _c: lost.set())
            self._on_change("*")  # writes made while we were not listening
            self.connected.set()
            await lost.wait()
        finally:
            self.connected.clear()
            with contextlib.suppress(Exception):
                await connection.close(timeout=2)

    def _heard(self, _connection: object, _pid: int, _channel: str, payload: str) -> None:
        self._on_change(payload)
