"""Offline evaluation of the recommender on generated servers with likes, dislikes and drops.

    python -m bench.recommend [--seed 7] [--runs 10] [--members 60] [--groups 30]

Personal lists: for every member one liked show is hidden and each ranker proposes 3 shows
from the ones the member hasn't started; hit@3 / hit@1 is the hidden show coming back. Also
measured: the share of top-3 lists holding a show one of the member's near neighbours (the
5 most similar members, similarity ≥ 0.15, the show itself left out of the similarity)
rated 3 or less or dropped. Group picks: random groups of 3 members of a server, each
ranker's top 3 for the group, and the share of picks that some member of the group truly
dislikes (true score ≤ 4, from the generator's latent taste, never seen by the rankers).
Baselines in the same run: popularity (most liked here, ties by members' mean rating),
critics (highest mean review rating), random; for groups, popularity and the plain mean of
the members' scores (no misery rule).
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

from bench.rec_members import DISLIKED_SCORE, Server, generate
from bot.catalog.episodes import ShowLayout
from bot.catalog.shows import Catalog
from bot.corpus import SAMPLE_CORPUS
from bot.recommend.ranking import Recommender
from bot.recommend.social import group_rank
from bot.recommend.taste import DISLIKED_PREFERENCE, LIKED_PREFERENCE, LOW_PREFERENCE, Audience
from bot.recommend.types import Activity, ShowText

TOP = 3
GROUP_SIZE = 3


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


def _liked(activity: Activity, user: int, layouts: Mapping[int, ShowLayout]) -> list[int]:
    audience = Audience.of(activity, [user], layouts)
    return sorted(s for s, p in audience.of_member(user).items() if p >= LIKED_PREFERENCE)


def _hide(activity: Activity, user: int, show_id: int) -> Activity:
    ratings = {**activity.ratings, user: dict(activity.ratings.get(user, {}))}
    progress = {**activity.progress, user: dict(activity.progress.get(user, {}))}
    ratings[user].pop(show_id, None)
    progress[user].pop(show_id, None)
    return Activity(ratings, progress, dropped=activity.dropped)


def near_neighbour_hated(audience: Audience, user: int, show_id: int) -> tuple[bool, bool]:
    """Whether the member's near neighbours who judged the show rated it 3 or less on average
    (a drop counts as a 3), and whether any one of them did."""
    near = audience.near_neighbours(user, excluding=show_id)
    verdicts = [
        audience.preferences[o][show_id] for o in near if show_id in audience.preferences[o]
    ]
    on_average = bool(verdicts) and fmean(verdicts) <= LOW_PREFERENCE
    return on_average, any(verdict <= LOW_PREFERENCE for verdict in verdicts)


Ranker = Callable[[int, Audience, list[int]], list[int]]


@dataclass(slots=True)
class Tally:
    """Counts for one ranker over the personal trials."""

    top: int = 0
    first: int = 0
    warned: int = 0  # lists with a show the near neighbours panned on average
    warned_any: int = 0  # lists with a show one near neighbour panned


def evaluate(
    corpus: Corpus, activity: Activity, rankers: Mapping[str, Ranker], rng: random.Random
) -> tuple[dict[str, Tally], int, tuple[float, float]]:
    """Per ranker: hits@3, hits@1 and lists with a near-neighbour-hated show; trials; random."""
    tallies = {name: Tally() for name in rankers}
    trials = 0
    expected = [0.0, 0.0]
    members = set(activity.ratings) | set(activity.progress) | set(activity.dropped)
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
            ranked = ranker(user, audience, candidates)[:TOP]
            tally = tallies[name]
            tally.top += hidden in ranked
            tally.first += hidden == ranked[0]
            hated = [near_neighbour_hated(audience, user, show) for show in ranked]
            tally.warned += any(average for average, _ in hated)
            tally.warned_any += any(one for _, one in hated)
    return tallies, trials, (expected[0], expected[1])


def rankers(recommender: Recommender) -> dict[str, Ranker]:
    """The recommender and the baselines, all answering (user, audience, candidates)."""

    def ours(user: int, audience: Audience, candidates: list[int]) -> list[int]:
        return [item.show_id for item in recommender.rank(user, audience, candidates)]

    def popularity(user: int, audience: Audience, candidates: list[int]) -> list[int]:
        return _popular(audience, candidates, user)

    def critics(user: int, audience: Audience, candidates: list[int]) -> list[int]:
        rating = {t.show_id: t.review_rating or 0.0 for t in recommender.shows.values()}
        return sorted(candidates, key=lambda show_id: (-rating[show_id], show_id))

    return {"recommender": ours, "popularity": popularity, "critics": critics}


def _popular(audience: Audience, candidates: list[int], user: int | None = None) -> list[int]:
    def key(show_id: int) -> tuple[int, float, int]:
        scores = [r[show_id] for r in audience.activity.ratings.values() if show_id in r]
        exclude = [] if user is None else [user]
        return (-audience.popularity(show_id, exclude=exclude), -fmean(scores or [0]), show_id)

    return sorted(candidates, key=key)


GroupRanker = Callable[[Audience, list[int]], list[int]]


def group_rankers(recommender: Recommender) -> dict[str, GroupRanker]:
    """Group picks: ours (average without misery), the plain mean, and popularity."""

    def ours(audience: Audience, group: list[int]) -> list[int]:
        return [pick.show_id for pick in group_rank(recommender, audience, group)]

    def plain_mean(audience: Audience, group: list[int]) -> list[int]:
        candidates = _group_candidates(audience, group, list(recommender.shows))
        scores = {
            member: {s.show_id: s.score for s in recommender.assess(member, audience, candidates)}
            for member in group
        }
        return sorted(candidates, key=lambda s: (-fmean(scores[m][s] for m in group), s))

    def popularity(audience: Audience, group: list[int]) -> list[int]:
        return _popular(audience, _group_candidates(audience, group, list(recommender.shows)))

    return {"group pick": ours, "plain mean": plain_mean, "popularity": popularity}


def _group_candidates(audience: Audience, group: list[int], shows: list[int]) -> list[int]:
    started = [audience.activity.started(member) for member in group]
    return [s for s in shows if not all(s in seen for seen in started)]


@dataclass(slots=True)
class GroupTally:
    """Counts for one group ranker: picks, and picks some member truly dislikes (and was
    predicted to dislike)."""

    picks: int = 0
    disliked: int = 0
    foreseen: int = 0


def evaluate_groups(
    server: Server,
    corpus: Corpus,
    recommender: Recommender,
    groups: int,
    rng: random.Random,
) -> dict[str, GroupTally]:
    """Per group ranker, over random groups of 3: how many picks a member truly dislikes."""
    members = sorted(server.truth)
    audience = Audience.of(server.activity, members, corpus.layouts)
    tallies = {name: GroupTally() for name in group_rankers(recommender)}
    for _ in range(groups):
        group = rng.sample(members, GROUP_SIZE)
        for name, ranker in group_rankers(recommender).items():
            picks = ranker(audience, group)[:TOP]
            tally = tallies[name]
            tally.picks += len(picks)
            for show_id in picks:
                haters = [m for m in group if server.truth[m][show_id] <= DISLIKED_SCORE]
                tally.disliked += bool(haters)
                tally.foreseen += any(
                    _predicted_dislike(recommender, audience, m, show_id) for m in haters
                )
    return tallies


def _predicted_dislike(recommender: Recommender, audience: Audience, user: int, show: int) -> bool:
    """Whether the member's own verdict, or else the model's prediction, is 4/10 or less."""
    known = audience.of_member(user).get(show)
    if known is None:
        (scored,) = recommender.assess(user, audience, [show])
        known = scored.predicted
    return known is not None and known <= DISLIKED_PREFERENCE


def run(seed: int, runs: int, members: int, groups: int) -> dict[str, tuple[float, float]]:
    """Average hit rates over `runs` generated servers; prints a small report."""
    started = time.perf_counter()
    corpus = asyncio.run(load_corpus())
    recommender = Recommender(corpus.texts)
    tallies: dict[str, Tally] = {}
    group_counts: dict[str, GroupTally] = {}
    trials, expected = 0, [0.0, 0.0]
    for offset in range(runs):
        rng = random.Random(seed + offset)
        server = generate(corpus.texts, corpus.layouts, members, rng)
        counted, count, chance = evaluate(corpus, server.activity, rankers(recommender), rng)
        trials += count
        expected = [expected[0] + chance[0], expected[1] + chance[1]]
        for name, tally in counted.items():
            total = tallies.setdefault(name, Tally())
            total.top, total.first = total.top + tally.top, total.first + tally.first
            total.warned += tally.warned
            total.warned_any += tally.warned_any
        for name, tally in evaluate_groups(server, corpus, recommender, groups, rng).items():
            seen = group_counts.setdefault(name, GroupTally())
            seen.picks += tally.picks
            seen.disliked += tally.disliked
            seen.foreseen += tally.foreseen
    rates = {name: (t.top / trials, t.first / trials) for name, t in tallies.items()}
    rates["random"] = (expected[0] / trials, expected[1] / trials)
    _report(seed, runs, members, groups, trials, time.perf_counter() - started)
    _report_personal(
        rates, {name: (t.warned / trials, t.warned_any / trials) for name, t in tallies.items()}
    )
    _report_groups(group_counts)
    return rates


def _report(seed: int, runs: int, members: int, groups: int, trials: int, took: float) -> None:
    print(
        f"Recommender on generated servers (seed {seed}, {runs} servers × {members} members, "
        f"{trials} held-out shows, {runs} × {groups} groups of {GROUP_SIZE}, {took:.1f} s)"
    )


def _report_personal(
    rates: Mapping[str, tuple[float, float]], warned: Mapping[str, tuple[float, float]]
) -> None:
    print(
        f"  {'ranker':<12} hit@{TOP}   hit@1   top-{TOP} lists with a show the near neighbours"
        " rated ≤ 3: on average · any one of them"
    )
    for name in ("recommender", "popularity", "critics", "random"):
        hated = f"{warned[name][0]:.1%}   {warned[name][1]:.1%}" if name in warned else "–"
        print(f"  {name:<12} {rates[name][0]:.3f}   {rates[name][1]:.3f}   {hated}")
    baseline = rates["popularity"][0]
    ratio = rates["recommender"][0] / baseline if baseline else math.inf
    print(f"  hit@{TOP} ratio recommender / popularity: {ratio:.2f}×")


def _report_groups(tallies: Mapping[str, GroupTally]) -> None:
    print(
        f"  {'group ranker':<12} picks a member was predicted to dislike and truly dislikes"
        " · picks a member truly dislikes"
    )
    for name, tally in tallies.items():
        share = (
            (tally.foreseen / tally.picks, tally.disliked / tally.picks) if tally.picks else (0, 0)
        )
        print(f"  {name:<12} {share[0]:.1%}   {share[1]:.1%}   ({tally.picks} picks)")


def main(argv: Sequence[str] | None = None) -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench.recommend", description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--members", type=int, default=60)
    parser.add_argument("--groups", type=int, default=30)
    args = parser.parse_args(argv)
    run(args.seed, args.runs, args.members, args.groups)


if __name__ == "__main__":
    main()
