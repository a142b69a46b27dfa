"""Recap and catch-up building from stored sentences (pure functions)."""

from __future__ import annotations

import pytest

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.errors import NotFoundError
from bot.recaps.service import (
    StoredDocument,
    StoredSentence,
    build_catchup,
    build_recap,
    key_sentences,
    sentence_weight,
)

SHOW = ShowInfo(1, "Ballard", (), ((1, 10),))
E1, E2, E3 = EpisodeRef(1, 1), EpisodeRef(1, 2), EpisodeRef(1, 3)


def _s(ep: EpisodeRef, doc: int, pos: int, text: str, kind: str = "narration") -> StoredSentence:
    return StoredSentence(ep, doc, pos, text, kind)


SENTENCES = [
    _s(E1, 1, 0, "Ana Olivas arrives in Ballard."),
    _s(E1, 1, 1, "The body of Josie is found under the pier."),
    _s(E1, 1, 2, "I loved the moody photography.", "opinion"),
    _s(E2, 2, 0, "Theo is arrested after a chase."),
    _s(E2, 2, 1, "It rains a lot."),
    _s(E3, 3, 0, "Rawls dies in the raid."),
]


def test_recap_uses_narration_and_averages_ratings() -> None:
    docs = [StoredDocument(1, E1, "A", 8.0), StoredDocument(4, E1, "B", 9.0)]
    recap = build_recap(SHOW, E1, docs, SENTENCES)
    assert "photography" not in recap.text
    assert recap.text.startswith("Ana Olivas arrives")
    assert recap.rating_text == "Rating 8.5/10 (2 reviews)"


def test_recap_of_an_undocumented_episode_is_a_clear_error() -> None:
    with pytest.raises(NotFoundError, match="no recap of Ballard S01E04"):
        build_recap(SHOW, EpisodeRef(1, 4), [], SENTENCES)


def test_catchup_stops_at_progress() -> None:
    text = build_catchup(SHOW, E2, SENTENCES)
    assert "Theo is arrested" in text
    assert "Rawls" not in text
    assert text.splitlines()[0] == "**Previously on Ballard** (up to S01E02)"


def test_event_sentences_weigh_more() -> None:
    assert sentence_weight("Rawls dies in the raid.") > sentence_weight("It rains a lot.")
    assert key_sentences([s for s in SENTENCES if s.episode == E2], 1) == [
        "Theo is arrested after a chase."
    ]
