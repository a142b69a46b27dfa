"""Plain data the spoiler engine consumes and produces (no Discord, no database)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from bot.catalog.episodes import EpisodeRef


@dataclass(frozen=True, slots=True)
class CorpusSentence:
    """One sentence of a review, with the episode it was written about."""

    episode: EpisodeRef
    text: str
    kind: str = "narration"  # narration | opinion | verdict


@dataclass(frozen=True, slots=True)
class TaughtPhrase:
    """A phrase a moderator marked as a spoiler for an episode."""

    episode: EpisodeRef
    phrase: str


@dataclass(frozen=True, slots=True)
class ShowCorpus:
    """Everything the engine learns one show from."""

    show_id: int
    title: str
    aliases: tuple[str, ...] = ()
    sentences: tuple[CorpusSentence, ...] = ()
    taught: tuple[TaughtPhrase, ...] = ()

    def __reduce__(self) -> tuple[Callable[..., ShowCorpus], tuple[object, ...]]:
        """Pickled by columns (corpora go to worker processes): a few objects, not thousands.

        Equal episodes are pickled as one object, so the unpickled corpus shares them.
        """
        shared: dict[EpisodeRef, EpisodeRef] = {}
        episodes = [shared.setdefault(s.episode, s.episode) for s in self.sentences]
        texts = [sentence.text for sentence in self.sentences]
        kinds = [sentence.kind for sentence in self.sentences]
        columns = (episodes, texts, kinds)
        return _unpickled, (self.show_id, self.title, self.aliases, *columns, self.taught)


def _unpickled(
    show_id: int,
    title: str,
    aliases: tuple[str, ...],
    episodes: list[EpisodeRef],
    texts: list[str],
    kinds: list[str],
    taught: tuple[TaughtPhrase, ...],
) -> ShowCorpus:
    """A corpus from the columns `ShowCorpus.__reduce__` pickles."""
    sentences = tuple(map(CorpusSentence, episodes, texts, kinds))
    return ShowCorpus(show_id, title, aliases, sentences, taught)


@dataclass(frozen=True, slots=True)
class Evidence:
    """Why a message was judged a spoiler: what matched, from which episode."""

    episode: EpisodeRef
    matched: str
    source: str  # e.g. "term", "event", "phrase", "taught"
    score: float

    def as_dict(self) -> dict[str, object]:
        """JSON-friendly form."""
        return {
            "episode": self.episode.code,
            "matched": self.matched,
            "source": self.source,
            "score": round(self.score, 3),
        }


@dataclass(frozen=True, slots=True)
class Verdict:
    """The engine's answer for one message against one show and spoiler line.

    `episode` is the earliest spoiled episode (it decides "is this a spoiler here"); `last` is
    the last episode the message reveals, after which nothing in it is new: labels and Reveal
    gates use it (`label_episode`).
    """

    spoiler: bool
    episode: EpisodeRef | None
    score: float
    evidence: tuple[Evidence, ...] = field(default=())
    last: EpisodeRef | None = None

    @property
    def label_episode(self) -> EpisodeRef | None:
        """The episode a label and a Reveal gate name: `last`, never earlier than `episode`."""
        if self.last is None or (self.episode is not None and self.last < self.episode):
            return self.episode
        return self.last

    def as_dict(self, text: str) -> dict[str, object]:
        """The JSON object `python -m bot spoilers check` prints (`episode`: the label's)."""
        label = self.label_episode
        return {
            "text": text,
            "spoiler": self.spoiler,
            "episode": label.code if label else None,
            "first": self.episode.code if self.episode else None,
            "score": round(self.score, 3),
            "evidence": [item.as_dict() for item in self.evidence],
        }


NOT_A_SPOILER = Verdict(spoiler=False, episode=None, score=0.0)
