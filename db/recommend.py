"""Queries for the recommender: ratings, and the corpus and activity it learns from."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.marks import marks_of
from db.models import (
    Episode,
    ReviewDocument,
    Season,
    Sentence,
    Show,
    ShowRating,
    UserPreferences,
    WatchProgress,
)
from db.positions import EpisodeNumbers
from db.upsert import insert_for

ID_BATCH = 5000  # stay well under both backends' bound-parameter limits


class ShowRow(NamedTuple):
    """What the recommender reads of a show itself."""

    id: int
    title: str
    genres: list[str] | None
    premise: str | None


class ReviewSentenceRow(NamedTuple):
    """A review sentence with its show, episode, document and kind."""

    show_id: int
    season: int
    episode: int
    document_id: int
    kind: str
    text: str


@dataclass(slots=True)
class ActivityRows:
    """Members' ratings (user → show → score), progress and who keeps progress private."""

    ratings: dict[int, dict[int, int]] = field(default_factory=dict)
    progress: dict[int, dict[int, EpisodeNumbers]] = field(default_factory=dict)
    private: set[int] = field(default_factory=set)
    marks: dict[int, dict[str, set[int]]] = field(default_factory=dict)  # user → kind → shows


async def set_rating(
    session: AsyncSession, user_id: int, show_id: int, score: int, now: datetime
) -> None:
    """Record the member's 1–10 rating of a show (insert or overwrite in one statement)."""
    insert = insert_for(session, ShowRating).values(
        user_id=user_id, show_id=show_id, score=score, updated_at=now
    )
    await session.execute(
        insert.on_conflict_do_update(
            index_elements=[ShowRating.user_id, ShowRating.show_id],
            set_={"score": score, "updated_at": now},
        )
    )


async def get_rating(session: AsyncSession, user_id: int, show_id: int) -> int | None:
    """The member's rating of a show, if any."""
    row = await session.get(ShowRating, (user_id, show_id))
    return row.score if row else None


async def shows_by_id(session: AsyncSession) -> list[ShowRow]:
    """Every show's title, genres and premise, lowest id first."""
    rows = await session.execute(
        select(Show.id, Show.title, Show.genres, Show.premise).order_by(Show.id)
    )
    return [ShowRow(*row) for row in rows]


async def first_seasons(session: AsyncSession) -> dict[int, int]:
    """Show id → the number of its first season."""
    statement = select(Season.show_id, func.min(Season.number)).group_by(Season.show_id)
    return {show_id: season for show_id, season in await session.execute(statement)}


async def review_sentences(
    session: AsyncSession, kinds: Collection[str]
) -> list[ReviewSentenceRow]:
    """Shared review sentences of these kinds, by show, in watching and reading order.

    Recommendations read the shared corpus only: what one server uploaded reaches no other.
    """
    statement = (
        select(
            Season.show_id,
            Season.number,
            Episode.number,
            Sentence.document_id,
            Sentence.kind,
            Sentence.text,
        )
        .join(Episode, Sentence.episode_id == Episode.id)
        .join(Season, Episode.season_id == Season.id)
        .where(Sentence.kind.in_(kinds), Sentence.guild_id.is_(None))
        .order_by(Season.show_id, Season.number, Episode.number, Sentence.id)
    )
    return [ReviewSentenceRow(*row) for row in await session.execute(statement)]


async def review_ratings(session: AsyncSession) -> dict[int, tuple[float | None, int]]:
    """Show id → the mean rating of its shared reviews and how many reviews gave one."""
    statement = (
        select(Season.show_id, func.avg(ReviewDocument.rating), func.count(ReviewDocument.rating))
        .join(Episode, ReviewDocument.episode_id == Episode.id)
        .join(Season, Episode.season_id == Season.id)
        .where(ReviewDocument.guild_id.is_(None))
        .group_by(Season.show_id)
    )
    return {
        show_id: (float(mean) if mean is not None else None, int(count))
        for show_id, mean, count in await session.execute(statement)
    }


async def load_activity(session: AsyncSession, user_ids: Iterable[int]) -> ActivityRows:
    """Ratings, progress and marks of these members, and which of them keep progress private."""
    activity = ActivityRows()
    for batch in _batches(sorted(set(user_ids))):
        activity.marks.update(await marks_of(session, batch))
        ratings = await session.execute(
            select(ShowRating.user_id, ShowRating.show_id, ShowRating.score).where(
                ShowRating.user_id.in_(batch)
            )
        )
        for user_id, show_id, score in ratings:
            activity.ratings.setdefault(user_id, {})[show_id] = score
        progress = await session.execute(
            select(
                WatchProgress.user_id,
                WatchProgress.show_id,
                WatchProgress.season,
                WatchProgress.episode,
            ).where(WatchProgress.user_id.in_(batch))
        )
        for user_id, show_id, season, episode in progress:
            activity.progress.setdefault(user_id, {})[show_id] = (season, episode)
        activity.private.update(
            await session.scalars(
                select(UserPreferences.user_id).where(
                    UserPreferences.user_id.in_(batch), UserPreferences.progress_public.is_(False)
                )
            )
        )
    return activity


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), ID_BATCH):
        yield ids[start : start + ID_BATCH]
