"""Episode references: parse what people type, print canonical codes, order across seasons."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from bot.errors import EpisodeError
from bot.wording import plural

MAX_INPUT_LENGTH = 60


@dataclass(frozen=True, order=True, slots=True)
class EpisodeRef:
    """A position in a show: season and episode numbers; S00E00 means nothing watched."""

    season: int
    episode: int

    @property
    def code(self) -> str:
        """The canonical code, e.g. `S01E05`."""
        return f"S{self.season:02d}E{self.episode:02d}"

    @property
    def is_nothing(self) -> bool:
        """True for S00E00, the position before the first episode."""
        return self.season == 0 and self.episode == 0

    def __str__(self) -> str:
        return self.code


NOTHING = EpisodeRef(0, 0)

Keyword = Literal["pilot", "finale", "latest", "nothing"]


@dataclass(frozen=True, slots=True)
class EpisodeQuery:
    """What a member typed, before it is checked against a show's seasons."""

    season: int | None = None
    episode: int | None = None
    keyword: Keyword | None = None


@dataclass(frozen=True, slots=True)
class ShowLayout:
    """A show's seasons and how many episodes each has."""

    title: str
    seasons: Mapping[int, int]

    def episodes(self) -> Iterator[EpisodeRef]:
        """Every episode in watching order."""
        for season in sorted(self.seasons):
            for number in range(1, self.seasons[season] + 1):
                yield EpisodeRef(season, number)

    @property
    def first(self) -> EpisodeRef:
        """The pilot."""
        return EpisodeRef(min(self.seasons), 1)

    @property
    def last(self) -> EpisodeRef:
        """The final episode the show has."""
        season = max(self.seasons)
        return EpisodeRef(season, self.seasons[season])

    @property
    def total(self) -> int:
        """How many episodes the show has."""
        return sum(self.seasons.values())

    def ordinal(self, ref: EpisodeRef) -> int:
        """How many episodes someone at `ref` has watched (0 for nothing)."""
        if ref.is_nothing:
            return 0
        self.check(ref)
        earlier = sum(count for season, count in self.seasons.items() if season < ref.season)
        return earlier + ref.episode

    def next_after(self, ref: EpisodeRef) -> EpisodeRef | None:
        """The episode after `ref`, or None when `ref` is the last one."""
        if ref.is_nothing:
            return self.first
        if ref.episode < self.seasons.get(ref.season, 0):
            return EpisodeRef(ref.season, ref.episode + 1)
        later = [season for season in sorted(self.seasons) if season > ref.season]
        return EpisodeRef(later[0], 1) if later else None

    def contains(self, ref: EpisodeRef) -> bool:
        """Whether the show has that episode."""
        return 1 <= ref.episode <= self.seasons.get(ref.season, 0)

    def check(self, ref: EpisodeRef) -> EpisodeRef:
        """Return `ref` if the show has it, else raise an error that says what exists."""
        if self.contains(ref):
            return ref
        if ref.season not in self.seasons:
            raise EpisodeError(f"{self.title} has no season {ref.season}; {self._describe()}.")
        count = self.seasons[ref.season]
        raise EpisodeError(
            f"{self.title} has {plural(count, 'episode', 'episodes')} in season {ref.season}, "
            f"so there is no {ref.code}."
        )

    def _describe(self) -> str:
        if len(self.seasons) == 1:
            season, count = next(iter(self.seasons.items()))
            return f"it has {plural(count, 'episode', 'episodes')} in season {season}"
        parts = ", ".join(f"S{s}: {c}" for s, c in sorted(self.seasons.items()))
        return f"it has {plural(len(self.seasons), 'season', 'seasons')} ({parts})"

    def resolve(self, query: EpisodeQuery, *, allow_nothing: bool = False) -> EpisodeRef:
        """Turn a parsed query into a real episode of this show."""
        if query.keyword == "nothing":
            if not allow_nothing:
                raise EpisodeError("Pick an episode, for example S01E01.")
            return NOTHING
        if query.keyword == "pilot":
            return self.first
        if query.keyword == "latest":
            return self.last
        if query.keyword == "finale":
            season = query.season if query.season is not None else max(self.seasons)
            if season not in self.seasons:
                raise EpisodeError(f"{self.title} has no season {season}; {self._describe()}.")
            return EpisodeRef(season, self.seasons[season])
        assert query.episode is not None
        if query.season is None:
            if len(self.seasons) > 1:
                raise EpisodeError(
                    f"{self.title} has several seasons: say which, for example "
                    f"S{max(self.seasons):02d}E{query.episode:02d}."
                )
            return self.check(EpisodeRef(next(iter(self.seasons)), query.episode))
        return self.check(EpisodeRef(query.season, query.episode))


_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"s(?P<season>\d{1,3})\s*e(?P<episode>\d{1,3})",
        r"(?P<season>\d{1,3})x(?P<episode>\d{1,3})",
        r"season\s*(?P<season>\d{1,3})\s*,?\s*(?:episode|ep)\.?\s*(?P<episode>\d{1,3})",
        r"(?:episode|ep)\.?\s*(?P<episode>\d{1,3})",
        r"e(?P<episode>\d{1,3})",
        r"(?P<episode>\d{1,3})",
        r"(?:s|season\s*)(?P<season>\d{1,3})\s*finale",
    )
)
_KEYWORDS: dict[str, Keyword] = {
    "pilot": "pilot",
    "first": "pilot",
    "finale": "finale",
    "latest": "latest",
    "last": "latest",
    "newest": "latest",
    "nothing": "nothing",
    "none": "nothing",
    "start": "nothing",
    "s00e00": "nothing",
}
EXAMPLES = "S01E05, s1e5, 1x05, season 1 episode 5, ep 5, pilot, finale or latest"


def parse_episode(text: str) -> EpisodeQuery:
    """Parse what a member typed into a query; raise EpisodeError with examples if unreadable."""
    if not isinstance(text, str):
        raise EpisodeError(f"Write an episode like {EXAMPLES}.")
    cleaned = " ".join(text.strip().lower().split())
    if not cleaned:
        raise EpisodeError(f"Which episode? Write it like {EXAMPLES}.")
    if len(cleaned) > MAX_INPUT_LENGTH:
        raise EpisodeError(f"That is too long for an episode. Write it like {EXAMPLES}.")
    if cleaned in _KEYWORDS:
        return EpisodeQuery(keyword=_KEYWORDS[cleaned])
    for pattern in _PATTERNS:
        match = pattern.fullmatch(cleaned)
        if match:
            return _query_from_match(match, finale="finale" in pattern.pattern)
    shown = cleaned if len(cleaned) <= 30 else cleaned[:29] + "…"
    raise EpisodeError(f"I can't read “{shown}” as an episode. Write it like {EXAMPLES}.")


def _query_from_match(match: re.Match[str], *, finale: bool) -> EpisodeQuery:
    groups = match.groupdict()
    season = int(groups["season"]) if groups.get("season") else None
    if finale:
        return EpisodeQuery(season=season, keyword="finale")
    episode = int(groups["episode"])
    if season == 0 and episode == 0:
        return EpisodeQuery(keyword="nothing")
    if season == 0 or episode == 0:
        raise EpisodeError("Seasons and episodes start at 1, as in S01E01.")
    return EpisodeQuery(season=season, episode=episode)


def parse_code(text: str) -> EpisodeRef:
    """Parse an explicit code such as `S01E05` (or S00E00 for nothing), no show needed."""
    query = parse_episode(text)
    if query.keyword == "nothing":
        return NOTHING
    if query.season is None or query.episode is None:
        raise EpisodeError(f"“{text}” needs a season and an episode, like S01E05.")
    return EpisodeRef(query.season, query.episode)


def resolve_episode(text: str, layout: ShowLayout, *, allow_nothing: bool = False) -> EpisodeRef:
    """Parse `text` and check it against the show's seasons."""
    return layout.resolve(parse_episode(text), allow_nothing=allow_nothing)


def episode_label(show_title: str, episode: EpisodeRef) -> str:
    """How replies name an episode: `Ballard S01E05`."""
    return f"{show_title} {episode.code}"


def progress_phrase(progress: EpisodeRef | None, show_title: str) -> str:
    """How far a member has watched, for replies: `you are at S01E05`, or nothing recorded."""
    if progress is None or progress.is_nothing:
        return f"you haven't recorded any progress in {show_title}"
    return f"you are at {progress.code}"


def progress_bar(watched: int, total: int, width: int = 10) -> str:
    """A compact bar such as `▰▰▰▱▱▱`."""
    if total <= 0:
        return "▱" * width
    filled = round(width * min(watched, total) / total)
    return "▰" * filled + "▱" * (width - filled)
