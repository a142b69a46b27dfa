"""The recommender as the cog sees it: rate, recommend, what's next, and group picks."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef, ShowLayout
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.clock import Clock, SystemClock
from bot.errors import CliffhangerError, NotFoundError
from bot.recommend.blurbs import BlurbWriter, JudgeProvider, SpoilerJudge
from bot.recommend.ranking import Recommender
from bot.recommend.reasons import reason_for
from bot.recommend.social import AGGREGATION, group_rank, party_shared
from bot.recommend.social import watch_next as next_episodes
from bot.recommend.store import load_activity, load_show_texts
from bot.recommend.taste import Audience
from bot.recommend.types import (
    MAX_SCORE,
    MIN_SCORE,
    Activity,
    NextUp,
    PartyPlan,
    Recommendation,
    ShowText,
)
from db import marks
from db import recommend as queries

MAX_COUNT = 10


class RatingError(CliffhangerError):
    """A rating outside 1–10."""


@dataclass(frozen=True, slots=True)
class RatingView:
    """A member's rating of a show."""

    show: ShowInfo
    score: int

    def line(self) -> str:
        """`Rated **Ballard** 9/10.`"""
        return f"Rated **{self.show.title}** {self.score}/10."


@dataclass(frozen=True, slots=True)
class _Model:
    """Everything built from one corpus snapshot and one spoiler-engine build."""

    recommender: Recommender
    texts: Mapping[int, ShowText]
    blurbs: BlurbWriter


class RecommendService:
    """Ratings and recommendations; the corpus model is built lazily and cached."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: CatalogStore,
        judge_provider: JudgeProvider,
        clock: Clock | None = None,
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._judge_provider = judge_provider
        self._clock = clock or SystemClock()
        self._model: _Model | None = None
        self._lock = asyncio.Lock()

    def invalidate(self) -> None:
        """Forget the corpus model (call after a corpus import); it is rebuilt on next use."""
        self._model = None

    async def rate(self, user_id: int, show_query: str, score: int) -> RatingView:
        """Record the member's 1–10 rating of a show (typo-tolerant name)."""
        if (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not MIN_SCORE <= score <= MAX_SCORE
        ):
            raise RatingError(f"Rate shows from {MIN_SCORE} to {MAX_SCORE}, for example 8.")
        show = self._catalog.resolve(show_query)
        async with self._sessions.begin() as session:
            await queries.set_rating(session, user_id, show.id, score, self._clock.now())
        return RatingView(show, score)

    async def recommend(
        self, user_id: int, server_member_ids: Iterable[int], count: int = 3
    ) -> list[Recommendation]:
        """Shows the member hasn't started, best first, each with a reason and a safe blurb."""
        model = await self._current_model()
        audience = await self._audience({user_id, *server_member_ids}, viewer=user_id)
        shows = self._shows()
        titles = model.recommender.titles()
        ratings = audience.activity.ratings.get(user_id, {})
        picks = [
            item for item in model.recommender.rank(user_id, audience) if item.show_id in shows
        ][: _bounded(count)]
        blurbs = await self._blurbs(model, [item.show_id for item in picks])
        return [
            Recommendation(
                shows[item.show_id],
                item.score,
                reason_for(item, titles, ratings),
                blurbs[item.show_id],
            )
            for item in picks
        ]

    async def watch_next(
        self,
        user_id: int,
        server_member_ids: Iterable[int],
        open_threads: Mapping[int, Iterable[EpisodeRef]] | None = None,
    ) -> list[NextUp]:
        """Each unfinished show: next episode code, members level or ahead, threads open to them.

        `open_threads` maps show id → episodes with an open discussion thread (the watch-party
        feature's); only those the member has watched are returned.
        """
        audience = await self._audience({user_id, *server_member_ids}, viewer=user_id)
        return next_episodes(user_id, audience, self._shows(), open_threads)

    async def party_suggest(
        self,
        channel_member_ids: Iterable[int],
        count: int = 3,
        server_member_ids: Iterable[int] = (),
    ) -> PartyPlan:
        """Shows none of the members started (ranked for the group) and shows they share.

        The plan is posted for everyone to read, so no private member's progress goes into it,
        not even the asker's: private members are left out of the shared shows and counts.
        """
        members = sorted(set(channel_member_ids))
        if not members:
            return PartyPlan()
        model = await self._current_model()
        audience = await self._audience({*members, *server_member_ids}, viewer=None)
        shows = self._shows()
        picks = [
            pick
            for pick in group_rank(model.recommender, audience, members)
            if pick.show_id in shows
        ][: _bounded(count)]
        blurbs = await self._blurbs(model, [pick.show_id for pick in picks])
        fresh = tuple(
            Recommendation(
                shows[pick.show_id],
                pick.score,
                pick.explained(),
                blurbs[pick.show_id],
            )
            for pick in picks
        )
        shared, private = party_shared(members, audience, shows)
        return PartyPlan(fresh, tuple(shared), private, AGGREGATION)

    async def not_interested(self, user_id: int, show_id: int) -> ShowInfo:
        """Leave a show out of the member's suggestions (and their groups') from now on."""
        return await self._mark(user_id, show_id, marks.HIDDEN)

    async def add_to_list(self, user_id: int, show_id: int) -> ShowInfo:
        """Put a show on the member's list (shown as not started in `/progress list`)."""
        return await self._mark(user_id, show_id, marks.LISTED)

    async def watchlist(self, user_id: int) -> list[ShowInfo]:
        """Shows on the member's list that they haven't started, in the order they added them."""
        async with self._sessions() as session:
            listed = await marks.marked(session, user_id, marks.LISTED)
            activity = await load_activity(session, [user_id])
        started = activity.started(user_id)
        shows = self._shows()
        return [shows[show_id] for show_id in listed if show_id in shows and show_id not in started]

    async def _mark(self, user_id: int, show_id: int, kind: str) -> ShowInfo:
        show = self._shows().get(show_id)
        if show is None:
            raise NotFoundError("I don't know that show any more.")
        async with self._sessions.begin() as session:
            await marks.add_mark(session, user_id, show_id, kind, self._clock.now())
        return show

    def _shows(self) -> dict[int, ShowInfo]:
        return {show.id: show for show in self._catalog.catalog.shows}

    def _layouts(self) -> dict[int, ShowLayout]:
        return {show.id: show.layout for show in self._catalog.catalog.shows if show.seasons}

    async def _audience(self, members: set[int], *, viewer: int | None) -> Audience:
        """The members' activity as `viewer` may see it (None: everyone, for a public post)."""
        async with self._sessions() as session:
            activity: Activity = await load_activity(session, members)
        return Audience.of(activity.seen_by(viewer), members, self._layouts())

    async def _current_model(self) -> _Model:
        """The cached model, rebuilt after invalidate() or when the engine was rebuilt."""
        judge = self._judge_provider()
        async with self._lock:
            if self._model is None or self._model.blurbs.judge is not judge:
                self._model = await self._build(judge)
            return self._model

    async def _build(self, judge: SpoilerJudge | None) -> _Model:
        async with self._sessions() as session:
            texts = await load_show_texts(session)
        recommender = await asyncio.to_thread(Recommender, texts)
        return _Model(recommender, {text.show_id: text for text in texts}, BlurbWriter(judge))

    async def _blurbs(self, model: _Model, show_ids: list[int]) -> dict[int, str | None]:
        def write() -> dict[int, str | None]:
            return {
                show_id: model.blurbs.blurb(model.texts[show_id])
                if show_id in model.texts
                else None
                for show_id in show_ids
            }

        return await asyncio.to_thread(write)


def _bounded(count: int) -> int:
    return max(1, min(MAX_COUNT, int(count)))


__all__ = ["RatingError", "RatingView", "RecommendService", "SpoilerJudge"]
