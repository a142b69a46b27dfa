"""Rebuilding the spoiler index never stalls the event loop, and the guard keeps its old index.

A ticker task wakes every 5 ms while the index is built from the database, saved, loaded again
by a fresh store, and rebuilt after one show is added; its longest late wake-up is the longest
the loop was blocked. Before the rebuild moved off the loop, reading this corpus alone blocked it
for hundreds of milliseconds at once.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bench.corpus_db import add_shows
from bench.synthetic import plan
from bench.ticker import stalls_during
from bot.guard.engine.index import SpoilerIndex
from bot.guard.index_store import SpoilerIndexStore

SHOWS, EPISODES, SENTENCES = 30, 50, 40  # 60,000 sentences
MAX_STALL = 0.050
# On the shared 2-core machine (load 6-10) the OS alone wakes an idle loop up to ~0.1 s late, so
# each stall is compared with the worst the same ticker saw while the loop did nothing. Before
# the rebuild moved off the loop, adding one show to this corpus stalled it for 1.4 s at once.


async def _stalls(work: Awaitable[object], store: SpoilerIndexStore) -> tuple[list[float], int]:
    """How late the ticker woke each time while `work` ran, and how many indexes it saw."""
    seen: list[SpoilerIndex | None] = []
    stalls = await stalls_during(work, lambda: seen.append(store.index if store.ready else None))
    return stalls, len({id(index) for index in seen})


async def _idle() -> None:
    await asyncio.sleep(1.0)


async def test_building_saving_loading_and_adding_a_show_never_stall_the_loop(
    engine: AsyncEngine, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await add_shows(engine, 1, SHOWS, EPISODES, SENTENCES)
    store = SpoilerIndexStore(sessions, tmp_path)
    noise = (await _stalls(_idle(), store))[0][-1]
    built, _ = await _stalls(store.refresh(), store)
    fresh = SpoilerIndexStore(sessions, tmp_path)
    loaded, _ = await _stalls(fresh.refresh(), fresh)
    before = store.index
    await add_shows(engine, SHOWS + 1, SHOWS + 1, EPISODES, SENTENCES)
    added, indexes = await _stalls(store.refresh(), store)
    assert max(loaded[-1], added[-1]) < MAX_STALL + noise, (loaded[-1], added[-1], noise)
    # a build from scratch shares the interpreter lock with a worker thread for seconds: most
    # wake-ups are prompt, a few are late when the OS schedules the loop's thread late
    assert built[int(len(built) * 0.95)] < MAX_STALL + noise, (built[-20:], noise)
    assert indexes <= 2  # the old index answered until the new one was swapped in whole
    assert store.index is not before
    newest = plan(SHOWS + 1, EPISODES).title
    assert store.index.shows_named(newest) == [SHOWS + 1]
    assert before.shows_named(newest) == []
