"""Tags nothing can break (issue 17): reposts, /spoiler and recaps read back as Discord reads them.

Every check reads the posted content with `bot.guard.markdown`, the model of Discord's markdown:
nothing of the member's text may be shown outside the one spoiler tag, in any reading.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.guard.markdown import hides_from, spoilers_in
from playground import Playground
from playground.events import Event

pytestmark = pytest.mark.e2e

REVEAL = "the dad did it"
ESCAPES = [
    f"rawls doesnt make it https://x.io/|| {REVEAL}",
    f"rawls doesnt make it <https://x.io/||> {REVEAL}",
    f"rawls doesnt make it steam://x/|| {REVEAL}",
    f"[a](b) ||x|| [c](d) and {REVEAL}",
]


def _hidden_after_header(post: Event) -> bool:
    """The whole body (after the label line) is one spoiler tag in every reading."""
    return hides_from(post.content, post.content.index("\n") + 1)


def _shown(post: Event) -> str:
    return " ".join(spoilers_in(post.content))


async def _tie_ballard(playground: Playground) -> None:
    await playground.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E05")


@pytest.mark.parametrize("text", ESCAPES)
async def test_reposted_text_stays_inside_its_tag(playground: Playground, text: str) -> None:
    await _tie_ballard(playground)
    events = await playground.send("alice", "ballard", text)
    (repost,) = [e for e in events if e.webhook]
    assert repost.content.startswith("⚠ **Spoiler · Ballard")
    assert _hidden_after_header(repost), repost.content
    assert REVEAL in _shown(repost)
    assert any(e.type == "delete" for e in events)


@pytest.mark.parametrize("text", ESCAPES)
async def test_own_spoiler_stays_inside_its_tag(playground: Playground, text: str) -> None:
    events = await playground.command(
        "alice", "general", f'/spoiler show:Coldwake episode:S01E03 text:"{text}"'
    )
    repost, confirmation = events
    assert repost.webhook and repost.author == "alice"
    assert _hidden_after_header(repost), repost.content
    assert REVEAL in _shown(repost)
    assert confirmation.content == "Posted, labelled Coldwake S01E03."


@pytest.mark.parametrize(
    "text", [f"\\||{REVEAL}\\||", f"`||`{REVEAL}`||`", f"omg https://x.io/|| {REVEAL}||"]
)
async def test_pipes_discord_shows_as_text_are_checked(playground: Playground, text: str) -> None:
    await _tie_ballard(playground)
    events = await playground.send("alice", "ballard", text)
    (repost,) = [e for e in events if e.webhook]
    assert "Spoiler · Ballard S01E08" in repost.content
    assert _hidden_after_header(repost)


async def test_text_the_author_hid_is_left_alone(playground: Playground) -> None:
    await _tie_ballard(playground)
    events = await playground.send("alice", "ballard", f"omg ||{REVEAL}||")
    assert [e.type for e in events] == ["message"]


REVIEW = f"""---
show: Harbor Nights
season: 1
episode: 1
source: Test Desk
---
Mara Quill inherits a lighthouse at https://x.io/|| and {REVEAL} in the end.
Her brother Tobin finds the ledger <https://x.io/||> and {REVEAL} again.
Tobin burns [a](b) ||x|| [c](d) the ledger and {REVEAL} a third time.

A gentle, moody start. Rating: 7/10
"""


async def test_posted_recap_stays_inside_its_tag(playground: Playground, tmp_path: Path) -> None:
    review = tmp_path / "harbor-nights-s01e01.md"
    review.write_text(REVIEW)
    (added,) = await playground.command("admin", "general", f"/corpus add file:{review}")
    assert "1 added" in added.content
    events = await playground.command(
        "admin", "general", '/post-recap show:"Harbor Nights" episode:S01E01'
    )
    (post,) = [e for e in events if e.type == "message" and e.visible_to is None]
    assert post.content.startswith("📺 **Recap · Harbor Nights S01E01")
    assert _hidden_after_header(post), post.content
    assert _shown(post).count(REVEAL) == 3
