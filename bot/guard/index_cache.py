"""The folder of saved show models and the worker processes that build the missing ones."""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import chain, islice
from pathlib import Path

from bot.guard.engine.model import ShowModel
from bot.guard.engine.pieces import build_piece, model_from, piece_path, read_piece, stale_pieces
from bot.guard.engine.types import ShowCorpus

log = logging.getLogger(__name__)
IN_FLIGHT = 4  # corpora handed to each worker ahead of its results being read


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
        """Build (and save) these shows' models; a file another process saved meanwhile is read.

        Corpora are taken as the workers need them (a few per worker in flight), so a generator
        of them is never all in memory.
        """
        todo = iter(corpora)
        head = list(islice(todo, 2))
        if len(head) <= 1 or self.workers <= 1:
            built = self._build_here(chain(head, todo), fingerprints)
        else:
            built = self._build_pooled(chain(head, todo), fingerprints)
        return {show_id: self._models[show_id][1] for show_id in built}

    def _build_here(self, corpora: Iterable[ShowCorpus], prints: Mapping[int, str]) -> list[int]:
        built = []
        for corpus in corpora:
            data = build_piece(corpus, prints[corpus.show_id], self.folder)
            self._keep(corpus.show_id, prints[corpus.show_id], data)
            built.append(corpus.show_id)
        return built

    def _build_pooled(self, corpora: Iterable[ShowCorpus], prints: Mapping[int, str]) -> list[int]:
        pool = self._executor()
        window: deque[tuple[int, Future[bytes]]] = deque()
        built = []
        for corpus in corpora:
            show_id = corpus.show_id
            window.append((show_id, pool.submit(build_piece, corpus, prints[show_id], self.folder)))
            built.append(show_id)
            if len(window) >= self.workers * IN_FLIGHT:
                done, future = window.popleft()
                self._keep(done, prints[done], future.result())
        for done, future in window:
            self._keep(done, prints[done], future.result())
        return built

    def _keep(self, show_id: int, fingerprint: str, data: bytes) -> None:
        """Hold a built model: read from its saved file (texts mapped), else from `data`."""
        saved = None
        if self.folder is not None:
            saved = read_piece(piece_path(self.folder, show_id, fingerprint), show_id)
        self._models[show_id] = (fingerprint, saved or model_from(data, show_id))

    def models(
        self, corpora: Iterable[ShowCorpus], fingerprints: Mapping[int, str]
    ) -> dict[int, ShowModel]:
        """Every show's model: the known ones loaded, the missing ones (of `corpora`) built."""
        found = self.known(fingerprints)
        missing = (corpus for corpus in corpora if corpus.show_id not in found)
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
