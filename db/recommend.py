"""Queries for the recommender: ratings, and the corpus and activity it learns from."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.episodes import EpisodeRef
from bot.recommend.types import Activity, IntroLine, ReviewText, ShowText
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
from db.upsert import insert_for

ID_BATCH = 5000  # stay well under both backends' bound-parameter limits
TEXT_KINDS = ("narration", "opinion")
INTRO_KINDS = ("opinion", "verdict")


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


async def load_show_texts(session: AsyncSession) -> list[ShowText]:
    """Every show with its review text, first-episode opinions and mean review rating."""
    first_seasons = select(Season.show_id, func.min(Season.number)).group_by(Season.show_id)
    pilots = {show_id: season for show_id, season in await session.execute(first_seasons)}
    texts: dict[int, dict[int, dict[str, list[str]]]] = {}
    intros: dict[int, list[IntroLine]] = {}
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
        .order_by(Season.show_id, Season.number, Episode.number, Sentence.id)
    )
    for show_id, season, number, document_id, kind, text in await session.execute(statement):
        if kind in TEXT_KINDS:
            document = texts.setdefault(show_id, {}).setdefault(document_id, {})
            document.setdefault(kind, []).append(text)
        if kind in INTRO_KINDS and (season, number) == (pilots.get(show_id), 1):
            intros.setdefault(show_id, []).append(IntroLine(kind, text))
    ratings = await _review_ratings(session)
    shows = await session.execute(
        select(Show.id, Show.title, Show.genres, Show.premise).order_by(Show.id)
    )
    return [
        ShowText(
            show_id=show_id,
            title=title,
            genres=tuple(genres or ()),
            premise=premise,
            reviews=tuple(_review(parts) for parts in texts.get(show_id, {}).values()),
            intro=tuple(intros.get(show_id, ())),
            review_rating=ratings.get(show_id, (None, 0))[0],
            review_count=ratings.get(show_id, (None, 0))[1],
        )
        for show_id, title, genres, premise in shows
    ]


def _review(parts: dict[str, list[str]]) -> ReviewText:
    return ReviewText(" ".join(parts.get("narration", ())), " ".join(parts.get("opinion", ())))


async def _review_ratings(session: AsyncSession) -> dict[int, tuple[float | None, int]]:
    statement = (
        select(Season.show_id, func.avg(ReviewDocument.rating), func.count(ReviewDocument.rating))
        .join(Episode, ReviewDocument.episode_id == Episode.id)
        .join(Season, Episode.season_id == Season.id)
        .group_by(Season.show_id)
    )
    return {
        show_id: (float(mean) if mean is not None else None, int(count))
        for show_id, mean, count in await session.execute(statement)
    }


async def load_activity(session: AsyncSession, user_ids: Iterable[int]) -> Activity:
    """Every rating and progress row of these members, and which of them keep progress private."""
    ratings: dict[int, dict[int, int]] = {}
    progress: dict[int, dict[int, EpisodeRef]] = {}
    private: set[int] = set()
    for batch in _batches(sorted(set(user_ids))):
        rows = await session.execute(
            select(ShowRating.user_id, ShowRating.show_id, ShowRating.score).where(
                ShowRating.user_id.in_(batch)
            )
        )
        for user_id, show_id, score in rows:
            ratings.setdefault(user_id, {})[show_id] = score
        rows = await session.execute(
            select(
                WatchProgress.user_id,
                WatchProgress.show_id,
                WatchProgress.season,
                WatchProgress.episode,
            ).where(WatchProgress.user_id.in_(batch))
        )
        for user_id, show_id, season, episode in rows:
            progress.setdefault(user_id, {})[show_id] = EpisodeRef(season, episode)
        private.update(
            await session.scalars(
                select(UserPreferences.user_id).where(
                    UserPreferences.user_id.in_(batch), UserPreferences.progress_public.is_(False)
                )
            )
        )
    return Activity(ratings, progress, frozenset(private))


def _batches(ids: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(ids), ID_BATCH):
        yield ids[start : start + ID_BATCH]
