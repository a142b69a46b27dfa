"""The last episode a message reveals: the episode its label names and its Reveal gate needs.

The verdict's `episode` is the earliest spoiled episode; a label must instead name the episode
after which nothing the message states is new. Facts the engine dates precisely (strong facts:
concepts some sentence states together) count at their episode. Where the dating is only a
lower bound the label errs late: a weak match (a group of the message's concepts first stated
together after the line, too weak to flag alone) still counts at its episode, and a bare name
(a name new after the line that no dated group of the message's concepts holds: the message
says something about it the engine cannot date) counts at the *latest* corpus sentence naming
it, which is never after the show's last reviewed episode.
"""

from __future__ import annotations

from typing import NamedTuple

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.matching import Fact, increment, lone_name, reveals
from bot.guard.engine.model import BOUND, EVENT, NAME, TAUGHT, ShowModel
from bot.guard.engine.types import Evidence, Verdict

MAX_EVIDENCE = 3


class Dated(NamedTuple):
    """The episode a fact dates the message to, and the unit (sentence) that dates it."""

    episode: EpisodeRef
    unit: int
    fact: Fact
    latest: bool  # a bare name, dated by the latest sentence naming it


def last_dating(
    model: ShowModel,
    strong: list[Fact],
    novel: list[Fact],
    line: EpisodeRef,
    end: int,
    thresholds: tuple[float, float],
) -> Dated | None:
    """The latest dating among the message's facts after the line (None: it has none).

    `strong` are the facts that flag it, `novel` every fact gathered after the line;
    `thresholds` are the part floor and the minimum increment a weak group must reach (the
    same tests a part of a combined fact passes) to count as something the message states.
    """
    best: Dated | None = None
    covered: set[int] = set()
    for fact in strong:
        best = _later(best, Dated(fact.episode, fact.unit, fact, latest=False))
        if says_more(model, fact):
            covered.update(fact.concepts)
    floor, least = thresholds
    for fact in novel:
        if (
            len(fact.concepts) > 1
            and fact.score >= floor
            and reveals(model, fact, line, end)
            and increment(model, fact, end) >= least
        ):
            best = _later(best, Dated(fact.episode, fact.unit, fact, latest=False))
            if says_more(model, fact):
                covered.update(fact.concepts)
    for fact in (*strong, *novel):
        if lone_name(model, fact) and not fact.concepts <= covered:
            unit = _latest_unit(model, fact)
            best = _later(best, Dated(model.unit_episode[unit], unit, fact, latest=True))
    return best


def says_more(model: ShowModel, fact: Fact) -> bool:
    """Whether a fact states something beyond names: it dates what it says about them.

    A taught phrase does (a moderator dated it); a full name or two names together do not.
    """
    if not fact.concepts:
        return True
    labels = model.labels
    return len(fact.concepts) > 1 and any(labels[c][0] != NAME for c in fact.concepts)


def _later(best: Dated | None, other: Dated) -> Dated:
    return other if best is None or other.episode > best.episode else best


def _latest_unit(model: ShowModel, fact: Fact) -> int:
    """The latest sentence stating the fact's one concept (a taught one only if it is later)."""
    (concept,) = fact.concepts
    stated = model.postings[concept] & ((1 << model.corpus_units) - 1)
    unit = stated.bit_length() - 1 if stated else fact.unit
    return fact.unit if model.unit_episode[fact.unit] > model.unit_episode[unit] else unit


def with_last(
    model: ShowModel,
    verdict: Verdict,
    strong: list[Fact],
    novel: list[Fact],
    place: tuple[EpisodeRef, int],
    thresholds: tuple[float, float],
    precise: bool,
) -> Verdict:
    """The flagging verdict with `last`, never before `episode`.

    `place` is the line and the first corpus unit after it. Flagged by a precise fact (a strong
    fact that `says_more`), `last` is the latest episode among the strong
    facts, however much weaker than the best; otherwise the dating errs late
    (`last_dating`). The evidence keeps its first items and ends with what dates `last` if no
    item is from that episode: the fact's sentence, or for a bare name the latest sentence
    naming it (source `latest`).
    """
    line, end = place
    if precise:
        fact = max(strong, key=lambda fact: (fact.episode, fact.score))
        dated: Dated | None = Dated(fact.episode, fact.unit, fact, latest=False)
    else:
        dated = last_dating(model, strong, novel, line, end, thresholds)
    if dated is None or verdict.episode is None or dated.episode <= verdict.episode:
        return Verdict(True, verdict.episode, verdict.score, verdict.evidence, verdict.episode)
    if dated.latest:
        item = Evidence(dated.episode, model.text(dated.unit), "latest", dated.fact.score)
    else:
        item = fact_evidence(model, dated.fact)
    evidence = including(verdict.evidence, item, MAX_EVIDENCE)
    return Verdict(True, verdict.episode, verdict.score, evidence, dated.episode)


def fact_evidence(model: ShowModel, fact: Fact) -> Evidence:
    """What a fact matched: a taught phrase, a lone term or name, or the sentence stating it."""
    if model.unit_kind[fact.unit] == TAUGHT:
        return Evidence(fact.episode, model.taught[fact.unit], "taught", fact.score)
    if len(fact.concepts) == 1:
        (concept,) = fact.concepts
        return Evidence(fact.episode, model.labels[concept][2:], "term", fact.score)
    labels, source = model.labels, "phrase"
    for concept in fact.concepts:
        if labels[concept][0] in (EVENT, BOUND):
            source = "event"
            break
    return Evidence(fact.episode, model.text(fact.unit), source, fact.score)


def including(evidence: tuple[Evidence, ...], item: Evidence, limit: int) -> tuple[Evidence, ...]:
    """The evidence, with `item` in the last place unless some item already has its episode."""
    if any(known.episode == item.episode for known in evidence):
        return evidence
    return (*evidence[: limit - 1], item)
