"""Round 8's shortcuts give exactly the answers of the plain computations they replace."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.spoilers.text import MAX_MESSAGE_CHARS, clean_message, fold, fold_message

_PLAIN = "a B é ’ ` ```py\n [x](y) ]( < <@123> HTTP https://x.io www. Www.a _ ' . ?".split()
_PIECES = st.sampled_from([*_PLAIN, " ", "|", "||"])


@settings(max_examples=1000)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_folding_a_message_matches_cleaning_then_folding(text: str) -> None:
    assert fold_message(text) == fold(clean_message(text)), text


def test_folding_a_long_message_cuts_it_first() -> None:
    text = "a" * MAX_MESSAGE_CHARS + " ||hidden||"
    assert fold_message(text) == fold(clean_message(text)) == "a" * MAX_MESSAGE_CHARS
