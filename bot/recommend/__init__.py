"""Recommendations: what to start, what's next, what to watch together (no Discord here)."""

from bot.recommend.blurbs import JudgeProvider, SpoilerJudge
from bot.recommend.service import RatingError, RatingView, RecommendService
from bot.recommend.types import NextUp, PartyPlan, Recommendation, SharedShow

__all__ = [
    "JudgeProvider",
    "NextUp",
    "PartyPlan",
    "RatingError",
    "RatingView",
    "RecommendService",
    "Recommendation",
    "SharedShow",
    "SpoilerJudge",
]
