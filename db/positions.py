"""What db needs of an episode position: its season and episode numbers, nothing more."""

from __future__ import annotations

from typing import Protocol

EpisodeNumbers = tuple[int, int]
"""A (season, episode) pair as db hands positions back; (0, 0) means nothing watched."""


class Position(Protocol):
    """Anything with a season and an episode number (the bot's EpisodeRef is one)."""

    @property
    def season(self) -> int:
        """The season number (0 with episode 0 means nothing watched)."""
        ...

    @property
    def episode(self) -> int:
        """The episode number within the season."""
        ...
