"""Offline evaluation of the recommender: leave-one-out hit rate@3 over generated members.

    python -m bench.recommend [--seed 7] [--runs 5] [--members 60]

Members are generated over the sample corpus with a latent taste over genres and tones; each
rates or finishes several shows accordingly (with noise). For every member one liked show is
hidden, the recommender proposes 3 shows from the ones they haven't started, and a hit is the
hidden show coming back. Baselines in the same run: server popularity (most liked here, ties
by members' mean rating), critics (highest mean review rating) and random.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import random
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from statistics import fmean

from sqlalchemy.ext.asyncio import AsyncSession

from bot.catalog.episodes import EpisodeRef, ShowLayout
from bot.catalog.shows import Catalog
from bot.corpus import SAMPLE_CORPUS
from bot.recommend.ranking import Recommender
from bot.recommend.taste import LIKED_PREFERENCE, Audience
from bot.recommend.types import LIKED_SCORE, Activity, ShowText

TOP = 3
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


@dataclass(frozen=True, slots=True)
class Corpus:
    """The sample corpus as the recommender and the generator need it."""

    texts: list[ShowText]
    layouts: dict[int, ShowLayout]


async def load_corpus(corpus: Path = SAMPLE_CORPUS) -> Corpus:
    """Import the corpus into a throwaway SQLite file and read it back."""
    from bench.sample import read_sample_database
    from bot.catalog.store import load_catalog
    from bot.recommend.store import load_show_texts

    async def read(session: AsyncSession) -> tuple[list[ShowText], Catalog]:
        return await load_show_texts(session), await load_catalog(session)

    texts, catalog = await read_sample_database(read, corpus)
    layouts = {show.id: show.layout for show in catalog.shows if show.seasons}
    return Corpus(texts, layouts)


def _attributes(show: ShowText) -> set[str]:
    return {f"genre:{genre}" for genre in show.genres} | {
        f"tone:{tone}" for tone in TONES.get(show.title, ())
    }


def generate(corpus: Corpus, members: int, rng: random.Random) -> Activity:
    """Members with latent taste: each rates or finishes 3–5 shows they were drawn to."""
    shows = {show.show_id: _attributes(show) for show in corpus.texts}
    vocabulary = sorted(set().union(*shows.values()))
    # tastes are for kinds of show ("dark", "comedy"), not for one show's unique genre word
    shared = [a for a in vocabulary if sum(a in attrs for attrs in shows.values()) >= 2]
    ratings: dict[int, dict[int, int]] = {}
    progress: dict[int, dict[int, EpisodeRef]] = {}
    for user in range(1, members + 1):
        taste = {attribute: rng.gauss(0, 0.3) for attribute in vocabulary}
        for favourite in rng.sample(shared, 2):
            taste[favourite] += 1.5
        utility = {
            show_id: sum(taste[a] for a in attrs) / math.sqrt(len(attrs) or 1) + rng.gauss(0, 0.3)
            for show_id, attrs in shows.items()
        }
        _watch(user, utility, corpus.layouts, rng, ratings, progress)
    return Activity(ratings, progress)


def _watch(
    user: int,
    utility: Mapping[int, float],
    layouts: Mapping[int, ShowLayout],
    rng: random.Random,
    ratings: dict[int, dict[int, int]],
    progress: dict[int, dict[int, EpisodeRef]],
) -> None:
    mean = fmean(utility.values())
    spread = math.sqrt(fmean((u - mean) ** 2 for u in utility.values())) or 1.0
    pool = dict(utility)
    for _ in range(rng.randint(3, 5)):
        weights = [math.exp(2 * (pool[s] - mean) / spread) for s in pool]
        show_id = rng.choices(list(pool), weights)[0]
        del pool[show_id]
        score = round(6 + 2 * (utility[show_id] - mean) / spread + rng.gauss(0, 0.8))
        score = max(1, min(10, score))
        if score >= LIKED_SCORE and rng.random() < 0.3 and show_id in layouts:
            progress.setdefault(user, {})[show_id] = layouts[show_id].last  # finished, unrated
        else:
            ratings.setdefault(user, {})[show_id] = score


def _liked(activity: Activity, user: int, layouts: Mapping[int, ShowLayout]) -> list[int]:
    audience = Audience.of(activity, [user], layouts)
    return sorted(s for s, p in audience.of_member(user).items() if p >= LIKED_PREFERENCE)


def _hide(activity: Activity, user: int, show_id: int) -> Activity:
    ratings = {**activity.ratings, user: dict(activity.ratings.get(user, {}))}
    progress = {**activity.progress, user: dict(activity.progress.get(user, {}))}
    ratings[user].pop(show_id, None)
    progress[user].pop(show_id, None)
    return Activity(ratings, progress)


Ranker = Callable[[int, Audience, list[int]], list[int]]


def evaluate(
    corpus: Corpus, activity: Activity, rankers: Mapping[str, Ranker], rng: random.Random
) -> tuple[dict[str, tuple[float, float]], int]:
    """Hit rate@3 and @1 per ranker over every member who liked something."""
    hits = {name: [0, 0] for name in rankers}
    trials = 0
    expected = [0.0, 0.0]
    members = set(activity.ratings) | set(activity.progress)
    for user in sorted(members):
        liked = _liked(activity, user, corpus.layouts)
        if not liked:
            continue
        hidden = rng.choice(liked)
        held_out = _hide(activity, user, hidden)
        audience = Audience.of(held_out, members, corpus.layouts)
        candidates = [t.show_id for t in corpus.texts if t.show_id not in held_out.started(user)]
        trials += 1
        expected[0] += min(TOP, len(candidates)) / len(candidates)
        expected[1] += 1 / len(candidates)
        for name, ranker in rankers.items():
            ranked = ranker(user, audience, candidates)
            hits[name][0] += hidden in ranked[:TOP]
            hits[name][1] += hidden == ranked[0]
    rates = {name: (top / trials, first / trials) for name, (top, first) in hits.items()}
    return rates | {"random": (expected[0] / trials, expected[1] / trials)}, trials


def rankers(recommender: Recommender) -> dict[str, Ranker]:
    """The recommender and the baselines, all answering (user, audience, candidates)."""

    def ours(user: int, audience: Audience, candidates: list[int]) -> list[int]:
        return [item.show_id for item in recommender.rank(user, audience, candidates)]

    def popularity(user: int, audience: Audience, candidates: list[int]) -> list[int]:
        def key(show_id: int) -> tuple[int, float, int]:
            scores = [r[show_id] for u, r in audience.activity.ratings.items() if show_id in r]
            return (-audience.popularity(show_id, exclude=[user]), -fmean(scores or [0]), show_id)

        return sorted(candidates, key=key)

    def critics(user: int, audience: Audience, candidates: list[int]) -> list[int]:
        rating = {t.show_id: t.review_rating or 0.0 for t in recommender.shows.values()}
        return sorted(candidates, key=lambda show_id: (-rating[show_id], show_id))

    return {"recommender": ours, "popularity": popularity, "critics": critics}


def run(seed: int, runs: int, members: int) -> dict[str, tuple[float, float]]:
    """Average hit rates over `runs` generated servers; prints a small report."""
    started = time.perf_counter()
    corpus = asyncio.run(load_corpus())
    recommender = Recommender(corpus.texts)
    totals: dict[str, list[tuple[float, float]]] = {}
    trials = 0
    for offset in range(runs):
        rng = random.Random(seed + offset)
        activity = generate(corpus, members, rng)
        rates, count = evaluate(corpus, activity, rankers(recommender), rng)
        trials += count
        for name, value in rates.items():
            totals.setdefault(name, []).append(value)
    means = {
        name: (fmean(v[0] for v in values), fmean(v[1] for v in values))
        for name, values in totals.items()
    }
    print(
        f"Recommender leave-one-out (seed {seed}, {runs} servers × {members} members, "
        f"{trials} held-out shows, {time.perf_counter() - started:.1f} s)"
    )
    print(f"  {'ranker':<12} hit@{TOP}   hit@1")
    for name in ("recommender", "popularity", "critics", "random"):
        print(f"  {name:<12} {means[name][0]:.3f}   {means[name][1]:.3f}")
    baseline = means["popularity"][0]
    ratio = means["recommender"][0] / baseline if baseline else math.inf
    print(f"  hit@{TOP} ratio recommender / popularity: {ratio:.2f}×")
    return means


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.recommend", description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--members", type=int, default=60)
    args = parser.parse_args(argv)
    run(args.seed, args.runs, args.members)


if __name__ == "__main__":
    main()
