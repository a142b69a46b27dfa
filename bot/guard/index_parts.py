"""The spoiler index as per-show parts: rebuilt show by show, saved and loaded show by show.

A show's model depends only on its own corpus (the cross-show weighting is redone on assembly),
so when the corpus changes only the shows whose fingerprint changed are analysed again. The
cache file holds one pickle per show, so reading or writing it never holds the interpreter lock
for more than one show's worth at a time (a single pickle of a 1,000-show index held it for
seconds, freezing the event loop in the meantime).
"""

from __future__ import annotations

import copy
import pickle
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from bot.guard.engine.fingerprint import engine_fingerprint
from bot.guard.engine.index import SpoilerIndex
from bot.guard.engine.model import ShowModel, build_model
from bot.guard.engine.types import ShowCorpus

FILE_FORMAT = "parts-1"


@dataclass(frozen=True, slots=True)
class IndexParts:
    """Every show's model with the fingerprint of the corpus it was built from."""

    models: dict[int, ShowModel]
    fingerprints: dict[int, str]

    def stale(self, fingerprints: dict[int, str]) -> list[int]:
        """Shows whose corpus changed (or are new) since these parts were built."""
        return [
            show for show, value in fingerprints.items() if self.fingerprints.get(show) != value
        ]


NO_PARTS = IndexParts({}, {})


def rebuild(
    previous: IndexParts, fingerprints: dict[int, str], corpora: Iterable[ShowCorpus]
) -> tuple[SpoilerIndex, IndexParts]:
    """Analyse the changed shows' corpora, keep every other show's model, and assemble.

    Kept models are copied before the cross-show weights are recomputed, so the index in use
    meanwhile is never changed under its readers.
    """
    models: dict[int, ShowModel] = {}
    for show_id in fingerprints:
        if (
            show_id in previous.models
            and previous.fingerprints.get(show_id) == fingerprints[show_id]
        ):
            kept = copy.copy(previous.models[show_id])
            kept.weights = copy.copy(kept.weights)
            models[show_id] = kept
    for corpus in corpora:
        models[corpus.show_id] = build_model(corpus)
    models = {show_id: models[show_id] for show_id in fingerprints if show_id in models}
    index = SpoilerIndex.from_models(models)
    return index, IndexParts(index.models, {s: fingerprints[s] for s in index.models})


def save(parts: IndexParts, path: Path) -> None:
    """Write the parts to a cache file, one pickle per show (only load files you wrote)."""
    with path.open("wb") as handle:
        header = (FILE_FORMAT, engine_fingerprint(), len(parts.models))
        pickle.dump(header, handle, protocol=pickle.HIGHEST_PROTOCOL)
        for show_id, model in parts.models.items():
            part = (show_id, parts.fingerprints[show_id], model)
            pickle.dump(part, handle, protocol=pickle.HIGHEST_PROTOCOL)


def load(path: Path) -> IndexParts:
    """Read parts written by `save` (ValueError if another engine or format wrote the file)."""
    models: dict[int, ShowModel] = {}
    fingerprints: dict[int, str] = {}
    with path.open("rb") as handle:
        header = pickle.load(handle)
        if header[:2] != (FILE_FORMAT, engine_fingerprint()):
            raise ValueError(f"{path} holds no spoiler index parts of this engine")
        for _ in range(header[2]):
            show_id, fingerprint, model = pickle.load(handle)
            models[show_id] = model
            fingerprints[show_id] = fingerprint
    return IndexParts(models, fingerprints)
