"""The Discord-markdown reader: what a member sees, what spoiler tags hide, fail-closed readings."""

from __future__ import annotations

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.guard.markdown import (
    READINGS,
    Rules,
    hidden_everywhere,
    hides_from,
    link_ends,
    read,
    readings_for,
    spoilers_in,
    without_hidden,
)
from bot.guard.markdown import _Memo as Memo


def _hidden_text(text: str) -> str:
    reading = read(text)
    marks = zip(text, reading.hidden, reading.shown, strict=True)
    return "".join(char for char, hidden, shown in marks if hidden and shown)


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ("a ||b|| c", "b"),
        ("||b|| and ||c||", "bc"),
        ("\\||b\\||", ""),  # escaped pipes are shown
        ("`||`b`||`", ""),  # pipes in code spans are shown
        ("```\n||b||\n```", ""),  # and in code blocks
        ("x https://x.io/|| b||", ""),  # a bare URL swallows the pipes
        ("x steam://x/|| b||", ""),
        ("x <https://x.io/||> b||", ""),  # so does an autolink
        ("**a ||b** c||", ""),  # emphasis captures the opener
        ("||a **b|| c**", "a **b"),  # a spoiler opened first closes at the next pair
        ("[a](||) c||d||", "d"),  # the opener sits in a link target
        ("||a|||", "a"),
        ("||`x`||", "x"),
        ("||a\nb||", "a\nb"),
        ("||a||b||c||", "ac"),
    ],
)
def test_the_default_reading_follows_discord(text: str, hidden: str) -> None:
    assert _hidden_text(text) == hidden


@pytest.mark.parametrize(
    "text",
    [
        "rawls doesnt make it https://x.io/|| the dad did it||",
        "\\||the dad did it\\||",
        "`||`the dad did it`||`",
        "**x ||y** the dad did it||",
        "> ||quote\nthe dad did it||",  # a quote line ends the tag's chance to span lines
        "[x](||) the dad did it ||",
        "steam://x/|| the dad did it ||y||",  # another scheme may or may not be a link
    ],
)
def test_text_some_reading_shows_is_not_taken_as_hidden(text: str) -> None:
    assert "the dad did it" in without_hidden(text)


def test_what_every_reading_hides_is_blanked() -> None:
    assert without_hidden("ok ||the dad did it|| fine") == "ok || || fine"
    assert without_hidden("||a\nb|| and `code`") == "|| || and `code`"
    assert without_hidden("no tags at all") == "no tags at all"
    assert hidden_everywhere("no pipes") == [False] * 8


def test_spoilers_in_returns_the_shown_text_of_each_tag() -> None:
    assert spoilers_in("a ||b \\|\\| c|| d ||`e`||") == ["b || c", "e"]
    assert spoilers_in("\\||not a tag\\||") == []


def test_hides_from_demands_one_tag_to_the_end_in_every_reading() -> None:
    assert hides_from("head\n||body||", 5)
    assert not hides_from("head\n||body|| tail", 5)
    assert not hides_from("head `x\n||body `||", 5)
    assert not hides_from("head\n||a|||", 5)  # closes early in one reading


def test_readings_cover_only_the_choices_a_text_raises() -> None:
    assert readings_for("plain ||tag||") == [Rules()]
    assert len(readings_for("a|||b\n> q\n[a](b) https://x")) == len(READINGS) == 16


_LINK = re.compile(
    r"\[((?:\[[^\]]*\]|[^\[\]]|\](?=[^\[]*\]))*)\]"
    r"\(\s*<?(?:\([^)]*\)|[^\s\\]|\\.)*?>?(?:\s+['\"][\s\S]*?['\"])?\s*\)"
)


@given(st.text(alphabet="[]()ab |\"'<>\\", max_size=16))
def test_link_ends_agree_with_simple_markdowns_regex(text: str) -> None:
    ends = link_ends(text, len(text), Memo())
    for at, char in enumerate(text):
        if char == "[":
            match = _LINK.match(text, at)
            assert ends[at + 1] == ((match.end(1), match.end()) if match else None)


@pytest.mark.parametrize(
    "text",
    [
        "[" * 2000 + "]" * 2000,
        "[a](\\ (" * 600 + ")",
        "_a" * 2000,
        "||" * 2000,
        "<a:/" * 1000,
        "**a" * 1300,
        "`" * 4000,
        "[a](x) " * 500,
    ],
)
def test_hostile_text_is_read_quickly(text: str) -> None:
    started = time.perf_counter()
    without_hidden(text + "||")
    assert time.perf_counter() - started < 2.0


def test_too_many_link_targets_read_as_nothing_hidden() -> None:
    text = "[a](b c) " * 100 + "||the dad did it||"
    assert "the dad did it" in without_hidden(text)
