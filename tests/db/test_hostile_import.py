"""Hostile corpus input: every bad file ends in one line naming it and the field, nothing stored.

The explicit cases are `bench.hostile_corpus`; hypothesis adds malformed files of its own. Each
runs through the real importer on SQLite and PostgreSQL, within a time and memory bound.
"""

from __future__ import annotations

import itertools
import json
import re
import time
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bench.hostile_corpus import HostileCase, explicit_cases, generated_cases, review, write_case
from bot.corpus.files import CorpusImportError
from bot.corpus.limits import LIMITS
from bot.corpus.service import import_paths
from db.models import ReviewDocument, Sentence, Show

CASES = [*explicit_cases(), *generated_cases(60)]
SECONDS = 10.0
PEAK_BYTES = 64 * 2**20
HYPOTHESIS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_folders = itertools.count()


async def _stored(sessions: async_sessionmaker[AsyncSession]) -> tuple[int, int, int]:
    async with sessions() as session:
        counts = [
            (await session.execute(select(func.count()).select_from(model))).scalar_one()
            for model in (ReviewDocument, Sentence, Show)
        ]
    return counts[0], counts[1], counts[2]


async def _refusal(
    sessions: async_sessionmaker[AsyncSession], folder: Path, bad: Path, field: str
) -> str:
    """Import `folder`; assert one bounded, one-line refusal naming `bad` and `field`."""
    before = await _stored(sessions)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(CorpusImportError) as caught:
            await import_paths(sessions, [folder])
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    (problem,) = caught.value.problems
    match = re.fullmatch(rf"{re.escape(str(bad))}(?::\d+)?: (.+)", problem)
    assert match is not None, problem
    assert re.search(rf"\b{re.escape(field)}\b", match.group(1)), problem
    assert elapsed < SECONDS and peak < PEAK_BYTES, (elapsed, peak)
    assert await _stored(sessions) == before
    return problem


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
async def test_explicit_case_is_one_line_naming_file_and_field(
    case: HostileCase, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    bad = write_case(case, tmp_path)
    await _refusal(sessions, tmp_path, bad, case.field)


def _folder(root: Path) -> Path:
    folder = root / f"example-{next(_folders)}"
    folder.mkdir()
    return folder


def _valid_number(text: str) -> bool:
    return bool(re.fullmatch(r"[0-9]{1,9}", text.strip())) and 1 <= int(text) <= 999


def _valid_date(text: str) -> bool:
    try:
        date.fromisoformat(text.strip())
    except ValueError:
        return not text.strip()
    return True


BAD_VALUES = st.one_of(
    st.tuples(
        st.sampled_from(["season", "episode"]), st.text().filter(lambda t: not _valid_number(t))
    ),
    st.tuples(st.just("aired"), st.text(min_size=1).filter(lambda t: not _valid_date(t))),
    st.tuples(
        st.sampled_from(["title", "source", "author", "show"]),
        st.builds(
            lambda left, poison, right: left + poison + right,
            st.text(max_size=20),
            st.sampled_from(["\x00", "\ud800", "\udfff", "x" * (LIMITS.title_chars + 1)]),
            st.text(max_size=20),
        ),
    ),
)


@HYPOTHESIS
@given(bad=BAD_VALUES)
async def test_generated_bad_values_name_their_field(
    bad: tuple[str, str], sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    field, value = bad
    folder = _folder(tmp_path)
    path = folder / "bad.md"
    path.write_bytes(review(**{field: json.dumps(value)}))
    await _refusal(sessions, folder, path, field)


@HYPOTHESIS
@given(
    content=st.one_of(
        st.binary(max_size=2_000).map(lambda raw: b"\xff" + raw),
        st.binary(max_size=2_000).map(lambda raw: raw + b"\x00"),
        st.builds(lambda raw: review(body="Mara runs.").replace(b"Mara", raw), st.binary()).filter(
            lambda raw: b"\x00" in raw or not _decodes(raw)
        ),
    )
)
async def test_generated_binary_is_refused_as_a_file(
    content: bytes, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    folder = _folder(tmp_path)
    path = folder / "bad.md"
    path.write_bytes(content)
    await _refusal(sessions, folder, path, "file")


def _decodes(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


@HYPOTHESIS
@given(
    setting=st.one_of(
        st.tuples(st.just("year"), st.integers(-(2**63), 2**63 - 1).filter(
            lambda y: not LIMITS.earliest_year <= y <= LIMITS.latest_year)),
        st.tuples(st.just("number"), st.integers(-(2**63), 2**63 - 1).filter(
            lambda n: not 1 <= n <= LIMITS.highest_number)),
        st.tuples(st.just("episodes"), st.integers(-(2**63), 2**63 - 1).filter(
            lambda n: not 0 <= n <= LIMITS.episodes_per_season)),
    )
)  # fmt: skip
async def test_generated_catalogue_numbers_name_their_field(
    setting: tuple[str, int], sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    key, value = setting
    numbers = {"year": 2025, "number": 1, "episodes": 10, key: value}
    folder = _folder(tmp_path)
    path = folder / "show.toml"
    path.write_text(
        f'title = "Harbor Nights"\nyear = {numbers["year"]}\n\n[[seasons]]\n'
        f"number = {numbers['number']}\nepisodes = {numbers['episodes']}\n"
    )
    field = {"year": "year", "number": "season number", "episodes": "episodes"}[key]
    await _refusal(sessions, folder, path, field)


@HYPOTHESIS
@given(
    values=st.fixed_dictionaries(
        {
            key: st.text(max_size=limit)
            for key, limit in (("title", LIMITS.title_chars), ("source", LIMITS.source_chars),
                               ("author", LIMITS.author_chars))
        }
    ),
    ascii_only=st.booleans(),
)  # fmt: skip
async def test_what_the_parser_accepts_every_database_stores(
    values: dict[str, str],
    ascii_only: bool,
    sessions: async_sessionmaker[AsyncSession],
    tmp_path: Path,
) -> None:
    folder = _folder(tmp_path)
    path = folder / "fine.md"
    fields = {key: json.dumps(value, ensure_ascii=ascii_only) for key, value in values.items()}
    path.write_bytes(review(**fields))
    try:
        summary = await import_paths(sessions, [folder])
    except CorpusImportError as refused:
        (problem,) = refused.problems
        assert problem.startswith(f"{path}:") and "\n" not in problem
        return
    assert summary.documents_added + summary.documents_updated + summary.documents_unchanged == 1
    async with sessions() as session:
        titles = set(await session.scalars(select(ReviewDocument.title)))
    assert (" ".join(values["title"].split()) or None) in titles
