"""What the author hid under spoiler tags is skipped; what Discord shows as text is checked."""

from __future__ import annotations

import pytest

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine import SpoilerIndex
from bot.guard.engine.text import clean_message

LINE = EpisodeRef(1, 5)
REVEAL = "the dad did it"


@pytest.mark.parametrize(
    "text",
    [
        f"\\||{REVEAL}\\||",  # escaped pipes: Discord shows them
        f"`||`{REVEAL}`||`",  # pipes in code spans
        f"https://x.io/|| {REVEAL}||",  # a bare URL swallows the opening pipes
        f"**a ||b** {REVEAL}||",  # emphasis captures the opener
        f"> ||a\n{REVEAL}||",  # a quote line ends before the text
    ],
)
def test_pipes_discord_shows_as_text_hide_nothing(
    text: str, sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    assert REVEAL in clean_message(text)
    assert sample_index.check(text, show_ids["Ballard"], LINE).spoiler


def test_text_inside_real_tags_is_skipped(
    sample_index: SpoilerIndex, show_ids: dict[str, int]
) -> None:
    text = f"omg ||{REVEAL}|| right?"
    assert REVEAL not in clean_message(text)
    assert not sample_index.check(text, show_ids["Ballard"], LINE).spoiler
