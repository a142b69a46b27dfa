"""Signals beyond one sentence: episodes a message names, words new in one episode."""

from __future__ import annotations

import re

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.matching import Fact
from bot.guard.engine.model import EPISODE_SPAN, NAME, TERM, ShowModel

_CODE = re.compile(r"\bs(\d{1,2}) ?e(\d{1,3})\b|\b(\d{1,2})x(\d{1,3})\b")
_NUMBERED = re.compile(r"\b(?:ep|eps|episode|e)\.? ?#?(\d{1,3})\b")
_FINALE = re.compile(r"\bfinale\b")
_SEASON = re.compile(r"\b(?:s|season) ?(\d{1,2})\b")
_ANY_EPISODE = re.compile(r"\bs\d|\d ?x ?\d|\bep|\be\d|finale")
_SE_DIGIT = re.compile(r"[se]\d")  # what `\bs\d` and `\be\d` need
_DIGIT_X = re.compile(r"\d ?x")  # what `\d ?x ?\d` needs
NEW_WORDS_MIN = 2


def named_episodes(model: ShowModel, folded: str, line: EpisodeRef) -> set[EpisodeRef]:
    """Episodes after the line the message names: 'S01E05', '1x05', 'ep 5', 'the finale'.

    A bare number or 'finale' belongs to the season the message names, else the reader's.
    """
    if not may_name_episodes(folded):
        return set()
    named: set[EpisodeRef] = set()
    for match in _CODE.finditer(folded):
        season, number = (match[1], match[2]) if match[1] else (match[3], match[4])
        named.add(EpisodeRef(int(season), int(number)))
    season_named = _SEASON.search(folded)
    season = int(season_named[1]) if season_named else max(line.season, 1)
    named.update(EpisodeRef(season, int(match[1])) for match in _NUMBERED.finditer(folded))
    if _FINALE.search(folded):
        episodes = (e for e, _ in model.episode_units() if e.season == season)
        last = max((e.episode for e in episodes), default=0)
        if last:
            named.add(EpisodeRef(season, last))
    return {episode for episode in named if episode > line}


def may_name_episodes(folded: str) -> bool:
    """Whether the message can name an episode (`_ANY_EPISODE` matches somewhere).

    Substring tests and one-character-class searches first: the alternation tries every
    position, and most messages hold no 'ep', no digit after 's' or 'e' and none before 'x'.
    """
    if "finale" in folded:
        return True
    if (
        "ep" not in folded
        and not _SE_DIGIT.search(folded)
        and ("x" not in folded or not _DIGIT_X.search(folded))
    ):
        return False
    return _ANY_EPISODE.search(folded) is not None


def _opening(model: ShowModel) -> EpisodeRef | None:
    """The show's first episode (its premise sits at S00E00, before it)."""
    for key in model.episode_keys:
        if key % EPISODE_SPAN:
            return EpisodeRef(key // EPISODE_SPAN, key % EPISODE_SPAN)
    return None


def new_words(
    model: ShowModel, concepts: dict[int, str], line: EpisodeRef, end: int, hedge: float
) -> list[Fact]:
    """Names and terms the message shares that all first appear in one unwatched episode.

    'the whole 20 min spacewalk and then she just drifts off, no music': no corpus sentence
    holds all of it, but the spacewalk, the drifting and the silence are all new in one
    episode, and together they describe it. The show's first episode is left out: everything
    is new there, so newness says nothing.
    """
    postings, episodes, firsts = model.postings, model.unit_episode, model.first_units
    corpus = model.corpus_units
    fresh = []
    for concept, label in concepts.items():
        first = firsts[concept]  # a unit before `end` is at or before the line
        if first < end or label[0] not in (NAME, TERM) or not postings[concept]:
            continue
        # a corpus unit from `end` on is after the line; a taught one can be dated anywhere
        if first < corpus or episodes[first] > line:
            fresh.append(concept)
    if len(fresh) < NEW_WORDS_MIN:
        return []  # no episode can hold two of them
    by_episode: dict[EpisodeRef, list[int]] = {}
    for concept in fresh:
        by_episode.setdefault(episodes[firsts[concept]], []).append(concept)
    found = []
    for episode, group in by_episode.items():
        if len(group) >= NEW_WORDS_MIN and episode != _opening(model):
            unit = min(firsts[c] for c in group)
            score = sum(model.weights[c] for c in group) * hedge
            found.append(Fact(frozenset(group), unit, episode, score))
    return found
