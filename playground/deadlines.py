"""Discord's interaction deadlines: 3 seconds for the first response, 15 minutes for the rest.

An initial response (a reply, a deferral, a modal, an update, autocomplete choices) later than
3 s after the interaction was sent gets 404 Unknown interaction (10062), as on Discord; the
member's client then says "The application did not respond". A deferral is a response, so
the followups it promises may come for 15 minutes; after that the token is invalid (401,
50027). Time is the real time since the interaction was sent plus any advance of the
playground's clock, so a test can reach the 15-minute limit without waiting.
"""

from __future__ import annotations

import time

from playground.model import Interaction
from playground.routing import ApiError
from playground.world import FOLLOWUP_SECONDS, World


def age(world: World, interaction: Interaction) -> float:
    """Seconds since the interaction was sent to the bot."""
    real = time.monotonic() - interaction.sent_at
    if interaction.sent_clock is None:
        return real
    return real + max(0.0, (world.now() - interaction.sent_clock).total_seconds())


def check_initial_response(world: World, interaction: Interaction) -> None:
    """Refuse a first response that comes after the deadline."""
    if age(world, interaction) > world.interaction_deadline:
        interaction.late = True
        raise ApiError(404, 10062, "Unknown interaction")


def check_token(world: World, interaction: Interaction) -> None:
    """Refuse followups and edits once the interaction's token has expired."""
    if age(world, interaction) > FOLLOWUP_SECONDS:
        raise ApiError(401, 50027, "Invalid Webhook Token")
