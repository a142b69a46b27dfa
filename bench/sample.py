"""Load the sample corpus through the real importer into a throwaway SQLite database."""

from __future__ import annotations

import asyncio
import logging
import tempfile
from pathlib import Path

from bot.spoilers.types import ShowCorpus

REPO_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CORPUS = REPO_ROOT / "corpus"


async def load_sample_corpora(corpus: Path = SAMPLE_CORPUS) -> list[ShowCorpus]:
    """Import `corpus` into a temporary SQLite file and read it back as ShowCorpus records."""
    from bot.corpus.importer import import_paths
    from db.engine import create_engine, create_session_factory
    from db.migrate import upgrade
    from db.spoilers import load_show_corpora

    logging.getLogger("alembic").setLevel(logging.WARNING)
    with tempfile.TemporaryDirectory() as folder:
        engine = create_engine(f"sqlite+aiosqlite:///{Path(folder) / 'sample.db'}")
        try:
            await upgrade(engine)
            sessions = create_session_factory(engine)
            await import_paths(sessions, [corpus])
            async with sessions() as session:
                return await load_show_corpora(session)
        finally:
            await engine.dispose()


def sample_corpora() -> list[ShowCorpus]:
    """The sample corpus, synchronously (for benchmarks and module-level test fixtures)."""
    return asyncio.run(load_sample_corpora())
