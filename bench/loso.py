"""Leave-one-show-out: each show is checked by a verifier trained and thresholded without it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from bench.eval_sets import Case
from bench.verifier_fit import choose_threshold, fit, probabilities
from bot.guard.engine import SpoilerIndex
from bot.guard.engine.types import Verdict
from bot.guard.engine.verifier import LEXICAL_FEATURES, SEMANTIC_FEATURES, Verifier

EVERYDAY_WEIGHT = 2.0  # everyday chat's false flags cost more (its target is 0.3 %)


@dataclass(slots=True)
class Folds:
    """The labelled messages with their verifier features (None: they never reach it)."""

    index: SpoilerIndex
    cases: list[Case]
    shows: dict[str, int]
    rows: list[list[float] | None]
    names: tuple[str, ...]

    @classmethod
    def read(
        cls, index: SpoilerIndex, cases: list[Case], shows: dict[str, int], similar: bool = False
    ) -> Folds:
        """Every message's features, read once (they do not depend on the training)."""
        rows = [index.features(c.text, shows[c.show], c.progress, similar) for c in cases]
        names = LEXICAL_FEATURES + (SEMANTIC_FEATURES if similar else ())
        return cls(index, cases, shows, rows, names)

    @property
    def reaching(self) -> int:
        """How many messages reach the verifier."""
        return sum(row is not None for row in self.rows)

    def loso(self) -> list[Verdict]:
        """Every message's verdict, its show scored by a verifier that never saw it."""
        verdicts: list[Verdict | None] = [None] * len(self.cases)
        for show in sorted({case.file for case in self.cases}):
            checker = self.index.with_verifier(self.train(exclude=show))
            for at, case in enumerate(self.cases):
                if case.file == show:
                    verdicts[at] = checker.check(case.text, self.shows[case.show], case.progress)
        return [v for v in verdicts if v is not None]

    def shipped(self) -> SpoilerIndex:
        """The index with a verifier trained on every show (what `--write-weights` ships)."""
        return self.index.with_verifier(self.train(exclude=None))

    def train(self, exclude: str | None) -> Verifier:
        """A verifier learned without one show; its threshold from out-of-fold probabilities."""
        kept = [i for i, c in enumerate(self.cases) if c.file != exclude]
        shows = sorted({self.cases[i].file for i in kept})
        reach = [i for i in kept if self.rows[i] is not None]
        oof = np.zeros(len(reach))
        for inner in shows:
            train = [i for i in reach if self.cases[i].file != inner]
            test = [n for n, i in enumerate(reach) if self.cases[i].file == inner]
            if test:
                model = self._fit(train)
                oof[test] = probabilities(model, self._matrix([reach[n] for n in test]))
        spoiler = np.array([self.cases[i].spoiler for i in reach])
        everyday = np.array([self.cases[i].everyday for i in reach])
        negatives = (
            sum(not self.cases[i].spoiler and not self.cases[i].everyday for i in kept),
            sum(self.cases[i].everyday for i in kept),
        )
        threshold = choose_threshold(oof, spoiler, everyday, negatives)
        final = self._fit(reach)
        return Verifier(
            final.features, final.means, final.scales, final.weights, final.bias, threshold
        )

    def _matrix(self, at: list[int]) -> np.ndarray:
        return np.array([self.rows[i] for i in at], dtype=float).reshape(len(at), len(self.names))

    def _fit(self, at: list[int]) -> Verifier:
        labels = np.array([self.cases[i].spoiler for i in at], dtype=float)
        weights = np.array([EVERYDAY_WEIGHT if self.cases[i].everyday else 1.0 for i in at])
        return fit(self.names, self._matrix(at), labels, weights)
