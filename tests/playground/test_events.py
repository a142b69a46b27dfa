"""Event formatting: plain lines, JSON, spoilers."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from playground import Playground
from playground.events import Event, find_spoilers, format_event, hide_spoilers, timestamp_text


def test_plain_lines() -> None:
    assert format_event(Event("message", "ballard", None, "Cliffhanger", content="hi")) == (
        "#ballard | Cliffhanger: hi"
    )
    eph = Event("ephemeral", "ballard", None, "Cliffhanger", visible_to=["alice"], content="psst")
    assert format_event(eph) == "#ballard | Cliffhanger → alice only: psst"
    hook = Event("message", "ballard", None, "alice", webhook=True, content="||x||")
    assert format_event(hook) == "#ballard | alice (via webhook): ||x||"
    assert (
        format_event(Event("delete", "ballard", None, "alice"))
        == "#ballard | message from alice deleted"
    )
    thread = Event("thread", "ballard", "Ballard S01E05 discussion", "Cliffhanger")
    assert format_event(thread) == "#ballard › Ballard S01E05 discussion | thread created"
    member = Event("thread_member", "ballard", "T", "bob", content="added")
    assert format_event(member) == "#ballard › T | bob added"
    edit = Event("edit", "ballard", None, "Cliffhanger", content="new")
    assert format_event(edit) == "#ballard | Cliffhanger (edited): new"


def test_embeds_and_buttons_on_indented_lines() -> None:
    event = Event(
        "message",
        "ballard",
        None,
        "Cliffhanger",
        content="",
        embeds=[
            {
                "title": "Progress",
                "description": "two\nlines",
                "fields": [{"name": "Ballard", "value": "S01E05"}],
            }
        ],
        components=["Reveal", "Hide"],
    )
    assert format_event(event).splitlines() == [
        "#ballard | Cliffhanger:",
        "  ▌ Progress",
        "  ▌ two",
        "  ▌ lines",
        "  ▌ Ballard: S01E05",
        "  [Reveal] [Hide]",
    ]


def test_spoilers_hidden_until_revealed() -> None:
    assert find_spoilers("a ||b|| c ||d e||") == ["b", "d e"]
    assert hide_spoilers("a ||b|| c") == "a ███ c"
    event = Event("message", "x", None, "alice", content="it was ||him||")
    assert format_event(event, hide=True) == "#x | alice: it was ███"


def test_json_shape() -> None:
    event = Event(
        "ephemeral",
        "ballard",
        None,
        "Cliffhanger",
        visible_to=["alice"],
        content="||a||",
        spoilers=["a"],
        message_id=5,
    )
    assert event.to_json() == {
        "type": "ephemeral",
        "channel": "ballard",
        "thread": None,
        "author": "Cliffhanger",
        "webhook": False,
        "visible_to": ["alice"],
        "content": "||a||",
        "embeds": [],
        "components": [],
        "spoilers": ["a"],
        "attachments": [],
    }
    assert event.visible_for("alice") and not event.visible_for("bob")


def test_mentions_show_by_name_in_lines_but_stay_raw_in_json() -> None:
    names = {"<@1>": "@bob", "<#2>": "#ballard"}
    event = Event(
        "message",
        "general",
        None,
        "alice",
        content="hey <@1>, see <#2> and <@9>",
        embeds=[{"title": "to <@1>", "description": None, "fields": []}],
        names=names,
    )
    assert format_event(event).splitlines() == [
        "#general | alice: hey @bob, see #ballard and <@9>",
        "  ▌ to @bob",
    ]
    assert event.to_json()["content"] == "hey <@1>, see <#2> and <@9>"
    assert event == Event(
        "message", "general", None, "alice", content=event.content, embeds=event.embeds
    )


async def test_the_playground_names_members_channels_and_roles(pg: Playground) -> None:
    bob, ballard = pg.user("bob"), pg.channel("ballard")
    mod = pg.role("Moderator")
    everyone = pg.world.guild_id
    text = f"hi <@{bob.id}> <@!{bob.id}> in <#{ballard.id}>, <@&{mod.id}> and <@&{everyone}>"
    (event,) = await pg.send("alice", "general", text)
    shown = "hi @bob @bob in #ballard, @Moderator and @everyone"
    assert format_event(event) == f"#general | alice: {shown}"


NOW = datetime(2026, 1, 2, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("offset", "style", "shown"),
    [
        (2 * 3600, "R", "in 2 hours"),
        (-90, "R", "1 minute ago"),
        (3 * 86400 + 5, "R", "in 3 days"),
        (0, "R", "0 seconds ago"),
        (2 * 3600, None, "2 January 2026 20:00"),
        (2 * 3600, "t", "20:00"),
        (2 * 3600, "F", "Friday, 2 January 2026 20:00"),
    ],
)
def test_timestamps_show_as_a_client_in_utc_shows_them(
    offset: int, style: str | None, shown: str
) -> None:
    assert timestamp_text(int(NOW.timestamp()) + offset, style, NOW) == shown


async def test_the_playground_shows_timestamps_relative_to_its_clock(pg: Playground) -> None:
    moment = int(pg.world.now().timestamp()) + 2 * 86400
    (event,) = await pg.send("alice", "general", f"party <t:{moment}:R>")
    assert format_event(event) == "#general | alice: party in 2 days"
    assert event.to_json()["content"] == f"party <t:{moment}:R>"
