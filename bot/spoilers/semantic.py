"""The extension point for a paraphrase layer (sentence embeddings); none ships yet."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable


@runtime_checkable
class SemanticMatcher(Protocol):
    """Scores how closely a message paraphrases corpus sentences, 0.0 (unrelated) to 1.0.

    An implementation would embed the corpus once (`prepare`) with an offline model installed
    as an optional extra, then compare each message's embedding to the candidate sentences.
    """

    def prepare(self, show_id: int, sentences: Sequence[str]) -> None:
        """Embed (or load cached embeddings of) one show's corpus sentences."""
        ...

    def similarities(self, show_id: int, message: str, candidates: Sequence[int]) -> list[float]:
        """Similarity of `message` to each candidate sentence (indices into `prepare` order)."""
        ...
