"""The engine on small hand-made corpora: attribution, the line, typos, hiding, taught phrases."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine import ShowCorpus, SpoilerIndex, TaughtPhrase
from tests.bot.guard.engine.conftest import season_one

E = EpisodeRef


HARBOR = season_one(
    1,
    "Harbor Lights",
    [
        (1, "Detective Mara Quill arrives in town and meets Captain Odo Varne."),
        (1, "The body of a fisherman washes up under the old pier."),
        (2, "Quill questions the harbor master, Ines Talbot, about the missing boat."),
        (3, "Varne is arrested for smuggling at the end of the episode."),
        (4, "Talbot dies in a fire at the boathouse."),
        (5, "Looking back, Varne was arrested in the third episode and Talbot died too."),
        (5, "Quill finds the ledger that proves everything."),
    ],
    aliases=("Harbour Lights",),
)
ORCHARD = season_one(
    2,
    "The Orchard",
    [(1, "Wenna Brisk plants the first tree."), (2, "Wenna Brisk marries Tobin Hale.")],
)


@pytest.fixture(scope="module")
def index() -> SpoilerIndex:
    return SpoilerIndex.build([HARBOR, ORCHARD])


def test_fact_belongs_to_the_earliest_episode_that_states_it(index: SpoilerIndex) -> None:
    verdict = index.check("omg varne gets arrested", 1, E(1, 2))
    assert verdict.spoiler and verdict.episode == E(1, 3)
    assert verdict.evidence and verdict.evidence[0].episode == E(1, 3)
    assert verdict.evidence[0].source == "event"


def test_talk_at_or_before_the_line_is_not_a_spoiler(index: SpoilerIndex) -> None:
    assert not index.check("varne getting arrested was wild", 1, E(1, 3)).spoiler
    assert not index.check("varne getting arrested was wild", 1, E(1, 5)).spoiler
    assert not index.check("quill and varne are a fun pair", 1, E(1, 1)).spoiler


def test_later_event_for_a_known_character_is_flagged(index: SpoilerIndex) -> None:
    verdict = index.check("talbot doesnt make it", 1, E(1, 2))
    assert verdict.spoiler and verdict.episode == E(1, 4)


def test_typos_in_names_still_match(index: SpoilerIndex) -> None:
    verdict = index.check("talbott dies in the fire", 1, E(1, 3))
    assert verdict.spoiler and verdict.episode == E(1, 4)


def test_roles_stand_for_the_people_who_hold_them(index: SpoilerIndex) -> None:
    verdict = index.check("the captain got arrested lol", 1, E(1, 1))
    assert verdict.spoiler and verdict.episode == E(1, 3)


def test_hidden_text_and_links_are_ignored(index: SpoilerIndex) -> None:
    assert not index.check("no spoilers here ||talbot dies in a fire||", 1, E(1, 1)).spoiler
    link = "https://example.com/talbot-dies-in-a-fire"
    assert not index.check(f"recap: {link}", 1, E(1, 1)).spoiler


def test_code_blocks_are_read(index: SpoilerIndex) -> None:
    assert index.check("```\ntalbot dies in the fire\n```", 1, E(1, 1)).spoiler


def test_a_name_first_met_after_the_line_is_a_spoiler(index: SpoilerIndex) -> None:
    verdict = index.check("tobin is the best", 2, E(1, 1))
    assert verdict.spoiler and verdict.episode == E(1, 2)
    assert verdict.evidence[0].source == "term"


def test_unknown_show_is_not_a_spoiler(index: SpoilerIndex) -> None:
    assert not index.check("talbot dies", 99, NOTHING).spoiler


def test_shows_named(index: SpoilerIndex) -> None:
    assert index.shows_named("anyone watching harbour lights?") == [1]
    assert index.shows_named("wenna is great") == [2]
    assert index.shows_named("quill and wenna crossover when") == [1, 2]
    assert index.shows_named("what should i watch") == []


def test_first_episode_of(index: SpoilerIndex) -> None:
    assert index.first_episode_of(1, "A town where Talbot dies in a fire.") == E(1, 4)
    assert index.first_episode_of(1, "A detective comes to a harbor town.") is None


def test_taught_phrases_are_added_without_touching_the_original(index: SpoilerIndex) -> None:
    taught = index.with_taught(1, [TaughtPhrase(E(1, 5), "the blue lantern")])
    verdict = taught.check("wait till you see the blue lantern", 1, E(1, 2))
    assert verdict.spoiler and verdict.episode == E(1, 5)
    assert verdict.evidence[0].source == "taught"
    assert not index.check("wait till you see the blue lantern", 1, E(1, 2)).spoiler
    assert not taught.check("the blue lantern!!", 1, E(1, 5)).spoiler


def test_taught_phrases_from_the_corpus(index: SpoilerIndex) -> None:
    corpus = ShowCorpus(3, "Quiet", taught=(TaughtPhrase(E(1, 2), "red door"),))
    built = SpoilerIndex.build([corpus])
    assert built.check("the red door omg", 3, E(1, 1)).episode == E(1, 2)


def test_save_and_load_round_trip(index: SpoilerIndex, tmp_path: Path) -> None:
    path = tmp_path / "index.bin"
    index.save(path)
    loaded = SpoilerIndex.load(path)
    text = "talbot doesnt make it"
    assert loaded.check(text, 1, E(1, 2)) == index.check(text, 1, E(1, 2))
    path.write_bytes(b"not an index")
    with pytest.raises(Exception):  # noqa: B017 - any unpickling failure is fine here
        SpoilerIndex.load(path)


def test_verdict_as_dict_is_json_ready(index: SpoilerIndex) -> None:
    data = index.check("varne gets arrested", 1, E(1, 1)).as_dict("varne gets arrested")
    assert data["spoiler"] is True and data["episode"] == "S01E03"
    assert data["evidence"][0]["episode"] == "S01E03"
