"""Train the spoiler verifier: a logistic regression, its threshold chosen across shows.

Pure numpy. `fit` learns weights on standardised features (L2-penalised Newton steps);
`choose_threshold` picks the probability that flags from out-of-fold probabilities, so that
the false flags on plot talk and on everyday chat stay within their targets on the training
shows, then recall is as high as it can be.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.guard.engine.verifier import Verifier

L2 = 1.0
STEPS = 30
FALSE_FLAGS = 0.015  # on plot talk that spoils nothing, below the 2 % target
EVERYDAY_FLAGS = 0.002  # on everyday chat, below the 0.3 % target
PRECISION = 0.96


def fit(
    names: Sequence[str], rows: np.ndarray, labels: np.ndarray, weights: np.ndarray
) -> Verifier:
    """A verifier (threshold 0.5) learned from feature rows and 0/1 labels."""
    means = rows.mean(axis=0)
    scales = rows.std(axis=0)
    scales[scales < 1e-6] = 1.0
    x = np.hstack([np.ones((len(rows), 1)), (rows - means) / scales])
    beta = np.zeros(x.shape[1])
    penalty = np.full(x.shape[1], L2)
    penalty[0] = 0.0
    for _ in range(STEPS):
        p = 1.0 / (1.0 + np.exp(-np.clip(x @ beta, -30, 30)))
        gradient = x.T @ (weights * (p - labels)) + penalty * beta
        hessian = (x * (weights * p * (1 - p))[:, None]).T @ x + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-6:
            break
    return Verifier(
        tuple(names),
        tuple(float(v) for v in means),
        tuple(float(v) for v in scales),
        tuple(float(v) for v in beta[1:]),
        float(beta[0]),
        0.5,
    )


def probabilities(verifier: Verifier, rows: np.ndarray) -> np.ndarray:
    """P(spoiler) of each row, as `Verifier.probability` computes it."""
    means, scales = np.array(verifier.means), np.array(verifier.scales)
    z = verifier.bias + ((rows - means) / scales) @ np.array(verifier.weights)
    return np.asarray(1.0 / (1.0 + np.exp(-np.clip(z, -30, 30))))


def choose_threshold(
    probs: np.ndarray, spoiler: np.ndarray, everyday: np.ndarray, negatives: tuple[int, int]
) -> float:
    """The lowest probability meeting the false-flag and precision limits on these rows.

    `negatives` counts every non-spoiler of the training shows, (plot talk, everyday chat),
    including those that never reached the verifier: false-flag shares are over all of them.
    """
    plot_negatives, everyday_negatives = negatives
    best = 1.0
    for threshold in sorted(set(np.round(probs, 4)) | {1.0}, reverse=True):
        flagged = probs >= threshold
        tp = int((flagged & spoiler).sum())
        plot_fp = int((flagged & ~spoiler & ~everyday).sum())
        everyday_fp = int((flagged & everyday).sum())
        if plot_fp > FALSE_FLAGS * max(plot_negatives, 1):
            break
        if everyday_fp > EVERYDAY_FLAGS * max(everyday_negatives, 1):
            break
        if not tp or tp / (tp + plot_fp + everyday_fp) >= PRECISION:
            best = float(threshold)
    return best
