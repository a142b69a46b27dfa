"""A fingerprint of each show's part of the review corpus (what its spoiler model is built from)."""

from __future__ import annotations

import hashlib
from collections import defaultdict

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.corpus import visible_to
from db.models import Episode, Season, Sentence, Show


async def show_fingerprints(session: AsyncSession) -> dict[int, str]:
    """A short hash per show, changed by its title, aliases, premise or shared sentences.

    Only the shared corpus counts (a server's uploads never change the shared index). Sentences
    are summed up per episode by count, lowest and highest id (read from the
    episode index, no text): sentences are added and removed with their documents, never
    edited in place.
    """
    per_episode = (
        select(
            Sentence.episode_id,
            func.count(Sentence.id),
            func.min(Sentence.id),
            func.max(Sentence.id),
        )
        .where(visible_to(Sentence.guild_id, None))
        .group_by(Sentence.episode_id)
    )
    owners = select(Episode.id, Season.show_id, Season.number, Episode.number).join(
        Season, Episode.season_id == Season.id
    )
    episodes = {row[0]: tuple(row[1:]) for row in await session.execute(owners)}
    sentences: dict[int, list[tuple[object, ...]]] = defaultdict(list)
    for episode_id, *totals in await session.execute(per_episode):
        show_id, season, number = episodes[episode_id]
        sentences[show_id].append((season, number, *totals))
    shows = await session.execute(select(Show.id, Show.title, Show.aliases, Show.premise))
    return {
        show_id: hashlib.sha256(
            repr((title, aliases, premise, sorted(sentences.get(show_id, ())))).encode()
        ).hexdigest()[:16]
        for show_id, title, aliases, premise in shows
    }
