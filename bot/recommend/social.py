"""Watching with others: what's next for a member, and what a group could watch together."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import fmean

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.recommend.ranking import Recommender, Scored
from bot.recommend.reasons import NOTHING_TO_SAY, reason_for
from bot.recommend.taste import DISLIKED_PREFERENCE, Audience
from bot.recommend.types import LIKED_SCORE, Activity, NextUp, SharedShow


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


AGGREGATION = (
    "ranked by the group's average, leaving out anything one of you rated low, dropped, "
    "or is predicted to dislike"
)
"""How group picks are ranked ("average without misery"), said in the reply."""


@dataclass(frozen=True, slots=True)
class GroupPick:
    """A show for the group: its score, how many of the group started it, and a reason."""

    show_id: int
    score: float
    started: int
    members: int
    reason: str
    reached: tuple[int, EpisodeRef] | None = None  # members with visible progress, their least

    def explained(self) -> str:
        """The whole reason: who started it, then why (`nobody here has started it · …`)."""
        return f"{self.started_phrase()} · {self.reason}"

    def started_phrase(self) -> str:
        """`2 of 3 here have started it · both have reached S01E02` (or `nobody here …`)."""
        if not self.started:
            return "nobody here has started it"
        verb = "has" if self.started == 1 else "have"
        text = f"{self.started} of {self.members} here {verb} started it"
        if self.reached is None:
            return text
        sharing, common = self.reached
        if sharing == 1:
            who = "that one" if self.started == 1 else "1 who shares progress"
            return f"{text} · {who} has reached {common.code}"
        everyone = "both" if sharing == 2 else f"all {sharing}"
        who = everyone if sharing == self.started else f"{sharing} who share progress"
        return f"{text} · {who} have reached {common.code}"


def group_rank(
    recommender: Recommender, audience: Audience, members: Sequence[int]
) -> list[GroupPick]:
    """Shows the group could start together, by average without misery.

    Candidates are the shows not every member has started and none of them hid. A member's
    value for a show is their own verdict when they have one (a rating, progress, a drop),
    else their predicted score; a show anyone rated or is predicted to rate 4 or less is left
    out (taste similarity for the prediction never includes the show itself).
    """
    activity = audience.activity
    started = {member: activity.started(member) for member in members}
    hidden = set().union(*(activity.hidden.get(member, ()) for member in members))
    candidates = [
        show_id
        for show_id in recommender.shows
        if show_id not in hidden and not all(show_id in started[m] for m in members)
    ]
    assessed = {  # predictions only where the member has no verdict of their own
        member: {
            item.show_id: item
            for item in recommender.assess(
                member, audience, [s for s in candidates if s not in audience.of_member(member)]
            )
        }
        for member in members
    }
    titles = recommender.titles()
    picks = []
    for show_id in candidates:
        verdicts = [_verdict(audience, member, show_id, assessed[member]) for member in members]
        if any(value <= DISLIKED_PREFERENCE for value, _ in verdicts if value is not None):
            continue
        score = fmean(personal for _, personal in verdicts)
        count = sum(show_id in started[member] for member in members)
        reason = _group_reason(show_id, members, assessed, titles, audience)
        reached = _reached(activity, members, show_id)
        picks.append(GroupPick(show_id, round(score, 4), count, len(members), reason, reached))
    return sorted(picks, key=lambda pick: (-pick.score, titles[pick.show_id]))


def _reached(
    activity: Activity, members: Sequence[int], show_id: int
) -> tuple[int, EpisodeRef] | None:
    """How many members have visible progress in the show, and the episode all of them reached."""
    positions = [
        position
        for member in members
        if (position := activity.position(member, show_id)) is not None and not position.is_nothing
    ]
    return (len(positions), min(positions)) if positions else None


def _verdict(
    audience: Audience, member: int, show_id: int, assessed: Mapping[int, Scored]
) -> tuple[float | None, float]:
    """The member's known or predicted preference (−1…1), and their score for it on 0–1."""
    known = audience.of_member(member).get(show_id)
    if known is not None:
        return known, (known + 1) / 2
    scored = assessed[show_id]
    return scored.predicted, scored.score


def _group_reason(
    show_id: int,
    members: Sequence[int],
    assessed: Mapping[int, Mapping[int, Scored]],
    titles: Mapping[int, str],
    audience: Audience,
) -> str:
    """`one of you rated it 9`, then the reason of the member whose own shows say most for it."""
    ratings = audience.activity.ratings
    top = max((ratings.get(m, {}).get(show_id, 0) for m in members), default=0)
    own = f"one of you rated it {top}" if top >= LIKED_SCORE else ""
    scores = {m: assessed[m][show_id] for m in members if show_id in assessed[m]}
    if not scores:
        return own or "something new for you"
    keenest = max(scores, key=lambda member: _keenness(scores[member]))
    mine = scores[keenest]
    best = Scored(
        show_id,
        mine.score,
        mine.anchors,
        watching=audience.watching(show_id, exclude=members),
        critics=None if own else mine.critics,
        personal=mine.personal,
    )
    why = reason_for(best, titles, ratings.get(keenest, {}), group=len(members) > 1)
    if own and why == NOTHING_TO_SAY:
        return own
    return " · ".join(part for part in (own, why) if part)


def _keenness(scored: Scored) -> tuple[bool, float]:
    """Prefer the member whose reason can name a show they loved, then the highest score."""
    return bool(scored.anchors), scored.score
