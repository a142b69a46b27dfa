"""The spoiler index cache: loaded when the corpus and engine are unchanged, else rebuilt."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.corpus.service import import_paths
from bot.guard import index_store
from bot.guard.engine.index import SpoilerIndex
from bot.guard.index_store import CACHE_PREFIX, SpoilerIndexStore
from tests.bot.guard.engine.conftest import TableMatcher
from tests.conftest import SAMPLE_CORPUS


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{CACHE_PREFIX}*.pickle"))


async def test_cache_is_written_then_loaded(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    first = await SpoilerIndexStore(sessions, tmp_path).refresh()
    (cached,) = _cache_files(tmp_path)
    assert first.shows_named("rawls and olivas") != []
    SpoilerIndex.build([]).save(cached)  # a stand-in only the load path could return
    loaded = await SpoilerIndexStore(sessions, tmp_path).refresh()
    assert loaded.shows_named("rawls and olivas") == []


async def test_a_changed_corpus_rebuilds_and_replaces_the_cache(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    await SpoilerIndexStore(sessions, tmp_path).refresh()
    (before,) = _cache_files(tmp_path)
    await import_paths(sessions, [SAMPLE_CORPUS / "coldwake"])
    index = await SpoilerIndexStore(sessions, tmp_path).refresh()
    (after,) = _cache_files(tmp_path)
    assert after != before
    assert len(index.shows_named("coldwake")) == 1


async def test_changed_engine_code_rebuilds_rather_than_loading_the_old_cache(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    await SpoilerIndexStore(sessions, tmp_path).refresh()
    (before,) = _cache_files(tmp_path)
    SpoilerIndex.build([]).save(before)  # a stand-in only the load path could return
    monkeypatch.setattr(index_store, "engine_fingerprint", lambda: "0123456789abcdef")
    index = await SpoilerIndexStore(sessions, tmp_path).refresh()
    (after,) = _cache_files(tmp_path)
    assert after != before and "0123456789abcdef" in after.name
    assert index.shows_named("rawls and olivas") != []


async def test_a_cache_written_by_other_engine_code_is_ignored(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    await SpoilerIndexStore(sessions, tmp_path).refresh()
    (cached,) = _cache_files(tmp_path)
    with cached.open("wb") as handle:  # same name, but the rules that wrote it are not ours
        pickle.dump(("another-engine", {}, frozenset(), {}), handle)
    with pytest.raises(ValueError, match="engine"):
        SpoilerIndex.load(cached)
    index = await SpoilerIndexStore(sessions, tmp_path).refresh()
    assert index.shows_named("rawls and olivas") != []


async def test_a_corrupt_cache_is_ignored(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    await SpoilerIndexStore(sessions, tmp_path).refresh()
    (cached,) = _cache_files(tmp_path)
    cached.write_bytes(b"not a pickle")
    index = await SpoilerIndexStore(sessions, tmp_path).refresh()
    assert index.shows_named("rawls and olivas") != []


async def test_no_cache_folder_means_no_files(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    await SpoilerIndexStore(sessions, None).refresh()
    assert _cache_files(tmp_path) == []


async def test_the_paraphrase_layer_is_made_once_and_outlives_refreshes(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "coldwake"])
    made: list[TableMatcher] = []

    def factory() -> TableMatcher:
        made.append(TableMatcher({}))
        return made[-1]

    store = SpoilerIndexStore(sessions, tmp_path, factory)
    built = await store.refresh()
    loaded = await store.refresh()  # from the cache file, which never holds the matcher
    assert len(made) == 1 and built.semantic is loaded.semantic is made[0]
    (show_id,) = made[0].sentences
    assert len(made[0].sentences[show_id]) == loaded.models[show_id].corpus_units
    assert SpoilerIndex.load(_cache_files(tmp_path)[0]).semantic is None
