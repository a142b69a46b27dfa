"""Discord's interaction deadlines as the playground applies them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.clock import ManualClock
from playground.deadlines import age, check_initial_response, check_token
from playground.model import Interaction
from playground.routing import ApiError
from playground.world import World


def _sent(world: World) -> Interaction:
    return Interaction(1, "token", 2, 1, 1, {}, sent_clock=world.now())


def test_a_first_answer_within_three_seconds_is_accepted_and_a_late_one_is_unknown() -> None:
    clock = ManualClock()
    world = World(clock.now, "Test")
    interaction = _sent(world)
    check_initial_response(world, interaction)
    clock.advance(timedelta(seconds=3.5))
    with pytest.raises(ApiError) as late:
        check_initial_response(world, interaction)
    assert (late.value.status, late.value.body["code"]) == (404, 10062)
    assert interaction.late


def test_followups_work_for_fifteen_minutes_then_the_token_is_invalid() -> None:
    clock = ManualClock()
    world = World(clock.now, "Test")
    interaction = _sent(world)
    clock.advance(timedelta(minutes=14, seconds=59))
    check_token(world, interaction)
    assert 899 < age(world, interaction) < 900
    clock.advance(timedelta(seconds=2))
    with pytest.raises(ApiError) as expired:
        check_token(world, interaction)
    assert (expired.value.status, expired.value.body["code"]) == (401, 50027)
