"""Spoiler tagging and splitting: nothing escapes a tag, nothing exceeds Discord's limits."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.guard.markdown import READINGS, read
from bot.ui.tagging import (
    MESSAGE_LIMIT,
    neutralise,
    plain_messages,
    spoiler,
    spoiler_messages,
    spoiler_within,
    spoilers_in,
    tagged,
)

HEADER = "📺 **Recap · Ballard S01E10 · spoilers for S01E10**"


def _only_one_tag(message: str) -> bool:
    """Discord reads `\\x` as a literal x; what remains must be exactly one `||…||`."""
    body = message.split("\n", 1)[-1]
    unescaped = re.sub(r"\\.", "", body)
    return unescaped.startswith("||") and unescaped.endswith("||") and unescaped.count("||") == 2


def test_pipes_and_markdown_inside_cannot_break_out() -> None:
    tagged = spoiler("Rawls dies || and @everyone **cheers** `code`")
    assert _only_one_tag(tagged)
    assert "@everyone" not in tagged  # a zero-width space defuses it
    assert "\\*\\*cheers\\*\\*" in tagged


def test_long_text_splits_at_sentence_boundaries_each_tagged() -> None:
    sentences = [f"Sentence number {i} tells what happened next." for i in range(200)]
    messages = spoiler_messages(HEADER, " ".join(sentences))
    assert len(messages) > 1
    for message in messages:
        assert len(message) <= MESSAGE_LIMIT
        assert message.startswith(HEADER)
        assert _only_one_tag(message)
    rejoined = " ".join(spoilers_in(message)[0] for message in messages)
    assert rejoined == " ".join(sentences)


def test_a_single_giant_word_is_still_cut_to_fit() -> None:
    messages = spoiler_messages(HEADER, "x" * 5000)
    assert all(len(m) <= MESSAGE_LIMIT and _only_one_tag(m) for m in messages)
    assert sum(len(spoilers_in(m)[0]) for m in messages) == 5000


@given(st.text(min_size=1, max_size=6000))
def test_any_text_yields_valid_closed_tags(text: str) -> None:
    for message in spoiler_messages(HEADER, text):
        assert len(message) <= MESSAGE_LIMIT
        assert _only_one_tag(message)


def test_plain_messages_respect_the_limit_and_keep_lines() -> None:
    text = "\n".join(f"line {i} " + "word " * 50 for i in range(40))
    messages = plain_messages(text)
    assert all(len(m) <= MESSAGE_LIMIT for m in messages)
    assert "\n".join(messages).replace("\n", " ").split() == text.replace("\n", " ").split()


def test_neutralise_escapes_mass_mentions() -> None:
    assert "@everyone" not in neutralise("hi @everyone and @here")


# Text that escapes tags when tagged with discord.py's escape_markdown (issue 17).
ESCAPES = [
    "rawls doesnt make it https://x.io/|| the dad did it",
    "rawls doesnt make it <https://x.io/||> the dad did it",
    "rawls doesnt make it steam://x/|| the dad did it",
    "[a](b) ||x|| [c](d) and the dad did it",
    "the dad did it |",
    "the dad did it \\",
    "`the dad` did it ``` ||",
    "> the dad\n# did\n- it\n1. ok",
    "the \u202edad\u200b did\u2066 it\u2028# too",
]


def _hides_everything(message: str, start: int) -> bool:
    """Every reading puts all of `message` from `start` into one spoiler tag."""
    return all((start, len(message)) in read(message, rules).spans for rules in READINGS)


def _shown(messages: list[str]) -> str:
    """The text the tags show when revealed, without whitespace or zero-width characters."""
    shown = "".join(text for m in messages for text in spoilers_in(m))
    return "".join(shown.replace("\u200b", "").replace("\u200d", "").split())


def _expected(text: str) -> str:
    kept = "".join(c for c in text if unicodedata.category(c) not in ("Cc", "Cf", "Cs"))
    return "".join(kept.split())


@pytest.mark.parametrize("text", ESCAPES)
def test_issue_examples_stay_inside_the_tag(text: str) -> None:
    message = tagged(HEADER, text)
    assert _hides_everything(message, len(HEADER) + 1)
    assert _shown([message]) == _expected(text)


def test_links_and_controls_are_neutralised() -> None:
    body = spoiler("see https://x.io/a and <https://x.io> \u202eevil\u200b")
    assert "https://" not in body and "\u202e" not in body and "\u200b" not in body
    assert "👨\u200d👩" in spoiler("👨\u200d👩 a\u200db")  # emoji keep their joiners
    assert "\\<https\\:\\//" in body


def test_discord_tokens_survive_and_mass_mentions_do_not() -> None:
    body = spoiler("<#123> <:wave:123> <t:1700000000:R> @everyone")
    assert "<#123> <:wave:123> <t:1700000000:R>" in body
    assert "@everyone" not in body


def test_a_header_that_reaches_into_the_tag_is_escaped() -> None:
    header = "⚠ `Odd **Spoiler · Show S01E01**"
    message = tagged(header, "the dad ` did [it](x)")
    assert _hides_everything(message, message.index("\n") + 1)
    assert message.startswith("⚠ \\`Odd \\*\\*Spoiler")
    assert tagged("⚠ **Spoiler · `Odd [Show S01E01**", "x `").startswith("⚠ **Spoiler")


def test_spoiler_within_fits_the_limit() -> None:
    message = spoiler_within("head", "|" * 3000, 1024)
    assert len(message) <= 1024 and _hides_everything(message, len("head") + 1)
    assert spoiler_within("", "`" * 900, 1024).startswith("||\\`")


def test_continued_parts_get_their_own_header() -> None:
    text = " ".join(f"Sentence {n} has `code` and || pipes." for n in range(150))
    parts = spoiler_messages(HEADER, text, continued=lambda n, total: f"part {n}/{total} `")
    assert len(parts) > 1 and parts[0].startswith(HEADER)
    for part in parts:
        assert len(part) <= MESSAGE_LIMIT
        assert _hides_everything(part, part.index("\n") + 1)
    assert parts[1].startswith(f"part 2/{len(parts)} \\`")


_PIECES = st.sampled_from(
    [
        "|", "||", "|||", "\\", "\\|", "`", "``", "```", "[", "]", "(", ")", "](", "<", ">",
        "*", "**", "_", "__", "~~", "#", "-", "+", "1.", "2)", ":", "/", "://", "@", "@everyone",
        "https://x.io/", "steam://x/", "<https://x.io/||>", "[a](b)", "<@123456789012345678>",
        "<#1>", "<:a:1>", "<t:1:R>", "\n", " ", "  ", "\t", "\r", "\u200b", "\u200d", "\u202e",
        "\u2066", "\u2028", "\ufeff", "a", "dad", "é", "👨\u200d👩", ".", "!", "?",
    ]
)  # fmt: skip
ADVERSARIAL = st.one_of(
    st.lists(_PIECES, max_size=80).map("".join),
    st.lists(st.one_of(_PIECES, st.text(max_size=5)), max_size=40).map("".join),
)


@settings(max_examples=300, deadline=None)
@given(ADVERSARIAL)
def test_nothing_a_member_writes_shows_outside_the_tag(text: str) -> None:
    messages = spoiler_messages(HEADER, text)
    for message in messages:
        assert len(message) <= MESSAGE_LIMIT
        assert _hides_everything(message, len(HEADER) + 1)
    assert _shown(messages) == _expected(text)


@settings(max_examples=10, deadline=None)
@given(st.lists(_PIECES, min_size=400, max_size=1500).map("".join))
def test_long_adversarial_text_splits_within_the_limit(text: str) -> None:
    messages = spoiler_messages(HEADER, text)
    assert all(len(m) <= MESSAGE_LIMIT and _hides_everything(m, len(HEADER) + 1) for m in messages)
    assert _shown(messages) == _expected(text)
