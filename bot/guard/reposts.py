"""Hiding a member's spoiler: copy it under tags first, delete the original only after."""

from __future__ import annotations

from typing import Protocol

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo


class HideFailed(Exception):
    """One step of hiding failed; `reason` says why, in words for the channel."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Original(Protocol):
    """A member's message the guard hides (implemented in Discord terms by an adapter)."""

    async def repost_hidden(self, show: ShowInfo, episode: EpisodeRef) -> None:
        """Post the labelled, spoiler-tagged copy; raise HideFailed if it was not posted."""
        ...

    async def delete(self) -> None:
        """Delete the original message; raise HideFailed if it is still there."""
        ...

    async def warn(self, show: ShowInfo, episode: EpisodeRef, reason: str) -> None:
        """Tell the channel the original may spoil `episode` but could not be hidden."""
        ...


async def hide(original: Original, show: ShowInfo, episode: EpisodeRef) -> bool:
    """Repost first; delete the original only once its tagged copy exists. False if not hidden.

    If the copy fails the original stays (nothing is lost) and the channel is warned; if the
    delete fails, both stay and the channel is warned too.
    """
    try:
        await original.repost_hidden(show, episode)
    except HideFailed as failure:
        await original.warn(show, episode, failure.reason)
        return False
    try:
        await original.delete()
    except HideFailed as failure:
        await original.warn(show, episode, failure.reason)
        return False
    return True
