"""The guard's per-channel line cache: dropped by this process's writes, expiring for others'."""

from __future__ import annotations

import threading
from collections.abc import Sequence

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.catalog.store import CatalogStore
from bot.clock import ManualClock
from bot.corpus.service import import_paths
from bot.guard.engine.verifier import Verifier, default_verifier
from bot.guard.index_store import SpoilerIndexStore
from bot.guard.lines import ChannelLines
from bot.guard.service import LINE_CACHE_SECONDS, LINE_TABLES, SpoilerGuard
from bot.progress.service import ProgressService
from db.changes import WriteWatch
from db.engine import create_engine, create_session_factory
from tests.bot.guard.engine.conftest import TableMatcher
from tests.conftest import SAMPLE_CORPUS

GUILD, CHANNEL, THREAD, ALICE, BOB = 1, 10, 11, 1001, 1002
SPOILER = "bo strand shoots rawls at the cannery"
Parts = tuple[SpoilerGuard, ChannelLines, ProgressService, "Ticks"]


class Ticks:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def parts(engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]) -> Parts:
    await import_paths(sessions, [SAMPLE_CORPUS])
    catalog = CatalogStore(sessions)
    await catalog.refresh()
    indexes = SpoilerIndexStore(sessions)
    await indexes.refresh()
    ticks = Ticks()
    guard = SpoilerGuard(sessions, catalog, indexes, WriteWatch(engine, LINE_TABLES), ticks)
    return (
        guard,
        ChannelLines(sessions, catalog),
        ProgressService(sessions, catalog, ManualClock()),
        ticks,
    )


async def _line(guard: SpoilerGuard) -> EpisodeRef | None:
    scopes = await guard.scopes(CHANNEL, None, "nothing named here")
    return scopes[0].line if scopes else None


async def test_this_processs_writes_drop_the_cached_line_at_once(parts: Parts) -> None:
    guard, lines, _, _ = parts
    assert await _line(guard) is None
    await lines.set(GUILD, CHANNEL, "Ballard", "S01E03", follow_watchers=False)
    assert await _line(guard) == EpisodeRef(1, 3)
    await lines.set(GUILD, CHANNEL, "Ballard", "S01E08", follow_watchers=False)
    assert await _line(guard) == EpisodeRef(1, 8)
    finding = await guard.check(GUILD, CHANNEL, None, SPOILER)
    assert finding is None  # S01E07 is within the line now
    await lines.clear(CHANNEL)
    assert await _line(guard) is None


async def test_progress_moves_a_watcher_line(parts: Parts) -> None:
    guard, lines, progress, _ = parts
    await lines.set(GUILD, CHANNEL, "Ballard", None, follow_watchers=True)
    await progress.set(BOB, "Ballard", "S01E09")  # a lone watcher cannot raise the line
    await lines.join(CHANNEL, BOB)
    assert await _line(guard) == NOTHING
    await lines.join(CHANNEL, ALICE)
    assert await _line(guard) == NOTHING
    await progress.set(ALICE, "Ballard", "S01E07")
    assert await _line(guard) == EpisodeRef(1, 7)
    assert await guard.check(GUILD, CHANNEL, None, SPOILER) is None


async def test_a_lone_watcher_can_lower_the_line_but_never_raise_it(parts: Parts) -> None:
    guard, lines, progress, _ = parts
    await lines.set(GUILD, CHANNEL, "Ballard", "S01E04", follow_watchers=True)
    await progress.set(BOB, "Ballard", "S01E10")
    await lines.join(CHANNEL, BOB)
    assert await _line(guard) == EpisodeRef(1, 4)  # the finale would be bob's word alone
    await progress.set(BOB, "Ballard", "S01E02")
    assert await _line(guard) == EpisodeRef(1, 2)
    await progress.set(ALICE, "Ballard", "S01E08")
    await progress.set(BOB, "Ballard", "S01E10")
    await lines.join(CHANNEL, ALICE)
    assert await _line(guard) == EpisodeRef(1, 8)  # two watchers: the slower one's position


async def test_another_processs_write_is_seen_when_the_entry_expires(
    parts: Parts, database_url: str
) -> None:
    guard, lines, _, ticks = parts
    await lines.set(GUILD, CHANNEL, "Ballard", "S01E03", follow_watchers=False)
    assert await _line(guard) == EpisodeRef(1, 3)
    other_engine = create_engine(database_url)  # a second bot process on the same database
    try:
        other_sessions = create_session_factory(other_engine)
        other_catalog = CatalogStore(other_sessions)
        await other_catalog.refresh()
        await ChannelLines(other_sessions, other_catalog).set(
            GUILD, CHANNEL, "Ballard", "S01E09", follow_watchers=False
        )
    finally:
        await other_engine.dispose()
    assert await _line(guard) == EpisodeRef(1, 3)  # cached: this process saw no write
    ticks.now += LINE_CACHE_SECONDS + 1
    assert await _line(guard) == EpisodeRef(1, 9)


async def test_without_a_write_watch_every_message_reads_the_database(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS])
    catalog = CatalogStore(sessions)
    await catalog.refresh()
    indexes = SpoilerIndexStore(sessions)
    await indexes.refresh()
    guard = SpoilerGuard(sessions, catalog, indexes)
    lines = ChannelLines(sessions, catalog)
    await lines.set(GUILD, CHANNEL, "Ballard", "S01E03", follow_watchers=False)
    assert await _line(guard) == EpisodeRef(1, 3)
    await lines.set(GUILD, CHANNEL, "Ballard", "S01E05", follow_watchers=False)
    assert await _line(guard) == EpisodeRef(1, 5)


async def test_with_the_paraphrase_layer_the_guard_checks_off_the_event_loop(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession]
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS])
    catalog = CatalogStore(sessions)
    await catalog.refresh()
    vote = "The vote is held in the galley, four to one."
    matcher = ThreadNoting({vote: 0.9})
    indexes = SpoilerIndexStore(sessions, semantic=lambda: matcher)
    await indexes.refresh()
    guard = SpoilerGuard(sessions, catalog, indexes, WriteWatch(engine, LINE_TABLES))
    await ChannelLines(sessions, catalog).set(GUILD, CHANNEL, "Coldwake", "S01E05", False)
    text = "the vote was 4-1 and the 1 was exactly who you'd think lol"
    finding = await guard.check(GUILD, CHANNEL, None, text)
    assert finding is not None and finding.verdict.episode == EpisodeRef(1, 6)
    assert finding.verdict.evidence[0].source == "paraphrase"
    assert matcher.threads and threading.main_thread() not in matcher.threads


class ThreadNoting(TableMatcher):
    """A table matcher that notes which threads asked it."""

    def __init__(self, table: dict[str, float]) -> None:
        super().__init__(table)
        self.threads: set[threading.Thread] = set()

    def similarities(self, show_id: int, message: str) -> Sequence[float]:
        self.threads.add(threading.current_thread())
        return super().similarities(show_id, message)


async def test_with_the_verifier_the_guard_asks_it_off_the_event_loop(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS])
    catalog = CatalogStore(sessions)
    await catalog.refresh()
    shipped = default_verifier()
    assert shipped is not None
    threads: list[threading.Thread] = []

    class Noting(Verifier):
        def flags(self, values: Sequence[float]) -> bool:
            threads.append(threading.current_thread())
            return False  # the verifier decides: nothing is a spoiler

    noting = Noting(*(getattr(shipped, name) for name in Verifier.__slots__))
    indexes = SpoilerIndexStore(sessions, verifier=noting)
    await indexes.refresh()
    assert indexes.index.verifier is noting
    guard = SpoilerGuard(sessions, catalog, indexes)
    await ChannelLines(sessions, catalog).set(GUILD, CHANNEL, "Ballard", "S01E03", False)
    assert await guard.check(GUILD, CHANNEL, None, "rawls dies in the cannery raid") is None
    assert threads and threading.main_thread() not in threads
