"""Fuzzy show lookup: typos, aliases, ambiguity and suggestions."""

from __future__ import annotations

import pytest

from bot.catalog.shows import ShowInfo, build_catalog
from bot.errors import AmbiguousShowError, UnknownShowError

CATALOG = build_catalog(
    [
        ShowInfo(1, "Ballard", ("Ballard PD",), ((1, 10),)),
        ShowInfo(2, "The Lantern Keeper", ("TLK", "Lantern Keeper"), ((1, 8), (2, 6))),
        ShowInfo(3, "Coldwake", (), ((1, 8),)),
        ShowInfo(4, "Night Shift", (), ((1, 6),)),
        ShowInfo(5, "Night Shifts", (), ((1, 6),)),
    ]
)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("balard", "Ballard"),
        ("BALLARD", "Ballard"),
        ("the lantern keeper", "The Lantern Keeper"),
        ("lantern kepeer", "The Lantern Keeper"),
        ("tlk", "The Lantern Keeper"),
        ("cold wake", "Coldwake"),
    ],
)
def test_typos_and_aliases_find_the_show(query: str, title: str) -> None:
    assert CATALOG.resolve(query).title == title


def test_exact_title_wins_over_a_near_twin() -> None:
    assert CATALOG.resolve("night shift").title == "Night Shift"


@pytest.mark.parametrize("query", ["", "   ", "the", "the show", "qqqq zzzz"])
def test_nonsense_is_unknown(query: str) -> None:
    with pytest.raises(UnknownShowError):
        CATALOG.resolve(query)


def test_unknown_show_suggests_close_titles() -> None:
    with pytest.raises(UnknownShowError, match="Did you mean"):
        CATALOG.resolve("lantern house")


def test_ambiguous_name_asks_for_the_exact_one() -> None:
    with pytest.raises(AmbiguousShowError):
        CATALOG.closest("night shiftz", threshold=85)


def test_search_lists_matches_and_everything_when_blank() -> None:
    assert [s.title for s in CATALOG.search("bal")][:1] == ["Ballard"]
    assert len(CATALOG.search("")) == 5
