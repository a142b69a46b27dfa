"""The index by the piece: one show's model built, saved and loaded alone, then assembled.

A show's model is what `build_model` makes of its corpus, before the cross-show step that
weighs terms many shows share; it is saved under the engine's fingerprint, the show's id and
the show's corpus fingerprint, so a change to one show's reviews rebuilds only that show and
a change to the engine's code misses every file. Files are written to a temporary name and
moved into place, so processes sharing a folder never read half a file: the first to finish
wins and the others load what it wrote.
"""

from __future__ import annotations

import copy
import fcntl
import hashlib
import logging
import os
import pickle
import re
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.catalog.episodes import EpisodeRef
from bot.guard.engine.casing import find_names
from bot.guard.engine.fingerprint import engine_fingerprint
from bot.guard.engine.index import GENERIC_PENALTY, SpoilerIndex
from bot.guard.engine.index import _prepare as prepare
from bot.guard.engine.model import TERM, ShowModel, build_model
from bot.guard.engine.piece_file import parse_piece, piece_bytes, read_piece_file
from bot.guard.engine.semantic import SemanticMatcher
from bot.guard.engine.text import fold, fold_message, raw_words
from bot.guard.engine.types import NOT_A_SPOILER, Evidence, ShowCorpus, Verdict
from bot.guard.engine.weak_facts import THRESHOLD

log = logging.getLogger(__name__)
PIECE_PREFIX = "show-"
PIECE_SUFFIX = ".model"
_PIECE_NAME = re.compile(r"\.?show-([0-9a-f]+)-(\d+)-([0-9a-z]+)\.model(\.lock)?")
UNREADABLE = (OSError, ValueError, EOFError, AttributeError, ImportError, pickle.UnpicklingError)


def show_fingerprint(corpus: ShowCorpus) -> str:
    """A short hash of everything a show's model is built from (its titles and sentences)."""
    digest = hashlib.sha256(repr((corpus.show_id, corpus.title, corpus.aliases)).encode())
    for sentence in corpus.sentences:
        episode = sentence.episode
        digest.update(f"{episode.season}:{episode.episode}:{sentence.kind}:".encode())
        digest.update(sentence.text.encode())
        digest.update(b"\0")
    for phrase in corpus.taught:
        digest.update(repr(phrase).encode())
    return digest.hexdigest()[:16]


def piece_path(folder: Path, show_id: int, fingerprint: str) -> Path:
    """Where one show's model built by this engine code from this corpus is saved."""
    return folder / f"{PIECE_PREFIX}{engine_fingerprint()}-{show_id}-{fingerprint}{PIECE_SUFFIX}"


def read_piece(path: Path, show_id: int) -> ShowModel | None:
    """A saved model of this show, or None when the file is missing, corrupt or foreign."""
    try:
        with path.open("rb") as handle:
            state = read_piece_file(handle)
    except FileNotFoundError:
        return None
    except UNREADABLE:
        return None
    return _checked(state, show_id)


def _checked(state: tuple[object, ShowModel | None], show_id: int) -> ShowModel | None:
    fingerprint, model = state
    if fingerprint != engine_fingerprint() or model is None or model.show_id != show_id:
        return None
    return model


def build_piece(corpus: ShowCorpus, fingerprint: str, folder: Path | None) -> bytes:
    """Build one show's model and save it (atomically) in `folder`; return the saved bytes.

    Runs in a worker process: the bytes are what the caller unpickles. Builders of one show
    take turns (a lock file beside the model), and a model another process saved is read
    instead of built again: processes sharing the folder build each show once.
    """
    if folder is None:
        return _built(corpus)
    path = piece_path(folder, corpus.show_id, fingerprint)
    with _building(path):
        if read_piece(path, corpus.show_id) is not None:
            return path.read_bytes()
        data = _built(corpus)
        try:
            write_atomically(path, data)
        except OSError as error:  # an unwritable folder costs a rebuild next time, no more
            log.warning("could not save the model of show %d: %s", corpus.show_id, error)
        return data


def _built(corpus: ShowCorpus) -> bytes:
    return piece_bytes(engine_fingerprint(), build_model(corpus))


@contextmanager
def _building(path: Path) -> Iterator[None]:
    """Hold the exclusive lock on building this model (none if the folder is unwritable)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle = path.with_name(f".{path.name}.lock").open("ab")
    except OSError:
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then move it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        partial.write_bytes(data)
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise


def model_from(data: bytes, show_id: int) -> ShowModel:
    """The model in bytes `build_piece` returned."""
    model = _checked(parse_piece(data), show_id)
    if model is None:
        raise ValueError(f"the bytes built for show {show_id} hold no model of it")
    return model


def stale_pieces(folder: Path, keep: Iterable[Path]) -> list[Path]:
    """Saved pieces of other engine code or superseded corpora (what a cleanup may delete)."""
    kept = {path.name for path in keep} | {f".{path.name}.lock" for path in keep}
    return [
        path
        for path in folder.glob(f"*{PIECE_PREFIX}*{PIECE_SUFFIX}*")
        if _PIECE_NAME.fullmatch(path.name) and path.name not in kept
    ]


def assemble(models: dict[int, ShowModel], semantic: SemanticMatcher | None = None) -> SpoilerIndex:
    """The index of these shows' models (the cross-show step only; no model is rebuilt)."""
    return Assembler()(models, semantic)


class Assembler:
    """Assembles indexes from show models: the cross-show step of `SpoilerIndex.build`.

    Each index gets shallow copies of the models with their own weights, so an index already
    answering is never changed under it. Between two calls, a model whose object, terms' spread
    and show count are unchanged keeps its weights from the last call: adding one show's review
    recomputes the weights of the shows sharing its terms only.
    """

    def __init__(self) -> None:
        self._terms: dict[int, tuple[ShowModel, list[str], array[int]]] = {}
        self._spread: Counter[str] = Counter()
        self._weights: dict[int, tuple[ShowModel, array[float]]] = {}

    def __call__(
        self, models: dict[int, ShowModel], semantic: SemanticMatcher | None = None
    ) -> SpoilerIndex:
        """The index of these models, with the paraphrase layer `semantic` if given."""
        terms = {show_id: self._terms_of(model) for show_id, model in models.items()}
        spread: Counter[str] = Counter()
        owners: dict[str, set[int]] = {}
        for show_id, model in models.items():
            spread.update(terms[show_id][0])
            for name in model.names:
                owners.setdefault(name, set()).add(show_id)
        changed = {key for key, _ in set(spread.items()) ^ set(self._spread.items())}
        same_count = len(models) == len(self._weights)
        fresh: dict[int, ShowModel] = {}
        weights: dict[int, tuple[ShowModel, array[float]]] = {}
        for show_id, model in models.items():
            labels, concepts = terms[show_id]
            kept = self._weights.get(show_id)
            if kept is not None and kept[0] is model and same_count and changed.isdisjoint(labels):
                own = kept[1]
            else:
                own = _weights(model, concepts, labels, spread, len(models))
            weights[show_id] = (model, own)
            fresh[show_id] = copy.copy(model)
            fresh[show_id].weights = own
        self._spread, self._weights = spread, weights
        self._terms = {show_id: self._terms[show_id] for show_id in models}
        known = frozenset(label[2:] for label in spread) - owners.keys()
        frozen = {name: frozenset(ids) for name, ids in owners.items()}
        prepare(fresh, semantic)
        return SpoilerIndex(fresh, known, frozen, semantic)

    def _terms_of(self, model: ShowModel) -> tuple[list[str], array[int]]:
        """The model's term labels (its own strings) and their concepts, remembered per model."""
        held = self._terms.get(model.show_id)
        if held is None or held[0] is not model:
            concepts = array("I", [c for c, label in enumerate(model.labels) if label[0] == TERM])
            labels = [model.labels[c] for c in concepts]
            held = self._terms[model.show_id] = (model, labels, concepts)
        return held[1], held[2]


def _weights(
    model: ShowModel, concepts: array[int], labels: list[str], spread: Counter[str], shows: int
) -> array[float]:
    """A model's concept weights, its terms weighed down by how many other shows use them."""
    weights = array("f", model.base)
    if shows > 1:
        base = model.base
        for concept, label in zip(concepts, labels, strict=True):
            share = (spread[label] - 1) / (shows - 1)
            weights[concept] = base[concept] * (1.0 - GENERIC_PENALTY * share**0.5)
    return weights


def pending_names(corpus: ShowCorpus) -> frozenset[str]:
    """The names a show's sentences use: what a message of a show not yet built is checked for."""
    titles = {w for name in (corpus.title, *corpus.aliases) for w in raw_words(fold(name))}
    return find_names(s.text for s in corpus.sentences) - titles


def names_verdict(names: frozenset[str], text: str, line: EpisodeRef, last: EpisodeRef) -> Verdict:
    """A message of a show whose model is not ready: a spoiler of `last` if it names anyone.

    Fails closed and errs late: below the show's `last` episode, any of the show's names hides
    the message up to that episode (nothing finer can be said without the model); chat naming
    no one passes.
    """
    if line >= last:
        return NOT_A_SPOILER
    for word in raw_words(fold_message(text)):
        if word in names:
            evidence = Evidence(last, word, "name", 1.0)
            return Verdict(True, last, THRESHOLD, (evidence,), last)
    return NOT_A_SPOILER
