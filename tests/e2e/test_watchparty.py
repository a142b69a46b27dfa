"""Watch parties end to end: the real bot, the playground's clock, restarts and threads."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.clock import ManualClock
from playground import Playground
from playground.events import Event
from playground.harness import DEFAULT_CORPUS, PlaygroundError
from tests.conftest import reset_postgres
from tests.e2e.conftest import BACKENDS

pytestmark = pytest.mark.e2e

START = datetime(2026, 10, 14, 12, 0, tzinfo=UTC)  # a Wednesday; Berlin is on CEST (UTC+2)
ADD = '/schedule add show:Ballard channel:#ballard when:"fridays 20:00" timezone:Europe/Berlin'


BOTH = pytest.mark.parametrize("playground", BACKENDS, indirect=True)


@pytest.fixture
async def playground(
    request: pytest.FixtureRequest, postgres_session_url: str | None
) -> AsyncIterator[Playground]:
    """A playground whose clock starts on START, with a #ballard channel.

    SQLite always; the tests marked BOTH also run on PostgreSQL when TEST_DATABASE_URL is set.
    """
    database_url = None
    if getattr(request, "param", "sqlite") == "postgresql":
        assert postgres_session_url is not None
        database_url = postgres_session_url
        await reset_postgres(database_url)
    pg = Playground(database_url=database_url, corpus=[DEFAULT_CORPUS], clock=ManualClock(START))
    await pg.open()
    pg.channel("ballard")
    try:
        yield pg
    finally:
        await pg.close(check=False)


async def advance_to(pg: Playground, moment: datetime) -> list[Event]:
    """Move the clock to `moment` (UTC) and return what happened."""
    return await pg.advance(moment - pg.clock.now())


def recaps(events: list[Event]) -> list[str]:
    """Episode codes of the Ballard recaps posted publicly in #ballard."""
    prefix = "📺 **Recap · Ballard "
    return [
        e.content.removeprefix(prefix)[:6]
        for e in events
        if e.type == "message" and e.channel == "ballard" and e.content.startswith(prefix)
    ]


def utc(day: int, hour: int, minute: int = 0, month: int = 10) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


@BOTH
async def test_fires_on_time_over_several_advances_and_across_dst(pg_add: Playground) -> None:
    pg = pg_add
    assert recaps(await advance_to(pg, utc(16, 17, 59))) == []
    events = await advance_to(pg, utc(16, 18, 0))  # Fri 16 Oct 20:00 CEST
    assert recaps(events) == ["S01E01"]
    assert events[0].components == ["Reveal"] and events[0].spoilers
    threads = [e for e in events if e.type == "thread"]
    assert [t.thread for t in threads] == ["Ballard S01E01 · discussion"]
    assert recaps(await advance_to(pg, utc(23, 17, 59))) == []
    assert recaps(await advance_to(pg, utc(23, 18, 0))) == ["S01E02"]
    # Clocks go back on Sunday 25 October: 20:00 in Berlin is now 19:00 UTC.
    assert recaps(await advance_to(pg, utc(30, 18, 59))) == []
    assert recaps(await advance_to(pg, utc(30, 19, 0))) == ["S01E03"]
    # Several firings in one advance: each in order, none late.
    events = await advance_to(pg, utc(14, 0, month=11))
    assert recaps(events) == ["S01E04", "S01E05"]
    assert not any("posted late" in e.content for e in events)


@pytest.fixture
async def pg_add(playground: Playground) -> Playground:
    (reply,) = await playground.command("admin", "general", ADD)
    assert reply.visible_to == ["admin"]
    assert reply.content.startswith(
        "📅 Watch party set: **Ballard** in #ballard · fridays 20:00 (Europe/Berlin).\n"
        "First up: S01E01 on Fri 16 Oct 2026 20:00 CEST"
    )
    return playground


@BOTH
async def test_restart_posts_a_recent_miss_late_once_and_skips_an_old_one(
    pg_add: Playground,
) -> None:
    pg = pg_add
    assert recaps(await advance_to(pg, utc(16, 19))) == ["S01E01"]
    await pg.stop_bot()
    pg.clock.advance(utc(23, 21) - pg.clock.now())  # S01E02 was due 3 h ago (grace: 6 h)
    mark = len(pg.events)
    await pg.start_bot()
    events = pg.events[mark:]
    notes = [e.content for e in events if e.content.startswith("⏰")]
    assert notes == ["⏰ Ballard S01E02 recap posted late: was due Fri 23 Oct 2026 20:00 CEST."]
    assert recaps(events) == ["S01E02"]
    mark = len(pg.events)
    await pg.restart_bot()
    assert recaps(pg.events[mark:]) == []  # posted once, not again after another restart
    await pg.stop_bot()
    pg.clock.advance(utc(31, 14) - pg.clock.now())  # S01E03 was due 19 h ago: too old
    mark = len(pg.events)
    await pg.start_bot()
    assert recaps(pg.events[mark:]) == []
    (listing,) = await pg.command("admin", "general", "/schedule list")
    assert "next S01E03 · Fri 6 Nov 2026 20:00 CET" in listing.content
    assert recaps(await advance_to(pg, utc(6, 19, month=11))) == ["S01E03"]


@BOTH
async def test_thread_gating_below_at_and_past_the_episode(pg_add: Playground) -> None:
    pg = pg_add
    await pg.command("dave", "general", "/progress set show:Ballard episode:S01E05")
    await advance_to(pg, utc(23, 18))  # S01E01 and S01E02 with their threads
    thread = pg.thread("Ballard S01E02 · discussion")
    dave = pg.user("dave").id
    assert dave in thread.members  # already past S01E02 when it opened
    await pg.command("bob", "general", "/progress set show:Ballard episode:S01E01")
    (refusal,) = await pg.command("bob", "general", "/discuss show:Ballard episode:S01E02")
    assert refusal.visible_to == ["bob"]
    assert refusal.content == (
        "The **Ballard S01E02** thread is for members who have watched S01E02, and you are at "
        "S01E01. Watched it already? Update your progress to join."
    )
    assert refusal.components == ["I've watched S01E02"]
    assert pg.user("bob").id not in thread.members
    assert not pg.visible_messages("bob", "Ballard S01E02 · discussion")
    (offer,) = await pg.command("carol", "general", "/progress set show:Ballard episode:S01E02")
    assert "💬 You can now join the discussion of S01E01, S01E02." in offer.content
    events = await pg.command("carol", "general", "/discuss show:Ballard episode:S01E02")
    assert [e.type for e in events] == ["thread_member", "ephemeral"]
    assert events[-1].content.startswith("You're in <#")
    assert pg.user("carol").id in thread.members
    events = await pg.command("dave", "general", "/discuss show:Ballard episode:S01E02")
    assert events[-1].content.startswith("You're in <#")
    (confirm,) = await pg.click("bob", "I've watched S01E02")
    assert "sets your **Ballard** progress to S01E02" in confirm.content
    events = await pg.click("bob", "Yes: set S01E02 and join")
    assert events[-1].content.startswith("Progress in **Ballard** is now S01E02. You're in <#")
    assert pg.user("bob").id in thread.members
    assert pg.visible_messages("bob", "Ballard S01E02 · discussion")


async def test_the_show_running_out_ends_the_schedule_with_a_closing_message(
    playground: Playground,
) -> None:
    pg = playground
    await pg.command("admin", "general", ADD + " start_episode:S01E09")
    events = await advance_to(pg, utc(30, 20))
    assert recaps(events) == ["S01E09", "S01E10"]
    closing = [e.content for e in events if e.content.startswith("🎬")]
    assert closing == [
        "🎬 That was the last Ballard recap I have, so this watch party is over. "
        "Thanks for watching together!"
    ]
    assert recaps(await advance_to(pg, utc(30, 20, month=11))) == []
    (listing,) = await pg.command("admin", "general", "/schedule list")
    assert listing.content.endswith("· ended")


async def test_pause_resume_skip_and_remove(pg_add: Playground) -> None:
    pg = pg_add
    (paused,) = await pg.command("admin", "general", "/schedule pause schedule:Ballard")
    assert paused.content.startswith("⏸ Paused the **Ballard** watch party.")
    assert recaps(await advance_to(pg, utc(17, 12))) == []
    (resumed,) = await pg.command("admin", "general", "/schedule resume schedule:Ballard")
    assert "S01E01 on Fri 23 Oct 2026 20:00 CEST" in resumed.content
    (skipped,) = await pg.command("admin", "general", "/schedule skip schedule:Ballard")
    assert skipped.content.startswith("⏭ Skipped S01E01 of **Ballard**")
    assert recaps(await advance_to(pg, utc(23, 18))) == ["S01E02"]
    choices = await pg.autocomplete("admin", "general", "/schedule remove", "schedule", "ball")
    assert [c["name"] for c in choices] == [
        "Ballard in #ballard · fridays 20:00 · next S01E03 · Fri 30 Oct 2026 20:00 CET"
    ]
    (removed,) = await pg.command(
        "admin", "general", f"/schedule remove schedule:{choices[0]['value']}"
    )
    assert removed.content.startswith("🗑 Removed the **Ballard** watch party in #ballard.")
    assert recaps(await advance_to(pg, utc(31, 12))) == []


async def test_bad_input_is_answered_privately_and_changes_nothing(pg_add: Playground) -> None:
    pg = pg_add
    pg.channel("quiet")
    pg.overwrite("quiet", "Cliffhanger", deny=["create_private_threads"])
    bad = {
        "show:Ballard channel:#quiet when:daily timezone:UTC":
            "I need the **Create Private Threads** permission",
        'show:Ballard channel:#general when:"fridayz 8pm" timezone:UTC':
            "I can't read “fridayz 8pm” as a schedule. Try `fridays 20:00`",
        'show:Ballard channel:#general when:"daily 18:30" timezone:Europe/Berln':
            "Did you mean `Europe/Berlin`",
        'show:Ballard channel:#ballard when:"daily 18:30" timezone:UTC':
            "That channel already has a Ballard watch party",
        'show:"Permit Pending" channel:#general when:"daily 18:30" timezone:UTC '
        "start_episode:S01E07": "There are no Permit Pending recaps from S01E07 on",
    }  # fmt: skip
    for options, message in bad.items():
        (reply,) = await pg.command("admin", "general", f"/schedule add {options}")
        assert reply.visible_to == ["admin"] and message in reply.content, reply.content
    with pytest.raises(PlaygroundError, match="cannot see /schedule"):
        await pg.command("bob", "general", "/schedule list")
    (listing,) = await pg.command("admin", "general", "/schedule list")
    assert listing.content.count("•") == 1
