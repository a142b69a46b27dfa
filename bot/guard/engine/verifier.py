"""Retrieve, then verify: a learned model decides whether a message states a later fact.

The lexical stage (`matching.facts`) proposes the facts a message shares with sentences after
the reader's line; the rules (`index.py`) give their verdict. The verifier reads both, plus
cues of the message itself, as a few numbers (`FEATURES`), and a logistic regression learned
from labelled messages, cross-validated by show (`python -m bench.spoilers`), decides. Only a
message that names something of the show reaches it. Weights live in `verifier.json` beside
this module; `python -m bench.spoilers --write-weights` writes them.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.catalog.episodes import NOTHING, EpisodeRef
from bot.guard.engine.lexicon import CHATTER_CUES, FIRST_PERSON, STOPWORDS
from bot.guard.engine.matching import GUESS_FACTOR, HEDGE_FACTOR, Fact, hedged, increment, lone_name
from bot.guard.engine.matching import reveals as _reveals
from bot.guard.engine.model import BOUND, EVENT, NAME, TERM, ShowModel
from bot.guard.engine.text import raw_words
from bot.guard.engine.types import Verdict
from bot.guard.engine.word_rarity import zipf

WEIGHTS_FILE = Path(__file__).with_name("verifier.json")
SCORE_CAP = 4.0
INCREMENT_FACTS = 8  # the increment is read for the strongest facts only: it costs per fact

LEXICAL_FEATURES = (
    "rule_flag",
    "rule_score",
    "top_score",
    "top_increment",
    "facts",
    "bound_event",
    "event_word",
    "new_name",
    "known_share",
    "guess",
    "hedge",
    "question",
    "first_person",
    "chatter_cues",
    "plot_commonness",
    "plot_share",
    "names",
    "length",
    "nothing_watched",
    "opening_only",
)
SEMANTIC_FEATURES = ("similar_later", "similar_watched", "similar_lead")


@dataclass(frozen=True, slots=True)
class Cues:
    """What the message says about itself, apart from the show: its words and its tone."""

    words: tuple[str, ...]
    guess: bool
    hedge: bool
    question: bool
    first_person: float
    chatter: float


def read_cues(folded: str) -> Cues:
    """The message's words and tone cues (question, hedge, first person, chat intensifiers)."""
    words = tuple(raw_words(folded))
    count = max(len(words), 1)
    hedge = hedged(folded)
    first = sum(word in FIRST_PERSON for word in words) / count
    chatter = sum(word in CHATTER_CUES for word in words) + folded.count("!!")
    return Cues(
        words,
        hedge == GUESS_FACTOR,
        hedge == HEDGE_FACTOR,
        "?" in folded,
        first,
        min(chatter, 3) / 3,
    )


def lexical_features(
    model: ShowModel,
    concepts: dict[int, str],
    cues: Cues,
    found: Sequence[Fact],
    rules: Verdict,
    place: tuple[EpisodeRef, int],
) -> list[float]:
    """The lexical features of one message at one line (`place`: the line, its first unit after)."""
    line, end = place
    labels, firsts, weights = model.labels, model.first_units, model.weights
    novel = [f for f in found if f.episode > line and _reveals(model, f, line, end)]
    top = max((f.score for f in novel), default=0.0)
    strongest = sorted(novel, key=_score, reverse=True)[:INCREMENT_FACTS]
    gain = max((increment(model, f, end) for f in strongest), default=0.0)
    bound = any(labels[c][0] == BOUND for f in novel for c in f.concepts)
    event = any(label[0] in (EVENT, BOUND) for label in concepts.values())
    new_name = any(lone_name(model, f) for f in novel)
    total = sum(weights[c] for c in concepts) or 1.0
    known = sum(weights[c] for c in concepts if firsts[c] < end) / total
    plot = [label[2:] for label in concepts.values() if label[0] in (NAME, TERM)]
    content = [w for w in cues.words if w not in STOPWORDS] or [""]
    commonness = sum(zipf(word) for word in plot) / (7.0 * len(plot)) if plot else 0.0
    names = sum(label[0] == NAME for label in concepts.values())
    return [
        float(rules.spoiler),
        min(rules.score, SCORE_CAP) / SCORE_CAP,
        min(top, SCORE_CAP) / SCORE_CAP,
        min(gain, SCORE_CAP) / SCORE_CAP,
        math.log1p(len(novel)),
        float(bound),
        float(event),
        float(new_name),
        known,
        float(cues.guess),
        float(cues.hedge),
        float(cues.question),
        cues.first_person,
        cues.chatter,
        commonness,
        min(len(plot) / len(content), 1.0),
        min(names, 3) / 3,
        math.log1p(len(cues.words)) / 5,
        float(end == 0 or line == NOTHING),
        float(bool(novel) and all(_opening(model, f) for f in novel)),
    ]


def _score(fact: Fact) -> float:
    return fact.score


def _opening(model: ShowModel, fact: Fact) -> bool:
    """Whether a fact is first stated in the show's first episode (the set-up)."""
    first = model.units_through(NOTHING)
    return first < model.corpus_units and fact.episode == model.unit_episode[first]


@dataclass(frozen=True, slots=True)
class Verifier:
    """A logistic regression over standardised features, and the probability that flags."""

    features: tuple[str, ...]
    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float

    @property
    def semantic(self) -> bool:
        """Whether it reads the similarity features (it then needs the paraphrase layer)."""
        return len(self.features) > len(LEXICAL_FEATURES)

    def probability(self, values: Sequence[float]) -> float:
        """P(spoiler) for one message's feature values."""
        total = self.bias
        for value, mean, scale, weight in zip(
            values, self.means, self.scales, self.weights, strict=True
        ):
            total += weight * (value - mean) / scale
        if total < -30:
            return 0.0
        return 1.0 / (1.0 + math.exp(-total))

    def flags(self, values: Sequence[float]) -> bool:
        """Whether these feature values make the message a spoiler."""
        return self.probability(values) >= self.threshold

    def as_dict(self) -> dict[str, object]:
        """The JSON form `load` reads."""
        return {
            "features": list(self.features),
            "means": list(self.means),
            "scales": list(self.scales),
            "weights": list(self.weights),
            "bias": self.bias,
            "threshold": self.threshold,
        }

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Verifier:
        """A verifier from its JSON form."""

        def floats(key: str) -> tuple[float, ...]:
            value = data[key]
            assert isinstance(value, list)
            return tuple(float(v) for v in value)

        features = data["features"]
        assert isinstance(features, list)
        bias, threshold = data["bias"], data["threshold"]
        assert isinstance(bias, float | int) and isinstance(threshold, float | int)
        return cls(
            tuple(str(f) for f in features),
            floats("means"),
            floats("scales"),
            floats("weights"),
            float(bias),
            float(threshold),
        )


def load_verifiers(path: Path = WEIGHTS_FILE) -> dict[str, Verifier]:
    """The shipped verifiers by name ('lexical', and 'semantic' when trained)."""
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    return {name: Verifier.from_dict(value) for name, value in data.items()}


def default_verifier(similar: bool = False) -> Verifier | None:
    """The shipped verifier: lexical, or with similarity features for an index that has the
    paraphrase layer (falling back to the lexical one); None when no weights ship."""
    shipped = load_verifiers()
    return shipped.get("semantic" if similar else "lexical") or shipped.get("lexical")
