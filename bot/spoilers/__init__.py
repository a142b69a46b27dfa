"""The spoiler engine: what each episode reveals, and whether a message gives it away."""

from bot.spoilers.index import SpoilerIndex
from bot.spoilers.semantic import SemanticMatcher
from bot.spoilers.types import (
    NOT_A_SPOILER,
    CorpusSentence,
    Evidence,
    ShowCorpus,
    TaughtPhrase,
    Verdict,
)

__all__ = [
    "NOT_A_SPOILER",
    "CorpusSentence",
    "Evidence",
    "SemanticMatcher",
    "ShowCorpus",
    "SpoilerIndex",
    "TaughtPhrase",
    "Verdict",
]
