"""Holds the spoiler index built from the corpus, plus per-server copies with taught phrases."""

from __future__ import annotations

import asyncio
import gc
import hashlib
import logging
import pickle
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard import index_parts
from bot.guard.engine.fingerprint import engine_fingerprint
from bot.guard.engine.index import SpoilerIndex
from bot.guard.engine.semantic import SemanticMatcher
from bot.guard.engine.types import CorpusSentence, ShowCorpus, TaughtPhrase
from bot.guard.engine.verifier import Verifier
from bot.guard.index_parts import NO_PARTS, IndexParts
from bot.guard.layers import GuildIndex, LayeredIndex
from db.channels import corpus_sentences, shows_by_id, taught_phrases
from db.corpus import (
    ShowRow,
    guild_layer_shows,
    layered_guilds,
    show_fingerprints,
    show_rows,
    stream_sentences,
)
from db.outbox import DATABASE_ERRORS

log = logging.getLogger(__name__)
CACHE_PREFIX = "spoiler-parts-"
OLD_CACHE_PREFIX = "spoiler-index-"  # one pickle of the whole index: removed, never read
READ_CHUNK = 5_000
SWITCH_INTERVAL = 0.0005  # while a worker thread builds: hand the loop the lock 10x as often
PREMISE_KIND = "premise"


def show_corpora(
    shows: list[ShowRow], chunks: Iterable[Iterable[tuple[int, int, int, str, str]]]
) -> list[ShowCorpus]:
    """These shows with their sentences in watching order: the spoiler engine's input.

    The show's spoiler-free premise is included as sentences at S00E00 (kind "premise"), so the
    engine treats what a trailer tells you as known before the first episode.
    """
    wanted = {show.id for show in shows}
    by_show: dict[int, list[CorpusSentence]] = defaultdict(list)
    for chunk in chunks:
        for show_id, season, episode, text, kind in chunk:
            if show_id in wanted:
                by_show[show_id].append(CorpusSentence(EpisodeRef(season, episode), text, kind))
    corpora = []
    for show in shows:
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


def _with_taught(
    index: SpoilerIndex, rows: list[tuple[int, EpisodeRef, str, bool]]
) -> SpoilerIndex:
    """The index with a server's taught phrases (spoilers) and safe messages."""
    by_show: dict[int, list[TaughtPhrase]] = defaultdict(list)
    safe: dict[int, list[str]] = defaultdict(list)
    for show_id, episode, phrase, is_safe in rows:
        if is_safe:
            safe[show_id].append(phrase)
        else:
            by_show[show_id].append(TaughtPhrase(episode, phrase))
    for show_id, phrases in by_show.items():
        if show_id in index.models:
            index = index.with_taught(show_id, phrases)
    for show_id, texts in safe.items():
        index = index.with_safe(show_id, texts)
    return index


def _current(parts: IndexParts, fingerprints: dict[int, str]) -> bool:
    """Whether the parts are exactly the shows of these fingerprints, none of them stale."""
    return parts.models.keys() == fingerprints.keys() and not parts.stale(fingerprints)


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while an index is built, then its objects frozen out of it.

    A full collection walks every tracked object while holding the interpreter lock, and an index
    is millions of them: passes triggered while the worker thread built one froze the event loop
    for 100 ms and more. The index lives until the next corpus change, so it is frozen
    (`gc.freeze`) rather than scanned; the price is that cyclic garbage made during the build is
    frozen with it. Meanwhile threads take turns every 0.5 ms instead of 5, so the loop waits
    less for the lock the worker thread holds.
    """
    enabled = gc.isenabled()
    interval = sys.getswitchinterval()
    gc.disable()
    sys.setswitchinterval(SWITCH_INTERVAL)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
        gc.freeze()
        if enabled:
            gc.enable()


async def load_show_corpora(session: AsyncSession) -> list[ShowCorpus]:
    """Every show with its shared sentences in watching order (read in chunks)."""
    shows = await show_rows(session)
    chunks = [chunk async for chunk in stream_sentences(session, None, READ_CHUNK)]
    return show_corpora(shows, chunks)


async def load_layer_corpora(
    session: AsyncSession, guild_id: int, show_ids: Collection[int]
) -> list[ShowCorpus]:
    """These shows as one server reads them: the shared corpus plus its own uploads."""
    shows = [
        ShowRow(show.id, show.title, show.aliases, show.premise)
        for show in await shows_by_id(session)
        if show.id in show_ids
    ]
    rows = await corpus_sentences(session, guild_id, show_ids)
    chunk = [(r.show_id, r.season, r.episode, r.text, r.kind) for r in rows]
    return show_corpora(shows, [chunk])


class SpoilerIndexStore:
    """The current index; rebuilt when the corpus or a server's taught phrases change.

    The shared index is built from the shared corpus only. A server with uploads of its own
    (`/corpus add`) gets a `LayeredIndex`: the shared one and a small index of the shows it
    uploaded reviews of, built from shared plus its documents when first needed.

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
        self._parts = NO_PARTS
        self._per_guild: dict[int, GuildIndex] = {}
        self._generation = 0  # moves when derived indexes are dropped
        self._taught_guilds: set[int] = set()
        self._layered_guilds: set[int] = set()
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
        """Bring the index up to date with the corpus, off the event loop, and swap it in.

        Only shows whose corpus changed are read (in chunks) and analysed again; the analysis,
        the cache file and the paraphrase layer run in a worker thread, and the guard answers
        from the previous index until the new one is swapped in whole.
        """
        async with self._lock:
            async with self._sessions() as session:
                shows = await show_rows(session)
                fingerprints = await show_fingerprints(session, shows)
                rows = await taught_phrases(session)
                layered = await layered_guilds(session)
            if self._index is None or not _current(self._parts, fingerprints):
                with collector_paused():  # loading or building makes millions of objects
                    self._index = await self._rebuild(shows, fingerprints)
            self._taught_guilds = {row.guild_id for row in rows}
            self._layered_guilds = layered
            self._per_guild.clear()
            self._generation += 1
            return self._index

    async def _rebuild(self, shows: list[ShowRow], fingerprints: dict[int, str]) -> SpoilerIndex:
        previous = self._parts if self._parts.models else await self._cached()
        stale = previous.stale(fingerprints)
        corpora = await self._read_corpora(shows, stale, everything=not previous.models)
        index, parts = await asyncio.to_thread(index_parts.rebuild, previous, fingerprints, corpora)
        if not _current(previous, fingerprints):
            await asyncio.to_thread(self._save, parts, fingerprints)
        self._parts = parts
        if self._semantic_factory is not None:
            index = await asyncio.to_thread(self._with_semantic, index)
        if self._verifier is not None:
            index = index.with_verifier(self._verifier)
        return index

    async def _read_corpora(
        self, shows: list[ShowRow], stale: list[int], *, everything: bool
    ) -> list[ShowCorpus]:
        """The corpora of these shows, fetched a chunk at a time (the loop only waits)."""
        wanted = set(stale)
        chunks: list[Sequence[tuple[int, int, int, str, str]]] = []
        if wanted:
            async with self._sessions() as session:
                async for chunk in stream_sentences(
                    session, None if everything else wanted, READ_CHUNK
                ):
                    chunks.append(chunk)
        chosen = [show for show in shows if show.id in wanted]
        return await asyncio.to_thread(show_corpora, chosen, chunks)

    def _with_semantic(self, index: SpoilerIndex) -> SpoilerIndex:
        started = time.perf_counter()
        if self._semantic is None and self._semantic_factory is not None:
            self._semantic = self._semantic_factory()
        index = index.with_semantic(self._semantic)
        log.info("paraphrase layer ready in %.1f s", time.perf_counter() - started)
        return index

    def _cache_file(self, fingerprints: dict[int, str]) -> Path | None:
        if self._cache_dir is None:
            return None
        digest = hashlib.sha256(repr(sorted(fingerprints.items())).encode()).hexdigest()[:16]
        return self._cache_dir / f"{CACHE_PREFIX}{engine_fingerprint()}-{digest}.pickle"

    async def _cached(self) -> IndexParts:
        """The parts saved last (of this engine), whatever corpus they were built from."""
        if self._cache_dir is None:
            return NO_PARTS
        saved = sorted(self._cache_dir.glob(f"{CACHE_PREFIX}{engine_fingerprint()}-*.pickle"))
        if not saved:
            return NO_PARTS
        try:
            return await asyncio.to_thread(index_parts.load, saved[-1])
        except (
            OSError,
            ValueError,
            EOFError,
            AttributeError,
            ImportError,
            IndexError,
            TypeError,
            pickle.UnpicklingError,
        ) as error:  # an unreadable or foreign pickle is rebuilt
            log.warning("ignoring the spoiler index cache %s: %s", saved[-1], error)
            return NO_PARTS

    def _save(self, parts: IndexParts, fingerprints: dict[int, str]) -> None:
        path = self._cache_file(fingerprints)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(".partial")
            index_parts.save(parts, partial)
            partial.replace(path)
            for prefix in (CACHE_PREFIX, OLD_CACHE_PREFIX):
                for old in path.parent.glob(f"{prefix}*.pickle"):
                    if old != path:
                        old.unlink(missing_ok=True)
        except OSError as error:
            log.warning("could not write the spoiler index cache %s: %s", path, error)

    async def for_guild(self, guild_id: int | None) -> GuildIndex:
        """The index a server's messages are checked with (its layer and taught phrases)."""
        index = self.index
        if guild_id is None or guild_id not in self._taught_guilds | self._layered_guilds:
            return index
        if guild_id not in self._per_guild:
            generation = self._generation
            try:
                derived = await self._build_for_guild(index, guild_id)
            except DATABASE_ERRORS as error:  # the shared corpus checks until it is back
                log.warning("server %s's layer is unreadable: %s", guild_id, error)
                return index
            if generation != self._generation:  # taught again or rebuilt meanwhile
                return derived
            self._per_guild[guild_id] = derived
        return self._per_guild[guild_id]

    async def _build_for_guild(self, shared: SpoilerIndex, guild_id: int) -> GuildIndex:
        async with self._sessions() as session:
            rows = [
                (row.show_id, EpisodeRef(row.season, row.episode), row.phrase, row.safe)
                for row in await taught_phrases(session, guild_id=guild_id)
            ]
            shows = await guild_layer_shows(session, guild_id)
            corpora = await load_layer_corpora(session, guild_id, shows) if shows else []
        taught = await asyncio.to_thread(_with_taught, shared, rows)  # copies whole shows
        if not corpora:
            return taught
        local = await asyncio.to_thread(SpoilerIndex.build, corpora, self._semantic)
        if self._verifier is not None:
            local = local.with_verifier(self._verifier)
        return LayeredIndex(taught, await asyncio.to_thread(_with_taught, local, rows))

    async def taught_changed_elsewhere(self) -> None:
        """Another process taught or removed a phrase: reread which servers have any."""
        async with self._sessions() as session:
            rows = await taught_phrases(session)
        self._generation += 1
        self._taught_guilds = {row.guild_id for row in rows}
        self._per_guild.clear()

    def taught_changed(self, guild_id: int) -> None:
        """Forget a server's derived index so the next check rebuilds it."""
        self._generation += 1
        self._taught_guilds.add(guild_id)
        self._per_guild.pop(guild_id, None)

    def layer_changed(self, guild_id: int) -> None:
        """A server's own corpus layer changed: rebuild its index when next asked."""
        self._generation += 1
        self._layered_guilds.add(guild_id)
        self._per_guild.pop(guild_id, None)
