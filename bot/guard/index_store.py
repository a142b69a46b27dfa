"""Holds the spoiler index built from the corpus, plus per-server copies with taught phrases."""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable, Collection, Iterator, Sequence
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine.index import SpoilerIndex
from bot.guard.engine.model import ShowModel
from bot.guard.engine.pieces import Assembler, names_verdict, pending_names
from bot.guard.engine.semantic import SemanticMatcher
from bot.guard.engine.types import CorpusSentence, ShowCorpus, TaughtPhrase, Verdict
from bot.guard.engine.verifier import Verifier
from bot.guard.engine.word_rarity import load_word_tables
from bot.guard.index_cache import PieceCache
from bot.guard.layers import GuildIndex, LayeredIndex
from db.channels import corpus_sentences, shows_by_id, taught_phrases
from db.corpus import guild_layer_shows, layered_guilds
from db.corpus_pieces import show_fingerprints
from db.models import TaughtSpoilerPhrase
from db.outbox import DATABASE_ERRORS

log = logging.getLogger(__name__)


@contextlib.contextmanager
def _no_collections() -> Iterator[None]:
    """No cyclic garbage collection while an index is built: it makes many objects and no
    garbage, and each collection would walk them and the rest of the heap holding the lock."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _log_failed_build(build: asyncio.Task[SpoilerIndex]) -> None:
    if not build.cancelled() and build.exception() is not None:
        log.error("the spoiler index could not be built", exc_info=build.exception())


PREMISE_KIND = "premise"


async def load_show_corpora(
    session: AsyncSession, guild_id: int | None = None, show_ids: Collection[int] | None = None
) -> list[ShowCorpus]:
    """Every show (or those of `show_ids`) with its sentences in watching order.

    The spoiler engine's input: the shared corpus, plus one server's own uploads if given. The
    show's spoiler-free premise is included as sentences at S00E00 (kind "premise"), so the
    engine treats what a trailer tells you as known before the first episode.
    """
    by_show: dict[int, list[CorpusSentence]] = defaultdict(list)
    for row in await corpus_sentences(session, guild_id, show_ids):
        episode = EpisodeRef(row.season, row.episode)
        by_show[row.show_id].append(CorpusSentence(episode, row.text, row.kind))
    corpora = []
    for show in await shows_by_id(session):
        if show_ids is not None and show.id not in show_ids:
            continue
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


def with_taught(index: SpoilerIndex, rows: Sequence[TaughtSpoilerPhrase]) -> SpoilerIndex:
    """The index with a server's taught phrases and "not a spoiler" messages added."""
    by_show: dict[int, list[TaughtPhrase]] = defaultdict(list)
    safe: dict[int, list[str]] = defaultdict(list)
    for row in rows:
        if row.safe:
            safe[row.show_id].append(row.phrase)
            continue
        by_show[row.show_id].append(TaughtPhrase(EpisodeRef(row.season, row.episode), row.phrase))
    for show_id, phrases in by_show.items():
        if show_id in index.models:
            index = index.with_taught(show_id, phrases)
    for show_id, texts in safe.items():
        index = index.with_safe(show_id, texts)
    return index


async def show_models(
    sessions: async_sessionmaker[AsyncSession],
    pieces: PieceCache,
    before_build: Callable[[list[ShowCorpus], dict[int, ShowModel]], Awaitable[None]] | None = None,
) -> tuple[dict[int, ShowModel], dict[int, str]]:
    """Every show's model of the shared corpus (and fingerprints): unchanged ones loaded.

    Only the shows to build have their sentences read; `before_build` sees them and the models
    already loaded before the (long) build starts.
    """
    async with sessions() as session:
        fingerprints = await show_fingerprints(session)
    models = await asyncio.to_thread(pieces.known, fingerprints)
    missing = [show_id for show_id in fingerprints if show_id not in models]
    if missing:
        async with sessions() as session:
            wanted = None if len(missing) == len(fingerprints) else missing
            corpora = await load_show_corpora(session, None, wanted)
        if before_build is not None:
            await before_build(corpora, models)
        models |= await asyncio.to_thread(pieces.build, corpora, fingerprints)
    return models, fingerprints


class SpoilerIndexStore:
    """The current index; rebuilt when the corpus or a server's taught phrases change.

    The shared index is built from the shared corpus only. A server with uploads of its own
    (`/corpus add`) gets a `LayeredIndex`: the shared one and a small index of the shows it
    uploaded reviews of, built from shared plus its documents when first needed.

    With a cache folder, each show's model of the shared corpus is saved there under
    fingerprints of the engine's code and of the show's corpus (`bot/guard/index_cache.py`), and
    loaded on the next start or by another process sharing the folder; a change to one show
    rebuilds that show only. `workers` processes build missing models (default: one per CPU).
    With `semantic` (a factory, called once), the index also checks with the paraphrase layer;
    with `verifier`, the learned verifier decides what the lexical stage proposes.
    """

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        cache_dir: Path | None = None,
        semantic: Callable[[], SemanticMatcher] | None = None,
        verifier: Verifier | None = None,
        workers: int | None = None,
    ) -> None:
        self._sessions = sessions
        self._verifier = verifier
        self._cache_dir = cache_dir
        self._semantic_factory = semantic
        self._semantic: SemanticMatcher | None = None
        self._index: SpoilerIndex | None = None
        self._per_guild: dict[int, GuildIndex] = {}
        self._taught_guilds: set[int] = set()
        self._layered_guilds: set[int] = set()
        self._lock = asyncio.Lock()
        self._guild_lock = asyncio.Lock()
        self._pieces = PieceCache(cache_dir, workers)
        self._assemble = Assembler()
        self._unbuilt: dict[int, ShowCorpus] = {}
        self._names: dict[int, frozenset[str]] = {}
        self._first_ready = asyncio.Event()
        self._first_build: asyncio.Task[SpoilerIndex] | None = None

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

    async def start(self, wait: float) -> None:
        """Build the first index, waiting at most `wait` seconds for every show's model.

        After that the guard answers with the models that are ready (loaded from the cache or
        built) and checks the other shows by name only until the build finishes behind it.
        """
        build = self._first_build = asyncio.get_running_loop().create_task(self.refresh())
        build.add_done_callback(_log_failed_build)
        try:
            await asyncio.wait_for(asyncio.shield(build), wait)
            return
        except TimeoutError:
            pass
        ready = asyncio.get_running_loop().create_task(self._first_ready.wait())
        await asyncio.wait({build, ready}, return_when=asyncio.FIRST_COMPLETED)
        ready.cancel()
        if build.done():
            build.result()  # the build failed before any index was ready: raise it here
            return
        log.warning(
            "the spoiler index is still building after %.0f s: %d show(s) are checked by "
            "name only until their models are built",
            wait, len(self._unbuilt),
        )  # fmt: skip

    async def refresh(self) -> SpoilerIndex:
        """Bring the index up to the current corpus, building only shows that changed.

        Each show's model is read from memory or the cache folder when its corpus fingerprint
        is unchanged, else built (in worker processes); the index answers meanwhile, and a
        show it has no model of yet is checked by name only (`unbuilt_verdict`).
        """
        async with self._lock:
            with _no_collections():
                return await self._refresh()

    async def _refresh(self) -> SpoilerIndex:
        if self._index is None:  # now, not in a later one-show build under a running guard
            await asyncio.to_thread(load_word_tables)
        async with self._sessions() as session:
            rows = await taught_phrases(session)
            layered = await layered_guilds(session)
        models, fingerprints = await show_models(self._sessions, self._pieces, self._hold)
        index = await asyncio.to_thread(self._assemble, models)
        await asyncio.to_thread(self._pieces.forget_others, fingerprints)
        if self._semantic_factory is not None:
            index = await asyncio.to_thread(self._with_semantic, index)
        self._index = self._verified(index)
        self._first_ready.set()
        self._unbuilt.clear()
        self._names.clear()
        self._taught_guilds = {row.guild_id for row in rows}
        self._layered_guilds = layered
        self._per_guild.clear()
        return index

    async def _hold(self, corpora: list[ShowCorpus], built: dict[int, ShowModel]) -> None:
        """Mark shows without any model as unbuilt; before a first index, use the built ones."""
        current = self._index.models if self._index is not None else {}
        self._unbuilt = {c.show_id: c for c in corpora if c.show_id not in current}
        self._names.clear()
        if self._index is None:
            self._index = self._verified(await asyncio.to_thread(self._assemble, built))
            self._first_ready.set()

    async def unbuilt_verdict(
        self, show_id: int, text: str, line: EpisodeRef, last: EpisodeRef
    ) -> Verdict | None:
        """A show whose model is still building: checked by its names only (None: not such)."""
        corpus = self._unbuilt.get(show_id)
        if corpus is None:
            return None
        names = self._names.get(show_id)
        if names is None:
            names = self._names[show_id] = await asyncio.to_thread(pending_names, corpus)
        return names_verdict(names, text, line, last)

    def building(self, show_id: int) -> bool:
        """Whether the index has no model of this show yet (its first one is building)."""
        return show_id in self._unbuilt

    def close(self) -> None:
        """Stop the first build if it still runs and the worker processes that build models."""
        if self._first_build is not None:
            self._first_build.cancel()
        self._pieces.close()

    def _verified(self, index: SpoilerIndex) -> SpoilerIndex:
        """The index deciding with the learned verifier, when one is configured (issue 19)."""
        return index if self._verifier is None else index.with_verifier(self._verifier)

    def _with_semantic(self, index: SpoilerIndex) -> SpoilerIndex:
        started = time.perf_counter()
        if self._semantic is None and self._semantic_factory is not None:
            self._semantic = self._semantic_factory()
        index = index.with_semantic(self._semantic)
        log.info("paraphrase layer ready in %.1f s", time.perf_counter() - started)
        return index

    async def for_guild(self, guild_id: int | None) -> GuildIndex:
        """The index a server's messages are checked with (its layer and taught phrases)."""
        index = self.index
        if guild_id is None or guild_id not in self._taught_guilds | self._layered_guilds:
            return index
        if guild_id not in self._per_guild:
            async with self._guild_lock:
                if guild_id not in self._per_guild:
                    try:
                        built = await self._build_for_guild(index, guild_id)
                    except DATABASE_ERRORS as error:  # the shared corpus checks until it is back
                        log.warning("server %s's layer is unreadable: %s", guild_id, error)
                        return index
                    self._per_guild[guild_id] = built
        return self._per_guild.get(guild_id, index)

    async def _build_for_guild(self, shared: SpoilerIndex, guild_id: int) -> GuildIndex:
        async with self._sessions() as session:
            rows = await taught_phrases(session, guild_id=guild_id)
            shows = await guild_layer_shows(session, guild_id)
            corpora = await load_show_corpora(session, guild_id, shows) if shows else []
        taught = with_taught(shared, rows)
        if not corpora:
            return taught
        local = await asyncio.to_thread(SpoilerIndex.build, corpora, self._semantic)
        return LayeredIndex(taught, with_taught(self._verified(local), rows))

    async def taught_changed_elsewhere(self) -> None:
        """Another process taught or removed a phrase: reread which servers have any."""
        async with self._sessions() as session:
            rows = await taught_phrases(session)
        self._taught_guilds = {row.guild_id for row in rows}
        self._per_guild.clear()

    def taught_changed(self, guild_id: int) -> None:
        """Forget a server's derived index so the next check rebuilds it."""
        self._taught_guilds.add(guild_id)
        self._per_guild.pop(guild_id, None)

    def layer_changed(self, guild_id: int) -> None:
        """A server's own corpus layer changed: rebuild its index when next asked."""
        self._layered_guilds.add(guild_id)
        self._per_guild.pop(guild_id, None)
