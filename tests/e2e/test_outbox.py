"""Nothing slips through: outages, restarts, races, resent events and link previews (issue 18).

Every spoiler ends hidden (one tagged copy, original deleted) or visibly warned; never silently
visible, never copied twice, never deleted before its copy exists.
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from db.engine import create_engine
from db.models import HiddenMessage, OutboxJob
from playground import Playground, ops
from playground.model import Message
from playground.payloads import message_payload
from tests.conftest import database_outage

pytestmark = pytest.mark.e2e

SPOILER = "cant believe the captain walks free lol"
WEBHOOK = "/webhooks/{id}/{token}"


async def _tie(playground: Playground, line: str = "S01E05") -> None:
    await playground.command(
        "admin", "ballard", f"/channel-show set show:Ballard open_up_to:{line}"
    )


def _copies(playground: Playground, channel: str = "ballard") -> list[str]:
    return [m.content for m in playground.visible_messages("bob", channel) if m.webhook_id]


def _originals(playground: Playground, text: str, channel: str = "ballard") -> int:
    visible = playground.visible_messages("bob", channel)
    return sum(1 for m in visible if not m.webhook_id and m.content == text)


def _warnings(playground: Playground) -> list[str]:
    return [e.content for e in playground.events if "Heads-up" in e.content]


async def _jobs(playground: Playground) -> dict[int, str]:
    engine = create_engine(playground.database_url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(select(OutboxJob.message_id, OutboxJob.state))
            return {row.message_id: row.state for row in rows}
    finally:
        await engine.dispose()


def _post(playground: Playground, user: str, channel: str, text: str) -> Message:
    """Post without waiting for the bot (to race it)."""
    who, where = playground.user(user), playground.channel(channel)
    return ops.post_message(playground.world, where, who, {"content": text})


# ---- races, resent events and link previews ------------------------------------------------


async def test_a_resent_message_create_is_hidden_once(playground: Playground) -> None:
    await _tie(playground)
    message = _post(playground, "alice", "ballard", SPOILER)
    payload = message_payload(playground.world, message, for_bot=True, gateway=True)
    playground.world.dispatch("MESSAGE_CREATE", payload)  # Discord resends it after a resume
    await playground.settle()
    assert len(_copies(playground)) == 1
    assert _warnings(playground) == []
    assert await _jobs(playground) == {message.id: "hidden"}


async def test_editing_right_after_posting_gives_one_copy_and_no_false_warning(
    playground: Playground,
) -> None:
    await _tie(playground)
    message = _post(playground, "alice", "ballard", SPOILER)
    await asyncio.sleep(0.01)
    ops.edit_message(playground.world, message, {"content": f"{SPOILER}!!"})
    await playground.settle()
    (copy,) = _copies(playground)
    assert "Ballard S01E10" in copy
    assert _warnings(playground) == []
    assert _originals(playground, f"{SPOILER}!!") == 0


async def test_deleting_right_after_posting_never_reposts_it(playground: Playground) -> None:
    await _tie(playground)
    message = _post(playground, "alice", "ballard", SPOILER)
    ops.delete_message(playground.world, message)
    await playground.settle()
    assert _copies(playground) == []
    assert _warnings(playground) == []


async def test_deleting_while_the_copy_is_posted_removes_the_copy(playground: Playground) -> None:
    await _tie(playground)
    playground.faults.slow("POST", WEBHOOK, delay=0.2, times=1)
    message = _post(playground, "alice", "ballard", SPOILER)
    await asyncio.sleep(0.1)  # the copy is on its way
    ops.delete_message(playground.world, message)
    await playground.settle()
    assert _copies(playground) == []  # 10008 on delete: withdrawn, so the copy goes too
    assert _warnings(playground) == []


async def test_a_link_preview_update_is_not_a_second_spoiler(playground: Playground) -> None:
    await _tie(playground)
    text = f"{SPOILER} https://example.org/ballard-finale"
    events = await playground.send("alice", "ballard", text)
    assert sum(1 for e in events if e.webhook) == 1
    assert _warnings(playground) == []
    assert _originals(playground, text) == 0


async def test_the_playground_unfurls_links_like_discord(playground: Playground) -> None:
    (message,) = await playground.send("alice", "general", "recap here https://example.org/ep3")
    assert playground.world.previews.sent == 1
    stored = playground.message(message)
    assert stored.content == "recap here https://example.org/ep3"  # content unchanged
    assert stored.embeds[-1]["url"] == "https://example.org/ep3"
    assert stored.edited_at is None  # a preview is not an edit
    assert len(playground.events) == 1  # and the bot did nothing with it


# ---- Discord failing ---------------------------------------------------------------------


async def test_persistent_webhook_outage_warns_within_seconds(playground: Playground) -> None:
    await _tie(playground)
    playground.settle_timeout = 60
    playground.faults.fail("POST", WEBHOOK, status=503, times=None)
    started = time.monotonic()
    for number in range(4):
        _post(playground, "alice", "ballard", f"{SPOILER} #{number}")
    await playground.settle()
    elapsed = time.monotonic() - started
    assert len(_warnings(playground)) == 4
    assert elapsed < 12, f"took {elapsed:.1f} s to warn"
    assert set((await _jobs(playground)).values()) == {"warned"}


# ---- the database failing ----------------------------------------------------------------


async def test_database_outage_still_hides_and_writes_later(playground: Playground) -> None:
    await _tie(playground)
    await playground.send("alice", "ballard", "who is watching tonight?")  # the line is known
    bot = playground.bot
    async with database_outage(bot.sessions, playground.database_url):
        for number in range(3):
            events = await playground.send("alice", "ballard", f"{SPOILER} #{number}")
            assert [e.type for e in events] == ["message", "message", "delete"]
        named = await playground.send("carol", "general", "omg in ballard the dad did it")
        assert any(e.webhook and "Ballard S01E08" in e.content for e in named)  # nothing known
        assert len(await _jobs(playground)) == 0  # nothing could be written yet
    for _ in range(60):  # written by the outbox's own retry once the database is back
        states = await _jobs(playground)
        if len(states) == 4:
            break
        await asyncio.sleep(0.1)
    assert sorted(states.values()) == ["hidden"] * 4
    await playground.command("bob", "ballard", "/progress set show:Ballard episode:finale")
    (answer,) = await playground.click("bob", "Reveal", channel="ballard")
    assert SPOILER in answer.content  # the record written after the outage answers Reveal


async def test_nul_bytes_neither_leave_both_copies_nor_break_reveal(
    playground: Playground,
) -> None:
    await _tie(playground)
    text = f"{SPOILER}\x00 really"
    events = await playground.send("alice", "ballard", text)
    assert [e.type for e in events] == ["message", "message", "delete"]
    await playground.command("bob", "ballard", "/progress set show:Ballard episode:finale")
    (answer,) = await playground.click("bob", "Reveal")
    assert f"{SPOILER} really" in answer.content
    engine = create_engine(playground.database_url)
    try:
        async with engine.connect() as connection:
            stored = await connection.scalar(select(HiddenMessage.content))
    finally:
        await engine.dispose()
    assert stored == f"{SPOILER} really"


# ---- restarts ----------------------------------------------------------------------------


async def test_messages_posted_while_the_bot_was_down_are_caught_up(
    playground: Playground,
) -> None:
    await _tie(playground)
    await playground.send("alice", "ballard", "who is watching tonight?")
    await playground.stop_bot()
    missed = [_post(playground, "alice", "ballard", f"{SPOILER} #{n}") for n in range(3)]
    await playground.start_bot()
    assert len(_copies(playground)) == 3
    assert all(playground.world.messages[m.id].deleted for m in missed)
    assert set((await _jobs(playground)).values()) == {"hidden"}


async def test_a_job_left_open_by_a_crash_is_resumed_once(playground: Playground) -> None:
    await _tie(playground)
    await playground.stop_bot()
    message = _post(playground, "alice", "ballard", SPOILER)
    engine = create_engine(playground.database_url)
    now = datetime.now(UTC)
    try:
        async with engine.begin() as connection:  # the job a crashed run wrote before reposting
            await connection.execute(
                OutboxJob.__table__.insert().values(
                    message_id=message.id, guild_id=playground.world.guild_id,
                    channel_id=message.channel_id, author_id=message.author.id,
                    show_id=await _ballard_id(connection), season=1, episode=10,
                    label="Ballard S01E10", text=SPOILER, attachments=[], state="pending",
                    attempts=0, copy_ids=[], reason=None, next_attempt_at=now,
                    created_at=now, updated_at=now,
                )
            )  # fmt: skip
    finally:
        await engine.dispose()
    await playground.start_bot()
    assert len(_copies(playground)) == 1  # resumed, and the catch-up did not hide it again
    assert playground.world.messages[message.id].deleted
    assert await _jobs(playground) == {message.id: "hidden"}


async def _ballard_id(connection: object) -> int:
    from db.models import Show

    value = await connection.scalar(select(Show.id).where(Show.title == "Ballard"))  # type: ignore[attr-defined]
    assert isinstance(value, int)
    return value


async def test_a_hiding_in_flight_at_shutdown_is_finished(playground: Playground) -> None:
    await _tie(playground)
    playground.faults.slow("POST", WEBHOOK, delay=0.5, times=1)
    message = _post(playground, "alice", "ballard", SPOILER)
    await asyncio.sleep(0.1)  # the copy is on its way when the bot is told to stop
    await playground.restart_bot(settle=False)
    assert len(_copies(playground)) == 1
    assert playground.world.messages[message.id].deleted


# ---- the lean path (issue 22) ------------------------------------------------------------


async def test_spoilers_read_no_settings_and_write_records_in_batches(
    playground: Playground,
) -> None:
    await _tie(playground)
    await playground.send("alice", "ballard", SPOILER)  # settings and line now in memory
    statements: list[str] = []

    def seen(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(" ".join(statement.split()).lower())

    engine = playground.bot.engine.sync_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        for number in range(3):
            _post(playground, "alice", "ballard", f"{SPOILER} #{number}")
        await playground.settle()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(_copies(playground)) == 4
    assert not [s for s in statements if "guild_settings" in s]
    assert not [s for s in statements if s.startswith("select") and "hidden_messages" in s]
    assert sum(1 for s in statements if s.startswith("insert into hidden_messages")) <= 3
    await playground.command("admin", "ballard", "/spoilers mode mode:warn")  # drops the cache
    events = await playground.send("alice", "ballard", f"{SPOILER} again")
    assert [e.type for e in events] == ["message", "message"]
    assert "Heads-up" in events[1].content


async def test_the_catch_up_reaches_back_one_hour_only(playground: Playground) -> None:
    await _tie(playground)
    await playground.send("alice", "ballard", "who is watching tonight?")
    await playground.stop_bot()
    old = _post(playground, "alice", "ballard", f"{SPOILER} (old)")
    playground.clock.advance(timedelta(hours=2))
    recent = _post(playground, "alice", "ballard", f"{SPOILER} (recent)")
    await playground.start_bot()
    (copy,) = _copies(playground)
    assert "(recent)" in copy and playground.world.messages[recent.id].deleted
    assert not playground.world.messages[old.id].deleted  # older than the window: left alone


async def test_a_retry_never_takes_another_spoilers_copy_as_its_own(playground: Playground) -> None:
    await _tie(playground)
    playground.faults.fail("POST", "/webhooks/{id}/{token}", status=503, times=1)
    longer = f"{SPOILER} and then the whole harbour finds out"
    channel = playground.channel("ballard")
    ops.post_message(playground.world, channel, playground.user("bob"), {"content": longer})
    ops.post_message(playground.world, channel, playground.user("alice"), {"content": SPOILER})
    await playground.settle()
    visible = [m.content for m in playground.visible_messages("carol", "ballard")]
    assert longer not in visible and SPOILER not in visible  # both originals are gone
    assert sum(f"||{longer}||" in text for text in visible) == 1, visible  # bob's own copy
    assert sum(f"||{SPOILER}||" in text for text in visible) == 1, visible
