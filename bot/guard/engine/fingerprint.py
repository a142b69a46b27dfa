"""A fingerprint of the engine's own code, so a saved index is never read by other rules."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

ENGINE_DIR = Path(__file__).resolve().parent
EPISODES_MODULE = ENGINE_DIR.parent.parent / "catalog" / "episodes.py"  # EpisodeRef is pickled too
MARKDOWN_MODULE = ENGINE_DIR.parent / "markdown.py"  # decides which text the engine reads


def source_fingerprint(folder: Path, *extra: Path) -> str:
    """A short hash of the names and bytes of every Python module under `folder` (and `extra`)."""
    digest = hashlib.sha256()
    for path in [*sorted(folder.rglob("*.py")), *extra]:
        data = path.read_bytes()
        name = path.relative_to(folder).as_posix() if path.is_relative_to(folder) else path.name
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:16]


@cache
def engine_fingerprint() -> str:
    """The fingerprint of the engine's modules and the types it pickles (read once per process)."""
    return source_fingerprint(ENGINE_DIR, EPISODES_MODULE, MARKDOWN_MODULE)
