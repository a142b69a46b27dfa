"""The folder of saved show models and the worker processes that build the missing ones."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor
from itertools import repeat
from pathlib import Path

from bot.guard.engine.model import ShowModel
from bot.guard.engine.pieces import build_piece, model_from, piece_path, read_piece, stale_pieces
from bot.guard.engine.types import ShowCorpus

log = logging.getLogger(__name__)


class PieceCache:
    """Show models by corpus fingerprint: held in memory, saved in `folder`, built in a pool.

    Blocking throughout: callers on an event loop run these methods in a thread. One show builds
    in the calling thread (starting worker processes would cost more than the build); more build
    in a process pool of `workers` (default: one per CPU), kept for later rebuilds.
    """

    def __init__(self, folder: Path | None, workers: int | None = None) -> None:
        self.folder = folder
        self.workers = workers or os.cpu_count() or 1
        self._models: dict[int, tuple[str, ShowModel]] = {}
        self._pool: ProcessPoolExecutor | None = None

    def known(self, fingerprints: Mapping[int, str]) -> dict[int, ShowModel]:
        """The models already built for these fingerprints: in memory, else read from disk."""
        found = {}
        for show_id, fingerprint in fingerprints.items():
            held = self._models.get(show_id)
            if held is not None and held[0] == fingerprint:
                found[show_id] = held[1]
                continue
            if self.folder is None:
                continue
            model = read_piece(piece_path(self.folder, show_id, fingerprint), show_id)
            if model is not None:
                self._models[show_id] = (fingerprint, model)
                found[show_id] = model
        return found

    def build(
        self, corpora: Iterable[ShowCorpus], fingerprints: Mapping[int, str]
    ) -> dict[int, ShowModel]:
        """Build (and save) these shows' models; a file another process saved meanwhile is read."""
        todo = list(corpora)
        prints = [fingerprints[corpus.show_id] for corpus in todo]
        if len(todo) <= 1 or self.workers <= 1:
            built = list(map(build_piece, todo, prints, repeat(self.folder)))
        else:
            built = list(self._executor().map(build_piece, todo, prints, repeat(self.folder)))
        models = {}
        for corpus, fingerprint, data in zip(todo, prints, built, strict=True):
            model = model_from(data, corpus.show_id)
            self._models[corpus.show_id] = (fingerprint, model)
            models[corpus.show_id] = model
        return models

    def models(
        self, corpora: Iterable[ShowCorpus], fingerprints: Mapping[int, str]
    ) -> dict[int, ShowModel]:
        """Every show's model: the known ones loaded, the missing ones (of `corpora`) built."""
        found = self.known(fingerprints)
        missing = [corpus for corpus in corpora if corpus.show_id not in found]
        return {**found, **self.build(missing, fingerprints)}

    def forget_others(self, fingerprints: Mapping[int, str]) -> None:
        """Drop held models of shows gone or changed, and delete their files from the folder."""
        for show_id in list(self._models):
            if self._models[show_id][0] != fingerprints.get(show_id):
                del self._models[show_id]
        if self.folder is None or not self.folder.is_dir():
            return
        keep = [piece_path(self.folder, i, f) for i, f in fingerprints.items()]
        for path in stale_pieces(self.folder, keep):
            path.unlink(missing_ok=True)

    def close(self) -> None:
        """Stop the worker processes (a later build starts them again)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:  # spawned, not forked: the caller may run threads and a loop
            context = multiprocessing.get_context("spawn")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=context)
            log.info("spoiler index: %d worker processes build show models", self.workers)
        return self._pool
