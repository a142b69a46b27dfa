"""Recommender queries and service, on every configured database backend."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.catalog.store import CatalogStore
from bot.clock import ManualClock
from bot.errors import UnknownShowError
from bot.guard.index_store import load_show_corpora
from bot.recommend import RatingError, RecommendService
from bot.recommend.store import load_activity, load_show_texts
from db import recommend as queries
from db.progress import set_progress, set_progress_public
from tests.bot.recommend.judges import best_judge

ALICE, BOB, CAROL, DAVE = 2001, 2002, 2003, 2004
NOW = datetime(2026, 1, 2, tzinfo=UTC)


@pytest.fixture
async def service(
    sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore
) -> RecommendService:
    async with sessions() as session:
        judge = best_judge(await load_show_corpora(session))
    return RecommendService(sessions, catalog, lambda: judge, ManualClock())


async def _progress(
    sessions: async_sessionmaker[AsyncSession], user: int, show_id: int, ref: EpisodeRef
) -> None:
    async with sessions.begin() as session:
        await set_progress(session, user, show_id, ref, NOW)


async def test_ratings_upsert_and_activity_loads_only_the_given_members(
    sessions: async_sessionmaker[AsyncSession],
    catalog: CatalogStore,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ballard = catalog.resolve("Ballard").id
    async with sessions.begin() as session:
        await queries.set_rating(session, ALICE, ballard, 6, NOW)
        await queries.set_rating(session, ALICE, ballard, 9, NOW)
        await queries.set_rating(session, BOB, ballard, 4, NOW)
        await queries.set_rating(session, DAVE, ballard, 10, NOW)
        await set_progress_public(session, BOB, False)
    await _progress(sessions, CAROL, ballard, EpisodeRef(1, 4))
    monkeypatch.setattr(queries, "ID_BATCH", 2)  # exercise the batching
    async with sessions() as session:
        assert await queries.get_rating(session, ALICE, ballard) == 9
        assert await queries.get_rating(session, CAROL, ballard) is None
        activity = await load_activity(session, [ALICE, BOB, CAROL])
    assert activity.ratings == {ALICE: {ballard: 9}, BOB: {ballard: 4}}
    assert activity.progress == {CAROL: {ballard: EpisodeRef(1, 4)}}
    assert activity.private == frozenset({BOB})


async def test_show_texts_hold_reviews_pilot_opinions_and_mean_ratings(
    sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore
) -> None:
    async with sessions() as session:
        texts = {text.title: text for text in await load_show_texts(session)}
        corpora = {corpus.title: corpus for corpus in await load_show_corpora(session)}
    assert len(texts) == 8
    ballard = texts["Ballard"]
    assert ballard.genres == ("crime", "drama", "mystery")
    assert ballard.review_count == 12 and ballard.review_rating == pytest.approx(7.8333, 1e-3)
    assert len(ballard.reviews) == 12 and all(r.narration and r.opinion for r in ballard.reviews)
    for title, text in texts.items():
        pilot_opinions = {
            s.text
            for s in corpora[title].sentences
            if s.episode == EpisodeRef(1, 1) and s.kind in ("opinion", "verdict")
        }
        assert {line.text for line in text.intro} == pilot_opinions
        assert text.premise


async def test_service_rates_and_recommends_unstarted_shows_with_safe_blurbs(
    sessions: async_sessionmaker[AsyncSession], service: RecommendService, catalog: CatalogStore
) -> None:
    view = await service.rate(ALICE, "quiet ministy", 9)
    assert view.line() == "Rated **The Quiet Ministry** 9/10."
    for bad in (0, 11, True):
        with pytest.raises(RatingError):
            await service.rate(ALICE, "Ballard", bad)
    with pytest.raises(UnknownShowError):
        await service.rate(ALICE, "no such show", 5)
    office = catalog.resolve("The Cartographer's Office").id
    await _progress(sessions, ALICE, catalog.resolve("Ballard").id, EpisodeRef(1, 2))
    for member in (BOB, CAROL):
        await _progress(sessions, member, office, EpisodeRef(1, 3))
    picks = await service.recommend(ALICE, [ALICE, BOB, CAROL, DAVE], count=3)
    assert len(picks) == 3
    assert {pick.show.title for pick in picks}.isdisjoint({"The Quiet Ministry", "Ballard"})
    top = picks[0]
    assert top.show.title == "The Cartographer's Office"
    assert top.reason == "you rated The Quiet Ministry 9 · 2 members here are watching it"
    assert all(pick.blurb is None or len(pick.blurb) <= 200 for pick in picks)
    assert top.blurb and top.line().startswith("**The Cartographer's Office** — you rated")
    cold = await service.recommend(DAVE, [ALICE, BOB, CAROL, DAVE], count=50)
    assert len(cold) == 8 and cold[0].reason.startswith("critics rate it")


async def test_service_watch_next_and_party(
    sessions: async_sessionmaker[AsyncSession], service: RecommendService, catalog: CatalogStore
) -> None:
    ballard = catalog.resolve("Ballard").id
    for member, episode in ((ALICE, 3), (BOB, 6), (CAROL, 3), (DAVE, 1)):
        await _progress(sessions, member, ballard, EpisodeRef(1, episode))
    upcoming = await service.watch_next(
        ALICE, [BOB, CAROL, DAVE], open_threads={ballard: [EpisodeRef(1, 3), EpisodeRef(1, 7)]}
    )
    assert [(u.next_episode.code, u.level_or_ahead, u.open_threads) for u in upcoming] == [
        ("S01E04", 2, (EpisodeRef(1, 3),))
    ]
    plan = await service.party_suggest([ALICE, BOB, DAVE], count=2)
    assert [(s.show.title, s.common.code) for s in plan.shared] == [("Ballard", "S01E01")]
    assert len(plan.fresh) == 2 and all(p.show.id != ballard for p in plan.fresh)
    assert (await service.party_suggest([])).fresh == ()


async def test_model_is_cached_until_invalidated_or_the_engine_changes(
    sessions: async_sessionmaker[AsyncSession], catalog: CatalogStore
) -> None:
    judges = [None]
    service = RecommendService(sessions, catalog, lambda: judges[-1])
    first = await service.recommend(ALICE, [], count=1)
    assert first[0].blurb is None  # no engine yet: fail closed
    model = service._model
    await service.recommend(ALICE, [], count=1)
    assert service._model is model
    async with sessions() as session:
        judges.append(best_judge(await load_show_corpora(session)))
    again = await service.recommend(ALICE, [], count=1)
    assert service._model is not model and again[0].blurb
    service.invalidate()
    assert service._model is None
