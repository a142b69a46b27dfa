"""A database holding the synthetic corpus (bench/synthetic.py), written fast with Core inserts."""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.synthetic import corpus, plan
from db import migrate
from db.engine import create_engine
from db.models import Episode, ReviewDocument, Season, Sentence, Show

CACHE = Path(__file__).resolve().parent / ".cache"
BATCH = 20_000


def _show_row(show_id: int, title: str) -> dict[str, object]:
    return {
        "id": show_id,
        "title": title,
        "slug": f"show-{show_id}",
        "aliases": [],
        "genres": [],
        "catalogued": False,
        "created_at": datetime.now(UTC),
    }


async def add_shows(
    engine: AsyncEngine, first: int, last: int, episodes: int, sentences: int
) -> int:
    """Insert synthetic shows `first`..`last` (ids as given); return how many sentences."""
    total = 0
    async with engine.begin() as connection:
        rows: list[dict[str, object]] = []
        for show_id in range(first, last + 1):
            show = corpus(plan(show_id, episodes), sentences)
            await connection.execute(insert(Show), [_show_row(show_id, show.title)])
            await connection.execute(
                insert(Season), [{"id": show_id, "show_id": show_id, "number": 1}]
            )
            base = show_id * 1000
            await connection.execute(
                insert(Episode),
                [
                    {"id": base + n, "season_id": show_id, "number": n}
                    for n in range(1, episodes + 1)
                ],
            )
            await connection.execute(
                insert(ReviewDocument),
                [
                    {
                        "id": base + n,
                        "episode_id": base + n,
                        "source_key": f"synthetic-{n}",
                        "content_hash": f"{show_id}-{n}",
                        "body": "",
                        "imported_at": datetime.now(UTC),
                    }
                    for n in range(1, episodes + 1)
                ],
            )
            for position, sentence in enumerate(show.sentences):
                episode_id = base + sentence.episode.episode
                rows.append(
                    {
                        "document_id": episode_id,
                        "episode_id": episode_id,
                        "paragraph": 0,
                        "position": position,
                        "text": sentence.text,
                        "kind": sentence.kind,
                    }
                )
            if len(rows) >= BATCH:
                await connection.execute(insert(Sentence), rows)
                total += len(rows)
                rows = []
        if rows:
            await connection.execute(insert(Sentence), rows)
            total += len(rows)
    return total


async def synthetic_database(shows: int, episodes: int, sentences: int, target: Path) -> Path:
    """A migrated SQLite database with the synthetic corpus at `target` (built once, copied)."""
    CACHE.mkdir(exist_ok=True)
    (CACHE / ".gitignore").write_text("*\n")
    template = CACHE / f"corpus-{shows}x{episodes}x{sentences}.db"
    if not template.exists():
        partial = template.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        engine = create_engine(f"sqlite+aiosqlite:///{partial}")
        await migrate.upgrade(engine)
        await add_shows(engine, 1, shows, episodes, sentences)
        await engine.dispose()
        partial.replace(template)
    shutil.copyfile(template, target)
    return target
