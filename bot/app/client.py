"""The Bot subclass: wires settings, database, clock and cogs together."""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

import discord
import yarl
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app.intents import MissingIntentsError, application_flags, missing_intents
from bot.app.pacing import RequestPace, pacing_trace
from bot.app.settings import Settings
from bot.app.sync import CommandSync
from bot.app.tree import CliffhangerTree
from bot.catalog.store import CatalogStore
from bot.clock import Clock, ManualClock, SystemClock
from bot.guard.engine.index import SpoilerIndex
from bot.guard.engine.semantic import SemanticMatcher, SentenceEmbeddingMatcher, require_extra
from bot.guard.engine.verifier import default_verifier
from bot.guard.hidden_posts import HiddenPosts
from bot.guard.index_store import SpoilerIndexStore
from bot.guard.journal import OutboxJournal
from bot.guard.lines import ChannelLines
from bot.guard.reports import SpoilerReports
from bot.guard.service import LINE_TABLES, SpoilerGuard
from bot.guard.settings import GuardSettings
from bot.guard.taught import TaughtPhrases
from bot.guard.undo import FalseFlags
from bot.privacy.service import PrivacyService
from bot.progress.service import ProgressService
from bot.recaps.service import RecapService
from bot.recommend import RecommendService
from bot.ui.discussion import DiscussButton
from bot.ui.poster import DiscordPoster
from bot.ui.recommend import RecommendButton
from bot.ui.reveal import RevealView, ShowAnywayButton
from bot.ui.webhooks import ChannelWebhooks
from bot.watchparty.discussion import DiscussionService
from bot.watchparty.service import WatchPartyService
from bot.watchparty.timer import WakeupTimer
from db import migrate
from db.changes import WriteWatch
from db.engine import create_engine, create_session_factory
from db.notify import ChangeFeed, listens

log = logging.getLogger(__name__)

EXTENSIONS: tuple[str, ...] = (
    "cogs.progress",
    "cogs.privacy",
    "cogs.recaps",
    "cogs.corpus",
    "cogs.guard",
    "cogs.watchparty",
    "cogs.recommend",
    "cogs.help",
)
"""One extension per feature, in the order /help lists them."""


def apply_discord_urls(settings: Settings) -> None:
    """Point discord.py at another API/gateway (the playground) when configured."""
    if settings.discord_api_base:
        discord.http.Route.BASE = settings.discord_api_base
    if settings.discord_gateway_url:
        discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(settings.discord_gateway_url)


def _paraphrase_layer(settings: Settings) -> Callable[[], SemanticMatcher] | None:
    """The paraphrase layer's factory when SPOILER_SEMANTIC is on (its extra checked now)."""
    if not settings.spoiler_semantic:
        return None
    require_extra()
    return lambda: SentenceEmbeddingMatcher(cache_dir=settings.cache_dir)


def _shard_options(settings: Settings) -> dict[str, Any]:
    """AutoShardedBot's shard_count/shard_ids, left out to take Discord's recommended count."""
    shards = settings.shards
    options: dict[str, Any] = {"shard_count": shards.count}
    if shards.ids is not None:
        options["shard_ids"] = list(shards.ids)
    return options


def _served_shards(settings: Settings) -> tuple[int, tuple[int, ...]] | None:
    """The shards whose guilds' watch parties this process fires (None: every guild)."""
    shards = settings.shards
    return None if shards.ids is None or shards.count is None else (shards.count, shards.ids)


def default_intents() -> discord.Intents:
    """Guilds, members and message content: the spoiler guard reads messages."""
    intents = discord.Intents.default()
    intents.message_content = True
    intents.members = True
    return intents


class CliffhangerBot(commands.AutoShardedBot):
    """Cliffhanger's Discord client: the shards `SHARD_IDS` of `SHARD_COUNT` (default: all of
    Discord's recommended count) in one process."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        engine: AsyncEngine | None = None,
        extensions: tuple[str, ...] = EXTENSIONS,
        guild_ready_timeout: float = 2.0,
        freeze_after_setup: bool = False,
        force_sync: bool = False,
    ) -> None:
        apply_discord_urls(settings)
        pace = RequestPace(settings.requests_per_second, settings.request_burst)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=default_intents(),
            tree_cls=CliffhangerTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
            **_shard_options(settings),
            http_trace=pacing_trace(pace, lambda: discord.http.Route.BASE),
        )
        self.pace = pace
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.engine: AsyncEngine = engine or create_engine(settings.database_url)
        self.sessions: async_sessionmaker[AsyncSession] = create_session_factory(self.engine)
        self.catalog = CatalogStore(self.sessions)
        self.progress = ProgressService(self.sessions, self.catalog, self.clock)
        self.privacy = PrivacyService(self.sessions, self.catalog, self.clock)
        self.recaps = RecapService(self.sessions, self.catalog, self.progress)
        self.webhooks = ChannelWebhooks()
        self.outbox = OutboxJournal(self.sessions)
        self.hidden = HiddenPosts(
            self.sessions, self.catalog, self.progress, self.clock, self.outbox
        )
        self.channel_lines = ChannelLines(self.sessions, self.catalog)
        self.spoiler_indexes = SpoilerIndexStore(
            self.sessions,
            settings.cache_dir,
            _paraphrase_layer(settings),
            default_verifier(settings.spoiler_semantic) if settings.spoiler_verifier else None,
        )
        self.line_writes = WriteWatch(self.engine, LINE_TABLES)
        self.guard = SpoilerGuard(
            self.sessions, self.catalog, self.spoiler_indexes, self.line_writes
        )
        self.change_feed = (
            ChangeFeed(self.engine, self._heard_change) if listens(self.engine) else None
        )
        self.phrases = TaughtPhrases(self.sessions, self.catalog, self.spoiler_indexes, self.clock)
        self.guard_settings = GuardSettings(self.sessions)
        self.false_flags = FalseFlags(self.sessions, self.catalog, self.phrases)
        self.reports = SpoilerReports(self.sessions, self.catalog, self.clock)
        self.recommender = RecommendService(
            self.sessions, self.catalog, self._current_index, clock=self.clock
        )
        self.discussion = DiscussionService(self.sessions, self.catalog, self.clock)
        self.watchparty = WatchPartyService(
            self.sessions, self.catalog, self.recaps, self.clock, DiscordPoster(self),
            lambda: self.settings.recap_grace_hours, _served_shards(settings),
        )  # fmt: skip
        self.command_sync = CommandSync(self.sessions, self.clock, force=force_sync)
        self._commands_checked = False
        self.wakeups: WakeupTimer | None = None  # real-time firing; built in setup_hook
        self.closing: list[Callable[[], Awaitable[None]]] = []  # run before disconnecting
        self._extensions = extensions
        self._reloads: set[asyncio.Task[None]] = set()
        self._freeze_after_setup = freeze_after_setup

    async def setup_hook(self) -> None:
        """Migrate the database and load every cog (commands are synced once connected)."""
        await migrate.upgrade(self.engine)
        await self.catalog.refresh()
        if self.change_feed is not None:
            self.change_feed.start()
        self._build_wakeups()
        self.add_persistent_items()
        for extension in self._extensions:
            await self.load_extension(extension)
        if self._freeze_after_setup:
            gc.freeze()  # the spoiler index lives as long as the process: stop rescanning it

    def _build_wakeups(self) -> None:
        """The watch-party timer (on the running loop); the playground's clock needs none."""
        if isinstance(self.clock, ManualClock):
            return
        party = self.watchparty
        self.wakeups = WakeupTimer(party.next_wakeup, lambda: party.run_due(self.clock.now()))
        party.changed = self.wakeups.request_rearm

    def add_persistent_items(self) -> None:
        """Make the shared buttons (Reveal, Show anyway, discussion threads, suggestions) survive
        restarts."""
        self.add_view(RevealView())
        self.add_dynamic_items(ShowAnywayButton, DiscussButton, RecommendButton)

    async def start(self, token: str, *, reconnect: bool = True) -> None:
        """Log in and connect; a refusal of privileged intents becomes one clear error."""
        await self.login(token)
        flags = await application_flags(self)
        try:
            await self.connect(reconnect=reconnect)
        except discord.PrivilegedIntentsRequired:
            raise MissingIntentsError(missing_intents(flags, self.intents)) from None

    async def on_ready(self) -> None:
        """Say which shards this process serves; once, register the commands (intents accepted)."""
        served = sorted(self.shards)
        log.info(
            "ready: serving shard(s) %s of %s, %d server(s)",
            ",".join(map(str, served)), self.shard_count, len(self.guilds),
        )  # fmt: skip
        if self._commands_checked:
            return
        self._commands_checked = True
        guild_id = self.settings.dev_guild_id
        guild = discord.Object(id=guild_id) if guild_id else None
        if guild is not None:
            self.tree.copy_global_to(guild=guild)
        target = f"{discord.http.Route.BASE} {self.application_id} {guild_id or 'global'}"
        await self.command_sync.ensure(self.tree, guild, target)

    def _current_index(self) -> SpoilerIndex | None:
        return self.spoiler_indexes.index if self.spoiler_indexes.ready else None

    async def corpus_changed(self, guild_id: int | None = None) -> None:
        """Reload what depends on the corpus (or one server's layer of it); tell every cog."""
        if guild_id is not None:
            self.spoiler_indexes.layer_changed(guild_id)
        await self.catalog.refresh()
        self.dispatch("corpus_changed", guild_id)

    def _heard_change(self, table: str) -> None:
        """Another process wrote a table this one caches (PostgreSQL's change feed)."""
        self.line_writes.bump()
        if table in ("taught_phrases", "*"):
            self._spawn(self.spoiler_indexes.taught_changed_elsewhere(), "taught phrases")
        if table in ("review_documents", "shows"):
            self._spawn(self.corpus_changed(), "corpus")

    def _spawn(self, work: Coroutine[Any, Any, None], what: str) -> None:
        task = asyncio.create_task(work, name=f"cliffhanger: reload {what}")
        self._reloads.add(task)
        task.add_done_callback(self._reloads.discard)

    async def close(self) -> None:
        """Finish what is in flight, disconnect from Discord, then release the database."""
        hooks, self.closing = self.closing, []
        for hook in hooks:
            try:
                await hook()
            except Exception:
                log.exception("a shutdown step failed")
        if self.change_feed is not None:
            await self.change_feed.stop()
        await super().close()
        self.spoiler_indexes.close()
        await self.engine.dispose()
