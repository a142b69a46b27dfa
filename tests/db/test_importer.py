"""Corpus import: idempotence, replacement, and every bad-input case storing nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.corpus.documents import DocumentOverrides
from bot.corpus.files import CorpusImportError
from bot.corpus.service import corpus_overview, import_paths
from db.models import ReviewDocument, Sentence, Show
from tests.conftest import SAMPLE_CORPUS

GOOD = """---
show: Harbor Nights
season: 1
episode: 2
source: The Test Desk
---
Mara finds the ledger under the floorboards. Then the lights go out.

I loved every minute of it. Rating: 8/10
"""


async def _count(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return (await session.execute(select(func.count()).select_from(model))).scalar_one()


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    return path


async def test_sample_corpus_imports_and_reimport_changes_nothing(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    first = await import_paths(sessions, [SAMPLE_CORPUS])
    assert first.documents_added >= 40
    assert len({show for show, _ in first.episodes}) >= 8
    sentences = await _count(sessions, Sentence)
    again = await import_paths(sessions, [SAMPLE_CORPUS])
    assert (again.documents_added, again.documents_updated) == (0, 0)
    assert again.documents_unchanged == first.documents_added
    assert await _count(sessions, Sentence) == sentences
    async with sessions() as session:
        lines = await corpus_overview(session, "balard")
    assert lines == ["Ballard — S01: 10/10 episodes documented (12 documents)"]


async def test_changed_file_replaces_its_earlier_version(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    path = _write(tmp_path, "review.md", GOOD)
    await import_paths(sessions, [path])
    path.write_text(GOOD.replace("the lights go out", "the tide comes in"))
    summary = await import_paths(sessions, [path])
    assert (summary.documents_added, summary.documents_updated) == (0, 1)
    async with sessions() as session:
        bodies = list(await session.scalars(select(ReviewDocument.body)))
        texts = list(await session.scalars(select(Sentence.text)))
    assert len(bodies) == 1 and "tide" in bodies[0]
    assert "Then the tide comes in." in texts and not any("lights" in t for t in texts)


async def test_show_names_match_fuzzily_and_headerless_files_take_flags(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [_write(tmp_path, "a.md", GOOD)])
    bare = _write(tmp_path, "b.txt", "Mara leaves town for good. Rating: 6/10")
    await import_paths(sessions, [bare], overrides=DocumentOverrides("harbor nights", 1, 3))
    async with sessions() as session:
        titles = list(await session.scalars(select(Show.title)))
        ratings = sorted(await session.scalars(select(ReviewDocument.rating)))
    assert titles == ["Harbor Nights"]
    assert ratings == [6.0, 8.0]


BAD_CASES = {
    "no header and no flags": ("x.md", "Just a body.", "no show", 1),
    "bad episode number": (
        "x.md",
        GOOD.replace("episode: 2", "episode: two"),
        "episode must be",
        4,
    ),
    "empty body": (
        "x.md",
        GOOD.split("---\n", 2)[0] + "---\n" + GOOD.split("---\n")[1] + "---\n\n",
        "no text",
        None,
    ),
    "not utf-8": ("x.md", GOOD.encode() + b"\n\xff\xfe broken", "not UTF-8", 11),
    "rating out of range": ("x.md", GOOD.replace("8/10", "11/10"), "outside 0–10", 9),
    "header never closes": ("x.md", "---\nshow: X\nseason: 1\n\nbody", "never closes", 1),
    "unknown header field": (
        "x.md",
        GOOD.replace("source:", "sauce:"),
        "unknown header field 'sauce'",
        5,
    ),
    "episode past a catalogued season": (
        "x.md",
        GOOD.replace("Harbor Nights", "Ballard").replace("episode: 2", "episode: 12"),
        "Ballard has 10 episodes",
        1,
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_CASES))
async def test_bad_input_names_file_and_line_and_stores_nothing(
    case: str, sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard" / "show.toml"])
    name, text, message, line = BAD_CASES[case]
    good = _write(tmp_path, "good.md", GOOD)
    bad = _write(tmp_path, name, text)
    with pytest.raises(CorpusImportError) as caught:
        await import_paths(sessions, [good, bad])
    problem = caught.value.problems[0]
    assert message in problem
    assert problem.startswith(str(bad) + (f":{line}:" if line else ""))
    assert await _count(sessions, ReviewDocument) == 0
    assert await _count(sessions, Show) == 1


async def test_missing_path_is_a_clear_error(sessions: async_sessionmaker[AsyncSession]) -> None:
    with pytest.raises(CorpusImportError, match="no such file"):
        await import_paths(sessions, [Path("/nonexistent/reviews")])
