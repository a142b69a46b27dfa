"""Recaps and catch-ups from the review corpus, clipped to what a member has watched."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef, episode_label, resolve_episode
from bot.catalog.shows import ShowInfo
from bot.catalog.store import CatalogStore
from bot.errors import NotFoundError
from bot.progress.service import ProgressService
from db.recaps import DocumentRow, SentenceRow, documents_for, sentences_for

RECAP_SENTENCES = 12
CATCHUP_SENTENCES_EACH = 2
CATCHUP_SENTENCES_LATEST = 5
_EVENT_WORDS = re.compile(
    r"\b(dies|died|dead|death|killed|kills|murder\w*|shot|arrest\w*|confess\w*|reveal\w*|"
    r"betray\w*|frame[sd]?|escape[sd]?|flees|fled|exiled|freed|return\w*|discover\w*|"
    r"finds|found|turns out|secret|truth|cleared|charged|resign\w*|elected|fired)\b",
    re.I,
)
_NAME = re.compile(r"(?<![.!?]\s)(?<!^)\b[A-Z][a-z]{2,}")


@dataclass(frozen=True, slots=True)
class StoredSentence:
    """A corpus sentence with its episode, document and kind."""

    episode: EpisodeRef
    document_id: int
    position: int
    text: str
    kind: str

    @classmethod
    def of(cls, row: SentenceRow) -> StoredSentence:
        """The sentence as read from the database."""
        episode = EpisodeRef(row.season, row.episode)
        return cls(episode, row.document_id, row.position, row.text, row.kind)


@dataclass(frozen=True, slots=True)
class StoredDocument:
    """A review's metadata."""

    id: int
    episode: EpisodeRef
    source: str | None
    rating: float | None

    @classmethod
    def of(cls, row: DocumentRow) -> StoredDocument:
        """The review as read from the database."""
        return cls(row.id, EpisodeRef(row.season, row.episode), row.source, row.rating)


@dataclass(frozen=True, slots=True)
class Recap:
    """The recap of one episode."""

    show: ShowInfo
    episode: EpisodeRef
    text: str
    rating: float | None
    sources: tuple[str, ...]

    @property
    def rating_text(self) -> str:
        """`Rating 9/10 (2 reviews)` or an empty string."""
        if self.rating is None:
            return ""
        reviews = f" ({len(self.sources)} reviews)" if len(self.sources) > 1 else ""
        return f"Rating {self.rating:g}/10{reviews}"


@dataclass(frozen=True, slots=True)
class RecapRequest:
    """A member's request: which recap, and whether it is past their progress."""

    show: ShowInfo
    episode: EpisodeRef
    progress: EpisodeRef | None

    @property
    def past_progress(self) -> bool:
        """True when the episode is beyond what the member has watched."""
        return self.progress is None or self.episode > self.progress


def sentence_weight(text: str) -> float:
    """How much a narration sentence carries: events and names count most."""
    events = len(_EVENT_WORDS.findall(text))
    names = len(_NAME.findall(text))
    return events * 2.0 + names * 0.5 + min(len(text), 200) / 400


def key_sentences(sentences: list[StoredSentence], count: int) -> list[str]:
    """The `count` weightiest narration sentences of one review, kept in reading order."""
    narration = [s for s in sentences if s.kind == "narration"] or sentences
    ranked = sorted(narration, key=lambda s: -sentence_weight(s.text))[:count]
    return [s.text for s in sorted(ranked, key=lambda s: s.position)]


def _primary_document(sentences: list[StoredSentence]) -> list[StoredSentence]:
    by_document: dict[int, list[StoredSentence]] = defaultdict(list)
    for sentence in sentences:
        by_document[sentence.document_id].append(sentence)
    return max(
        by_document.values(),
        key=lambda group: (sum(s.kind == "narration" for s in group), -group[0].document_id),
    )


def build_recap(
    show: ShowInfo,
    episode: EpisodeRef,
    documents: list[StoredDocument],
    sentences: list[StoredSentence],
) -> Recap:
    """The recap text of one episode: its fullest review's narration, with the mean rating."""
    own = [s for s in sentences if s.episode == episode]
    if not own:
        raise NotFoundError(
            f"There is no recap of {episode_label(show.title, episode)} in the corpus yet."
        )
    primary = _primary_document(own)
    narration = [s.text for s in primary if s.kind == "narration"][:RECAP_SENTENCES]
    ratings = [d.rating for d in documents if d.episode == episode and d.rating is not None]
    rating = round(sum(ratings) / len(ratings), 1) if ratings else None
    sources = tuple(d.source or "review" for d in documents if d.episode == episode)
    return Recap(show, episode, " ".join(narration), rating, sources)


def build_catchup(show: ShowInfo, progress: EpisodeRef, sentences: list[StoredSentence]) -> str:
    """'Previously on…': key sentences per episode up to `progress`, the latest in more detail."""
    by_episode: dict[EpisodeRef, list[StoredSentence]] = defaultdict(list)
    for sentence in sentences:
        if sentence.episode <= progress:
            by_episode[sentence.episode].append(sentence)
    if not by_episode:
        raise NotFoundError(f"The corpus has no recaps of {show.title} up to {progress.code} yet.")
    lines = [f"**Previously on {show.title}** (up to {progress.code})"]
    for episode in sorted(by_episode):
        count = CATCHUP_SENTENCES_LATEST if episode == progress else CATCHUP_SENTENCES_EACH
        chosen = key_sentences(_primary_document(by_episode[episode]), count)
        lines.append(f"**{episode.code}** — " + " ".join(chosen))
    return "\n".join(lines)


class RecapService:
    """Finds recaps and catch-ups for members, never past what they asked to see."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        catalog: CatalogStore,
        progress: ProgressService,
    ) -> None:
        self._sessions = sessions
        self._catalog = catalog
        self._progress = progress

    async def request(
        self, user_id: int, show_query: str, episode_text: str | None
    ) -> RecapRequest:
        """Resolve which recap a member asked for (default: their last watched episode)."""
        show = self._catalog.resolve(show_query)
        progress = await self._progress.get(user_id, show)
        if episode_text:
            episode = resolve_episode(episode_text, show.layout)
        elif progress is None or progress.is_nothing:
            raise NotFoundError(
                f"You haven't recorded progress in {show.title}. Name an episode, or use "
                "`/progress set` first."
            )
        else:
            episode = progress
        return RecapRequest(show, episode, progress)

    async def recap(
        self, show: ShowInfo, episode: EpisodeRef, guild_id: int | None = None
    ) -> Recap:
        """The recap of one episode from what a server reads (shared only outside a server)."""
        async with self._sessions() as session:
            documents = await documents_for(session, show.id, episode, guild_id)
            sentences = await sentences_for(session, show.id, [episode], guild_id)
        return build_recap(
            show,
            episode,
            [StoredDocument.of(row) for row in documents],
            [StoredSentence.of(row) for row in sentences],
        )

    async def catchup(self, user_id: int, show_query: str, guild_id: int | None = None) -> str:
        """The member's 'previously on…', clipped to their progress."""
        show = self._catalog.resolve(show_query)
        progress = await self._progress.get(user_id, show)
        if progress is None or progress.is_nothing:
            raise NotFoundError(
                f"You haven't watched any of {show.title} yet, so there is nothing to catch up "
                "on. Record progress with `/progress set`."
            )
        episodes = [ref for ref in show.layout.episodes() if ref <= progress]
        async with self._sessions() as session:
            sentences = await sentences_for(session, show.id, episodes, guild_id)
        return build_catchup(show, progress, [StoredSentence.of(row) for row in sentences])
