"""Queries that read review documents and sentences for recaps."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.episodes import EpisodeRef
from db.models import Episode, HiddenMessage, ReviewDocument, Season, Sentence


@dataclass(frozen=True, slots=True)
class StoredSentence:
    """A corpus sentence with its episode, document and kind."""

    episode: EpisodeRef
    document_id: int
    position: int
    text: str
    kind: str


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A review's metadata."""

    id: int
    episode: EpisodeRef
    source: str | None
    rating: float | None


async def documents_for(
    session: AsyncSession, show_id: int, up_to: EpisodeRef | None = None
) -> list[StoredDocument]:
    """Reviews of a show's episodes (optionally only up to an episode), in episode order."""
    statement = (
        select(
            ReviewDocument.id,
            Season.number,
            Episode.number,
            ReviewDocument.source,
            ReviewDocument.rating,
        )
        .join(Episode, ReviewDocument.episode_id == Episode.id)
        .join(Season, Episode.season_id == Season.id)
        .where(Season.show_id == show_id)
        .order_by(Season.number, Episode.number, ReviewDocument.id)
    )
    documents = [
        StoredDocument(doc_id, EpisodeRef(season, number), source, rating)
        for doc_id, season, number, source, rating in await session.execute(statement)
    ]
    return [d for d in documents if up_to is None or d.episode <= up_to]


async def sentences_for(
    session: AsyncSession, show_id: int, episodes: list[EpisodeRef]
) -> list[StoredSentence]:
    """Sentences of the given episodes' reviews, in reading order."""
    if not episodes:
        return []
    statement = (
        select(
            Season.number,
            Episode.number,
            Sentence.document_id,
            Sentence.position,
            Sentence.text,
            Sentence.kind,
        )
        .join(Episode, Sentence.episode_id == Episode.id)
        .join(Season, Episode.season_id == Season.id)
        .where(Season.show_id == show_id)
        .order_by(Season.number, Episode.number, Sentence.document_id, Sentence.position)
    )
    wanted = set(episodes)
    result = []
    for season, number, document_id, position, text, kind in await session.execute(statement):
        ref = EpisodeRef(season, number)
        if ref in wanted:
            result.append(StoredSentence(ref, document_id, position, text, kind))
    return result


async def save_hidden_message(session: AsyncSession, message: HiddenMessage) -> None:
    """Remember what a spoiler-tagged post hides, for its Reveal button."""
    await session.merge(message)


async def hidden_message(session: AsyncSession, message_id: int) -> HiddenMessage | None:
    """The hidden text behind a post's Reveal button."""
    return await session.get(HiddenMessage, message_id)
