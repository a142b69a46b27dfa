"""A server's spoiler index over two corpus layers: the shared one, then the server's own.

What the operator imports serves every server; what a server uploads with `/corpus add` is
read only by that server, and only to add facts. A server's review of an early episode that
states later plot must not make that plot count as revealed early, so both layers are asked
and the stricter answer is kept: a spoiler in either layer is a spoiler, the shared layer
dates what both know, and the later last episode labels it (labels err late).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.dating import MAX_EVIDENCE
from bot.guard.engine.index import SpoilerIndex
from bot.guard.engine.semantic import SemanticMatcher
from bot.guard.engine.types import Verdict


def stricter(shared: Verdict, local: Verdict) -> Verdict:
    """The answer that hides more: a spoiler in either layer, labelled with the later label.

    When both layers call it a spoiler, the shared layer dates it (its first episode and its
    evidence lead): a server's review cannot move a fact earlier than the shared corpus has it.
    """
    if shared.spoiler != local.spoiler:
        return shared if shared.spoiler else local
    if not shared.spoiler:
        return shared if shared.score >= local.score else local
    labels = [v.label_episode for v in (shared, local) if v.label_episode is not None]
    extra = tuple(item for item in local.evidence if item not in shared.evidence)
    evidence = (shared.evidence + extra)[:MAX_EVIDENCE]
    score = max(shared.score, local.score)
    return Verdict(True, shared.episode, score, evidence, max(labels, default=None))


def _later(first: EpisodeRef | None, second: EpisodeRef | None) -> EpisodeRef | None:
    if first is None or second is None:
        return first or second
    return max(first, second)


@dataclass(frozen=True, slots=True)
class LayeredIndex:
    """The shared index and a small one built from shared plus one server's documents.

    `local` holds only the shows the server uploaded reviews of; every other show is checked
    with `shared` alone.
    """

    shared: SpoilerIndex
    local: SpoilerIndex

    @property
    def semantic(self) -> SemanticMatcher | None:
        """The paraphrase layer, if the shared index checks with one."""
        return self.shared.semantic

    def check(self, text: str, show_id: int, line: EpisodeRef) -> Verdict:
        """`SpoilerIndex.check` in both layers, keeping the stricter verdict."""
        verdict = self.shared.check(text, show_id, line)
        if show_id not in self.local.models:
            return verdict
        return stricter(verdict, self.local.check(text, show_id, line))

    def last_revealed(self, text: str, show_id: int, line: EpisodeRef) -> EpisodeRef | None:
        """The later of both layers' last revealed episodes (an own label errs late)."""
        found = self.shared.last_revealed(text, show_id, line)
        if show_id not in self.local.models:
            return found
        return _later(found, self.local.last_revealed(text, show_id, line))

    def shows_named(self, text: str) -> list[int]:
        """Shows the text names, as the shared index reads names."""
        return self.shared.shows_named(text)


GuildIndex = SpoilerIndex | LayeredIndex
"""What a server's messages are checked with."""
