"""Members' marks on shows (not interested, watchlist, dropped), on every database backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.store import CatalogStore
from bot.clock import ManualClock
from bot.errors import NotFoundError
from bot.progress.service import ProgressService, not_started_line
from bot.recommend import RecommendService
from bot.recommend.store import load_activity
from db import marks
from db.recommend import set_rating

ALICE, BOB, CAROL = 3001, 3002, 3003
NOW = datetime(2026, 3, 4, tzinfo=UTC)


@pytest.fixture
def recommender(
    sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore
) -> RecommendService:
    return RecommendService(sessions, catalog, lambda: None, ManualClock())


async def test_marks_are_added_once_removed_and_listed_in_order(
    sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore
) -> None:
    ballard, coldwake = catalog.resolve("Ballard").id, catalog.resolve("Coldwake").id
    async with sessions.begin() as session:
        assert await marks.add_mark(session, ALICE, coldwake, marks.LISTED, NOW)
        assert await marks.add_mark(session, ALICE, ballard, marks.LISTED, NOW + timedelta(1))
        assert not await marks.add_mark(session, ALICE, coldwake, marks.LISTED, NOW)
        assert await marks.add_mark(session, ALICE, coldwake, marks.HIDDEN, NOW)
        assert await marks.add_mark(session, BOB, ballard, marks.DROPPED, NOW)
    async with sessions() as session:
        assert await marks.marked(session, ALICE, marks.LISTED) == [coldwake, ballard]
        assert await marks.marks_of(session, [ALICE, CAROL]) == {
            ALICE: {marks.LISTED: {coldwake, ballard}, marks.HIDDEN: {coldwake}}
        }
        activity = await load_activity(session, [ALICE, BOB])
    assert activity.listed == {ALICE: frozenset({coldwake, ballard})}
    assert activity.hidden == {ALICE: frozenset({coldwake})}
    assert activity.dropped == {BOB: frozenset({ballard})}
    assert activity.started(BOB) == {ballard}
    async with sessions.begin() as session:
        assert await marks.remove_mark(session, ALICE, coldwake, marks.LISTED)
        assert not await marks.remove_mark(session, ALICE, coldwake, marks.LISTED)
    async with sessions() as session:
        assert await marks.marked(session, ALICE, marks.LISTED) == [ballard]


async def test_clearing_progress_before_the_end_records_a_drop(
    sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore
) -> None:
    progress = ProgressService(sessions, catalog, ManualClock())
    await progress.set(ALICE, "Ballard", "S01E03")
    await progress.set(ALICE, "Coldwake", "finale")
    await progress.clear(ALICE, "Ballard")
    await progress.clear(ALICE, "Coldwake")  # finished: clearing it is tidying up, not a drop
    with pytest.raises(NotFoundError):
        await progress.clear(ALICE, "Ballard")
    async with sessions() as session:
        assert await marks.marked(session, ALICE, marks.DROPPED) == [catalog.resolve("Ballard").id]


async def test_not_interested_and_the_watchlist_through_the_service(
    sessions: async_sessionmaker[AsyncSession],
    catalog: CatalogStore,
    recommender: RecommendService,
) -> None:
    coldwake, motel = catalog.resolve("Coldwake").id, catalog.resolve("Low Tide Motel").id
    before = {r.show.id for r in await recommender.recommend(ALICE, [], count=10)}
    assert {coldwake, motel} <= before
    assert (await recommender.not_interested(ALICE, coldwake)).title == "Coldwake"
    assert (await recommender.add_to_list(ALICE, motel)).title == "Low Tide Motel"
    after = {r.show.id for r in await recommender.recommend(ALICE, [], count=10)}
    assert after == before - {coldwake, motel}
    listed = await recommender.watchlist(ALICE)
    assert [show.title for show in listed] == ["Low Tide Motel"]
    assert not_started_line(listed[0]).startswith("**Low Tide Motel** ▱▱▱▱▱▱▱▱▱▱ not started · 0/")
    progress = ProgressService(sessions, catalog, ManualClock())
    await progress.set(ALICE, "Low Tide Motel", "S01E01")
    assert await recommender.watchlist(ALICE) == []  # started: listed by its progress instead
    with pytest.raises(NotFoundError):
        await recommender.add_to_list(ALICE, 99999)


async def test_a_similar_members_low_rating_moves_a_show_down_through_the_database(
    sessions: async_sessionmaker[AsyncSession],
    catalog: CatalogStore,
    recommender: RecommendService,
) -> None:
    ballard, lantern = catalog.resolve("Ballard").id, catalog.resolve("The Lantern Keeper").id
    coldwake = catalog.resolve("Coldwake").id
    async with sessions.begin() as session:
        for user in (ALICE, BOB):
            await set_rating(session, user, ballard, 9, NOW)
            await set_rating(session, user, lantern, 8, NOW)
    first = await recommender.recommend(ALICE, [BOB], count=10)
    assert first[0].show.id == coldwake and first[0].reason == "you rated Ballard 9"
    async with sessions.begin() as session:
        await set_rating(session, BOB, coldwake, 2, NOW)
    after = [r.show.id for r in await recommender.recommend(ALICE, [BOB], count=10)]
    assert after.index(coldwake) > 0
    plan = await recommender.party_suggest([ALICE, BOB, CAROL], count=10)
    assert coldwake not in {pick.show.id for pick in plan.fresh}  # Bob rated it 2
    assert plan.heading().startswith("**Start together** (ranked by the group's average")
