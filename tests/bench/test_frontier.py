"""The oracle frontier picks the best rule that keeps the precision and false-flag targets."""

from __future__ import annotations

from bench.frontier import WeakFact, best_rule
from bench.spoilers import Case
from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.types import Verdict

E1, E2, E3 = (EpisodeRef(1, n) for n in (1, 2, 3))
MISSED = Verdict(False, None, 0.0)


def _case(spoiler: bool, reveals: EpisodeRef = E3) -> Case:
    return Case("f", "Show", E1, "text", reveals if spoiler else None, "direct")


def _cases(spoilers: int, others: int) -> list[Case]:
    return [_case(True) for _ in range(spoilers)] + [_case(False) for _ in range(others)]


def test_a_rule_breaking_the_false_flag_target_loses() -> None:
    cases = _cases(60, 100)
    verdicts = [MISSED] * len(cases)
    weak: list[list[WeakFact]] = [[WeakFact(E3, 1.0 if n < 30 else 0.5, 0.5)] for n in range(60)]
    weak += [[WeakFact(E2, 0.6, 0.5)] if n < 3 else [] for n in range(100)]
    rules = {
        "strict": lambda f: f.score >= 1.0,  # half the spoilers, no false flag
        "loose": lambda f: f.score >= 0.5,  # every spoiler, precision 0.952, false flags 3 %
    }
    best = best_rule(cases, verdicts, weak, [rules])
    assert best is not None
    assert best == ("strict", 0.5, 0.5, 1.0, 0.0)


def test_the_best_recall_within_the_targets_wins() -> None:
    cases = _cases(60, 100)
    verdicts = [MISSED] * len(cases)
    weak: list[list[WeakFact]] = [[WeakFact(E3, 1.0 if n < 30 else 0.5, 0.5)] for n in range(60)]
    weak += [[WeakFact(E2, 0.6, 0.5)] if n < 2 else [] for n in range(100)]
    rules = {"strict": lambda f: f.score >= 1.0, "loose": lambda f: f.score >= 0.5}
    best = best_rule(cases, verdicts, weak, [rules])
    assert best is not None
    assert best[:2] == ("loose", 1.0)  # two false flags of 100 are within the target


def test_the_engines_own_flags_count_and_keep_their_episode() -> None:
    cases = _cases(2, 1)
    verdicts = [Verdict(True, E2, 2.0), Verdict(True, E2, 2.0), MISSED]
    weak: list[list[WeakFact]] = [[WeakFact(E3, 1.0, 1.0)], [], []]
    best = best_rule(cases, verdicts, weak, [{"any": lambda f: True}])
    assert best is not None
    assert best[1:3] == (1.0, 0.0)  # both flagged by the engine, dated E2, labelled E3


def test_two_families_are_also_tried_together() -> None:
    cases = _cases(2, 1)
    verdicts = [MISSED] * 3
    weak = [[WeakFact(E3, 1.0, 0.0)], [WeakFact(E3, 0.1, 0.0, 0.9, 0.2)], []]
    lexical = {"score": lambda f: f.score >= 1.0}
    similar = {"cosine": lambda f: f.resemblance >= 0.8}
    best = best_rule(cases, verdicts, weak, [lexical, similar])
    assert best is not None
    assert best[0] == "score or cosine"
    assert best[1] == 1.0


def test_no_rule_meeting_the_targets_gives_none() -> None:
    cases = _cases(1, 1)
    weak = [[], [WeakFact(E3, 1.0, 1.0)]]
    assert best_rule(cases, [MISSED, MISSED], weak, [{"any": lambda f: True}]) is None


def test_the_resemblance_without_a_fact_is_read_only_by_similarity_alone() -> None:
    from bench.frontier import lexical_rules, semantic_rules, similarity_rules

    unanchored = WeakFact(E3, -1.0, -1.0, 0.9, 0.5)
    assert not any(rule(unanchored) for rule in lexical_rules().values())
    assert not any(rule(unanchored) for rule in semantic_rules().values())
    assert all(rule(unanchored) for rule in similarity_rules().values())
