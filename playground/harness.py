"""`Playground`: the real bot against a simulated Discord, driven by tests and the CLI."""

from __future__ import annotations

import asyncio
import logging
import shutil
import tempfile
import time
import warnings
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

from bot.clock import ManualClock
from bot.corpus import SAMPLE_CORPUS
from playground.actions import Actions, PlaygroundError
from playground.contract import Contract, Violation
from playground.faults import Faults
from playground.gateway import TOKEN
from playground.ratelimits import RateLimits
from playground.routes_core import routes as core_routes
from playground.routing import Routes
from playground.server import Server
from playground.settle import BUSY_TASK_PREFIXES, busy_tasks, wait_until_idle
from playground.world import World, intent_bits

log = logging.getLogger(__name__)
DEFAULT_CORPUS = SAMPLE_CORPUS
GUILD_READY_TIMEOUT = 0.02
FULL_INDEX_WAIT = 600.0
"""The playground's bot waits for every show's model: its corpora build in seconds, and a
scripted member must never meet a show still checked by name only."""


class ContractViolationError(AssertionError):
    """The bot sent something Discord's API contract does not allow."""


def all_routes() -> Routes:
    """Every REST route the playground serves."""
    from playground.routes_channels import routes as channel_routes
    from playground.routes_hooks import routes as hook_routes
    from playground.routes_threads import routes as thread_routes

    table = Routes()
    for part in (core_routes, channel_routes, thread_routes, hook_routes):
        table.extend(part)
    return table


_TEMPLATES: dict[tuple[str, ...], Path] = {}
_TEMPLATE_DIR: tempfile.TemporaryDirectory[str] | None = None


def _scratch() -> Path:
    """This process's folder for database templates and the bots' shared model cache."""
    global _TEMPLATE_DIR
    if _TEMPLATE_DIR is None:
        _TEMPLATE_DIR = tempfile.TemporaryDirectory(prefix="cliffhanger-play-templates-")
    return Path(_TEMPLATE_DIR.name)


def _template_path(number: int) -> Path:
    """Where this process keeps migrated (and seeded) SQLite databases to copy from."""
    return _scratch() / f"template-{number}.db"


def _model_cache() -> Path:
    """One spoiler-model cache for every playground bot of this process (as `CACHE_DIR`)."""
    return _scratch() / "models"


class Playground(Actions):
    """A simulated Discord server with the real Cliffhanger bot connected to it."""

    def __init__(
        self,
        *,
        database_url: str | None = None,
        corpus: Sequence[Path | str] | None = None,
        extensions: tuple[str, ...] | None = None,
        guild_name: str = "Cliffhanger Playground",
        clock: ManualClock | None = None,
        validate_responses: bool = True,
        settle_timeout: float = 10.0,
        busy_task_prefixes: tuple[str, ...] = BUSY_TASK_PREFIXES,
        semantic: bool = False,
        privileged_intents: Collection[str] | None = None,
        bot_settings: Mapping[str, Any] | None = None,
    ) -> None:
        self.clock = clock or ManualClock()
        self.world = World(self.clock.now, guild_name)
        if privileged_intents is not None:  # what the app enabled in the Developer Portal
            self.world.portal_intents = intent_bits(privileged_intents)
        self._database_url = database_url
        self._corpus = [Path(p) for p in corpus or ()]
        self._extensions = extensions
        self._validate_responses = validate_responses
        self._semantic = semantic
        self._bot_settings = dict(bot_settings or {})
        self.settle_timeout = settle_timeout
        self.busy_task_prefixes = busy_task_prefixes
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.server: Server | None = None
        self.bot: Any = None
        self._bot_task: asyncio.Task[None] | None = None
        self.contract_skipped: str | None = None
        self.ready_seconds: float | None = None
        self.gateway_ready_seconds: float | None = None
        self._seeded = False

    @classmethod
    def start(cls, **kwargs: Any) -> Playground:
        """A playground to use as `async with Playground.start(...) as pg:`."""
        return cls(**kwargs)

    async def __aenter__(self) -> Playground:
        await self.open()
        return self

    async def __aexit__(self, exc_type: object, exc: object, tb: object) -> None:
        await self.close(check=exc_type is None)

    # ---- lifecycle ----------------------------------------------------------------------

    @property
    def database_url(self) -> str:
        """The bot's database (a fresh temporary SQLite file unless given)."""
        if self._database_url is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="cliffhanger-play-")
            self._database_url = f"sqlite+aiosqlite:///{self._tmp.name}/play.db"
        return self._database_url

    @property
    def faults(self) -> Faults:
        """Fault injection (`fail`, `rate_limit`, `slow`, `drop_gateway`)."""
        assert self.server is not None, "the playground is not open"
        return self.server.faults

    @property
    def rate_limits(self) -> RateLimits:
        """Per-route rate-limit buckets (`set(method, template, limit=, window=)`)."""
        assert self.server is not None, "the playground is not open"
        return self.server.rate_limits

    @property
    def contract_violations(self) -> list[Violation]:
        """Requests (and responses) that broke Discord's OpenAPI contract."""
        return self.server.violations if self.server else []

    async def open(self) -> None:
        """Load the contract, start the server, seed the corpus and connect the bot."""
        contract, reason = await asyncio.to_thread(Contract.load)
        if reason:
            self.contract_skipped = reason
            warnings.warn(reason, stacklevel=2)
        self.server = Server(
            self.world, all_routes(), contract=contract, validate_responses=self._validate_responses
        )
        await self.server.start()
        await self.start_bot()

    async def start_bot(self, *, force_sync: bool = False) -> None:
        """Construct the bot on this playground's database and wait for READY."""
        from bot.app.client import EXTENSIONS, CliffhangerBot
        from bot.app.settings import Settings

        assert self.server is not None
        settings = Settings(
            discord_token=TOKEN,
            database_url=self.database_url,
            discord_api_base=self.server.api_base,
            discord_gateway_url=self.server.gateway_url,
            spoiler_semantic=self._semantic,
            **{
                "index_start_wait": FULL_INDEX_WAIT,
                "cache_dir": _model_cache(),
                **self._bot_settings,
            },
        )
        bot = CliffhangerBot(
            settings,
            clock=self.clock,
            extensions=self._extensions or EXTENSIONS,
            guild_ready_timeout=GUILD_READY_TIMEOUT,
            force_sync=force_sync,
        )
        self.bot = bot
        if not self._seeded:
            await self._seed(bot)
        started = time.perf_counter()
        self._bot_task = asyncio.create_task(bot.start(TOKEN), name="playground-bot")
        await self._wait_ready()
        done = time.perf_counter()
        self.ready_seconds = done - started
        identified = self.server.gateway.identified_at
        self.gateway_ready_seconds = done - identified if identified else None
        await self.settle()

    async def _seed(self, bot: Any) -> None:
        """Migrate and import the corpus; temporary SQLite databases reuse a cached copy."""
        self._seeded = True
        key = tuple(str(p.resolve()) for p in self._corpus)
        target = Path(self._tmp.name) / "play.db" if self._tmp is not None else None
        cached = _TEMPLATES.get(key)
        if target is not None and cached is not None:
            shutil.copyfile(cached, target)
            return
        from db import migrate

        await migrate.upgrade(bot.engine)
        if self._corpus:
            from bot.corpus.service import import_paths

            await import_paths(bot.sessions, self._corpus)
        if target is not None:
            await bot.engine.dispose()  # closes connections, folding the WAL into the file
            _TEMPLATES[key] = _template_path(len(_TEMPLATES))
            shutil.copyfile(target, _TEMPLATES[key])

    async def _wait_ready(self) -> None:
        assert self._bot_task is not None
        ready = asyncio.create_task(self.bot.wait_until_ready(), name="playground-wait-ready")
        done, _ = await asyncio.wait(
            {self._bot_task, ready}, timeout=30, return_when=asyncio.FIRST_COMPLETED
        )
        if ready not in done:
            ready.cancel()
            if self._bot_task in done:
                self._bot_task.result()
                raise PlaygroundError("the bot stopped before it was ready")
            raise PlaygroundError("the bot did not become ready within 30 s")

    async def stop_bot(self, *, settle: bool = True) -> None:
        """Disconnect and close the bot (the server and its state stay); `settle=False` stops it
        with work in flight, as a redeploy does."""
        if self.bot is None:
            return
        if settle:
            await self.settle()
        await self.bot.close()
        if self._bot_task is not None:
            await asyncio.gather(self._bot_task, return_exceptions=True)
        assert self.server is not None
        self.server.gateway.session_id = None
        self.bot = None
        self._bot_task = None

    async def restart_bot(
        self,
        *,
        settle: bool = True,
        force_sync: bool = False,
        extensions: tuple[str, ...] | None = None,
    ) -> None:
        """Close the bot and start a new one on the same database and server state.

        `settle=False` stops it with work in flight; `force_sync` is `run --sync`;
        `extensions` replaces the loaded ones from now on.
        """
        await self.stop_bot(settle=settle)
        if extensions is not None:
            self._extensions = extensions
        await self.start_bot(force_sync=force_sync)

    async def close(self, *, check: bool = True) -> None:
        """Stop the bot and server; raise if the bot broke the contract (when `check`)."""
        try:
            await self.stop_bot()
        finally:
            if self.server is not None:
                await self.server.stop()
            if self._tmp is not None:
                self._tmp.cleanup()
        if check:
            self.assert_no_violations()

    def assert_no_violations(self) -> None:
        """Raise ContractViolationError listing every violation so far."""
        if self.contract_violations:
            lines = "\n".join(f"  - {v}" for v in self.contract_violations)
            raise ContractViolationError(f"Discord API contract violations:\n{lines}")

    # ---- settling -----------------------------------------------------------------------

    def busy_reason(self) -> str | None:
        """Why the bot is not idle yet, or None."""
        server = self.server
        if server is None or self.bot is None:
            return None
        if server.in_flight:
            return f"{server.in_flight} HTTP request(s) in flight"
        if server.faults.pending:
            return "a gateway drop is in progress"
        if self.world.previews.pending:
            return f"{self.world.previews.pending} link preview(s) not sent yet"
        gateway = server.gateway
        if gateway.session_id and gateway.live is None and not self.bot.is_closed():
            return "the gateway is disconnected (waiting for RESUME)"
        seen = self._bot_sequence()
        if gateway.session_id and gateway.sequence > seen:
            return f"the bot has read gateway events up to {seen} of {gateway.sequence}"
        tasks = busy_tasks(self.busy_task_prefixes)
        return f"pending tasks: {', '.join(tasks)}" if tasks else None

    def _bot_sequence(self) -> int:
        """The last gateway sequence number the bot's (single) shard has read."""
        shard = self.bot.get_shard(0) if self.bot is not None else None
        ws = getattr(shard, "_parent", None)
        ws = getattr(ws, "ws", None)
        return (ws.sequence or 0) if ws is not None else 0

    async def settle(self) -> None:
        """Wait until the bot is idle (raises SettleTimeout with the reason if it never is)."""
        await wait_until_idle(self.busy_reason, limit=self.settle_timeout)
