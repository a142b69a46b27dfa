"""Watching with others: what's next for a member, and what a group could watch together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.recommend.ranking import Recommender, Scored, reason_for
from bot.recommend.taste import Audience
from bot.recommend.types import NextUp, SharedShow

GROUP_MEAN_WEIGHT = 0.75  # the rest is the least keen member's score: nobody gets dragged along


def watch_next(
    user_id: int,
    audience: Audience,
    shows: Mapping[int, ShowInfo],
    open_threads: Mapping[int, Iterable[EpisodeRef]] | None = None,
) -> list[NextUp]:
    """Every unfinished show of the member: next episode (code only) and who is level or ahead."""
    result = []
    for show_id, position in audience.activity.progress.get(user_id, {}).items():
        show = shows.get(show_id)
        if show is None or not show.seasons:
            continue
        layout = show.layout
        if not position.is_nothing and not layout.contains(position):
            continue
        following = layout.next_after(position)
        if following is None:
            continue
        threads = sorted(
            {ref for ref in (open_threads or {}).get(show_id, ()) if _open_to(ref, position)}
        )
        level = _level_or_ahead(audience, user_id, show_id, position)
        result.append(NextUp(show, position, following, level, tuple(threads)))
    return sorted(result, key=lambda item: (-item.level_or_ahead, item.show.title.casefold()))


def _open_to(ref: EpisodeRef, position: EpisodeRef) -> bool:
    """A thread is open to the member when its episode is one they have watched."""
    return not ref.is_nothing and ref <= position


def _level_or_ahead(audience: Audience, user_id: int, show_id: int, position: EpisodeRef) -> int:
    others = audience.members - {user_id} - set(audience.activity.private)
    return sum(
        1
        for other in others
        if (theirs := audience.activity.position(other, show_id)) is not None and theirs >= position
    )


def shared_shows(
    members: Sequence[int], audience: Audience, shows: Mapping[int, ShowInfo]
) -> list[SharedShow]:
    """Shows every member has started, with the episode all of them have reached."""
    if not members:
        return []
    progress = audience.activity.progress
    common_ids = set.intersection(*(set(progress.get(member, {})) for member in members))
    result = []
    for show_id in common_ids:
        show = shows.get(show_id)
        if show is None:
            continue
        common = min(progress[member][show_id] for member in members)
        following = show.layout.next_after(common) if show.seasons else None
        result.append(SharedShow(show, common, following))
    return sorted(result, key=lambda item: item.show.title.casefold())


def party_shared(
    members: Sequence[int], audience: Audience, shows: Mapping[int, ShowInfo]
) -> tuple[list[SharedShow], int]:
    """Shared shows of the members who share progress, and how many members keep it private."""
    sharing = [member for member in members if member not in audience.activity.private]
    return shared_shows(sharing, audience, shows), len(members) - len(sharing)


@dataclass(frozen=True, slots=True)
class GroupPick:
    """A show for the group: blended score and a reason."""

    show_id: int
    score: float
    reason: str


def group_rank(
    recommender: Recommender, audience: Audience, members: Sequence[int]
) -> list[GroupPick]:
    """Shows none of the members started, ranked by their blended personal scores."""
    started = set().union(*(audience.activity.started(member) for member in members))
    candidates = [show_id for show_id in recommender.shows if show_id not in started]
    per_member = {
        member: {item.show_id: item for item in recommender.rank(member, audience, candidates)}
        for member in members
    }
    titles = recommender.titles()
    picks = [_group_pick(show_id, per_member, titles, audience) for show_id in candidates]
    return sorted(picks, key=lambda pick: (-pick.score, titles[pick.show_id]))


def _group_pick(
    show_id: int,
    per_member: Mapping[int, Mapping[int, Scored]],
    titles: Mapping[int, str],
    audience: Audience,
) -> GroupPick:
    scores = {member: ranked[show_id] for member, ranked in per_member.items()}
    values = [item.score for item in scores.values()]
    score = GROUP_MEAN_WEIGHT * fmean(values) + (1 - GROUP_MEAN_WEIGHT) * min(values)
    keenest = max(
        scores, key=lambda member: (scores[member].anchor is not None, scores[member].score)
    )
    mine = scores[keenest]
    watching = audience.watching(show_id, exclude=per_member)
    best = Scored(show_id, mine.score, mine.anchor, 0, watching, mine.critics)
    ratings = audience.activity.ratings.get(keenest, {})
    reason = reason_for(best, titles, ratings, group=len(scores) > 1)
    return GroupPick(show_id, round(score, 4), reason)


def _keenness(scored: Scored) -> tuple[bool, float]:
    """Prefer the member whose reason can name a show they loved, then the highest score."""
    return scored.anchor is not None, scored.score
