"""Watch-party schedules through the service, on every configured database backend."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.catalog.episodes import EpisodeRef
from bot.catalog.store import CatalogStore
from bot.clock import ManualClock
from bot.corpus.service import import_paths
from bot.errors import NotFoundError
from bot.progress.service import ProgressService
from bot.recaps.service import Recap, RecapService
from bot.watchparty.discussion import DiscussionService
from bot.watchparty.errors import ScheduleError
from bot.watchparty.firing import Outcome, PostingFailed
from bot.watchparty.service import NewSchedule, WatchPartyService
from bot.watchparty.store import ScheduleRow
from db.engine import create_engine, create_session_factory
from db.models import DiscussionThread, GuildSettings, PostedRecap, Schedule, Show
from tests.conftest import SAMPLE_CORPUS

GUILD, CHANNEL, ADMIN, ALICE = 10, 20, 1, 1001
START = datetime(2026, 1, 5, 12, 0, tzinfo=UTC)  # a Monday
FRIDAY_8PM_BERLIN = datetime(2026, 1, 9, 19, 0, tzinfo=UTC)
E = EpisodeRef


@dataclass
class FakePoster:
    """Records what a firing would post; can be told to fail or to be slow."""

    posts: list[tuple[int, str, str | None]] = field(default_factory=list)
    threads: list[tuple[str, list[int]]] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    fail: bool = False
    delay: float = 0.0

    async def post_recap(self, row: ScheduleRow, recap: Recap, note: str | None) -> int:
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.fail:
            raise PostingFailed("Missing Access")
        self.posts.append((row.id, recap.episode.code, note))
        return 5000 + len(self.posts)

    async def open_thread(self, row: ScheduleRow, recap: Recap, members: list[int]) -> int:
        self.threads.append((recap.episode.code, members))
        return 9000 + len(self.threads) + 100 * row.id

    async def post_text(self, row: ScheduleRow, text: str) -> None:
        self.texts.append(text)

    @property
    def codes(self) -> list[str]:
        return [code for _, code, _ in self.posts]


@dataclass
class Party:
    service: WatchPartyService
    poster: FakePoster
    clock: ManualClock
    progress: ProgressService
    discussion: DiscussionService
    sessions: async_sessionmaker[AsyncSession]


async def make_party(
    sessions: async_sessionmaker[AsyncSession], clock: ManualClock | None = None
) -> Party:
    clock = clock or ManualClock(START)
    catalog = CatalogStore(sessions)
    await catalog.refresh()
    progress = ProgressService(sessions, catalog, clock)
    recaps = RecapService(sessions, catalog, progress)
    poster = FakePoster()
    service = WatchPartyService(sessions, catalog, recaps, clock, poster, lambda: 6.0)
    discussion = DiscussionService(sessions, catalog, clock)
    return Party(service, poster, clock, progress, discussion, sessions)


@pytest.fixture
async def party(sessions: async_sessionmaker[AsyncSession]) -> Party:
    await import_paths(sessions, [SAMPLE_CORPUS])
    return await make_party(sessions)


def request(**changes: object) -> NewSchedule:
    values: dict[str, object] = dict(
        guild_id=GUILD, channel_id=CHANNEL, user_id=ADMIN, show="Ballard",
        cadence="fridays 20:00", timezone="Europe/Berlin",
    )  # fmt: skip
    values.update(changes)
    return NewSchedule(**values)  # type: ignore[arg-type]


async def count(sessions: async_sessionmaker[AsyncSession], model: type) -> int:
    async with sessions() as session:
        return await session.scalar(select(func.count()).select_from(model)) or 0


async def advance(party: Party, delta: timedelta) -> list[Outcome]:
    now = party.clock.advance(delta)
    return [f.outcome for f in await party.service.run_due(now, simulate=True)]


async def test_add_list_pause_resume_skip_remove(party: Party) -> None:
    view = await party.service.add(request(show="balard"))
    assert (view.show_title, view.row.next_episode, view.row.next_fire_at) == (
        "Ballard", E(1, 1), FRIDAY_8PM_BERLIN,
    )  # fmt: skip
    assert view.line("#ballard") == (
        "**Ballard** in #ballard · fridays 20:00 (Europe/Berlin) · next S01E01 · "
        "Fri 9 Jan 2026 20:00 CET"
    )
    paused = await party.service.pause(GUILD, str(view.row.id))
    assert paused.row.paused and paused.row.next_fire_at is None
    with pytest.raises(ScheduleError, match="already paused"):
        await party.service.pause(GUILD, "Ballard")
    party.clock.advance(timedelta(days=7))
    resumed = await party.service.resume(GUILD, "ballard")
    assert resumed.row.next_fire_at == FRIDAY_8PM_BERLIN + timedelta(days=7)
    skipped, passed = await party.service.skip(GUILD, "Ballard")
    assert (passed, skipped.row.next_episode) == (E(1, 1), E(1, 2))
    assert [v.row.id for v in await party.service.list(GUILD)] == [view.row.id]
    await party.service.remove(GUILD, str(view.row.id))
    assert await party.service.list(GUILD) == []
    with pytest.raises(NotFoundError, match="no schedule"):
        await party.service.remove(GUILD, "Ballard")


async def test_bad_input_is_friendly_and_changes_nothing(party: Party) -> None:
    await party.service.add(request())
    cases = [
        (request(), "already has a Ballard watch party"),
        (request(channel_id=21, timezone="Europe/Berln"), "Did you mean `Europe/Berlin`"),
        (request(channel_id=21, cadence="fortnightly"), "Try `fridays 20:00`"),
        (request(channel_id=21, start_episode="S01E11"), "Ballard has 10 episodes"),
        (request(channel_id=21, show="Permit Pending", start_episode="S01E07"), "no Permit"),
    ]
    for bad, message in cases:
        with pytest.raises(Exception, match=message):
            await party.service.add(bad)
    assert await count(party.sessions, Schedule) == 1


async def test_fires_on_time_in_order_then_ends_with_a_closing_message(party: Party) -> None:
    await party.service.add(request(start_episode="S01E08"))
    await party.service.add(request(channel_id=21, show="Coldwake", cadence="daily 21:00"))
    assert await advance(party, timedelta(days=4, hours=7, minutes=30)) == [Outcome.POSTED] * 5
    assert party.poster.codes == ["S01E01", "S01E02", "S01E03", "S01E04", "S01E08"]
    assert all(note is None for _, _, note in party.poster.posts)
    await advance(party, timedelta(days=14))
    ballard = [code for sid, code, _ in party.poster.posts if sid == 1]
    assert ballard == ["S01E08", "S01E09", "S01E10"]
    assert [text.split(" recap")[0] for text in party.poster.texts] == [
        "🎬 That was the last Coldwake",
        "🎬 That was the last Ballard",
    ]
    (view, _) = await party.service.list(GUILD)
    assert view.row.ended and view.state == "ended"
    assert await count(party.sessions, DiscussionThread) == len(party.poster.posts)


async def test_threads_invite_members_already_there(party: Party) -> None:
    await party.progress.set(ALICE, "Ballard", "S01E02")
    await party.progress.set(1002, "Ballard", "S01E01")
    await party.service.add(request(start_episode="S01E02"))
    await advance(party, timedelta(days=5))
    assert party.poster.threads == [("S01E02", [ALICE])]


async def test_missed_firing_within_grace_is_posted_once_late_with_a_note(party: Party) -> None:
    await party.service.add(request())
    party.clock.advance(timedelta(days=4, hours=10))  # 3 h after Friday 20:00 Berlin
    firings = await party.service.run_due(party.clock.now())
    assert [(f.outcome, f.late) for f in firings] == [(Outcome.POSTED, True)]
    assert party.poster.posts == [(1, "S01E01", "posted late: was due Fri 9 Jan 2026 20:00 CET")]
    assert await party.service.run_due(party.clock.now()) == []


async def test_older_misses_are_skipped_and_the_episode_waits(party: Party) -> None:
    await party.service.add(request())
    party.clock.advance(timedelta(days=5, hours=4))  # Saturday 17:00: 21 h late
    firings = await party.service.run_due(party.clock.now())
    assert [f.outcome for f in firings] == [Outcome.SKIPPED]
    assert party.poster.posts == []
    (view,) = await party.service.list(GUILD)
    assert (view.row.next_episode, view.row.next_fire_at) == (
        E(1, 1), FRIDAY_8PM_BERLIN + timedelta(days=7),
    )  # fmt: skip


async def test_the_guild_grace_period_wins_over_the_default(party: Party) -> None:
    async with party.sessions() as session, session.begin():
        session.add(GuildSettings(guild_id=GUILD, recap_grace_hours=48.0))
    await party.service.add(request())
    party.clock.advance(timedelta(days=5, hours=4))
    firings = await party.service.run_due(party.clock.now())
    assert [(f.outcome, f.episode) for f in firings] == [(Outcome.POSTED, E(1, 1))]


async def test_a_failed_post_releases_the_claim_and_pauses(party: Party) -> None:
    await party.service.add(request())
    party.poster.fail = True
    assert await advance(party, timedelta(days=5)) == [Outcome.FAILED]
    assert await count(party.sessions, PostedRecap) == 0
    (view,) = await party.service.list(GUILD)
    assert view.row.paused and view.row.next_episode == E(1, 1)
    party.poster.fail = False
    await party.service.resume(GUILD, "Ballard")
    await advance(party, timedelta(days=7))
    assert party.poster.codes == ["S01E01"]


async def test_two_concurrent_firings_of_one_episode_post_once(party: Party) -> None:
    await party.service.add(request())
    party.poster.delay = 0.01
    (row,) = [v.row for v in await party.service.list(GUILD)]
    due = row.next_fire_at
    assert due is not None
    results = await asyncio.gather(*(party.service.firer.fire(row, due, due) for _ in range(4)))
    assert sorted(r.outcome.value for r in results) == ["duplicate"] * 3 + ["posted"]
    assert party.poster.codes == ["S01E01"]
    assert await count(party.sessions, PostedRecap) == 1


async def test_two_services_sharing_one_database_post_each_episode_once(
    party: Party, database_url: str
) -> None:
    engine = create_engine(database_url)
    try:
        other = await make_party(create_session_factory(engine), party.clock)
        await party.service.add(request())
        await party.service.add(request(channel_id=21, show="Coldwake", cadence="daily 21:00"))
        for _ in range(3):
            now = party.clock.advance(timedelta(days=3))
            await asyncio.gather(
                party.service.run_due(now, simulate=True), other.service.run_due(now, simulate=True)
            )
        posts = sorted((sid, code) for sid, code, _ in party.poster.posts + other.poster.posts)
        coldwake = [(2, f"S01E0{n}") for n in range(1, 9)]
        assert posts == [(1, "S01E01"), *coldwake]
        assert await count(party.sessions, PostedRecap) == 9
        assert len(party.poster.texts + other.poster.texts) == 1  # one closing message
    finally:
        await engine.dispose()


async def test_discussion_gating_by_progress(party: Party) -> None:
    await party.service.add(request())
    await advance(party, timedelta(days=12))  # S01E01 and S01E02
    show = party.discussion.show(1)
    with pytest.raises(NotFoundError, match="no Ballard S01E05 discussion thread"):
        await party.discussion.access(GUILD, ALICE, "Ballard", "S01E05")
    below = await party.discussion.access(GUILD, ALICE, "Ballard", "S01E02")
    assert (below.allowed, below.progress) == (False, None)
    await party.progress.set(ALICE, "Ballard", "S01E02")
    at = await party.discussion.access(GUILD, ALICE, "Ballard", "S01E02")
    assert at.allowed
    await party.progress.set(ALICE, "Ballard", "S01E07")
    assert (await party.discussion.access(GUILD, ALICE, "Ballard", "S01E01")).allowed
    assert await party.discussion.catch_up_to(ALICE, show, E(1, 2)) == E(1, 7)  # never backwards
    passed = await party.discussion.passed(GUILD, show, E(1, 1), E(1, 7))
    assert [t.episode for t in passed] == [E(1, 2)]
    reachable = await party.discussion.reachable(GUILD, ALICE, show, E(1, 9))
    assert [t.episode for t in reachable] == [E(1, 1), E(1, 2)]


async def test_the_real_time_timer_wakes_up_when_a_schedule_is_due(
    sessions: async_sessionmaker[AsyncSession],
) -> None:
    from sqlalchemy import update

    from bot.clock import SystemClock
    from bot.watchparty.timer import WakeupTimer

    await import_paths(sessions, [SAMPLE_CORPUS])
    party = await make_party(sessions, ManualClock(datetime.now(UTC)))
    view = await party.service.add(request())
    due = datetime.now(UTC) + timedelta(milliseconds=300)
    async with sessions() as session, session.begin():
        await session.execute(
            update(Schedule).where(Schedule.id == view.row.id).values(next_fire_at=due)
        )
    clock = SystemClock()
    timer = WakeupTimer(party.service.next_wakeup, lambda: party.service.run_due(clock.now()))
    timer.start()
    try:
        await timer.rearm()
        assert timer.armed_for == due
        for _ in range(250):
            if party.poster.posts:
                break
            await asyncio.sleep(0.02)
        assert party.poster.posts == [(view.row.id, "S01E01", None)]
        for _ in range(250):  # re-arming follows the post; allow a loaded machine 5 s
            if timer.armed_for is not None and timer.armed_for > due:
                break
            await asyncio.sleep(0.02)
        assert timer.armed_for is not None and timer.armed_for > due  # re-armed for next week
    finally:
        timer.shutdown()


async def test_a_claim_interrupted_mid_post_is_reported_not_reposted(party: Party) -> None:
    async with party.sessions() as session, session.begin():
        show_id = await session.scalar(select(Show.id).where(Show.title == "Ballard"))
        for episode, age in ((3, timedelta(hours=1)), (4, timedelta(seconds=30))):
            session.add(
                PostedRecap(
                    guild_id=GUILD, show_id=show_id, season=1, episode=episode,
                    channel_id=CHANNEL, posted_at=START - age,
                )
            )  # fmt: skip
    assert await party.service.unposted(GUILD) == ["Ballard S01E03"]
    assert await party.service.unposted(GUILD + 1) == []
    assert party.poster.codes == []


async def test_each_shard_process_fires_only_its_own_guilds(party: Party) -> None:
    on_zero, on_one = 4 << 22, 5 << 22  # guilds on shard 0 and shard 1 of 2
    ids = {}
    for guild in (on_zero, on_one):
        ids[guild] = (await party.service.add(request(guild_id=guild, channel_id=guild + 1))).row.id
    catalog = CatalogStore(party.sessions)
    await catalog.refresh()
    recaps = RecapService(party.sessions, catalog, party.progress)
    shard_one = WatchPartyService(
        party.sessions, catalog, recaps, party.clock, FakePoster(), lambda: 6.0, (2, (1,))
    )
    assert await shard_one.next_wakeup() == FRIDAY_8PM_BERLIN
    now = party.clock.advance(FRIDAY_8PM_BERLIN - START)
    fired = await shard_one.run_due(now)
    assert [f.schedule_id for f in fired] == [ids[on_one]]
    assert [f.schedule_id for f in await party.service.run_due(now)] == [ids[on_zero]]
