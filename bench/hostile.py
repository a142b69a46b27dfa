"""Benchmark: importing the hostile corpus, file by file and all at once, against good files.

python -m bench.hostile [--generated 450] [--database URL]

Each hostile file (bench/hostile_corpus.py: the explicit cases plus generated ones) is imported
alone into a migrated database: it must be refused with one line naming the file and the field.
The time and the peak of traced memory are recorded per file; then every file refused while
parsing is imported in one run. The baseline, run first, is importing the sample corpus.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import tempfile
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.hostile_corpus import (
    HostileCase,
    explicit_cases,
    generated_cases,
    parse_cases,
    write_case,
)
from bot.corpus import SAMPLE_CORPUS
from bot.corpus.files import CorpusImportError
from bot.corpus.service import import_paths
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade


@dataclass(frozen=True, slots=True)
class Run:
    """One measured import."""

    name: str
    seconds: float
    peak_bytes: int
    named: bool


async def _measured(name: str, work: Callable[[], Awaitable[bool]]) -> Run:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        named = await work()
        seconds = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return Run(name, seconds, peak, named)


async def _refused(
    sessions: async_sessionmaker[AsyncSession], folder: Path, bad: Path, field: str
) -> bool:
    """Whether importing `folder` is refused by one line naming `bad` and `field`."""
    try:
        await import_paths(sessions, [folder])
    except CorpusImportError as error:
        (problem,) = error.problems
        rest = problem.removeprefix(str(bad))
        return rest != problem and bool(re.search(rf"\b{re.escape(field)}\b", rest))
    return False


async def _each(
    sessions: async_sessionmaker[AsyncSession], cases: list[HostileCase], root: Path
) -> list[Run]:
    runs = []
    for number, case in enumerate(cases):
        folder = root / f"case{number:04d}"
        bad = write_case(case, folder)
        work = partial(_refused, sessions, folder, bad, case.field)
        runs.append(await _measured(case.name, work))
    return runs


async def _all_at_once(sessions: async_sessionmaker[AsyncSession], root: Path) -> Run:
    cases = parse_cases()
    for number, case in enumerate(cases):
        write_case(case, root / f"case{number:04d}")

    async def work() -> bool:
        try:
            await import_paths(sessions, [root])
        except CorpusImportError as error:
            return len(error.problems) == len(cases)
        return False

    return await _measured(f"{len(cases)} parse-time cases in one import", work)


async def _good(sessions: async_sessionmaker[AsyncSession]) -> tuple[Run, int]:
    files = sum(1 for path in SAMPLE_CORPUS.rglob("*") if path.suffix in (".md", ".toml"))

    async def work() -> bool:
        summary = await import_paths(sessions, [SAMPLE_CORPUS])
        return summary.documents_added > 0

    return await _measured("sample corpus", work), files


async def measure(generated: int, database: str | None) -> None:
    """The sample corpus, then every hostile file alone, then the parse-time ones together."""
    cases = [*explicit_cases(), *generated_cases(generated)]
    with tempfile.TemporaryDirectory() as tmp:
        url = database or f"sqlite+aiosqlite:///{tmp}/hostile.db"
        engine = create_engine(url)
        await upgrade(engine)
        sessions = create_session_factory(engine)
        good, good_files = await _good(sessions)  # first: it also warms every code path up
        runs = await _each(sessions, cases, Path(tmp) / "each")
        together = await _all_at_once(sessions, Path(tmp) / "together")
        await engine.dispose()
    _report(runs, together, good, good_files, url.split("+")[0].split(":")[0])


def _report(runs: list[Run], together: Run, good: Run, good_files: int, backend: str) -> None:
    total = sum(run.seconds for run in runs)
    slowest = max(runs, key=lambda run: run.seconds)
    hungriest = max(runs, key=lambda run: run.peak_bytes)
    named = sum(run.named for run in runs)
    unnamed = [run.name for run in runs if not run.named]
    mib = 2**20
    print(f"backend: {backend}")
    print(f"hostile files: {len(runs)}, refused with one line naming file and field: {named}")
    if unnamed:
        print(f"NOT refused as they should be: {', '.join(unnamed)}")
    print(f"each alone: {total:.2f} s in all, {1000 * total / len(runs):.1f} ms per file")
    print(f"slowest: {slowest.name!r} {1000 * slowest.seconds:.0f} ms")
    print(f"most memory: {hungriest.name!r} {hungriest.peak_bytes / mib:.1f} MiB peak")
    print(
        f"together: {together.name}: {together.seconds:.2f} s, "
        f"{together.peak_bytes / mib:.1f} MiB peak, all named: {together.named}"
    )
    per_good = good.seconds / good_files
    print(
        f"baseline: the sample corpus, {good_files} good files: {good.seconds:.2f} s "
        f"({1000 * per_good:.1f} ms per file), {good.peak_bytes / mib:.1f} MiB peak"
    )
    print(f"ratio: the slowest hostile file takes {slowest.seconds / per_good:.1f}× a good file")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--generated", type=int, default=450, help="generated hostile files")
    parser.add_argument("--database", help="a database URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    asyncio.run(measure(args.generated, args.database))


if __name__ == "__main__":
    main()
