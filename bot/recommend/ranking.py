"""Rank shows for a member: similar content, similar members' likes and dislikes, critics.

Dislikes are signal as much as likes: the member's low ratings and dropped shows push shows
like them down (content), a similar member's low rating counts against a show as their high
rating counts for it (collaborative), and a show one of the member's nearest neighbours
rated 3 or less loses half its score.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from bot.recommend.similarity import ShowSimilarity
from bot.recommend.taste import (
    DISLIKED_PREFERENCE,
    LIKED_PREFERENCE,
    LOW_PREFERENCE,
    Audience,
    closest,
)
from bot.recommend.types import ShowText

RATING_PRIOR_WEIGHT = 2.0  # a show with one 10/10 review is not the best show there is
ANCHOR_MIN = 0.5  # name a liked show in the reason only if, of the shows the member hasn't
# judged, the candidate is in the closer half to it
ANCHOR_COUNT = 2  # name at most this many of the member's shows
DISLIKE_PENALTY = 1.0  # resembling a disliked show costs as much as resembling a liked one gains
WARNED_FACTOR = 0.5  # a near neighbour rated it 3 or less: halve the score
PREDICT_MIN = 0.5  # a show of the member's counts towards a prediction when this close


@dataclass(frozen=True, slots=True)
class Weights:
    """How the signals blend; absent signals drop out and the rest are renormalised."""

    content: float = 1.0
    collaborative: float = 0.4
    critics: float = 0.05
    popularity: float = 0.05


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate's blended score and the facts its reason is made from."""

    show_id: int
    score: float
    anchors: tuple[tuple[int, float], ...] = ()  # the member's liked shows it resembles
    similar_fans: int = 0  # members with similar taste who liked it
    similar_finished: int = 0  # of those, how many finished it
    watching: int = 0
    critics: float | None = None  # the corpus's mean review rating (1–10)
    predicted: float | None = None  # the member's predicted preference, −1…1
    personal: float = 0.0  # how much the member's own shows lifted the score
    social: float = 0.0  # how much similar members lifted it
    warned: int = 0  # near neighbours who rated it 3 or less or dropped it


@dataclass(frozen=True, slots=True)
class _Collaborative:
    value: float  # similar members' predicted liking on 0–1
    preference: float | None  # the same on −1…1, None without evidence
    confidence: float  # total similarity behind it
    fans: int
    finished: int


class Recommender:
    """The corpus side of the recommender (similarity, critics' ratings), built once per corpus."""

    def __init__(
        self,
        shows: Sequence[ShowText],
        similarity: ShowSimilarity | None = None,
        weights: Weights | None = None,
    ) -> None:
        self.shows = {show.show_id: show for show in shows}
        self.similarity = similarity or ShowSimilarity.fit(shows)
        self.weights = weights or Weights()
        self._critics = _critic_scores(shows)

    def titles(self) -> dict[int, str]:
        """Show id → title, for reasons."""
        return {show_id: show.title for show_id, show in self.shows.items()}

    def critics(self, show_id: int) -> float:
        """The critics' signal on 0–1 (the corpus's mean review rating, shrunk, min–max scaled)."""
        return self._critics.get(show_id, 0.5)

    def rank(
        self,
        user_id: int,
        audience: Audience,
        candidates: Collection[int] | None = None,
    ) -> list[Scored]:
        """Candidates (default: every show not started, hidden or listed), best first."""
        set_aside = audience.activity.set_aside(user_id)
        pool = [
            show_id
            for show_id in (candidates if candidates is not None else self.shows)
            if show_id not in set_aside
        ]
        scored = self.assess(user_id, audience, pool)
        return sorted(scored, key=lambda item: (-item.score, self.shows[item.show_id].title))

    def assess(self, user_id: int, audience: Audience, show_ids: Collection[int]) -> list[Scored]:
        """Score these shows for the member, started or not (the member's own verdict on each
        show is left out of its prediction)."""
        preferences = audience.of_member(user_id)
        return [
            self._score(user_id, show_id, preferences, audience)
            for show_id in show_ids
            if show_id in self.shows
        ]

    def _score(
        self, user_id: int, show_id: int, preferences: Mapping[int, float], audience: Audience
    ) -> Scored:
        weights = self.weights
        own = {show: value for show, value in preferences.items() if show != show_id}
        neighbours = audience.neighbours(user_id, excluding=show_id)
        content, anchors = self._content(show_id, own)
        collaborative = _collaborative(show_id, neighbours, audience)
        parts = {
            "critics": (weights.critics, self.critics(show_id)),
            "popularity": (weights.popularity, _popularity(audience, show_id, user_id)),
        }
        if content is not None:
            parts["content"] = (weights.content, content)
        if collaborative.confidence > 0:
            shrink = collaborative.confidence / (collaborative.confidence + 1)
            parts["collaborative"] = (weights.collaborative * shrink, collaborative.value)
        total = sum(weight for weight, _ in parts.values())
        share = {
            name: weight * value / total if total else 0.0
            for name, (weight, value) in parts.items()
        }
        warned = _warned(show_id, closest(neighbours), audience)
        score = sum(share.values()) * (WARNED_FACTOR if warned else 1.0)
        return Scored(
            show_id,
            round(score, 4),
            anchors,
            collaborative.fans,
            collaborative.finished,
            audience.watching(show_id, exclude=[user_id]),
            self.shows[show_id].review_rating,
            self._predict(show_id, own, collaborative),
            share.get("content", 0.0),
            share.get("collaborative", 0.0),
            warned,
        )

    def _content(
        self, show_id: int, preferences: Mapping[int, float]
    ) -> tuple[float | None, tuple[tuple[int, float], ...]]:
        """Closeness to the member's liked shows less closeness to their disliked ones."""
        liked = {s: w for s, w in preferences.items() if w >= LIKED_PREFERENCE}
        if not liked:
            return None, ()
        closeness = {s: self.similarity.relative(s, show_id) for s in liked}
        positive = sum(w * closeness[s] for s, w in liked.items()) / sum(liked.values())
        disliked = {s: -w for s, w in preferences.items() if w <= DISLIKED_PREFERENCE}
        negative = 0.0
        if disliked:
            negative = sum(
                w * self.similarity.relative(s, show_id) for s, w in disliked.items()
            ) / sum(disliked.values())
        unjudged = set(self.shows) - set(preferences)
        among = {s: self.similarity.relative(s, show_id, unjudged) for s in liked}
        strongest = sorted(liked, key=lambda s: (-liked[s] * among[s], s))
        anchors = tuple((s, liked[s]) for s in strongest if among[s] >= ANCHOR_MIN)
        return max(0.0, positive - DISLIKE_PENALTY * negative), anchors[:ANCHOR_COUNT]

    def _predict(
        self, show_id: int, own: Mapping[int, float], collaborative: _Collaborative
    ) -> float | None:
        """The member's likely preference on −1…1: their verdicts on close shows, and similar
        members' verdicts on this one, weighted by how much each says."""
        weighted = total = 0.0
        for show, preference in own.items():
            closeness = self.similarity.relative(show, show_id)
            if closeness >= PREDICT_MIN:
                weighted += closeness * closeness * preference
                total += closeness * closeness
        if collaborative.preference is not None:
            weighted += collaborative.confidence * collaborative.preference
            total += collaborative.confidence
        return weighted / total if total else None


def _critic_scores(shows: Sequence[ShowText]) -> dict[int, float]:
    rated = [show for show in shows if show.review_rating is not None and show.review_count]
    if not rated:
        return {}
    prior = sum(show.review_rating or 0.0 for show in rated) / len(rated)
    shrunk = {
        show.show_id: (
            show.review_count * (show.review_rating or 0.0) + RATING_PRIOR_WEIGHT * prior
        )
        / (show.review_count + RATING_PRIOR_WEIGHT)
        for show in rated
    }
    low, high = min(shrunk.values()), max(shrunk.values())
    if high <= low:
        return dict.fromkeys(shrunk, 0.5)
    return {show_id: (value - low) / (high - low) for show_id, value in shrunk.items()}


def _popularity(audience: Audience, show_id: int, user_id: int) -> float:
    others = len(audience.members - {user_id})
    return audience.popularity(show_id, exclude=[user_id]) / others if others else 0.0


def _collaborative(
    show_id: int, neighbours: Mapping[int, float], audience: Audience
) -> _Collaborative:
    """Similar members' verdicts on the show, likes and dislikes alike, similarity-weighted."""
    weighted = confidence = 0.0
    fans = finished = 0
    for other, similarity in neighbours.items():
        preference = audience.preferences[other].get(show_id)
        if preference is None:
            continue
        weighted += similarity * preference
        confidence += similarity
        if preference >= LIKED_PREFERENCE:
            fans += 1
            finished += audience.finished(other, show_id)
    if not confidence:
        return _Collaborative(0.5, None, 0.0, 0, 0)
    mean = weighted / confidence
    return _Collaborative((mean + 1) / 2, mean, confidence, fans, finished)


def _warned(show_id: int, near: Mapping[int, float], audience: Audience) -> int:
    """How many near neighbours panned the show, when on average those who judged it did
    (3 or less, a drop counting as a 3); 0 when they liked it on the whole."""
    verdicts = [
        audience.preferences[other][show_id]
        for other in near
        if show_id in audience.preferences[other]
    ]
    if not verdicts or fmean(verdicts) > LOW_PREFERENCE:
        return 0
    return sum(verdict <= LOW_PREFERENCE for verdict in verdicts)
