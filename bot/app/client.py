"""The Bot subclass: wires settings, database, clock and cogs together."""

from __future__ import annotations

import gc
import logging
from collections.abc import Callable

import discord
import yarl
from discord.ext import commands
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.app.settings import Settings
from bot.app.tree import CliffhangerTree
from bot.catalog.store import CatalogStore
from bot.clock import Clock, ManualClock, SystemClock
from bot.guard.engine.index import SpoilerIndex
from bot.guard.engine.semantic import SemanticMatcher, SentenceEmbeddingMatcher, require_extra
from bot.guard.hidden_posts import HiddenPosts
from bot.guard.index_store import SpoilerIndexStore
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
from bot.ui.reveal import RevealView, ShowAnywayButton
from bot.watchparty.discussion import DiscussionService
from bot.watchparty.service import WatchPartyService
from bot.watchparty.timer import WakeupTimer
from db import migrate
from db.changes import WriteWatch
from db.engine import create_engine, create_session_factory

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


def default_intents() -> discord.Intents:
    """Guilds, members and message content: the spoiler guard reads messages."""
    intents = discord.Intents.default()
    intents.message_content = True
    intents.members = True
    return intents


class CliffhangerBot(commands.Bot):
    """Cliffhanger's Discord client."""

    def __init__(
        self,
        settings: Settings,
        *,
        clock: Clock | None = None,
        engine: AsyncEngine | None = None,
        extensions: tuple[str, ...] = EXTENSIONS,
        guild_ready_timeout: float = 2.0,
        freeze_after_setup: bool = False,
    ) -> None:
        apply_discord_urls(settings)
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=default_intents(),
            tree_cls=CliffhangerTree,
            help_command=None,
            allowed_mentions=discord.AllowedMentions.none(),
            guild_ready_timeout=guild_ready_timeout,
        )
        self.settings = settings
        self.clock: Clock = clock or SystemClock()
        self.engine: AsyncEngine = engine or create_engine(settings.database_url)
        self.sessions: async_sessionmaker[AsyncSession] = create_session_factory(self.engine)
        self.catalog = CatalogStore(self.sessions)
        self.progress = ProgressService(self.sessions, self.catalog, self.clock)
        self.privacy = PrivacyService(self.sessions, self.catalog, self.clock)
        self.recaps = RecapService(self.sessions, self.catalog, self.progress)
        self.hidden = HiddenPosts(self.sessions, self.catalog, self.progress, self.clock)
        self.channel_lines = ChannelLines(self.sessions, self.catalog)
        self.spoiler_indexes = SpoilerIndexStore(
            self.sessions, settings.cache_dir, _paraphrase_layer(settings)
        )
        self.guard = SpoilerGuard(
            self.sessions,
            self.catalog,
            self.spoiler_indexes,
            WriteWatch(self.engine, LINE_TABLES),
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
            lambda: self.settings.recap_grace_hours,
        )  # fmt: skip
        self.wakeups: WakeupTimer | None = None  # real-time firing; built in setup_hook
        self._extensions = extensions
        self._freeze_after_setup = freeze_after_setup

    async def setup_hook(self) -> None:
        """Migrate the database, load every cog, and register slash commands."""
        await migrate.upgrade(self.engine)
        await self.catalog.refresh()
        self._build_wakeups()
        self.add_persistent_items()
        for extension in self._extensions:
            await self.load_extension(extension)
        await self._sync_commands()
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
        """Make the shared buttons (Reveal, Show anyway, discussion threads) survive restarts."""
        self.add_view(RevealView())
        self.add_dynamic_items(ShowAnywayButton, DiscussButton)

    async def _sync_commands(self) -> None:
        if self.settings.dev_guild_id:
            guild = discord.Object(id=self.settings.dev_guild_id)
            self.tree.copy_global_to(guild=guild)
            synced = await self.tree.sync(guild=guild)
        else:
            synced = await self.tree.sync()
        log.info("registered %d application commands", len(synced))

    def _current_index(self) -> SpoilerIndex | None:
        return self.spoiler_indexes.index if self.spoiler_indexes.ready else None

    async def corpus_changed(self) -> None:
        """Reload what depends on the corpus, then tell every cog."""
        await self.catalog.refresh()
        self.dispatch("corpus_changed")

    async def close(self) -> None:
        """Disconnect from Discord, then release the database."""
        await super().close()
        self.spoiler_indexes.close()
        await self.engine.dispose()
