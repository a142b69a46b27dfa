"""What members like: preferences from ratings and progress, and who has similar taste."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from bot.catalog.episodes import EpisodeRef, ShowLayout
from bot.errors import EpisodeError
from bot.recommend.types import LIKED_SCORE, LOW_SCORE, Activity

FINISHED_PREFERENCE = 0.6  # finishing a show without rating it says "liked it"
STARTED_PREFERENCE = 0.2  # being in the middle of one says a little
DROPPED_PREFERENCE = -0.6  # clearing progress before the end says "not for me" (about a 3)
DISLIKED_PREFERENCE = -0.3
OVERLAP_SHRINK = 2.0  # two members agreeing on one show is weak evidence; on five, strong


def rating_preference(score: int) -> float:
    """A 1–10 rating on −1…1, so 7 (the first "liked" score) is clearly positive."""
    return (score - 5.5) / 4.5


LIKED_PREFERENCE = rating_preference(LIKED_SCORE)
LOW_PREFERENCE = rating_preference(LOW_SCORE)  # a 3/10 or worse: "hated it"
NEAR_NEIGHBOURS = 5  # the members whose taste is closest: their verdicts count most
NEAR_MIN_SIMILARITY = 0.15  # below this a member isn't "near", however few others there are


def is_finished(layout: ShowLayout | None, position: EpisodeRef) -> bool:
    """Whether a position is the show's last episode (False for unknown layouts)."""
    if layout is None or not layout.seasons:
        return False
    try:
        return layout.ordinal(position) >= layout.total
    except EpisodeError:  # a position outside the layout: a catalogue that shrank
        return False


def member_preferences(
    user_id: int, activity: Activity, layouts: Mapping[int, ShowLayout]
) -> dict[int, float]:
    """Show → preference on −1…1: ratings first, then finished or started, then dropped shows."""
    preferences = {
        show_id: rating_preference(score)
        for show_id, score in activity.ratings.get(user_id, {}).items()
    }
    for show_id, position in activity.progress.get(user_id, {}).items():
        if show_id not in preferences:
            finished = is_finished(layouts.get(show_id), position)
            preferences[show_id] = FINISHED_PREFERENCE if finished else STARTED_PREFERENCE
    for show_id in activity.dropped.get(user_id, ()):
        preferences.setdefault(show_id, DROPPED_PREFERENCE)
    return preferences


def taste_similarity(
    first: Mapping[int, float], second: Mapping[int, float], excluding: int | None = None
) -> float:
    """Cosine of two members' preferences, shrunk when they share few shows.

    `excluding` leaves one show out of both sides: when the similarity is used to predict a
    member's liking of that show, it must not already know the answer.
    """
    return _cosine(first, second, excluding, _norm(first, excluding), _norm(second, excluding))


def _cosine(
    first: Mapping[int, float],
    second: Mapping[int, float],
    excluding: int | None,
    first_norm: float,
    second_norm: float,
) -> float:
    small, large = (first, second) if len(first) <= len(second) else (second, first)
    common = [show for show in small if show in large and show != excluding]
    if not common or not first_norm or not second_norm:
        return 0.0
    dot = sum(first[show] * second[show] for show in common)
    return dot / (first_norm * second_norm) * len(common) / (len(common) + OVERLAP_SHRINK)


def _norm(preferences: Mapping[int, float], excluding: int | None) -> float:
    return math.sqrt(sum(v * v for show, v in preferences.items() if show != excluding))


def closest(neighbours: Mapping[int, float]) -> dict[int, float]:
    """The near neighbours among these: the few most similar, above a floor."""
    ranked = sorted(neighbours.items(), key=lambda item: (-item[1], item[0]))
    return {
        other: similarity
        for other, similarity in ranked[:NEAR_NEIGHBOURS]
        if similarity >= NEAR_MIN_SIMILARITY
    }


@dataclass(slots=True)
class Audience:
    """A group of members (a server) with everyone's preferences worked out once."""

    activity: Activity
    members: frozenset[int]
    layouts: Mapping[int, ShowLayout]
    preferences: dict[int, dict[int, float]] = field(default_factory=dict)
    _watching: dict[int, set[int]] | None = None
    _popular: dict[int, set[int]] | None = None
    _similar: dict[int, dict[int, float]] = field(default_factory=dict)
    _norms: dict[int, float] = field(default_factory=dict)
    _rescaled: dict[tuple[int, int], float] = field(default_factory=dict)
    _holding: dict[int, set[int]] | None = None

    @classmethod
    def of(
        cls, activity: Activity, members: Iterable[int], layouts: Mapping[int, ShowLayout]
    ) -> Audience:
        """Build the audience and everyone's preferences."""
        ids = frozenset(members)
        audience = cls(activity, ids, layouts)
        audience.preferences = {user: member_preferences(user, activity, layouts) for user in ids}
        return audience

    def of_member(self, user_id: int) -> dict[int, float]:
        """One member's preferences (works for members outside the group too)."""
        if user_id not in self.preferences:
            self.preferences[user_id] = member_preferences(user_id, self.activity, self.layouts)
        return self.preferences[user_id]

    def neighbours(self, user_id: int, excluding: int | None = None) -> dict[int, float]:
        """Other members with positively similar taste, and how similar (`excluding` one show)."""
        mine = self.of_member(user_id)
        if excluding is None or excluding not in mine:
            similar = self._similarities(user_id)
            if excluding is not None:  # only the length of their vectors who judged it changes
                changed = self._holders().get(excluding, set()) - {user_id}
                similar = similar | {
                    other: similar[other] * self._rescale(other, excluding) for other in changed
                }
        else:
            mine_norm = _norm(mine, excluding)
            similar = {
                other: self._similarity(mine, mine_norm, other, excluding)
                for other in self.members - {user_id}
            }
        return {other: value for other, value in similar.items() if value > 0}

    def near_neighbours(self, user_id: int, excluding: int | None = None) -> dict[int, float]:
        """The few members whose taste is closest to the member's (`excluding` one show)."""
        return closest(self.neighbours(user_id, excluding))

    def _similarities(self, user_id: int) -> dict[int, float]:
        if user_id not in self._similar:
            mine, mine_norm = self.of_member(user_id), self._norm_of(user_id)
            self._similar[user_id] = {
                other: self._similarity(mine, mine_norm, other, None)
                for other in self.members - {user_id}
            }
        return self._similar[user_id]

    def _similarity(
        self, mine: Mapping[int, float], mine_norm: float, other: int, excluding: int | None
    ) -> float:
        theirs = self.preferences[other]
        their_norm = self._norm_of(other) if excluding not in theirs else _norm(theirs, excluding)
        return _cosine(mine, theirs, excluding, mine_norm, their_norm)

    def _rescale(self, other: int, excluding: int) -> float:
        """Length of the member's preferences over their length without one show."""
        key = (other, excluding)
        if key not in self._rescaled:
            without = _norm(self.preferences[other], excluding)
            self._rescaled[key] = self._norm_of(other) / without if without else 0.0
        return self._rescaled[key]

    def _norm_of(self, user_id: int) -> float:
        if user_id not in self._norms:
            self._norms[user_id] = _norm(self.of_member(user_id), None)
        return self._norms[user_id]

    def _holders(self) -> dict[int, set[int]]:
        """Show → the members who have a preference for it."""
        if self._holding is None:
            self._holding = {}
            for user in self.members:
                for show_id in self.preferences[user]:
                    self._holding.setdefault(show_id, set()).add(user)
        return self._holding

    def finished(self, user_id: int, show_id: int) -> bool:
        """Whether the member's visible progress is at the show's last episode."""
        position = self.activity.position(user_id, show_id)
        return position is not None and is_finished(self.layouts.get(show_id), position)

    def watching(self, show_id: int, exclude: Iterable[int] = ()) -> int:
        """Members with progress in a show, counting only those who share their progress."""
        return self._count(self._watchers(), show_id, exclude)

    def popularity(self, show_id: int, exclude: Iterable[int] = ()) -> int:
        """Members who started a show or rated it 7+ (server popularity)."""
        return self._count(self._fans(), show_id, exclude)

    def _watchers(self) -> dict[int, set[int]]:
        if self._watching is None:
            self._watching = {}
            for user in self.members - self.activity.private:
                for show_id in self.activity.progress.get(user, {}):
                    self._watching.setdefault(show_id, set()).add(user)
        return self._watching

    def _fans(self) -> dict[int, set[int]]:
        if self._popular is None:
            self._popular = {}
            for user in self.members:
                for show_id, preference in self.preferences[user].items():
                    if preference >= STARTED_PREFERENCE:
                        self._popular.setdefault(show_id, set()).add(user)
        return self._popular

    @staticmethod
    def _count(index: Mapping[int, set[int]], show_id: int, exclude: Iterable[int]) -> int:
        users = index.get(show_id, set())
        return len(users) - len(users.intersection(exclude))
