"""Reads what the recommender learns from out of the database, as its plain data."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.episodes import EpisodeRef
from bot.recommend.types import Activity, IntroLine, ReviewText, ShowText
from db import recommend as queries
from db.marks import DROPPED, HIDDEN, LISTED
from db.recommend import ReviewSentenceRow

TEXT_KINDS = ("narration", "opinion")
INTRO_KINDS = ("opinion", "verdict")
ReviewParts = dict[str, list[str]]  # kind → sentences of one review


async def load_show_texts(session: AsyncSession) -> list[ShowText]:
    """Every show with its review text, first-episode opinions and mean review rating."""
    pilots = await queries.first_seasons(session)
    rows = await queries.review_sentences(session, {*TEXT_KINDS, *INTRO_KINDS})
    reviews = _reviews(rows)
    intros = _intros(rows, pilots)
    ratings = await queries.review_ratings(session)
    return [
        ShowText(
            show_id=show.id,
            title=show.title,
            genres=tuple(show.genres or ()),
            premise=show.premise,
            reviews=tuple(_review(parts) for parts in reviews.get(show.id, {}).values()),
            intro=tuple(intros.get(show.id, ())),
            review_rating=ratings.get(show.id, (None, 0))[0],
            review_count=ratings.get(show.id, (None, 0))[1],
        )
        for show in await queries.shows_by_id(session)
    ]


def _reviews(rows: Iterable[ReviewSentenceRow]) -> dict[int, dict[int, ReviewParts]]:
    """Show id → document id → the narration and opinion sentences of that review."""
    texts: dict[int, dict[int, ReviewParts]] = {}
    for row in rows:
        if row.kind in TEXT_KINDS:
            document = texts.setdefault(row.show_id, {}).setdefault(row.document_id, {})
            document.setdefault(row.kind, []).append(row.text)
    return texts


def _intros(
    rows: Iterable[ReviewSentenceRow], pilots: dict[int, int]
) -> dict[int, list[IntroLine]]:
    """Show id → the opinion and verdict sentences of its first episode's reviews."""
    intros: dict[int, list[IntroLine]] = {}
    for row in rows:
        if row.kind in INTRO_KINDS and (row.season, row.episode) == (pilots.get(row.show_id), 1):
            intros.setdefault(row.show_id, []).append(IntroLine(row.kind, row.text))
    return intros


def _review(parts: ReviewParts) -> ReviewText:
    return ReviewText(" ".join(parts.get("narration", ())), " ".join(parts.get("opinion", ())))


async def load_activity(session: AsyncSession, user_ids: Iterable[int]) -> Activity:
    """Every rating and progress row of these members, and which of them keep progress private."""
    rows = await queries.load_activity(session, user_ids)
    progress = {
        user_id: {show_id: EpisodeRef(*position) for show_id, position in shows.items()}
        for user_id, shows in rows.progress.items()
    }

    def marked(kind: str) -> dict[int, frozenset[int]]:
        return {
            user_id: frozenset(kinds[kind])
            for user_id, kinds in rows.marks.items()
            if kind in kinds
        }

    return Activity(
        rows.ratings,
        progress,
        frozenset(rows.private),
        dropped=marked(DROPPED),
        hidden=marked(HIDDEN),
        listed=marked(LISTED),
    )
