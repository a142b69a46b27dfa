"""How far new thresholds alone could take the engine on the labelled messages (an oracle).

Run: python -m bench.spoilers --frontier [--semantic]

Every revealing fact a message states after its line is collected down to a score of 0, with
its increment over the watched passages (and, with the paraphrase layer, how closely the
message resembles the later sentences stating it). Then a grid of looser rules is laid on top
of the engine's own verdicts, and the rule with the best recall that still meets the precision
and false-flag targets is picked *on the evaluation set itself*. No shipped setting can do
better than this oracle, so when its recall is short of the target, thresholds are not what is
missing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from bench.spoilers import TARGETS, Case
from bot.catalog.episodes import EpisodeRef
from bot.guard.engine import SpoilerIndex
from bot.guard.engine.matching import Reader, facts, increment, known_relations, reveals
from bot.guard.engine.paraphrase import units_after
from bot.guard.engine.text import fold_message
from bot.guard.engine.types import Verdict

SCORES = [step / 20 for step in range(33)]  # 0.00 … 1.60, the engine's threshold
INCREMENTS = [step / 20 for step in range(13)]  # 0.00 … 0.60, the engine's minimum
SIMILARITIES = [step / 20 for step in range(6, 17)]  # 0.30 … 0.80
MARGINS = [0.0, 0.05, 0.1]


@dataclass(frozen=True, slots=True)
class WeakFact:
    """A revealing fact a message states after its line, and how it measures."""

    episode: EpisodeRef
    score: float
    increment: float
    resemblance: float = 0.0  # best cosine of a later sentence stating it (paraphrase layer)
    lead: float = 0.0  # how far that beats every watched sentence


Rule = Callable[[WeakFact], bool]


def weak_facts(
    index: SpoilerIndex, case: Case, show_id: int, similarities: Sequence[float] | None = None
) -> list[WeakFact]:
    """Every revealing fact the message states after its line, scored down to 0.

    With `similarities`, the list also holds the later sentence the message resembles most,
    as a fact of score -1 that only the similarity-alone rules read.
    """
    model = index.models[show_id]
    end = model.units_through(case.progress)
    found = []
    watched = 0.0
    if similarities is not None:
        watched = max(similarities[:end], default=-1.0)
        later = range(end, model.corpus_units)
        if later:
            unit = max(later, key=similarities.__getitem__)
            best = float(similarities[unit])
            found.append(WeakFact(model.unit_episode[unit], -1.0, -1.0, best, best - watched))
    folded = fold_message(case.text)
    concepts = Reader(model, index.known_words).concepts(folded)
    if not concepts:
        return found
    known_relations(model, concepts, case.progress)
    for fact in facts(model, concepts, folded, end, 0.0):
        if fact.episode <= case.progress or not reveals(model, fact, case.progress, end):
            continue
        resemblance = 0.0
        if similarities is not None and fact.concepts:
            stating = units_after(model, fact, end)
            resemblance = max((float(similarities[u]) for u in stating), default=0.0)
        gain = increment(model, fact, end)
        found.append(WeakFact(fact.episode, fact.score, gain, resemblance, resemblance - watched))
    return found


def best_rule(
    cases: list[Case],
    verdicts: list[Verdict],
    weak: list[list[WeakFact]],
    families: list[dict[str, Rule]],
) -> tuple[str, float, float, float, float] | None:
    """The best rule meeting the targets: (name, recall, exact, precision, false flags).

    A rule is one of a family's, or one of each of two families taken together (a message is
    flagged when either flags it). The first rule with the best recall wins; its exact episode
    is reported, not optimised.
    """
    spoilers = sum(case.spoiler for case in cases)
    truth = sum(1 << n for n, case in enumerate(cases) if case.spoiler)
    shipped = sum(1 << n for n, verdict in enumerate(verdicts) if verdict.spoiler)
    masks = [{name: _mask(weak, rule) | shipped for name, rule in f.items()} for f in families]
    candidates = [(name,) for family in masks for name in family]
    for first, second in itertools.combinations(masks, 2):
        candidates += itertools.product(first, second)
    merged = {name: mask for family in masks for name, mask in family.items()}
    allowed_false_flags = TARGETS["false flags"] * (len(cases) - spoilers)
    best = None
    for names in candidates:
        flagged = 0
        for name in names:
            flagged |= merged[name]
        tp = (flagged & truth).bit_count()
        fp = flagged.bit_count() - tp
        precision = tp / (tp + fp) if tp + fp else 1.0
        if precision < TARGETS["precision"] or fp > allowed_false_flags:
            continue
        if best is None or tp > best[0]:
            best = (tp, fp, names)
    if best is None:
        return None
    tp, fp, names = best
    rules = [rule for family in families for name, rule in family.items() if name in names]
    exact = _exact(cases, verdicts, weak, rules)
    return (
        " or ".join(names),
        tp / spoilers,
        exact / spoilers,
        tp / (tp + fp),
        fp / (len(cases) - spoilers),
    )


def _mask(weak: list[list[WeakFact]], rule: Rule) -> int:
    """Bit n set when the rule flags message n."""
    return sum(1 << n for n, found in enumerate(weak) if any(map(rule, found)))


def _exact(
    cases: list[Case], verdicts: list[Verdict], weak: list[list[WeakFact]], rules: list[Rule]
) -> int:
    """Spoilers flagged with their labelled episode (the engine's, else a rule's earliest)."""
    exact = 0
    for case, verdict, found in zip(cases, verdicts, weak, strict=True):
        episode = verdict.episode if verdict.spoiler else None
        if episode is None:
            hits = [fact.episode for fact in found if any(rule(fact) for rule in rules)]
            episode = min(hits) if hits else None
        exact += case.spoiler and episode is not None and episode == case.reveals
    return exact


def lexical_rules() -> dict[str, Rule]:
    """Flag a weak fact reaching a score and an increment, over the whole grid."""
    return {
        f"score ≥ {s:.2f}, increment ≥ {i:.2f}": _lexical(s, i)
        for s, i in itertools.product(SCORES, INCREMENTS)
    }


def semantic_rules() -> dict[str, Rule]:
    """A weak fact of some score whose later sentences the message resembles, over the grid."""
    rules = {}
    for floor, cosine, margin in itertools.product((0.0, 0.3, 0.5, 0.8), SIMILARITIES, MARGINS):
        name = f"score ≥ {floor:.1f}, cosine ≥ {cosine:.2f}, lead ≥ {margin:.2f}"
        rules[name] = _similar(floor, cosine, margin)
    return rules


def similarity_rules() -> dict[str, Rule]:
    """Any later sentence the message resembles, with no lexical fact at all (round 2's rule)."""
    return {
        f"cosine alone ≥ {cosine:.2f}, lead ≥ {margin:.2f}": _similar(-1.0, cosine, margin)
        for cosine, margin in itertools.product(SIMILARITIES, MARGINS)
    }


def _lexical(score: float, gain: float) -> Rule:
    return lambda fact: fact.score >= score and fact.increment >= gain


def _similar(floor: float, cosine: float, margin: float) -> Rule:
    return lambda fact: fact.score >= floor and fact.resemblance >= cosine and fact.lead >= margin


def report_frontier(
    title: str,
    cases: list[Case],
    verdicts: list[Verdict],
    weak: list[list[WeakFact]],
    families: list[dict[str, Rule]],
) -> None:
    """Print the oracle's best rule beside the engine's own figures."""
    spoilers = sum(case.spoiler for case in cases)
    caught = sum(c.spoiler and v.spoiler for c, v in zip(cases, verdicts, strict=True))
    best = best_rule(cases, verdicts, weak, families)
    sizes = " × ".join(str(len(family)) for family in families)
    print(f"\n== oracle frontier: {title} ({sizes} rules, picked on all {len(cases)} messages)")
    print(f"  engine as shipped: recall {caught / spoilers:.3f}")
    if best is None:
        print("  no rule meets the precision and false-flag targets")
        return
    name, recall, exact, precision, false_flags = best
    print(
        f"  best rule within precision ≥ {TARGETS['precision']} and false flags ≤ "
        f"{TARGETS['false flags']}: {name}\n"
        f"    recall {recall:.3f} (target {TARGETS['recall']}), exact episode {exact:.3f} "
        f"(target {TARGETS['exact episode']}), precision {precision:.3f}, "
        f"false flags {false_flags:.3f}"
    )
