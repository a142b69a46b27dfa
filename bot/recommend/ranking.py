"""Rank shows a member hasn't started: similar content, similar members, critics, popularity."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from bot.recommend.similarity import ShowSimilarity
from bot.recommend.taste import DISLIKED_PREFERENCE, LIKED_PREFERENCE, Audience
from bot.recommend.types import ShowText
from bot.wording import plural

RATING_PRIOR_WEIGHT = 2.0  # a show with one 10/10 review is not the best show there is
ANCHOR_MIN = 0.5  # name a liked show in the reason only if the candidate is close to it
DISLIKE_PENALTY = 0.5


@dataclass(frozen=True, slots=True)
class Weights:
    """How the signals blend; absent signals drop out and the rest are renormalised."""

    content: float = 0.5
    collaborative: float = 0.3
    critics: float = 0.12
    popularity: float = 0.08


@dataclass(frozen=True, slots=True)
class Scored:
    """One candidate's blended score and the facts its reason is made from."""

    show_id: int
    score: float
    anchor: tuple[int, float] | None = None  # (liked show, its preference) it most resembles
    similar_fans: int = 0
    watching: int = 0
    critics: float | None = None


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
        """Candidates (default: every show the member hasn't started), best first."""
        started = audience.activity.started(user_id)
        pool = [
            show_id
            for show_id in (candidates if candidates is not None else self.shows)
            if show_id not in started and show_id in self.shows
        ]
        preferences = audience.of_member(user_id)
        neighbours = audience.neighbours(user_id)
        scored = [
            self._score(user_id, show_id, preferences, neighbours, audience) for show_id in pool
        ]
        return sorted(scored, key=lambda item: (-item.score, self.shows[item.show_id].title))

    def _score(
        self,
        user_id: int,
        show_id: int,
        preferences: Mapping[int, float],
        neighbours: Mapping[int, float],
        audience: Audience,
    ) -> Scored:
        weights = self.weights
        parts: list[tuple[float, float]] = [
            (weights.critics, self.critics(show_id)),
            (weights.popularity, _popularity(audience, show_id, user_id)),
        ]
        content, anchor = self._content(show_id, preferences)
        if content is not None:
            parts.append((weights.content, content))
        collaborative, confidence, fans = _collaborative(show_id, neighbours, audience)
        if confidence > 0:
            parts.append((weights.collaborative * confidence / (confidence + 1), collaborative))
        total = sum(weight for weight, _ in parts)
        score = sum(weight * value for weight, value in parts) / total if total else 0.0
        review = self.shows[show_id].review_rating
        watching = audience.watching(show_id, exclude=[user_id])
        return Scored(show_id, round(score, 4), anchor, fans, watching, review)

    def _content(
        self, show_id: int, preferences: Mapping[int, float]
    ) -> tuple[float | None, tuple[int, float] | None]:
        liked = {s: w for s, w in preferences.items() if w >= LIKED_PREFERENCE}
        if not liked:
            return None, None
        closeness = {s: self.similarity.relative(s, show_id) for s in liked}
        positive = sum(w * closeness[s] for s, w in liked.items()) / sum(liked.values())
        disliked = {s: -w for s, w in preferences.items() if w <= DISLIKED_PREFERENCE}
        negative = 0.0
        if disliked:
            negative = sum(
                w * self.similarity.relative(s, show_id) for s, w in disliked.items()
            ) / sum(disliked.values())
        best = max(liked, key=lambda s: (liked[s] * closeness[s], -s))
        anchor = (best, liked[best]) if closeness[best] >= ANCHOR_MIN else None
        return max(0.0, positive - DISLIKE_PENALTY * negative), anchor


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
) -> tuple[float, float, int]:
    """Similar members' predicted liking on 0–1, the evidence behind it, and their fans."""
    weighted = confidence = 0.0
    fans = 0
    for other, similarity in neighbours.items():
        preference = audience.preferences[other].get(show_id)
        if preference is None:
            continue
        weighted += similarity * preference
        confidence += similarity
        fans += preference >= LIKED_PREFERENCE
    if not confidence:
        return 0.5, 0.0, 0
    return (weighted / confidence + 1) / 2, confidence, fans


def reason_for(
    scored: Scored, titles: Mapping[int, str], ratings: Mapping[int, int], *, group: bool = False
) -> str:
    """One line: `because you rated Ballard 9 · 4 members here are watching it`."""
    who = "one of you" if group else "you"
    parts: list[str] = []
    if scored.anchor is not None:
        show_id = scored.anchor[0]
        title = titles.get(show_id, "a show")
        if show_id in ratings:
            parts.append(f"because {who} rated {title} {ratings[show_id]}")
        else:
            parts.append(f"because {who} finished {title}")
    if scored.similar_fans:
        fans = plural(scored.similar_fans, "member", "members")
        parts.append(f"{fans} with similar taste liked it")
    if not parts and scored.critics is not None:
        parts.append(f"critics rate it {_number(scored.critics)}/10")
    if scored.watching:
        watching = plural(scored.watching, "member here is", "members here are")
        parts.append(f"{watching} watching it")
    return " · ".join(parts) if parts else "something new for you"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
