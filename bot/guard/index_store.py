"""Holds the spoiler index built from the corpus, plus per-server copies with taught phrases."""

from __future__ import annotations

import asyncio
import logging
import pickle
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine.fingerprint import engine_fingerprint
from bot.guard.engine.index import SpoilerIndex
from bot.guard.engine.semantic import SemanticMatcher
from bot.guard.engine.types import CorpusSentence, ShowCorpus, TaughtPhrase
from bot.guard.engine.verifier import Verifier
from db.channels import corpus_fingerprint, corpus_sentences, shows_by_id, taught_phrases

log = logging.getLogger(__name__)
CACHE_PREFIX = "spoiler-index-"
PREMISE_KIND = "premise"


async def load_show_corpora(session: AsyncSession) -> list[ShowCorpus]:
    """Every show with its sentences in watching order: the spoiler engine's input.

    The show's spoiler-free premise is included as sentences at S00E00 (kind "premise"), so the
    engine treats what a trailer tells you as known before the first episode.
    """
    by_show: dict[int, list[CorpusSentence]] = defaultdict(list)
    for row in await corpus_sentences(session):
        episode = EpisodeRef(row.season, row.episode)
        by_show[row.show_id].append(CorpusSentence(episode, row.text, row.kind))
    corpora = []
    for show in await shows_by_id(session):
        premise = (CorpusSentence(NOTHING, show.premise, PREMISE_KIND),) if show.premise else ()
        corpora.append(
            ShowCorpus(
                show_id=show.id,
                title=show.title,
                aliases=tuple(show.aliases or ()),
                sentences=premise + tuple(by_show.get(show.id, ())),
            )
        )
    return corpora


class SpoilerIndexStore:
    """The current index; rebuilt when the corpus or a server's taught phrases change.

    With a cache folder, the built index is saved under fingerprints of the engine's code and of
    the corpus, and loaded from there on the next start (a large corpus loads in seconds, but
    builds in minutes); a change to either builds afresh.
    With `semantic` (a factory, called once), the index also checks with the paraphrase layer;
    with `verifier`, the learned verifier decides what the lexical stage proposes (issue 19).
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cache_dir: Path | None = None,
        semantic: Callable[[], SemanticMatcher] | None = None,
        verifier: Verifier | None = None,
    ) -> None:
        self._sessions = sessions
        self._verifier = verifier
        self._cache_dir = cache_dir
        self._semantic_factory = semantic
        self._semantic: SemanticMatcher | None = None
        self._index: SpoilerIndex | None = None
        self._per_guild: dict[int, SpoilerIndex] = {}
        self._taught_guilds: set[int] = set()
        self._lock = asyncio.Lock()

    @property
    def ready(self) -> bool:
        """Whether an index has been built."""
        return self._index is not None

    @property
    def index(self) -> SpoilerIndex:
        """The corpus-wide index (raises if it was never built)."""
        if self._index is None:
            raise RuntimeError("the spoiler index is not built yet")
        return self._index

    async def refresh(self) -> SpoilerIndex:
        """Load the index for the current corpus from the cache, or build (and cache) it."""
        async with self._lock:
            async with self._sessions() as session:
                fingerprint = await corpus_fingerprint(session)
                rows = await taught_phrases(session)
            index = await self._cached(fingerprint)
            if index is None:
                async with self._sessions() as session:
                    corpora = await load_show_corpora(session)
                index = await asyncio.to_thread(SpoilerIndex.build, corpora)
                await asyncio.to_thread(self._save, index, fingerprint)
            if self._semantic_factory is not None:
                index = await asyncio.to_thread(self._with_semantic, index)
            if self._verifier is not None:
                index = index.with_verifier(self._verifier)
            self._index = index
            self._taught_guilds = {row.guild_id for row in rows}
            self._per_guild.clear()
            return index

    def _with_semantic(self, index: SpoilerIndex) -> SpoilerIndex:
        started = time.perf_counter()
        if self._semantic is None and self._semantic_factory is not None:
            self._semantic = self._semantic_factory()
        index = index.with_semantic(self._semantic)
        log.info("paraphrase layer ready in %.1f s", time.perf_counter() - started)
        return index

    def _cache_file(self, fingerprint: str) -> Path | None:
        if self._cache_dir is None:
            return None
        return self._cache_dir / f"{CACHE_PREFIX}{engine_fingerprint()}-{fingerprint}.pickle"

    async def _cached(self, fingerprint: str) -> SpoilerIndex | None:
        path = self._cache_file(fingerprint)
        if path is None or not path.is_file():
            return None
        try:
            return await asyncio.to_thread(SpoilerIndex.load, path)
        except (
            OSError,
            ValueError,
            EOFError,
            AttributeError,
            ImportError,
            pickle.UnpicklingError,
        ) as error:  # an unreadable or foreign pickle is rebuilt
            log.warning("ignoring the spoiler index cache %s: %s", path, error)
            return None

    def _save(self, index: SpoilerIndex, fingerprint: str) -> None:
        path = self._cache_file(fingerprint)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial")
            index.save(partial)
            partial.replace(path)
            for old in path.parent.glob(f"{CACHE_PREFIX}*.pickle"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError as error:
            log.warning("could not write the spoiler index cache %s: %s", path, error)

    async def for_guild(self, guild_id: int | None) -> SpoilerIndex:
        """The index a server's messages are checked with (its taught phrases included)."""
        index = self.index
        if guild_id is None or guild_id not in self._taught_guilds:
            return index
        if guild_id not in self._per_guild:
            async with self._sessions() as session:
                rows = await taught_phrases(session, guild_id=guild_id)
            by_show: dict[int, list[TaughtPhrase]] = defaultdict(list)
            safe: dict[int, list[str]] = defaultdict(list)
            for row in rows:
                if row.safe:
                    safe[row.show_id].append(row.phrase)
                    continue
                by_show[row.show_id].append(
                    TaughtPhrase(EpisodeRef(row.season, row.episode), row.phrase)
                )
            for show_id, phrases in by_show.items():
                if show_id in index.models:
                    index = index.with_taught(show_id, phrases)
            for show_id, texts in safe.items():
                index = index.with_safe(show_id, texts)
            self._per_guild[guild_id] = index
        return self._per_guild[guild_id]

    def taught_changed(self, guild_id: int) -> None:
        """Forget a server's derived index so the next check rebuilds it."""
        self._taught_guilds.add(guild_id)
        self._per_guild.pop(guild_id, None)
