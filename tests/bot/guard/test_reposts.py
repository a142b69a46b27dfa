"""The guard's hiding policy: copy first, delete the original only after, warn on failure."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.catalog.episodes import EpisodeRef
from bot.catalog.shows import ShowInfo
from bot.guard.reposts import HideFailed, hide

EPISODE = EpisodeRef(1, 5)


@dataclass
class FakeOriginal:
    """Records the steps taken; can be told which step fails."""

    fail_copy: bool = False
    fail_delete: bool = False
    steps: list[str] = field(default_factory=list)

    async def repost_hidden(self, show: ShowInfo, episode: EpisodeRef) -> None:
        if self.fail_copy:
            raise HideFailed("no webhook")
        self.steps.append(f"copy {episode.code}")

    async def delete(self) -> None:
        if self.fail_delete:
            raise HideFailed("no Manage Messages")
        self.steps.append("delete")

    async def warn(self, show: ShowInfo, episode: EpisodeRef, reason: str) -> None:
        self.steps.append(f"warn: {reason}")


SHOW: ShowInfo = None  # type: ignore[assignment]  # the policy never looks inside the show


async def test_the_copy_comes_first_then_the_original_goes() -> None:
    original = FakeOriginal()
    assert await hide(original, SHOW, EPISODE)
    assert original.steps == ["copy S01E05", "delete"]


async def test_a_failed_copy_keeps_the_original_and_warns() -> None:
    original = FakeOriginal(fail_copy=True)
    assert not await hide(original, SHOW, EPISODE)
    assert original.steps == ["warn: no webhook"]


async def test_a_failed_delete_warns() -> None:
    original = FakeOriginal(fail_delete=True)
    assert not await hide(original, SHOW, EPISODE)
    assert original.steps == ["copy S01E05", "warn: no Manage Messages"]
