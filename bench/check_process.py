"""`python -m bot spoilers check` as a whole process on a synthetic corpus, against a naive scan.

Run: python -m bench.check_process [--shows 200] [--lines 5000]

A SQLite database gets `--shows` synthetic shows x 50 episodes x 40 sentences (bench/synthetic.py).
`spoilers check` runs once to fill its cache folder (cold), then is timed as a whole process on
`--lines` chat lines of one show (warm: interpreter start, migrations check, show models loaded
from the cache, index assembled, every line checked). The baseline scans that show's sentences
after the line for each message with rapidfuzz (token_set_ratio), in this process, untimed setup.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rapidfuzz import fuzz, process
from sqlalchemy import insert

from bench.synthetic import chat, corpus, plan
from bot.catalog.episodes import EpisodeRef
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Episode, ReviewDocument, Season, Sentence, Show

EPISODES, SENTENCES = 50, 40
LINE = EpisodeRef(1, 10)
TARGET = "≥ 10x the naive scan"


def _rows(show_id: int) -> list[tuple[type, list[dict[str, object]]]]:
    """One show's rows, table by table: one season, one review per episode."""
    show = corpus(plan(show_id, EPISODES), SENTENCES)
    first = (show_id - 1) * EPISODES
    ids = [first + n for n in range(1, EPISODES + 1)]
    return [
        (Show, [{"id": show_id, "title": show.title, "slug": f"s{show_id}"}]),
        (Season, [{"id": show_id, "show_id": show_id, "number": 1}]),
        (Episode, [{"id": i, "season_id": show_id, "number": i - first} for i in ids]),
        (
            ReviewDocument,
            [{"id": i, "episode_id": i, "source_key": f"d{i}", "content_hash": "", "body": ""}
             for i in ids],
        ),
        (
            Sentence,
            [{"document_id": first + s.episode.episode, "episode_id": first + s.episode.episode,
              "paragraph": 0, "position": at, "text": s.text, "kind": s.kind}
             for at, s in enumerate(show.sentences)],
        ),
    ]  # fmt: skip


async def _fill(url: str, shows: int) -> None:
    """Insert the synthetic corpus."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            for show_id in range(1, shows + 1):
                for table, rows in _rows(show_id):
                    await session.execute(insert(table), rows)
            await session.commit()
    finally:
        await engine.dispose()


def _check(url: str, title: str, lines: list[str], cache: Path) -> tuple[float, float]:
    """Seconds the whole `spoilers check` process takes on these lines: wall clock, CPU."""
    command = [sys.executable, "-m", "bot", "spoilers", "check", "--show", title]
    command += ["--progress", LINE.code, "--database", url]
    env = {**os.environ, "CACHE_DIR": str(cache), "SPOILER_SEMANTIC": "off"}
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        command, input="\n".join(lines), capture_output=True, text=True, env=env, check=True
    )
    elapsed = time.perf_counter() - started
    assert len(done.stdout.splitlines()) == len(lines), done.stderr[-500:]
    return elapsed, _children_cpu() - cpu


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _naive(lines: list[str]) -> tuple[float, float]:
    """Seconds rapidfuzz takes to scan show 1's sentences after the line for every message."""
    sentences = corpus(plan(1, EPISODES), SENTENCES).sentences
    scope = [s.text for s in sentences if s.episode > LINE]
    cpu = time.process_time()
    started = time.perf_counter()
    for text in lines:
        process.extractOne(text, scope, scorer=fuzz.token_set_ratio)
    return time.perf_counter() - started, time.process_time() - cpu


def main(argv: list[str] | None = None) -> int:
    """Fill a database, run the command cold then warm, and print it against the naive scan."""
    parser = argparse.ArgumentParser(prog="python -m bench.check_process")
    parser.add_argument("--shows", type=int, default=200)
    parser.add_argument("--lines", type=int, default=5000)
    args = parser.parse_args(argv)
    show = plan(1, EPISODES)
    rng = random.Random(5)
    lines = [chat(show, rng)[0] for _ in range(args.lines)]
    with tempfile.TemporaryDirectory(prefix="check-process-") as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db"
        started = time.perf_counter()
        asyncio.run(_fill(url, args.shows))
        filled = time.perf_counter() - started
        cold, _ = _check(url, show.title, lines, Path(tmp) / "cache")
        warm, warm_cpu = min(_check(url, show.title, lines, Path(tmp) / "cache") for _ in range(2))
    naive, naive_cpu = _naive(lines)
    print(f"{args.shows} shows x {EPISODES} x {SENTENCES} (filled in {filled:.0f} s); ", end="")
    print(f"{args.lines:,} lines of one show at {LINE.code}")
    print(f"spoilers check, whole process, cold cache: {cold:.2f} s")
    rate = args.lines / warm
    print(f"spoilers check, whole process, warm cache: {warm:.2f} s ({rate:,.0f} lines/s)")
    print(f"naive scan of the show's sentences after the line: {naive:.2f} s")
    print(f"the warm command is {naive / warm:.1f}x the naive scan; target {TARGET}")
    print(f"CPU (user+sys): warm command {warm_cpu:.2f} s, naive scan {naive_cpu:.2f} s, ", end="")
    print(f"{naive_cpu / warm_cpu:.1f}x (less moved by other jobs on the machine)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
