"""Training the verifier: the fit separates what it can, the threshold bounds false flags."""

from __future__ import annotations

import numpy as np

from bench.verifier_fit import choose_threshold, fit, probabilities
from bot.guard.engine.verifier import Verifier


def test_the_fit_ranks_spoilers_above_the_rest_and_agrees_with_the_engine() -> None:
    rows = np.array([[0.0, 1.0], [0.2, 0.9], [0.8, 0.1], [1.0, 0.0], [0.9, 0.3], [0.1, 0.7]])
    labels = np.array([0.0, 0.0, 1.0, 1.0, 1.0, 0.0])
    verifier = fit(("a", "b"), rows, labels, np.ones(len(rows)))
    probs = probabilities(verifier, rows)
    assert probs[labels == 1].min() > probs[labels == 0].max()
    for row, p in zip(rows, probs, strict=True):  # numpy training, pure-Python inference
        assert abs(verifier.probability(list(row)) - p) < 1e-9
    assert isinstance(verifier, Verifier) and verifier.threshold == 0.5


def _rows(*groups: tuple[float, int, str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Probabilities with labels: (probability, count, 'spoiler' | 'plot' | 'everyday')."""
    probs = np.array([p for p, n, _ in groups for _ in range(n)])
    kinds = [k for _, n, k in groups for _ in range(n)]
    return (
        probs,
        np.array([k == "spoiler" for k in kinds]),
        np.array([k == "everyday" for k in kinds]),
    )


def test_the_threshold_keeps_false_flags_within_their_share() -> None:
    probs, spoiler, everyday = _rows(
        (0.99, 30, "spoiler"), (0.95, 1, "plot"), (0.9, 30, "spoiler"), (0.8, 1, "plot")
    )
    # 100 plot-talk negatives in all: 1.5 % allows one false flag, not two
    assert choose_threshold(probs, spoiler, everyday, (100, 0)) == 0.9
    # 10 negatives allow none
    assert choose_threshold(probs, spoiler, everyday, (10, 0)) == 0.99


def test_everyday_false_flags_have_their_own_bound() -> None:
    probs, spoiler, everyday = _rows(
        (0.99, 30, "spoiler"), (0.9, 1, "everyday"), (0.8, 30, "spoiler")
    )
    assert choose_threshold(probs, spoiler, everyday, (1000, 100)) == 0.99
    assert choose_threshold(probs, spoiler, everyday, (1000, 1000)) == 0.8


def test_precision_below_its_floor_is_not_chosen() -> None:
    probs, spoiler, everyday = _rows((0.99, 10, "spoiler"), (0.9, 1, "plot"), (0.8, 1, "spoiler"))
    assert choose_threshold(probs, spoiler, everyday, (1000, 0)) == 0.99  # 11/12 < 0.96
