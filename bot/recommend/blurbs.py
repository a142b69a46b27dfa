"""Spoiler-free blurbs: only what the spoiler engine judges safe for someone who watched nothing.

A blurb is made of the premise and of opinion/verdict sentences from reviews of the first
episode (never narration). Every piece, and the finished blurb, must pass two tests against
the engine: `check(text, show, NOTHING)` says it is no spoiler, and no word or phrase in it is
dated after the first episode by `first_episode_of`. When nothing passes, the blurb is None.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Protocol

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.corpus.sentences import split_sentences
from bot.guard.engine.types import Verdict
from bot.recommend.types import ShowText

BLURB_LIMIT = 200
MIN_WORDS = 5
MAX_NGRAM = 3
PILOT = EpisodeRef(1, 1)
TONE_WORDS = frozenset(
    """
    atmosphere atmospheric bleak charming chilly claustrophobic cold comfortable confident
    cozy cosy dark dry eerie funny gentle gorgeous gripping grown-up hushed lovely moody
    paranoia paranoid patient precise quiet restraint slow slow-burn sweet tense tender
    thriller warm whimsical witty
    """.split()
)
_WORD = re.compile(r"[\w'’-]+")
_SENTENCE_END = re.compile(r"[.!?…](?=\s|$)")
_FINISHED_SENTENCE = re.compile(r"[.!?…][\"'”’)]*$")  # headings and titles have no full stop


class SpoilerJudge(Protocol):
    """The two questions the recommender asks the spoiler engine."""

    def check(self, text: str, show_id: int, line: EpisodeRef) -> Verdict:
        """Whether `text` spoils the show for someone at `line`."""
        ...

    def first_episode_of(self, show_id: int, text: str) -> EpisodeRef | None:
        """The earliest episode whose revealed names, terms or events appear in `text`."""
        ...


JudgeProvider = Callable[[], SpoilerJudge | None]


def phrases(text: str, longest: int = MAX_NGRAM) -> Iterator[str]:
    """Every run of one to `longest` consecutive words, in order."""
    words = _WORD.findall(text)
    for size in range(1, longest + 1):
        for start in range(len(words) - size + 1):
            yield " ".join(words[start : start + size])


def is_safe(judge: SpoilerJudge, show_id: int, text: str, first: EpisodeRef = PILOT) -> bool:
    """No spoiler at S00E00, and nothing in it dated after the first episode."""
    if judge.check(text, show_id, NOTHING).spoiler:
        return False
    for piece in (text, *phrases(text)):
        dated = judge.first_episode_of(show_id, piece)
        if dated is not None and dated > first:
            return False
    return True


def clip(text: str, limit: int = BLURB_LIMIT) -> str:
    """`text` cut to `limit` characters at a sentence end, else a word boundary with `…`."""
    if len(text) <= limit:
        return text
    ends = [match.end() for match in _SENTENCE_END.finditer(text, 0, limit)]
    if ends and ends[-1] >= limit // 2:
        return text[: ends[-1]].strip()
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > 0 else cut
    return cut.rstrip(" ,;:—–-") + "…"


def tone_sentences(show: ShowText) -> list[str]:
    """Opinion and verdict sentences about the first episode, most tone words first."""
    found = []
    for index, line in enumerate(show.intro):
        words = _WORD.findall(line.text.casefold())
        if len(words) < MIN_WORDS or not _FINISHED_SENTENCE.search(line.text.rstrip()):
            continue
        tone = sum(word in TONE_WORDS for word in words)
        found.append((-tone, index, line.text))
    return [text for *_, text in sorted(found)]


def premise_sentences(show: ShowText) -> list[str]:
    """The premise, one sentence at a time."""
    return [sentence.text for sentence in split_sentences(show.premise or "")]


def compose(pieces: list[str], accept: Callable[[str], bool], limit: int = BLURB_LIMIT) -> str:
    """Join the accepted pieces, in order, that fit in `limit` (the first one clipped if needed)."""
    text = ""
    for piece in pieces:
        candidate = f"{text} {piece}" if text else clip(piece, limit)
        if len(candidate) <= limit and accept(piece):
            text = candidate
    return text


def write_blurb(judge: SpoilerJudge | None, show: ShowText, limit: int = BLURB_LIMIT) -> str | None:
    """A short spoiler-free blurb for the show, or None when nothing safe can be said."""
    if judge is None:
        return None

    def safe(text: str) -> bool:
        return is_safe(judge, show.show_id, text)

    premise = premise_sentences(show)[:1]
    tone = tone_sentences(show)[:4]
    for pieces in ([*premise, *tone], premise, tone):
        blurb = compose(pieces, safe, limit)
        if blurb and safe(blurb):  # the whole, too: phrases may span two pieces
            return blurb
    return None


class BlurbWriter:
    """Blurbs for one judge (one build of the spoiler index), memoised per show."""

    def __init__(self, judge: SpoilerJudge | None) -> None:
        self.judge = judge
        self._cache: dict[int, str | None] = {}

    def blurb(self, show: ShowText) -> str | None:
        """The show's blurb, written once."""
        if show.show_id not in self._cache:
            self._cache[show.show_id] = write_blurb(self.judge, show)
        return self._cache[show.show_id]
