"""Watch progress through the service, on every configured database backend."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.catalog.store import CatalogStore
from bot.clock import ManualClock
from bot.corpus.service import import_paths
from bot.errors import (
    AmbiguousShowError,
    EpisodeError,
    NotFoundError,
    PermissionDenied,
    UnknownShowError,
)
from bot.progress.service import ProgressService
from tests.conftest import SAMPLE_CORPUS

ALICE, BOB = 1001, 1002


@pytest.fixture
async def service(sessions: async_sessionmaker[AsyncSession]) -> ProgressService:
    await import_paths(sessions, [SAMPLE_CORPUS])
    catalog = CatalogStore(sessions)
    await catalog.refresh()
    return ProgressService(sessions, catalog, ManualClock())


async def test_set_and_list_with_typo_tolerant_show_names(service: ProgressService) -> None:
    view = await service.set(ALICE, "balard", "s1e5")
    assert (view.show.title, view.position, view.watched, view.total) == (
        "Ballard",
        EpisodeRef(1, 5),
        5,
        10,
    )
    await service.set(ALICE, "the lantern keeper", "2x03")
    lines = [view.line() for view in await service.list(ALICE)]
    assert lines[0].startswith("**Ballard** ▰▰▰▰▰▱▱▱▱▱ S01E05 · 5/10")
    assert "S02E03 · 11/14" in lines[1]


async def test_next_steps_forward_across_seasons_and_stops_at_the_end(
    service: ProgressService,
) -> None:
    first, moved = await service.next(BOB, "Lantern Keeper")
    assert (first.position, moved) == (EpisodeRef(1, 1), True)
    await service.set(BOB, "Lantern Keeper", "s1 finale")
    view, moved = await service.next(BOB, "Lantern Keeper")
    assert view.position == EpisodeRef(2, 1)
    await service.set(BOB, "Lantern Keeper", "finale")
    view, moved = await service.next(BOB, "Lantern Keeper")
    assert (view.position, moved, view.finished) == (EpisodeRef(2, 6), False, True)


async def test_concurrent_next_calls_never_lose_an_update(service: ProgressService) -> None:
    await asyncio.gather(*(service.next(ALICE, "Ballard") for _ in range(6)))
    views = await service.list(ALICE)
    assert views[0].position == EpisodeRef(1, 6)


async def test_concurrent_sets_leave_one_of_the_values(service: ProgressService) -> None:
    await asyncio.gather(
        service.set(ALICE, "Ballard", "S01E03"), service.set(ALICE, "Ballard", "S01E04")
    )
    (view,) = await service.list(ALICE)
    assert view.position in (EpisodeRef(1, 3), EpisodeRef(1, 4))


async def test_bad_input_gets_clear_errors_and_changes_nothing(service: ProgressService) -> None:
    await service.set(ALICE, "Ballard", "S01E02")
    with pytest.raises(EpisodeError, match="Ballard has 10 episodes in season 1"):
        await service.set(ALICE, "Ballard", "S01E11")
    with pytest.raises(UnknownShowError, match="Did you mean"):
        await service.set(ALICE, "xyz harbor", "S01E01")
    with pytest.raises(UnknownShowError):
        await service.set(ALICE, "zzzz qqqq", "S01E01")
    with pytest.raises(EpisodeError, match="can't read"):
        await service.set(ALICE, "Ballard", "episode five")
    (view,) = await service.list(ALICE)
    assert view.position == EpisodeRef(1, 2)


async def test_clear_forgets_and_says_when_there_was_nothing(service: ProgressService) -> None:
    await service.set(ALICE, "Ballard", "S01E02")
    assert (await service.clear(ALICE, "ballard")).title == "Ballard"
    assert await service.list(ALICE) == []
    with pytest.raises(NotFoundError):
        await service.clear(ALICE, "ballard")


async def test_privacy_is_honoured_for_others_but_not_yourself(service: ProgressService) -> None:
    await service.set(BOB, "Coldwake", "S01E04")
    assert [v.position for v in await service.of_member(ALICE, BOB)] == [EpisodeRef(1, 4)]
    await service.set_public(BOB, False)
    assert not await service.is_public(BOB)
    with pytest.raises(PermissionDenied):
        await service.of_member(ALICE, BOB)
    assert len(await service.of_member(BOB, BOB)) == 1


def test_ambiguous_error_lists_candidates() -> None:
    error = AmbiguousShowError("the", ["A", "B"])
    assert "**A**, **B**" in str(error)
