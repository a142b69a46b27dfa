"""Any input gives a Verdict: empty, huge, markdown, mentions, random text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine import CorpusSentence, ShowCorpus, SpoilerIndex, Verdict

INDEX = SpoilerIndex.build(
    [
        ShowCorpus(
            1,
            "Tide",
            sentences=(
                CorpusSentence(EpisodeRef(1, 1), "Mara Quill meets Odo Varne at the pier."),
                CorpusSentence(EpisodeRef(1, 2), "Varne dies, and Quill is arrested."),
            ),
        )
    ]
)
AWKWARD = [
    "",
    " ",
    "||",
    "||||",
    "|| unclosed spoiler varne dies",
    "<@123> " * 500,
    "**Varne** ~~dies~~ __now__ > quote\n# heading\n- list",
    "```py\nprint('varne dies')\n```",
    "🪦" * 1000,
    "varne " * 20_000,
    "\x00\u200b\ufeff\U0010ffff",
    "[varne dies](https://example.com) <https://example.com/x>",
]


def test_awkward_inputs_never_raise() -> None:
    for text in AWKWARD:
        for line in (NOTHING, EpisodeRef(1, 1), EpisodeRef(1, 2), EpisodeRef(9, 9)):
            assert isinstance(INDEX.check(text, 1, line), Verdict)
        INDEX.shows_named(text)
        INDEX.first_episode_of(1, text)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400), st.integers(0, 3), st.integers(0, 12))
def test_any_text_gives_a_verdict(text: str, season: int, episode: int) -> None:
    verdict = INDEX.check(text, 1, EpisodeRef(season, episode))
    assert isinstance(verdict, Verdict)
    assert verdict.spoiler == (verdict.episode is not None)
    assert verdict.score >= 0
