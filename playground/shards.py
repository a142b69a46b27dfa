"""The playground's server with the bot as separate `python -m bot run` processes, by shard.

Each process serves some of the bot's gateway shards; all share one database. The playground's
guild belongs to the shard `(guild_id >> 22) % shard_count`, so exactly one process hears it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from playground.actions import PlaygroundError
from playground.contract import Contract
from playground.gateway import TOKEN
from playground.harness import FULL_INDEX_WAIT, Playground, all_routes
from playground.server import Server
from playground.world import World

QUIET_SECONDS = 1.0
"""The server saw no request for this long: the bot processes are done for now (a process's
first check in a guild reads the database before any request; on a loaded machine 0.4 s was
sometimes too short for it)."""


class ShardedPlayground(Playground):
    """A playground whose bot runs as several shard processes on one database."""

    def __init__(
        self,
        *,
        database_url: str,
        shard_count: int,
        processes: Sequence[Sequence[int]],
        log_dir: Path,
        prepare: Callable[[Any], Awaitable[None]] | None = None,
        guilds: Sequence[int] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(database_url=database_url, **kwargs)
        self._prepare = prepare
        self.shard_count = shard_count
        self.process_shards = [tuple(ids) for ids in processes]
        self.log_dir = log_dir
        self.processes: list[asyncio.subprocess.Process] = []
        self._guild_shards = tuple(guilds)
        self.guilds: list[World] = []
        """Guilds besides the first, one on each shard of `guilds` (made before `prepare`)."""

    async def open(self) -> None:
        """Start the server, seed the database, and start every shard process."""
        contract, reason = await asyncio.to_thread(Contract.load)
        self.contract_skipped = reason
        self.server = Server(
            self.world, all_routes(), contract=contract, shard_count=self.shard_count
        )
        await self.server.start()
        self.guilds = [
            self.server.add_guild(f"Guild {n}", shard_id=shard)
            for n, shard in enumerate(self._guild_shards, start=1)
        ]
        await self._seed_database()
        for ids in self.process_shards:
            self.processes.append(await self._spawn(ids))
        await self._wait_identified()
        await self._wait_ready()
        await self.settle()

    async def _seed_database(self) -> None:
        from db import migrate
        from db.engine import create_engine, create_session_factory

        engine = create_engine(self.database_url)
        try:
            await migrate.upgrade(engine)
            if self._corpus:
                from bot.corpus.service import import_paths

                await import_paths(create_session_factory(engine), self._corpus)
            if self._prepare is not None:
                await self._prepare(create_session_factory(engine))
        finally:
            await engine.dispose()

    async def _spawn(self, ids: tuple[int, ...]) -> asyncio.subprocess.Process:
        assert self.server is not None
        env = os.environ | {
            "DISCORD_TOKEN": TOKEN,
            "DATABASE_URL": self.database_url,
            "DISCORD_API_BASE": self.server.api_base,
            "DISCORD_GATEWAY_URL": self.server.gateway_url,
            "CACHE_DIR": "off",
            "INDEX_START_WAIT": str(FULL_INDEX_WAIT),
            "LOG_LEVEL": "INFO",
        }
        shards = ",".join(map(str, ids))
        log = (self.log_dir / f"shards-{shards.replace(',', '-')}.log").open("wb")
        command = [sys.executable, "-m", "bot", "run", "--shards", shards]
        command += ["--shard-count", str(self.shard_count)]
        return await asyncio.create_subprocess_exec(*command, env=env, stdout=log, stderr=log)

    def process_log(self, index: int) -> str:
        """What one shard process has logged so far."""
        ids = ",".join(map(str, self.process_shards[index])).replace(",", "-")
        return (self.log_dir / f"shards-{ids}.log").read_text(errors="replace")

    async def _wait_identified(self, limit: float = 60.0) -> None:
        """Wait until every shard of every process has identified with the gateway."""
        assert self.server is not None
        gateway, expected = self.server.gateway, sum(map(len, self.process_shards))
        deadline = time.monotonic() + limit
        while gateway.sessions + len(gateway.idle_shards) < expected:
            if any(p.returncode is not None for p in self.processes):
                raise PlaygroundError(f"a shard process exited:\n{self.process_log(0)}")
            if time.monotonic() > deadline:
                raise PlaygroundError("the shard processes did not all identify within 60 s")
            await asyncio.sleep(0.05)

    async def _wait_ready(self, limit: float = 30.0) -> None:
        """Wait until every process has logged which shards it serves (its on_ready)."""
        deadline = time.monotonic() + limit
        for index in range(len(self.processes)):
            while "ready: serving shard(s)" not in self.process_log(index):
                if time.monotonic() > deadline:
                    raise PlaygroundError(f"shard process {index} never became ready")
                await asyncio.sleep(0.05)

    async def settle(self) -> None:
        """Wait until no request has reached the server for a moment (the processes idle)."""
        assert self.server is not None
        server, deadline = self.server, time.monotonic() + self.settle_timeout
        seen, quiet_since = -1, time.monotonic()
        while time.monotonic() < deadline:
            count = len(server.requests) + server.in_flight
            if count != seen:
                seen, quiet_since = count, time.monotonic()
            elif time.monotonic() - quiet_since >= QUIET_SECONDS:
                return
            await asyncio.sleep(0.02)
        raise PlaygroundError("the shard processes kept sending requests")

    async def stop_bot(self, *, settle: bool = True) -> None:
        """Stop every shard process (SIGINT, as Ctrl+C would); `settle` waits for quiet first."""
        try:
            if settle and self.processes and self.server is not None:
                await self.settle()
        finally:
            await self._stop_processes()

    async def _stop_processes(self) -> None:
        for process in self.processes:
            if process.returncode is None:
                process.send_signal(signal.SIGINT)
        for process in self.processes:
            try:
                await asyncio.wait_for(process.wait(), 15)
            except TimeoutError:
                process.kill()
                await process.wait()
        self.processes = []
