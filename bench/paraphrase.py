"""The paraphrase layer on the labelled messages: quality beside the lexical engine, and cost.

Run: python -m bench.spoilers --semantic   (needs the semantic extra: pip install -e '.[semantic]')
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Sequence

from bench.schedules import percentile
from bench.spoilers import Case, print_errors, report
from bot.guard.engine import SpoilerIndex
from bot.guard.engine.semantic import SemanticMatcher, SentenceEmbeddingMatcher
from bot.guard.engine.types import ShowCorpus, Verdict


class CountingMatcher:
    """Wraps a matcher to count how many messages reach the model, and their time there."""

    def __init__(self, inner: SemanticMatcher) -> None:
        self.inner = inner
        self.calls = 0
        self.seconds = 0.0

    def prepare(self, show_id: int, sentences: Sequence[str]) -> None:
        """Pass through."""
        self.inner.prepare(show_id, sentences)

    def flush(self) -> None:
        """Pass through."""
        self.inner.flush()

    def similarities(self, show_id: int, message: str) -> Sequence[float]:
        """Pass through, counting the call and its time."""
        started = time.perf_counter()
        try:
            return self.inner.similarities(show_id, message)
        finally:
            self.calls += 1
            self.seconds += time.perf_counter() - started


def timed(index: SpoilerIndex, cases: list[Case], shows: dict[str, int]) -> list[float]:
    """Microseconds per check, one entry a case."""
    times = []
    for case in cases:
        started = time.perf_counter()
        index.check(case.text, shows[case.show], case.progress)
        times.append((time.perf_counter() - started) * 1e6)
    return times


def semantic_report(
    corpora: list[ShowCorpus],
    cases: list[Case],
    shows: dict[str, int],
    lexical: SpoilerIndex,
    errors: bool,
    frontier: bool = False,
) -> None:
    """Build the index with the paraphrase layer, report its quality and its cost."""
    started = time.perf_counter()
    matcher = CountingMatcher(SentenceEmbeddingMatcher())
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    index = SpoilerIndex.build(corpora, semantic=matcher)
    built = time.perf_counter() - started
    sentences = sum(model.corpus_units for model in index.models.values())
    verdicts: list[Verdict] = [index.check(c.text, shows[c.show], c.progress) for c in cases]
    report("engine + paraphrase layer (SPOILER_SEMANTIC=on)", cases, verdicts)
    matcher.calls = 0
    with_layer = timed(index, cases, shows)
    without = timed(lexical, cases, shows)
    print(
        f"\n== paraphrase layer cost: model load {loaded:.1f} s, {sentences} corpus sentences "
        f"embedded in {built:.1f} s; {matcher.calls} of {len(cases)} messages reached the model "
        f"({matcher.seconds / max(matcher.calls, 1) * 1000:.1f} ms each)"
    )
    for name, times in (("lexical engine", without), ("with the layer", with_layer)):
        print(
            f"  {name:16s} mean {statistics.fmean(times):8.0f} µs  p50 "
            f"{percentile(times, 50):8.0f} µs  p99 {percentile(times, 99):8.0f} µs"
        )
    if errors:
        print_errors(cases, verdicts)
    if frontier:
        semantic_frontier(index, cases, shows, lexical)


def semantic_frontier(
    index: SpoilerIndex, cases: list[Case], shows: dict[str, int], lexical: SpoilerIndex
) -> None:
    """The oracle over lexical and paraphrase rules, on top of the lexical engine's verdicts."""
    from bench.frontier import (
        lexical_rules,
        report_frontier,
        semantic_rules,
        similarity_rules,
        weak_facts,
    )
    from bot.guard.engine.text import fold_message

    assert index.semantic is not None
    verdicts = [lexical.check(c.text, shows[c.show], c.progress) for c in cases]
    weak = []
    for case in cases:
        show_id = shows[case.show]
        similarities = index.semantic.similarities(show_id, fold_message(case.text))
        weak.append(weak_facts(index, case, show_id, similarities))
    report_frontier(
        "lexical engine + paraphrase rules",
        cases,
        verdicts,
        weak,
        [lexical_rules(), semantic_rules(), similarity_rules()],
    )
