"""The privacy rule as a property: a private member's progress changes nothing others read.

`/party suggest` is public, so nobody's private progress may move its text; `/watchnext` is the
asker's own, so only the *other* private members' progress may not move it. The service builds
both from `Activity.seen_by(viewer)`, as here.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalog.episodes import EpisodeRef
from bot.recommend.ranking import Recommender
from bot.recommend.social import group_rank, party_shared, watch_next
from bot.recommend.taste import Audience
from bot.recommend.types import Activity, PartyPlan, Recommendation
from tests.bot.recommend.conftest import Sample

MEMBERS = [1, 2, 3, 4]
SHOWS = ("Ballard", "Coldwake")
positions = st.one_of(st.none(), st.builds(EpisodeRef, st.just(1), st.integers(1, 8)))
progress_of = st.fixed_dictionaries({title: positions for title in SHOWS})
everyone = st.fixed_dictionaries({member: progress_of for member in MEMBERS})


def _activity(sample: Sample, table: dict[int, dict[str, EpisodeRef | None]], private: set[int]):
    progress = {
        member: {sample.id_of(title): ref for title, ref in shows.items() if ref is not None}
        for member, shows in table.items()
    }
    return Activity({2: {sample.id_of("The Quiet Ministry"): 9}}, progress, frozenset(private))


def _party_text(sample: Sample, recommender: Recommender, activity: Activity) -> str:
    audience = Audience.of(activity.seen_by(None), MEMBERS, sample.layouts)
    shared, private = party_shared(MEMBERS, audience, sample.shows)
    picks = group_rank(recommender, audience, MEMBERS)[:3]
    fresh = tuple(Recommendation(sample.shows[p.show_id], p.score, p.explained()) for p in picks)
    plan = PartyPlan(fresh, tuple(shared), private)
    return "\n".join(
        [*(r.line() for r in plan.fresh), *(s.line() for s in plan.shared), plan.note()]
    )


def _watchnext_text(sample: Sample, activity: Activity, viewer: int) -> str:
    audience = Audience.of(activity.seen_by(viewer), MEMBERS, sample.layouts)
    return "\n".join(item.line() for item in watch_next(viewer, audience, sample.shows))


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(table=everyone, other=everyone, private=st.sets(st.sampled_from(MEMBERS)))
def test_private_progress_never_changes_what_others_read(
    sample: Sample,
    recommender: Recommender,
    table: dict[int, dict[str, EpisodeRef | None]],
    other: dict[int, dict[str, EpisodeRef | None]],
    private: set[int],
) -> None:
    viewer = MEMBERS[0]
    changed = {m: (other[m] if m in private else table[m]) for m in MEMBERS}
    before, after = _activity(sample, table, private), _activity(sample, changed, private)
    assert _party_text(sample, recommender, before) == _party_text(sample, recommender, after)
    mine = {m: (table[m] if m == viewer else changed[m]) for m in MEMBERS}
    kept_mine = _activity(sample, mine, private)
    assert _watchnext_text(sample, before, viewer) == _watchnext_text(sample, kept_mine, viewer)


def test_the_party_note_counts_private_members() -> None:
    assert PartyPlan(private=0).note() == ""
    assert (
        PartyPlan(private=1).note() == "_1 member here keeps progress private and isn't counted._"
    )
    assert (
        PartyPlan(private=2).note() == "_2 members here keep progress private and aren't counted._"
    )
