"""Load the sample corpus through the real importer into a throwaway SQLite database."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from bot.corpus import SAMPLE_CORPUS
from bot.guard.engine.types import ShowCorpus

T = TypeVar("T")

REPO_ROOT = Path(__file__).resolve().parent.parent


async def read_sample_database(
    reader: Callable[[AsyncSession], Awaitable[T]], corpus: Path | list[Path] = SAMPLE_CORPUS
) -> T:
    """Import `corpus` (folders) into a throwaway SQLite file, then return what `reader` reads."""
    from bot.corpus.service import import_paths
    from db.engine import create_engine, create_session_factory
    from db.migrate import upgrade

    logging.getLogger("alembic").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'sample.db'}")
        try:
            await upgrade(engine)
            sessions = create_session_factory(engine)
            await import_paths(sessions, corpus if isinstance(corpus, list) else [corpus])
            async with sessions() as session:
                return await reader(session)
        finally:
            await engine.dispose()


async def load_sample_corpora(corpus: Path | list[Path] = SAMPLE_CORPUS) -> list[ShowCorpus]:
    """The corpus as the spoiler engine's ShowCorpus records."""
    from bot.guard.index_store import load_show_corpora

    return await read_sample_database(load_show_corpora, corpus)


def sample_corpora() -> list[ShowCorpus]:
    """The sample corpus, synchronously (for benchmarks and module-level test fixtures)."""
    return asyncio.run(load_sample_corpora())
