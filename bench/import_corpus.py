"""Benchmark: corpus import throughput on SQLite, against a naive one-file-at-a-time import.

python -m bench.import_corpus [--documents 10000] [--baseline-documents 1000]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from pathlib import Path

from bot.corpus.documents import parse_document
from bot.corpus.sentences import split_sentences
from bot.corpus.service import import_paths
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Episode, ReviewDocument, Season, Sentence, Show

WORDS = (
    "harbor detective partner captain ledger ferry storm lighthouse keeper ghost secret "
    "brother sister council tide night union dock confession betrayal alibi witness"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(8, 18))]
    return " ".join(words).capitalize() + "."


def generate(folder: Path, documents: int, seed: int = 7) -> None:
    """Write `documents` review files across shows of 50 episodes."""
    rng = random.Random(seed)
    for index in range(documents):
        show, episode = divmod(index, 50)
        body = " ".join(_sentence(rng) for _ in range(rng.randint(14, 24)))
        text = (
            f"---\nshow: Generated Show {show:04d}\nseason: 1\nepisode: {episode + 1}\n"
            f"source: Bench Desk\n---\n{body}\n\nRating: {rng.randint(4, 10)}/10\n"
        )
        (folder / f"doc{index:05d}.md").write_text(text)


async def _fresh(url: str) -> tuple[object, object]:
    engine = create_engine(url)
    await upgrade(engine)
    return engine, create_session_factory(engine)


async def naive_import(sessions: object, files: list[Path]) -> None:
    """The simple way: parse, then one ORM transaction per file, sentences added one by one."""
    async with sessions() as session:  # type: ignore[operator]
        shows: dict[str, Show] = {}
        for path in files:
            document = parse_document(path.read_bytes(), str(path))
            show = shows.get(document.show)
            if show is None:
                show = Show(title=document.show, slug=document.show.lower().replace(" ", "-"))
                show.seasons = [Season(number=1, episodes=[])]
                shows[document.show] = show
                session.add(show)
            episode = Episode(number=document.episode)
            show.seasons[0].episodes.append(episode)
            row = ReviewDocument(
                source_key=document.source_key,
                content_hash=document.content_hash,
                body=document.body,
                rating=document.rating,
            )
            episode_documents = [row]
            await session.flush()
            row.episode_id = episode.id
            session.add_all(episode_documents)
            await session.flush()
            for sentence in split_sentences(document.body):
                session.add(
                    Sentence(
                        document_id=row.id,
                        episode_id=episode.id,
                        paragraph=sentence.paragraph,
                        position=sentence.position,
                        text=sentence.text,
                        kind=sentence.kind,
                    )
                )
                await session.flush()
            await session.commit()


async def measure(documents: int, baseline_documents: int) -> None:
    """Run both imports and print documents per second and the ratio."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        generate(folder, documents)
        engine, sessions = await _fresh(f"sqlite+aiosqlite:///{tmp}/fast.db")
        started = time.perf_counter()
        summary = await import_paths(sessions, [folder])  # type: ignore[arg-type]
        fast = summary.documents_added / (time.perf_counter() - started)
        started = time.perf_counter()
        again = await import_paths(sessions, [folder])  # type: ignore[arg-type]
        rerun = again.documents_unchanged / (time.perf_counter() - started)
        await engine.dispose()  # type: ignore[attr-defined]

        files = sorted(folder.glob("*.md"))[:baseline_documents]
        engine, sessions = await _fresh(f"sqlite+aiosqlite:///{tmp}/naive.db")
        started = time.perf_counter()
        await naive_import(sessions, files)
        naive = len(files) / (time.perf_counter() - started)
        await engine.dispose()  # type: ignore[attr-defined]
    print(f"import:   {summary.documents_added} documents, {fast:,.0f} documents/s (target ≥ 500)")
    print(f"re-import (all unchanged): {rerun:,.0f} documents/s")
    print(
        f"baseline: naive per-file ORM import of {len(files)} documents, {naive:,.0f} documents/s"
    )
    print(f"ratio:    {fast / naive:.1f}× the baseline")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--baseline-documents", type=int, default=1_000)
    args = parser.parse_args()
    asyncio.run(measure(args.documents, args.baseline_documents))


if __name__ == "__main__":
    main()
