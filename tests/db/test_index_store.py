"""The spoiler index cache: loaded when the corpus and engine are unchanged, else rebuilt."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.corpus.service import import_paths
from bot.guard import index_parts, index_store
from bot.guard.engine.index import SpoilerIndex
from bot.guard.engine.model import build_model
from bot.guard.engine.types import ShowCorpus
from bot.guard.index_parts import IndexParts
from bot.guard.index_store import CACHE_PREFIX, OLD_CACHE_PREFIX, SpoilerIndexStore
from tests.bot.guard.engine.conftest import TableMatcher
from tests.conftest import SAMPLE_CORPUS


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob(f"{CACHE_PREFIX}*.pickle"))


def _save_blank_stand_in(path: Path) -> None:
    """Overwrite the cache with empty shows under the same fingerprints: only a load returns it."""
    saved = index_parts.load(path)
    blank = {show: build_model(ShowCorpus(show, "Blank", (), ())) for show in saved.models}
    index_parts.save(IndexParts(blank, saved.fingerprints), path)


def _count_builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    built: list[int] = []

    def counting(corpus: ShowCorpus) -> object:
        built.append(corpus.show_id)
        return build_model(corpus)

    monkeypatch.setattr(index_parts, "build_model", counting)
    return built


async def test_cache_is_written_then_loaded(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    first = await SpoilerIndexStore(sessions, tmp_path).refresh()
    (cached,) = _cache_files(tmp_path)
    assert first.shows_named("rawls and olivas") != []
    _save_blank_stand_in(cached)
    loaded = await SpoilerIndexStore(sessions, tmp_path).refresh()
    assert loaded.shows_named("rawls and olivas") == []


async def test_a_changed_corpus_analyses_only_the_changed_shows_and_replaces_the_cache(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    store = SpoilerIndexStore(sessions, tmp_path)
    await store.refresh()
    (before,) = _cache_files(tmp_path)
    built = _count_builds(monkeypatch)
    await import_paths(sessions, [SAMPLE_CORPUS / "coldwake"])
    index = await store.refresh()
    (after,) = _cache_files(tmp_path)
    assert after != before
    assert len(index.shows_named("coldwake")) == 1 and index.shows_named("rawls and olivas")
    assert len(built) == 1  # coldwake only: ballard's model was kept
    fresh = await SpoilerIndexStore(sessions, tmp_path).refresh()  # a restart: all from the file
    assert len(built) == 1 and fresh.models.keys() == index.models.keys()
    assert await store.refresh() is index  # nothing changed: the same index


async def test_an_incremental_rebuild_equals_a_whole_build(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    store = SpoilerIndexStore(sessions, tmp_path)
    await store.refresh()
    await import_paths(sessions, [SAMPLE_CORPUS / "coldwake"])
    incremental = await store.refresh()
    whole = await SpoilerIndexStore(sessions, None).refresh()
    assert incremental.models == whole.models
    assert incremental.known_words == whole.known_words
    assert incremental.name_owners == whole.name_owners


async def test_an_old_single_pickle_cache_is_removed_unread(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    old = tmp_path / f"{OLD_CACHE_PREFIX}whatever.pickle"
    old.write_bytes(b"never read")
    index = await SpoilerIndexStore(sessions, tmp_path).refresh()
    assert index.shows_named("rawls and olivas") != []
    assert not old.exists() and len(_cache_files(tmp_path)) == 1


async def test_changed_engine_code_rebuilds_rather_than_loading_the_old_cache(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    await SpoilerIndexStore(sessions, tmp_path).refresh()
    (before,) = _cache_files(tmp_path)
    _save_blank_stand_in(before)
    monkeypatch.setattr(index_store, "engine_fingerprint", lambda: "0123456789abcdef")
    monkeypatch.setattr(index_parts, "engine_fingerprint", lambda: "0123456789abcdef")
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
        pickle.dump((index_parts.FILE_FORMAT, "another-engine", 0), handle)
    with pytest.raises(ValueError, match="engine"):
        index_parts.load(cached)
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
    assert (
        SpoilerIndex.from_models(index_parts.load(_cache_files(tmp_path)[0]).models).semantic
        is None
    )
