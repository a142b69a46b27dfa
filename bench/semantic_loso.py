"""The verifier with sentence-embedding features, leave-one-show-out, and what the model costs.

Run: python -m bench.spoilers --semantic   (the semantic extra and the model's weights)
"""

from __future__ import annotations

import time

from bench.eval_sets import Case
from bench.loso import Folds
from bench.sample import REPO_ROOT
from bench.schedules import percentile
from bot.guard.engine import SpoilerIndex
from bot.guard.engine.semantic import SentenceEmbeddingMatcher
from bot.guard.engine.text import fold_message
from bot.guard.engine.types import Verdict

CACHE = REPO_ROOT / "bench" / ".cache"


def semantic_folds(
    index: SpoilerIndex, cases: list[Case], shows: dict[str, int]
) -> tuple[Folds, list[Verdict]]:
    """Embed every corpus sentence (cached in bench/.cache) and score the similarity verifier."""
    started = time.perf_counter()
    matcher = SentenceEmbeddingMatcher(cache_dir=CACHE)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    layered = index.with_semantic(matcher).with_verifier(None)
    prepared = time.perf_counter() - started
    started = time.perf_counter()
    matcher.warm([fold_message(case.text) for case in cases])
    warmed = time.perf_counter() - started
    folds = Folds.read(layered, cases, shows, similar=True)
    verdicts = folds.loso()
    print(
        f"\n== semantic: model loaded in {loaded:.1f} s; corpus sentences embedded (or read from "
        f"the cache) in {prepared:.1f} s; {len(cases)} messages embedded in {warmed:.1f} s "
        f"({warmed / max(len(cases), 1) * 1000:.0f} ms each, batched)"
    )
    return folds, verdicts


def verifier_latency(index: SpoilerIndex, cases: list[Case], shows: dict[str, int]) -> str:
    """p50 and p99 of `check` for messages that reach the verifier (fresh message embeddings)."""
    if index.semantic is not None:
        index.semantic._messages.clear()  # type: ignore[attr-defined]
    times = []
    for case in cases:
        if index.features(case.text, shows[case.show], case.progress) is None:
            continue
        started = time.perf_counter()
        index.check(case.text, shows[case.show], case.progress)
        times.append((time.perf_counter() - started) * 1000)
    times.sort()
    return (
        f"{len(times)} messages reach the verifier: p50 {percentile(times, 50):.2f} ms, "
        f"p99 {percentile(times, 99):.2f} ms"
    )
