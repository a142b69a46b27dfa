"""Spoilers disguised with text Discord shows as ordinary words are still hidden, end to end."""

from __future__ import annotations

import pytest

from bot.ui.hidden import hidden_parts
from playground import Playground

pytestmark = pytest.mark.e2e

EVASIONS = [
    "raw\u200bls doe\u00adsnt make it btw",  # zero-width space, soft hyphen
    "\u202etb ti ekam tnseod slwar\u202c",  # a right-to-left override shows it forwards
    "rаwls dоesnt mаke it btw",  # Cyrillic а and о
    "r a w l s  doesnt make it btw",  # spelled out
    "R.A.W.L.S doesnt make it btw",  # dotted
    "r a w l s  d o e s n t  m a k e  i t",  # every word spelled out
    "R.I.P. rawls",
]


@pytest.mark.parametrize("text", EVASIONS)
async def test_disguised_spoilers_are_hidden_and_labelled(
    playground: Playground, text: str
) -> None:
    await playground.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E03")
    events = await playground.send("alice", "ballard", text)
    repost = next((e for e in events if e.webhook), None)
    assert repost is not None, text
    assert [repost.content] == hidden_parts("⚠ **Spoiler · Ballard S01E07**", text)
    assert not any(m.content == text for m in playground.visible_messages("bob", "ballard"))


async def test_foreign_and_spaced_chat_is_left_alone(playground: Playground) -> None:
    await playground.command("admin", "ballard", "/channel-show set show:Ballard open_up_to:S01E03")
    for text in [
        "мне нравится этот сериал, без спойлеров",
        "ネタバレなしでお願いします 🙏",
        "café after ep 3? the U.S. remake is a b c tier",
    ]:
        events = await playground.send("alice", "ballard", text)
        assert [e.type for e in events] == ["message"], text
