"""Spoiler tagging and splitting: nothing escapes a tag, nothing exceeds Discord's limits."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from bot.ui.tagging import (
    MESSAGE_LIMIT,
    neutralise,
    plain_messages,
    spoiler,
    spoiler_messages,
    spoilers_in,
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
