"""End-to-end: every persistent button answers the member, within Discord's 3-second deadline.

The playground refuses a first response later than 3 s after the interaction (404, 10062
Unknown interaction, as Discord does), so a button that works too long before answering ends
in "The application did not respond".
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from playground import Playground, ops
from playground.events import Event
from playground.permissions import BOT_ROLE, P

pytestmark = pytest.mark.e2e

SPOILER = "cant believe the captain walks free lol"
NO_ANSWER = "The application did not respond"
DAILY = '/schedule add show:Ballard channel:#ballard when:"daily 20:00" timezone:UTC'


async def _repost(pg: Playground) -> Event:
    await pg.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E05")
    events = await pg.send("alice", "ballard", SPOILER)
    (repost,) = [e for e in events if e.webhook]
    return repost


def _answer(events: list[Event], user: str) -> str:
    """The one private answer the member saw (the deferred 'thinking' reply, filled in)."""
    texts = [e.content for e in events if e.visible_to == [user] and e.content]
    assert texts and NO_ANSWER not in texts, events
    return texts[-1]


async def test_join_threads_answers_in_time_with_ten_archived_threads(
    playground: Playground,
) -> None:
    await playground.command("admin", "ballard", DAILY)
    await playground.advance(timedelta(days=10))
    threads = [c for c in playground.world.channels.values() if c.is_thread]
    assert len(threads) == 10
    for thread in threads:
        ops.update_thread(playground.world, thread, {"archived": True})
    await playground.settle()
    (offer,) = await playground.command(
        "alice", "general", "/progress set show:Ballard episode:S01E10"
    )
    assert "Join the discussion threads" in offer.components
    # each thread costs three requests (fetch, unarchive, add): 0.15 s each on a busy Discord
    playground.faults.slow("*", "/channels/{id}", delay=0.15)
    playground.faults.slow("*", "/channels/{id}/thread-members/{id}", delay=0.15)
    events = await playground.click("alice", "Join the discussion threads")
    assert _answer(events, "alice").startswith("You're in 10 thread(s)")
    alice = playground.user("alice").id
    assert all(alice in thread.members and not thread.archived for thread in threads)


async def test_a_first_answer_after_three_seconds_is_refused_as_on_discord(
    playground: Playground,
) -> None:
    playground.faults.slow("POST", "/interactions/{id}/{token}/callback", delay=3.1, times=1)
    events = await playground.command("alice", "general", "/progress list")
    assert [e.content for e in events] == [NO_ANSWER]
    assert playground.server is not None
    assert ("POST", 404) in [
        (method, status)
        for method, path, status in playground.server.requests
        if path.endswith("/callback")
    ]
    assert playground.last_interaction.late


async def test_reveal_and_show_anyway_explain_a_post_that_is_gone(playground: Playground) -> None:
    await _repost(playground)
    (warning,) = await playground.click("bob", "Reveal")
    assert warning.components == ["Show anyway"]
    await playground.command("alice", "general", "/privacy forget")
    await playground.click("alice", "Forget everything")  # the hidden text goes with her data
    assert "no longer" in _answer(await playground.click("bob", "Show anyway"), "bob")
    assert "no longer" in _answer(await playground.click("carol", "Reveal"), "carol")


async def test_delete_and_not_a_spoiler_explain_what_is_missing(playground: Playground) -> None:
    await _repost(playground)
    refusal = _answer(await playground.click("bob", "Not a spoiler"), "bob")
    assert refusal == "Only moderators (Manage Messages) can undo a repost."
    playground.set_bot_permissions(BOT_ROLE & ~P.MANAGE_MESSAGES)
    await playground.settle()
    answer = _answer(await playground.click("alice", "Delete"), "alice")
    assert answer == (
        "I couldn't delete all of it: I need the Manage Messages permission here to remove it."
    )


async def test_a_failed_join_reaches_the_member_after_the_deferral(
    playground: Playground,
) -> None:
    await playground.command("admin", "ballard", DAILY)
    await playground.advance(timedelta(days=2))
    (offer,) = await playground.command(
        "alice", "general", "/progress set show:Ballard episode:S01E02"
    )
    assert "Join the discussion threads" in offer.components
    playground.faults.fail("PUT", "/channels/{id}/thread-members/{id}", status=403)
    answer = _answer(await playground.click("alice", "Join the discussion threads"), "alice")
    assert answer.startswith("I can't add you to that thread: I need the **Manage Threads**")
