"""The show catalogue in memory: typo-tolerant lookup by title or alias (rapidfuzz)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from bot.catalog.episodes import ShowLayout
from bot.errors import AmbiguousShowError, UnknownShowError

MATCH_THRESHOLD = 80.0
SUGGEST_THRESHOLD = 55.0
AMBIGUITY_MARGIN = 3.0
MAX_QUERY_LENGTH = 100
_FILLER_WORDS = frozenset({"the", "a", "an", "of", "and", "show", "series", "tv", "on", "in"})


def _is_meaningful(cleaned: str) -> bool:
    """A query made only of filler words ('the', 'show') names nothing."""
    return any(word not in _FILLER_WORDS for word in cleaned.split())


@dataclass(frozen=True, slots=True)
class ShowInfo:
    """A show as the bot's commands need it."""

    id: int
    title: str
    aliases: tuple[str, ...] = ()
    seasons: tuple[tuple[int, int], ...] = ()
    genres: tuple[str, ...] = ()

    @property
    def layout(self) -> ShowLayout:
        """Seasons and episode counts, for parsing and ordering episodes."""
        return ShowLayout(self.title, dict(self.seasons))

    @property
    def names(self) -> tuple[str, ...]:
        """The title followed by every alias."""
        return (self.title, *self.aliases)


@dataclass(slots=True)
class Catalog:
    """Every known show, searchable by fuzzy name."""

    shows: Sequence[ShowInfo] = ()
    _choices: list[str] = field(init=False, default_factory=list)
    _owners: list[ShowInfo] = field(init=False, default_factory=list)
    _by_id: dict[int, ShowInfo] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        for show in self.shows:
            self._by_id[show.id] = show
            for name in show.names:
                self._choices.append(name)
                self._owners.append(show)

    def __len__(self) -> int:
        return len(self.shows)

    def by_id(self, show_id: int) -> ShowInfo | None:
        """The show with that database id."""
        return self._by_id.get(show_id)

    def _scored(self, query: str, limit: int) -> list[tuple[ShowInfo, float]]:
        matches = process.extract(
            query[:MAX_QUERY_LENGTH],
            self._choices,
            scorer=fuzz.WRatio,
            processor=utils.default_process,
            limit=limit * 4,
        )
        best: dict[int, tuple[ShowInfo, float]] = {}
        for _name, score, index in matches:
            show = self._owners[index]
            if show.id not in best or score > best[show.id][1]:
                best[show.id] = (show, float(score))
        return sorted(best.values(), key=lambda pair: (-pair[1], pair[0].title))[:limit]

    def search(self, query: str, limit: int = 25) -> list[ShowInfo]:
        """Shows ordered by how well they match `query` (all shows, by title, if it's blank)."""
        if not utils.default_process(query or ""):
            return sorted(self.shows, key=lambda show: show.title.casefold())[:limit]
        return [show for show, score in self._scored(query, limit) if score >= SUGGEST_THRESHOLD]

    def resolve(self, query: str) -> ShowInfo:
        """The one show `query` means; raise UnknownShowError or AmbiguousShowError otherwise."""
        cleaned = utils.default_process(query or "")
        if not _is_meaningful(cleaned):
            raise UnknownShowError((query or "").strip()[:MAX_QUERY_LENGTH])
        for show in self.shows:
            if any(utils.default_process(name) == cleaned for name in show.names):
                return show
        scored = self._scored(query, 5)
        if not scored or scored[0][1] < MATCH_THRESHOLD:
            suggestions = [show.title for show, score in scored if score >= SUGGEST_THRESHOLD]
            raise UnknownShowError(query[:MAX_QUERY_LENGTH], suggestions)
        top_score = scored[0][1]
        tied = [show.title for show, score in scored if top_score - score <= AMBIGUITY_MARGIN]
        if len(tied) > 1:
            raise AmbiguousShowError(query[:MAX_QUERY_LENGTH], tied)
        return scored[0][0]

    def closest(self, name: str, threshold: float = 90.0) -> ShowInfo | None:
        """The show whose title or alias is `name` (ignoring case), else nearly it (small typos)."""
        cleaned = utils.default_process(name)
        exact = {
            self._owners[index].id: self._owners[index]
            for index, choice in enumerate(self._choices)
            if utils.default_process(choice) == cleaned
        }
        if len(exact) == 1:
            return next(iter(exact.values()))
        matches = process.extract(
            name, self._choices, scorer=fuzz.ratio, processor=utils.default_process, limit=10
        )
        owners = {
            self._owners[index].id: self._owners[index]
            for _name, score, index in matches
            if score >= threshold
        }
        if len(owners) > 1:
            raise AmbiguousShowError(name, sorted(show.title for show in owners.values()))
        return next(iter(owners.values()), None)


def build_catalog(shows: Iterable[ShowInfo]) -> Catalog:
    """Build a catalogue from show records."""
    return Catalog(tuple(shows))
