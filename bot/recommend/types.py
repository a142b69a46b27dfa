"""Plain data the recommender consumes and produces (no Discord, no database)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.wording import plural

LIKED_SCORE = 7
LOW_SCORE = 3  # this or less is a clear dislike
MIN_SCORE, MAX_SCORE = 1, 10


@dataclass(frozen=True, slots=True)
class IntroLine:
    """A sentence from a review of a show's first episode, with its kind."""

    kind: str  # opinion | verdict (narration never becomes a blurb)
    text: str


@dataclass(frozen=True, slots=True)
class ReviewText:
    """One review's text, split into what happens (narration) and what the critic thinks."""

    narration: str = ""
    opinion: str = ""


@dataclass(frozen=True, slots=True)
class ShowText:
    """What the corpus says about one show: the input of similarity and blurbs."""

    show_id: int
    title: str
    genres: tuple[str, ...] = ()
    premise: str | None = None
    reviews: tuple[ReviewText, ...] = ()
    intro: tuple[IntroLine, ...] = ()  # opinion/verdict sentences of the first episode's reviews
    review_rating: float | None = None  # mean rating of the show's reviews
    review_count: int = 0


@dataclass(frozen=True, slots=True)
class Activity:
    """Ratings and progress of a set of members (the server, a channel, the benchmark)."""

    ratings: Mapping[int, Mapping[int, int]] = field(default_factory=dict)  # user → show → score
    progress: Mapping[int, Mapping[int, EpisodeRef]] = field(default_factory=dict)
    private: frozenset[int] = frozenset()  # members whose progress others may not see
    dropped: Mapping[int, frozenset[int]] = field(default_factory=dict)  # cleared unfinished
    hidden: Mapping[int, frozenset[int]] = field(default_factory=dict)  # "Not interested"
    listed: Mapping[int, frozenset[int]] = field(default_factory=dict)  # "Add to my list"

    def started(self, user_id: int) -> set[int]:
        """Shows the member has rated, recorded progress in, or dropped."""
        return (
            set(self.ratings.get(user_id, {}))
            | set(self.progress.get(user_id, {}))
            | set(self.dropped.get(user_id, ()))
        )

    def set_aside(self, user_id: int) -> set[int]:
        """Shows never to suggest to the member: started, not interested, or on their list."""
        return (
            self.started(user_id)
            | set(self.hidden.get(user_id, ()))
            | set(self.listed.get(user_id, ()))
        )

    def position(self, user_id: int, show_id: int) -> EpisodeRef | None:
        """Where the member is in a show, if they said."""
        return self.progress.get(user_id, {}).get(show_id)

    def seen_by(self, viewer: int | None) -> Activity:
        """What `viewer` may learn: private members' progress removed, except the viewer's own.

        `None` is everyone (a public reply). Ratings stay: they say nothing of anyone's position.
        Drops go with progress (a drop is a cleared position).
        """

        def visible(user_id: int) -> bool:
            return user_id not in self.private or user_id == viewer

        progress = {user: shows for user, shows in self.progress.items() if visible(user)}
        dropped = {user: shows for user, shows in self.dropped.items() if visible(user)}
        return replace(self, progress=progress, dropped=dropped)


@dataclass(frozen=True, slots=True)
class Recommendation:
    """A show to start, why, and a spoiler-free blurb (None when nothing safe can be said)."""

    show: ShowInfo
    score: float
    reason: str
    blurb: str | None = None

    def line(self) -> str:
        """`**Coldwake** — because you rated Ballard 9 · 2 members here are watching it`."""
        text = f"**{self.show.title}** — {self.reason}"
        return f"{text}\n> {self.blurb}" if self.blurb else text


@dataclass(frozen=True, slots=True)
class NextUp:
    """A show in progress: the next episode (code only) and who the member can talk to."""

    show: ShowInfo
    position: EpisodeRef
    next_episode: EpisodeRef
    level_or_ahead: int
    open_threads: tuple[EpisodeRef, ...] = ()

    def line(self) -> str:
        """`**Ballard** next S01E06 · 3 members here are level or ahead · threads S01E05`."""
        if self.level_or_ahead:
            people = plural(self.level_or_ahead, "member here is", "members here are")
            company = f"{people} level or ahead"
        else:
            company = "nobody here has got this far yet"
        text = f"**{self.show.title}** next {self.next_episode.code} · {company}"
        if self.open_threads:
            text += " · threads " + ", ".join(ref.code for ref in self.open_threads)
        return text


@dataclass(frozen=True, slots=True)
class SharedShow:
    """A show every sharing member of a group has started, and the episode all have reached."""

    show: ShowInfo
    common: EpisodeRef
    next_episode: EpisodeRef | None

    def line(self) -> str:
        """`**Ballard** everyone has reached S01E03 · next together S01E04`."""
        text = f"**{self.show.title}** everyone has reached {self.common.code}"
        return f"{text} · next together {self.next_episode.code}" if self.next_episode else text


@dataclass(frozen=True, slots=True)
class PartyPlan:
    """What a group could start together, and where they stand in shows they share.

    `private` counts the group's members who keep progress private: they are left out of
    `shared` ("everyone" means everyone who shares progress) and of every count.
    """

    fresh: tuple[Recommendation, ...] = ()
    shared: tuple[SharedShow, ...] = ()
    private: int = 0
    aggregation: str = ""  # how `fresh` is ranked, said in the reply

    def heading(self) -> str:
        """`**Start together** (ranked by …)`."""
        return (
            f"**Start together** ({self.aggregation})" if self.aggregation else "**Start together**"
        )

    def note(self) -> str:
        """`_1 member here keeps progress private and isn't counted._`, or ''."""
        if not self.private:
            return ""
        who = plural(self.private, "member here keeps", "members here keep")
        return f"_{who} progress private and {'is' if self.private == 1 else 'are'}n't counted._"
