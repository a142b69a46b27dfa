"""Reposts the way Discord's webhooks really behave: names, caps, uploads, forums, voice chat."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playground import Playground
from playground.hook_rules import MAX_UPLOAD_BYTES, name_problem

pytestmark = pytest.mark.e2e

SPOILER = "cant believe the captain walks free lol"
NAMED = "omg in ballard the dad did it"  # spoils Ballard wherever it is said
LOOK_ALIKES = str.maketrans("сеоаіСЕОАІ", "ceoaiCEOAI")


async def _tie_ballard(playground: Playground) -> None:
    await playground.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E05")


def _hidden(playground: Playground, channel: str, text: str) -> bool:
    """Nobody sees `text` in the open any more."""
    return not any(m.content == text for m in playground.visible_messages("bob", channel))


def _route(method: str, path: str) -> str:
    """A request with its ids and token blanked: `POST /webhooks/{id}/{token}`."""
    path = re.sub(r"/webhooks/\d+/[^/]+", "/webhooks/{id}/{token}", path.removeprefix("/api/v10"))
    return method + " " + re.sub(r"\d+", "{id}", path)


@pytest.mark.parametrize("name", ["Clyde", "discordfan", "CLYDE the cat"])
async def test_a_member_named_like_discord_staff_is_still_reposted(
    playground: Playground, name: str
) -> None:
    await _tie_ballard(playground)
    events = await playground.send(name, "ballard", SPOILER)
    assert [(e.type, e.webhook) for e in events] == [
        ("message", False),
        ("message", True),
        ("delete", False),
    ]
    shown = events[1].author
    assert name_problem(shown) is None and shown.translate(LOOK_ALIKES) == name
    assert _hidden(playground, "ballard", SPOILER)


async def test_a_channel_full_of_other_webhooks_gets_a_copy_from_the_bot(
    playground: Playground,
) -> None:
    await _tie_ballard(playground)
    playground.add_webhooks("ballard", 15)
    events = await playground.send("alice", "ballard", SPOILER)
    assert [(e.type, e.author) for e in events] == [
        ("message", "alice"),
        ("message", "Cliffhanger"),
        ("delete", "alice"),
    ]
    copy = events[1]
    alice = playground.user("alice").id
    assert copy.content == f"⚠ **Spoiler · Ballard S01E10** · from <@{alice}>\n||{SPOILER}||"
    assert copy.components == ["Reveal", "Delete", "Not a spoiler"]
    assert _hidden(playground, "ballard", SPOILER)
    events = await playground.click("alice", "Delete")
    assert [(e.type, e.author) for e in events if e.type == "delete"] == [("delete", "Cliffhanger")]
    assert playground.server is not None
    mark = len(playground.server.requests)
    await playground.send("bob", "ballard", SPOILER)  # Discord is not asked again at once
    made = [_route(m, p) for m, p, _status in playground.server.requests[mark:]]
    assert made == ["POST /channels/{id}/messages", "DELETE /channels/{id}/messages/{id}"]


async def test_a_spoiler_after_the_first_costs_two_requests(playground: Playground) -> None:
    await _tie_ballard(playground)
    await playground.send("alice", "ballard", SPOILER)
    assert playground.server is not None
    mark = len(playground.server.requests)
    for _ in range(3):
        await playground.send("bob", "ballard", SPOILER)
    made = [_route(method, path) for method, path, _status in playground.server.requests[mark:]]
    assert made == ["POST /webhooks/{id}/{token}", "DELETE /channels/{id}/messages/{id}"] * 3


async def test_a_deleted_webhook_is_made_again_and_the_repost_retried(
    playground: Playground,
) -> None:
    await _tie_ballard(playground)
    await playground.send("alice", "ballard", SPOILER)
    playground.world.webhooks.clear()  # a moderator removed it in the server's settings
    assert playground.server is not None
    mark = len(playground.server.requests)
    events = await playground.send("bob", "ballard", SPOILER)
    assert [(e.type, e.webhook) for e in events][1:] == [("message", True), ("delete", False)]
    assert len(playground.world.webhooks) == 1
    made = [(_route(m, p), status) for m, p, status in playground.server.requests[mark:]]
    assert made == [
        ("POST /webhooks/{id}/{token}", 404),  # Unknown Webhook (10015)
        ("GET /channels/{id}/webhooks", 200),
        ("POST /channels/{id}/webhooks", 200),
        ("POST /webhooks/{id}/{token}", 200),
        ("DELETE /channels/{id}/messages/{id}", 204),
    ]


async def test_a_file_over_the_upload_limit_is_said_not_carried_and_never_left_visible(
    playground: Playground, tmp_path: Path
) -> None:
    await _tie_ballard(playground)
    video = tmp_path / "finale-cam.mp4"
    video.write_bytes(b"\0" * (MAX_UPLOAD_BYTES + 1))
    events = await playground.send("alice", "ballard", SPOILER, files=[video])
    assert [(e.type, e.webhook) for e in events][1:] == [("message", True), ("delete", False)]
    copy = events[1]
    assert copy.attachments == [] and f"||{SPOILER}||" in copy.content
    assert "1 file was too large to carry over" in copy.content
    assert "finale-cam" not in copy.content  # a file name can spoil too


async def test_files_discord_refuses_together_are_left_out(
    playground: Playground, tmp_path: Path
) -> None:
    await _tie_ballard(playground)
    files = []
    for number in range(3):  # each fits, together they pass the 25 MiB request cap
        path = tmp_path / f"clip-{number}.mp4"
        path.write_bytes(b"\0" * (MAX_UPLOAD_BYTES - 1))
        files.append(path)
    events = await playground.send("alice", "ballard", SPOILER, files=files)
    copy = next(e for e in events if e.webhook)
    assert copy.attachments == [] and "3 files were too large" in copy.content
    assert _hidden(playground, "ballard", SPOILER)


async def test_forum_posts_are_guarded(playground: Playground) -> None:
    playground.forum("theories")
    events = await playground.post("alice", "theories", "what a finale", NAMED)
    assert [(e.type, e.thread, e.webhook) for e in events] == [
        ("thread", "what a finale", False),
        ("message", "what a finale", False),
        ("message", "what a finale", True),
        ("delete", "what a finale", False),
    ]
    assert "Spoiler · Ballard S01E08" in events[2].content
    assert _hidden(playground, "what a finale", NAMED)


async def test_voice_channel_text_chat_is_guarded(playground: Playground) -> None:
    playground.voice("watch-along")
    events = await playground.send("alice", "watch-along", NAMED)
    assert [(e.type, e.channel, e.webhook) for e in events] == [
        ("message", "watch-along", False),
        ("message", "watch-along", True),
        ("delete", "watch-along", False),
    ]
    assert _hidden(playground, "watch-along", NAMED)
    events = await playground.click("mod", "Not a spoiler")
    restored = next(e for e in events if e.webhook)
    assert (restored.channel, restored.author, restored.content) == ("watch-along", "alice", NAMED)


async def test_delete_removes_every_part_of_a_long_repost(playground: Playground) -> None:
    await _tie_ballard(playground)
    text = SPOILER + " " + "**so** " * 270  # escaping the stars pushes it past one message
    await playground.send("alice", "ballard", text[:2000])
    parts = [m for m in playground.visible_messages("bob", "ballard") if m.webhook_id]
    assert len(parts) == 2
    events = await playground.click("alice", "Delete")
    assert sorted(e.message_id or 0 for e in events if e.type == "delete") == sorted(
        m.id for m in parts
    )
    assert [m for m in playground.visible_messages("bob", "ballard") if m.webhook_id] == []
    assert any(e.visible_to == ["alice"] and e.content == "Deleted." for e in events)


async def test_a_failed_delete_says_why(playground: Playground) -> None:
    await _tie_ballard(playground)
    playground.faults.fail("DELETE", "/channels/{id}/messages/{id}", status=400, times=1)
    events = await playground.send("alice", "ballard", SPOILER)
    warning = events[-1]
    assert "couldn't hide it (Discord refused to remove it just now (error 400))" in (
        warning.content
    )
    assert "Manage Messages" not in warning.content


async def test_a_missing_permission_to_delete_is_named(playground: Playground) -> None:
    await _tie_ballard(playground)
    playground.overwrite("ballard", "Cliffhanger", deny=["manage_messages"])
    events = await playground.send("alice", "ballard", SPOILER)
    assert "I need the Manage Messages permission here" in events[-1].content


async def test_delete_finishes_when_a_part_is_already_gone(playground: Playground) -> None:
    await _tie_ballard(playground)
    await playground.send("alice", "ballard", (SPOILER + " " + "**so** " * 270)[:2000])
    first, second = [m for m in playground.visible_messages("bob", "ballard") if m.webhook_id]
    await playground.delete("mod", first)
    events = await playground.click("alice", "Delete")
    assert [e.message_id for e in events if e.type == "delete"] == [second.id]
    assert any(e.content == "Deleted." for e in events)


async def test_a_delete_click_that_fails_says_why(playground: Playground) -> None:
    await _tie_ballard(playground)
    await playground.send("alice", "ballard", SPOILER)
    playground.overwrite("ballard", "Cliffhanger", deny=["manage_messages"])
    events = await playground.click("alice", "Delete")
    assert [e.content for e in events] == [
        "I couldn't delete all of it: I need the Manage Messages permission here to remove it."
    ]
    assert [m for m in playground.visible_messages("bob", "ballard") if m.webhook_id]


async def test_not_a_spoiler_in_a_full_channel_is_restored_by_the_bot(
    playground: Playground,
) -> None:
    await _tie_ballard(playground)
    playground.add_webhooks("ballard", 15)
    await playground.send("alice", "ballard", SPOILER)
    events = await playground.click("mod", "Not a spoiler")
    alice = playground.user("alice").id
    restored = next(e for e in events if e.type == "message")
    assert (restored.author, restored.content) == ("Cliffhanger", f"<@{alice}>: {SPOILER}")
    assert any(e.type == "delete" and e.author == "Cliffhanger" for e in events)
