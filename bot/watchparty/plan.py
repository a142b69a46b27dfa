"""The firing plan: which episode a firing posts, what comes next, and what to do when late."""

from __future__ import annotations

import enum
from collections.abc import Collection, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from bot.catalog.episodes import EpisodeRef, ShowLayout
from bot.watchparty.cadence import Cadence

ON_TIME_TOLERANCE = timedelta(minutes=2)
MAX_MISSED_STEPS = 10_000


@dataclass(frozen=True, slots=True)
class FiringPlan:
    """What one firing does: post `episode` (None: the show is over), then wait for `following`."""

    episode: EpisodeRef | None
    following: EpisodeRef | None

    @property
    def is_final(self) -> bool:
        """True when this firing posts the last recap (or nothing is left at all)."""
        return self.following is None


def recap_episodes_from(
    layout: ShowLayout, with_recaps: Collection[EpisodeRef], start: EpisodeRef
) -> Iterator[EpisodeRef]:
    """Episodes at or after `start` that have a recap, in watching order."""
    for ref in layout.episodes():
        if ref >= start and ref in with_recaps:
            yield ref


def plan_firing(
    layout: ShowLayout, with_recaps: Collection[EpisodeRef], next_episode: EpisodeRef
) -> FiringPlan:
    """The episode to post now (the first with a recap from `next_episode`) and the one after."""
    upcoming = recap_episodes_from(layout, with_recaps, next_episode)
    episode = next(upcoming, None)
    following = next(upcoming, None) if episode is not None else None
    return FiringPlan(episode, following)


def skip_target(
    layout: ShowLayout, with_recaps: Collection[EpisodeRef], next_episode: EpisodeRef
) -> tuple[EpisodeRef | None, EpisodeRef | None]:
    """(the episode a skip passes over, the episode the next firing then posts)."""
    plan = plan_firing(layout, with_recaps, next_episode)
    return plan.episode, plan.following


class Timing(enum.Enum):
    """How a firing relates to its due time."""

    ON_TIME = "on time"
    LATE = "late"
    TOO_LATE = "too late"


def timing(due: datetime, now: datetime, grace: timedelta) -> Timing:
    """On time within a couple of minutes; late within the grace period; else too late."""
    delay = now - due
    if delay <= ON_TIME_TOLERANCE:
        return Timing.ON_TIME
    if delay <= grace:
        return Timing.LATE
    return Timing.TOO_LATE


@dataclass(frozen=True, slots=True)
class MissedFirings:
    """Firings that fell due while nobody was running them."""

    latest: datetime
    skipped: tuple[datetime, ...]
    next_after_now: datetime | None


def missed_firings(cadence: Cadence, first_due: datetime, now: datetime) -> MissedFirings:
    """Walk the firings from `first_due` up to `now`: the latest one, the older ones, the next."""
    skipped: list[datetime] = []
    latest = first_due
    for _ in range(MAX_MISSED_STEPS):
        following = cadence.next_after(latest)
        if following is None or following > now:
            return MissedFirings(latest, tuple(skipped), following)
        skipped.append(latest)
        latest = following
    return MissedFirings(latest, tuple(skipped), cadence.next_after(now))


def late_note(due: datetime, zone: tzinfo) -> str:
    """`posted late: was due Fri 9 Jan 2026 20:00 CET`."""
    return f"posted late: was due {format_local(due.astimezone(zone))}"


def format_local(moment: datetime) -> str:
    """`Fri 9 Jan 2026 20:00 CET`."""
    return f"{moment:%a} {moment.day} {moment:%b %Y %H:%M} {moment.tzname() or ''}".rstrip()
