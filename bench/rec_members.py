"""Generated servers for the recommender benchmark: members with likes, dislikes and drops.

Each member has a latent taste over the genres and hand-labelled tones of the sample shows;
their *true* score of every show follows from it (the truth the benchmark checks against),
and what they record is noisy: 2–3 shows drawn towards their taste plus 1–2 tried at random,
each rated with noise, except that some liked shows are finished unrated and some shows they
don't like are dropped (progress cleared before the end) instead of rated.
"""

from __future__ import annotations

import math
import random
from collections.abc import Mapping
from dataclasses import dataclass, field
from statistics import fmean

from bot.catalog.episodes import EpisodeRef, ShowLayout
from bot.recommend.types import LIKED_SCORE, Activity, ShowText

# Tones a viewer might seek, hand-labelled for the sample shows (genres come from show.toml).
TONES: dict[str, tuple[str, ...]] = {
    "Ballard": ("dark", "tense"),
    "Coldwake": ("tense", "dark"),
    "Low Tide Motel": ("cozy", "funny"),
    "Permit Pending": ("funny", "cozy"),
    "The Cartographer's Office": ("dark", "slow"),
    "The Lantern Keeper": ("eerie", "slow"),
    "The Quiet Ministry": ("dark", "slow", "tense"),
    "Tilly Ferncastle's Flying Shop": ("whimsical", "cozy"),
}
RATING_NOISE = 0.8
FINISHED_UNRATED = 0.3  # share of liked shows recorded only as finished
DROPPED_UNRATED = 0.4  # share of disliked shows recorded only as dropped
DISLIKED_SCORE = 4  # a true score this low is a show the member dislikes


@dataclass(frozen=True, slots=True)
class Server:
    """A generated server: what members recorded, and what they truly think of every show."""

    activity: Activity
    truth: Mapping[int, Mapping[int, int]]  # user → show → true score 1–10


@dataclass(slots=True)
class _Records:
    ratings: dict[int, dict[int, int]] = field(default_factory=dict)
    progress: dict[int, dict[int, EpisodeRef]] = field(default_factory=dict)
    dropped: dict[int, set[int]] = field(default_factory=dict)


def attributes(show: ShowText) -> set[str]:
    """A show's genres and tones, the things a taste is for."""
    return {f"genre:{genre}" for genre in show.genres} | {
        f"tone:{tone}" for tone in TONES.get(show.title, ())
    }


def generate(
    texts: list[ShowText], layouts: Mapping[int, ShowLayout], members: int, rng: random.Random
) -> Server:
    """One server of `members` generated members."""
    shows = {show.show_id: attributes(show) for show in texts}
    vocabulary = sorted(set().union(*shows.values()))
    # tastes are for kinds of show ("dark", "comedy"), not for one show's unique genre word
    shared = [a for a in vocabulary if sum(a in attrs for attrs in shows.values()) >= 2]
    records = _Records()
    truth: dict[int, dict[int, int]] = {}
    for user in range(1, members + 1):
        taste = {attribute: rng.gauss(0, 0.3) for attribute in vocabulary}
        for favourite in rng.sample(shared, 2):
            taste[favourite] += 1.5
        for disliked in rng.sample(shared, 1):
            taste[disliked] -= 1.0
        utility = {
            show_id: sum(taste[a] for a in attrs) / math.sqrt(len(attrs) or 1) + rng.gauss(0, 0.3)
            for show_id, attrs in shows.items()
        }
        truth[user] = _true_scores(utility)
        _watch(user, utility, truth[user], layouts, rng, records)
    dropped = {user: frozenset(shows) for user, shows in records.dropped.items()}
    return Server(Activity(records.ratings, records.progress, dropped=dropped), truth)


def _true_scores(utility: Mapping[int, float]) -> dict[int, int]:
    mean = fmean(utility.values())
    spread = math.sqrt(fmean((u - mean) ** 2 for u in utility.values())) or 1.0
    return {s: max(1, min(10, round(6 + 2.2 * (u - mean) / spread))) for s, u in utility.items()}


def _watch(
    user: int,
    utility: Mapping[int, float],
    truth: Mapping[int, int],
    layouts: Mapping[int, ShowLayout],
    rng: random.Random,
    records: _Records,
) -> None:
    mean = fmean(utility.values())
    spread = math.sqrt(fmean((u - mean) ** 2 for u in utility.values())) or 1.0
    pool = dict(utility)
    drawn = []
    for _ in range(rng.randint(2, 3)):
        weights = [math.exp(2 * (pool[s] - mean) / spread) for s in pool]
        drawn.append(rng.choices(list(pool), weights)[0])
        del pool[drawn[-1]]
    drawn += rng.sample(sorted(pool), 1)  # tried on a whim
    for show_id in drawn:
        score = max(1, min(10, round(truth[show_id] + rng.gauss(0, RATING_NOISE))))
        if score >= LIKED_SCORE and rng.random() < FINISHED_UNRATED and show_id in layouts:
            records.progress.setdefault(user, {})[show_id] = layouts[show_id].last
        elif score <= DISLIKED_SCORE and rng.random() < DROPPED_UNRATED:
            records.dropped.setdefault(user, set()).add(show_id)
        else:
            records.ratings.setdefault(user, {})[show_id] = score
