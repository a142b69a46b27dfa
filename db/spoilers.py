"""Read the review corpus out of the database as the spoiler engine's input."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine.types import CorpusSentence, ShowCorpus, TaughtPhrase
from db.models import Episode, Season, Sentence, Show

PREMISE_KIND = "premise"


async def load_show_corpora(
    session: AsyncSession,
    taught: Mapping[int, Iterable[TaughtPhrase]] | None = None,
) -> list[ShowCorpus]:
    """Every show with its sentences in watching order; `taught` adds moderators' phrases.

    The show's spoiler-free premise is included as sentences at S00E00 (kind "premise"), so the
    engine treats what a trailer tells you as known before the first episode.
    """
    by_show: dict[int, list[CorpusSentence]] = {}
    statement = (
        select(Season.show_id, Season.number, Episode.number, Sentence.text, Sentence.kind)
        .join(Episode, Sentence.episode_id == Episode.id)
        .join(Season, Episode.season_id == Season.id)
        .order_by(Season.show_id, Season.number, Episode.number, Sentence.id)
    )
    for show_id, season, number, text, kind in await session.execute(statement):
        by_show.setdefault(show_id, []).append(
            CorpusSentence(EpisodeRef(season, number), text, kind)
        )
    taught = taught or {}
    corpora = []
    for show in await session.scalars(select(Show).order_by(Show.id)):
        premise = (CorpusSentence(NOTHING, show.premise, PREMISE_KIND),) if show.premise else ()
        corpora.append(
            ShowCorpus(
                show_id=show.id,
                title=show.title,
                aliases=tuple(show.aliases or ()),
                sentences=premise + tuple(by_show.get(show.id, ())),
                taught=tuple(taught.get(show.id, ())),
            )
        )
    return corpora


async def corpus_fingerprint(session: AsyncSession) -> str:
    """A short hash that changes whenever the shows or their sentences change."""
    count, lowest, highest = (
        await session.execute(
            select(func.count(Sentence.id), func.min(Sentence.id), func.max(Sentence.id))
        )
    ).one()
    digest = hashlib.sha256(f"{count}:{lowest}:{highest}".encode())
    shows = await session.execute(
        select(Show.id, Show.title, Show.aliases, Show.premise).order_by(Show.id)
    )
    for row in shows:
        digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()[:16]
