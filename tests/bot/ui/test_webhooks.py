"""Webhook usernames: every member's name becomes one Discord (here, the playground) accepts."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ui.webhooks import NEUTRAL_NAME, webhook_username
from playground.hook_rules import name_problem

LOOK_ALIKES = str.maketrans("сеоаіСЕОАІ", "ceoaiCEOAI")


@pytest.mark.parametrize(
    "name",
    ["Clyde", "discordfan", "CLYDE the cat", "DiScOrD", "clydeclyde", "my discord clyde", "here"],
)
def test_names_discord_refuses_read_the_same_but_pass(name: str) -> None:
    assert name_problem(name) is not None  # the playground refuses the name as it is
    fixed = webhook_username(name)
    assert name_problem(fixed) is None
    assert fixed != name and fixed.translate(LOOK_ALIKES) == name


@pytest.mark.parametrize("name", ["alice", "Mr. Clyd", "disco rd", "Ballard fan ⚓"])
def test_acceptable_names_are_left_alone(name: str) -> None:
    assert webhook_username(name) == name


def test_blank_and_overlong_names() -> None:
    assert webhook_username("   ") == NEUTRAL_NAME
    assert webhook_username("x" * 100) == "x" * 80
    assert webhook_username("  two   spaces ") == "two spaces"


@given(st.text(max_size=120))
def test_any_name_becomes_one_discord_accepts(name: str) -> None:
    assert name_problem(webhook_username(name)) is None


@given(st.text(alphabet="clydeCLYDEdiscorDISCOR ſK", max_size=40))
def test_names_built_from_the_forbidden_letters_pass(name: str) -> None:
    assert name_problem(webhook_username(name)) is None
