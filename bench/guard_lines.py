"""The guard's per-message cost with the line cache, against reading the line every time.

Run: python -m bench.guard_lines [--messages N] [--database URL]

Imports the sample corpus into a throwaway SQLite database (or the given database), ties a
channel to Ballard with a line, and times `SpoilerGuard.check` on ordinary chat in that channel.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import tempfile
import time
from pathlib import Path

from bench.sample import SAMPLE_CORPUS
from bot.catalog.store import CatalogStore
from bot.guard.index_store import SpoilerIndexStore
from bot.guard.lines import ChannelLines
from bot.guard.service import LINE_TABLES, SpoilerGuard
from db.changes import WriteWatch
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade

CHATTER = ("anyone up for the next ep tonight?", "ana is such a good detective", "lol same")


async def _measure(url: str, messages: int) -> tuple[float, float]:
    from bot.corpus.service import import_paths

    engine = create_engine(url)
    try:
        await upgrade(engine)
        sessions = create_session_factory(engine)
        await import_paths(sessions, [SAMPLE_CORPUS])
        catalog = CatalogStore(sessions)
        await catalog.refresh()
        indexes = SpoilerIndexStore(sessions)
        await indexes.refresh()
        await ChannelLines(sessions, catalog).set(1, 10, "Ballard", "S01E04", False)
        plain = SpoilerGuard(sessions, catalog, indexes)
        cached = SpoilerGuard(sessions, catalog, indexes, WriteWatch(engine, LINE_TABLES))
        return await _rate(plain, messages), await _rate(cached, messages)
    finally:
        await engine.dispose()


async def _rate(guard: SpoilerGuard, messages: int) -> float:
    started = time.perf_counter()
    for number in range(messages):
        await guard.check(1, 10, None, CHATTER[number % len(CHATTER)])
    return messages / (time.perf_counter() - started)


def main(argv: list[str] | None = None) -> int:
    """Print messages/s through the guard with and without the line cache."""
    parser = argparse.ArgumentParser(prog="python -m bench.guard_lines")
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--database", help="a database URL (default: a throwaway SQLite file)")
    args = parser.parse_args(argv)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite+aiosqlite:///{Path(folder) / 'guard.db'}"
        plain, cached = asyncio.run(_measure(url, args.messages))
    print(f"guard.check on chat in a channel with a line, {args.messages:,} messages")
    print(f"reading the line every message: {plain:,.0f} messages/s")
    print(f"line cache:                     {cached:,.0f} messages/s ({cached / plain:.1f}x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
