"""The spoiler engine: what each episode reveals, and whether a message gives it away."""

from bot.guard.engine.index import SpoilerIndex
from bot.guard.engine.semantic import SemanticMatcher
from bot.guard.engine.types import (
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
