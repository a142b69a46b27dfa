"""Small pieces of English shared by the bot's replies."""

from __future__ import annotations


def plural(number: int, one: str, many: str) -> str:
    """`1 member is` / `3 members are`."""
    return f"{number} {one if number == 1 else many}"
