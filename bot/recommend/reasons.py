"""Why a show is suggested, in the member's own terms, strongest reason first."""

from __future__ import annotations

from collections.abc import Mapping

from bot.recommend.ranking import Scored
from bot.wording import plural

NOTHING_TO_SAY = "something new for you"


def reason_for(
    scored: Scored, titles: Mapping[int, str], ratings: Mapping[int, int], *, group: bool = False
) -> str:
    """`you rated Ballard 9 and The Lantern Keeper 8 · 3 members here with your taste finished it`.

    The member's own shows and similar members come first, whichever lifted the show more;
    critics' ratings only when nothing personal applies, and then said as such.
    """
    who = "one of you" if group else "you"
    personal = _own_shows(scored, titles, ratings, who)
    social = "" if group else _similar_members(scored)
    ordered = [personal, social] if scored.personal >= scored.social else [social, personal]
    parts = [part for part in ordered if part]
    if not parts and scored.critics is not None:
        parts.append(f"critics rate it {_number(scored.critics)}/10 (no personal reason yet)")
    if scored.warned and not group:
        parts.append(
            f"but {plural(scored.warned, 'member', 'members')} with your taste disliked it"
        )
    if scored.watching:
        parts.append(f"{plural(scored.watching, 'member here is', 'members here are')} watching it")
    return " · ".join(parts) if parts else NOTHING_TO_SAY


def _own_shows(
    scored: Scored, titles: Mapping[int, str], ratings: Mapping[int, int], who: str
) -> str:
    """`you rated Ballard 9 and finished Coldwake`."""
    rated = [
        f"{titles.get(show_id, 'a show')} {ratings[show_id]}"
        for show_id, _ in scored.anchors
        if show_id in ratings
    ]
    finished = [
        titles.get(show_id, "a show") for show_id, _ in scored.anchors if show_id not in ratings
    ]
    clauses = []
    if rated:
        clauses.append("rated " + " and ".join(rated))
    if finished:
        clauses.append("finished " + " and ".join(finished))
    return f"{who} {' and '.join(clauses)}" if clauses else ""


def _similar_members(scored: Scored) -> str:
    """`3 members here with your taste finished it` (or `liked it`, when not all finished)."""
    if not scored.similar_fans:
        return ""
    verb = "finished" if scored.similar_finished == scored.similar_fans else "liked"
    return f"{plural(scored.similar_fans, 'member', 'members')} here with your taste {verb} it"


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")
