"""A fingerprint of each show's part of the review corpus (what its spoiler model is built from)."""

from __future__ import annotations

import hashlib

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Episode, Season, Sentence, Show


async def show_fingerprints(session: AsyncSession) -> dict[int, str]:
    """A short hash per show that changes when its title, aliases, premise or sentences change.

    Sentences are summed up by count, lowest and highest id and total length (one aggregate
    query, no text read): sentences are added and removed with their documents, never edited.
    """
    totals = (
        select(
            Season.show_id,
            func.count(Sentence.id),
            func.min(Sentence.id),
            func.max(Sentence.id),
            func.coalesce(func.sum(func.length(Sentence.text)), 0),
        )
        .join(Episode, Sentence.episode_id == Episode.id)
        .join(Season, Episode.season_id == Season.id)
        .group_by(Season.show_id)
    )
    sentences = {row[0]: tuple(row[1:]) for row in await session.execute(totals)}
    shows = await session.execute(select(Show.id, Show.title, Show.aliases, Show.premise))
    return {
        show_id: hashlib.sha256(
            repr((title, aliases, premise, sentences.get(show_id))).encode()
        ).hexdigest()[:16]
        for show_id, title, aliases, premise in shows
    }
