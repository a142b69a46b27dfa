"""The spoiler index store: show models cached by the piece, rebuilt by the piece, fail-closed."""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.catalog.store import CatalogStore
from bot.corpus.documents import parse_document
from bot.corpus.service import import_documents, import_paths
from bot.guard.engine import pieces
from bot.guard.engine.model import ShowModel
from bot.guard.engine.types import ShowCorpus
from bot.guard.index_cache import PieceCache
from bot.guard.index_store import SpoilerIndexStore
from bot.guard.lines import ChannelLines
from bot.guard.service import SpoilerGuard
from tests.bot.guard.engine.conftest import TableMatcher, count_builds
from tests.conftest import SAMPLE_CORPUS

E = EpisodeRef
LAST_REVIEW = "s01e10-couch-verdict.md"


def _pieces(folder: Path) -> list[Path]:
    return sorted(folder.glob("show-*.model"))


def _store(sessions: async_sessionmaker[AsyncSession], folder: Path | None) -> SpoilerIndexStore:
    return SpoilerIndexStore(sessions, folder, workers=1)  # in-process: build_model is counted


async def test_pieces_are_written_then_loaded(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard", SAMPLE_CORPUS / "coldwake"])
    first = await _store(sessions, tmp_path).refresh()
    assert len(_pieces(tmp_path)) == 2
    built = count_builds(monkeypatch)
    loaded = await _store(sessions, tmp_path).refresh()
    assert built == []
    assert loaded.shows_named("rawls and olivas") == first.shows_named("rawls and olivas") != []


async def test_one_review_added_rebuilds_only_its_show(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    partial = tmp_path / "ballard"
    shutil.copytree(SAMPLE_CORPUS / "ballard", partial)
    (partial / LAST_REVIEW).unlink()
    await import_paths(sessions, [partial, SAMPLE_CORPUS / "coldwake"])
    store = _store(sessions, tmp_path / "cache")
    await store.refresh()
    built = count_builds(monkeypatch)
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    index = await store.refresh()
    ballard = index.shows_named("ballard")
    assert built == ballard and len(ballard) == 1
    assert len(_pieces(tmp_path / "cache")) == 2  # the superseded piece is deleted
    assert await _store(sessions, tmp_path / "cache").refresh() and built == ballard


async def test_changed_engine_code_rebuilds_every_show(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    await _store(sessions, tmp_path).refresh()
    built = count_builds(monkeypatch)
    monkeypatch.setattr(pieces, "engine_fingerprint", lambda: "0123456789abcdef")
    index = await _store(sessions, tmp_path).refresh()
    (after,) = _pieces(tmp_path)
    assert len(built) == 1 and "0123456789abcdef" in after.name
    assert index.shows_named("rawls and olivas") != []


async def test_a_corrupt_piece_is_rebuilt(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    await _store(sessions, tmp_path).refresh()
    (cached,) = _pieces(tmp_path)
    cached.write_bytes(b"not a pickle")
    built = count_builds(monkeypatch)
    index = await _store(sessions, tmp_path).refresh()
    assert len(built) == 1 and index.shows_named("rawls and olivas") != []


async def test_no_cache_folder_means_no_files(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    await _store(sessions, None).refresh()
    assert _pieces(tmp_path) == []


class HeldBuilds(PieceCache):
    """Builds that wait until the test lets them finish."""

    def __init__(self) -> None:
        super().__init__(None, workers=1)
        self.started = threading.Event()
        self.release = threading.Event()

    def build(
        self, corpora: Iterable[ShowCorpus], fingerprints: Mapping[int, str]
    ) -> dict[int, ShowModel]:
        self.started.set()
        assert self.release.wait(30)
        return super().build(corpora, fingerprints)


async def test_a_show_still_building_fails_closed_while_the_rest_answer(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    store = _store(sessions, None)
    old = await store.refresh()
    (ballard,) = old.shows_named("ballard")
    held = HeldBuilds()
    store._pieces = held
    await import_paths(sessions, [SAMPLE_CORPUS / "coldwake"])
    refreshing = asyncio.create_task(store.refresh())
    await asyncio.to_thread(held.started.wait, 30)
    (coldwake,) = store._unbuilt
    assert store.building(coldwake) and not store.building(ballard)
    named = min(pieces.pending_names(store._unbuilt[coldwake]))
    last = E(1, 99)
    verdict = await store.unbuilt_verdict(coldwake, f"omg {named} at last", E(1, 1), last)
    assert verdict is not None and verdict.spoiler and verdict.label_episode == last
    chatter = await store.unbuilt_verdict(coldwake, "who's watching tonight?", E(1, 1), last)
    assert chatter is not None and not chatter.spoiler
    assert await store.unbuilt_verdict(ballard, "rawls", E(1, 1), last) is None
    text = "cant believe the captain walks free lol"
    assert store.index.check(text, ballard, E(1, 5)).spoiler  # the last good index answers
    held.release.set()
    index = await refreshing
    assert not store.building(coldwake) and coldwake in index.models
    assert await store.unbuilt_verdict(coldwake, f"omg {named}", E(1, 1), last) is None


async def test_a_cold_start_goes_on_after_its_wait_with_every_show_checked_by_name(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "coldwake"])
    store = _store(sessions, None)
    held = HeldBuilds()
    store._pieces = held
    await store.start(wait=0.2)
    assert held.started.is_set() and store.ready
    (coldwake,) = store._unbuilt
    named = min(pieces.pending_names(store._unbuilt[coldwake]))
    verdict = await store.unbuilt_verdict(coldwake, f"omg {named}", E(1, 1), E(1, 99))
    assert verdict is not None and verdict.spoiler
    held.release.set()
    assert store._first_build is not None
    index = await store._first_build
    assert coldwake in index.models and not store.building(coldwake)


async def test_a_start_whose_build_is_quick_waits_for_all_of_it(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "coldwake"])
    store = _store(sessions, None)
    await store.start(wait=60)
    assert store.ready and len(store.index.models) == 1 and not store._unbuilt


async def test_the_paraphrase_layer_is_made_once_and_outlives_refreshes(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "coldwake"])
    made: list[TableMatcher] = []

    def factory() -> TableMatcher:
        made.append(TableMatcher({}))
        return made[-1]

    store = SpoilerIndexStore(sessions, tmp_path, factory, workers=1)
    built = await store.refresh()
    loaded = await store.refresh()
    assert len(made) == 1 and built.semantic is loaded.semantic is made[0]
    (show_id,) = made[0].sentences
    assert len(made[0].sentences[show_id]) == loaded.models[show_id].corpus_units
    assert pieces.read_piece(_pieces(tmp_path)[0], show_id) is not None


async def test_the_guard_hides_by_name_a_show_still_building(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    store = _store(sessions, None)
    await store.refresh()
    held = HeldBuilds()
    store._pieces = held
    await import_paths(sessions, [SAMPLE_CORPUS / "coldwake"])
    catalog = CatalogStore(sessions)
    await catalog.refresh()
    show = catalog.catalog.resolve("Coldwake")
    await ChannelLines(sessions, catalog).set(1, 10, "Coldwake", "S01E01", follow_watchers=False)
    guard = SpoilerGuard(sessions, catalog, store)
    refreshing = asyncio.create_task(store.refresh())
    await asyncio.to_thread(held.started.wait, 30)
    named = min(pieces.pending_names(store._unbuilt[show.id]))
    finding = await guard.check(1, 10, None, f"no way {named} did that")
    assert finding is not None and finding.episode == show.layout.last  # erring late
    assert await guard.check(1, 10, None, "who's watching tonight?") is None
    assert await guard.own_label(1, show, E(1, 1), "a guess") == show.layout.last
    held.release.set()
    await refreshing
    assert await guard.check(1, 10, None, "who's watching tonight?") is None
    assert await guard.own_label(1, show, E(1, 1), "a guess") == E(1, 1)


async def test_a_servers_upload_rebuilds_no_shared_model(
    sessions: async_sessionmaker[AsyncSession], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await import_paths(sessions, [SAMPLE_CORPUS / "ballard"])
    store = _store(sessions, tmp_path)
    await store.refresh()
    built = count_builds(monkeypatch)
    upload = b"---\nshow: Ballard\nseason: 1\nepisode: 2\nsource: Pier Gossip\n---\n"
    upload += b"Sergeant Tom Rawls sells the harbor ledger to a stranger.\n"
    await import_documents(sessions, [parse_document(upload, "pilot.md")], 1001)
    await store.refresh()
    assert built == []
