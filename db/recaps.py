"""Queries that read review documents and sentences for recaps."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.corpus import visible_to
from db.models import Episode, ReviewDocument, Season, Sentence
from db.positions import Position


class DocumentRow(NamedTuple):
    """A review's metadata, with its episode's season and number."""

    id: int
    season: int
    episode: int
    source: str | None
    rating: float | None


class SentenceRow(NamedTuple):
    """A review sentence with its episode, document, place in the document and kind."""

    season: int
    episode: int
    document_id: int
    position: int
    text: str
    kind: str


async def documents_for(
    session: AsyncSession,
    show_id: int,
    up_to: Position | None = None,
    guild_id: int | None = None,
) -> list[DocumentRow]:
    """Reviews of a show's episodes a server reads (optionally up to an episode), in order."""
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
        .where(Season.show_id == show_id, visible_to(ReviewDocument.guild_id, guild_id))
        .order_by(Season.number, Episode.number, ReviewDocument.id)
    )
    documents = [DocumentRow(*row) for row in await session.execute(statement)]
    if up_to is None:
        return documents
    last = (up_to.season, up_to.episode)
    return [d for d in documents if (d.season, d.episode) <= last]


async def sentences_for(
    session: AsyncSession, show_id: int, episodes: Iterable[Position], guild_id: int | None = None
) -> list[SentenceRow]:
    """Sentences of the given episodes' reviews a server reads, in reading order."""
    wanted = {(ref.season, ref.episode) for ref in episodes}
    if not wanted:
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
        .where(Season.show_id == show_id, visible_to(Sentence.guild_id, guild_id))
        .order_by(Season.number, Episode.number, Sentence.document_id, Sentence.position)
    )
    rows = [SentenceRow(*row) for row in await session.execute(statement)]
    return [row for row in rows if (row.season, row.episode) in wanted]
