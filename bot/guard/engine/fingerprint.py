"""A fingerprint of the engine's own code, so a saved index is never read by other rules."""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

ENGINE_DIR = Path(__file__).resolve().parent


def source_fingerprint(folder: Path) -> str:
    """A short hash of the names and bytes of every Python module under `folder`."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*.py")):
        data = path.read_bytes()
        name = path.relative_to(folder).as_posix()
        digest.update(f"{name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()[:16]


@cache
def engine_fingerprint() -> str:
    """The fingerprint of the engine's modules (read once per process)."""
    return source_fingerprint(ENGINE_DIR)
