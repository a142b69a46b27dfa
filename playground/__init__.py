"""A local Discord (HTTP API v10 + gateway) for running the real bot in tests and demos."""

from playground.actions import PlaygroundError
from playground.events import Event, format_event
from playground.harness import ContractViolationError, Playground
from playground.settle import SettleTimeout

__all__ = [
    "ContractViolationError",
    "Event",
    "Playground",
    "PlaygroundError",
    "SettleTimeout",
    "format_event",
]
