"""The engine fingerprint changes with any change to the engine's modules, and only then."""

from __future__ import annotations

from pathlib import Path

from bot.guard.engine.fingerprint import (
    ENGINE_DIR,
    EPISODES_MODULE,
    MARKDOWN_MODULE,
    engine_fingerprint,
    source_fingerprint,
)


def test_any_change_to_a_module_changes_the_fingerprint(tmp_path: Path) -> None:
    (tmp_path / "rules.py").write_text("THRESHOLD = 1.6\n")
    (tmp_path / "notes.txt").write_text("not code")
    first = source_fingerprint(tmp_path)
    (tmp_path / "notes.txt").write_text("still not code")
    assert source_fingerprint(tmp_path) == first
    (tmp_path / "rules.py").write_text("THRESHOLD = 1.5\n")
    edited = source_fingerprint(tmp_path)
    (tmp_path / "deeper").mkdir()
    (tmp_path / "deeper" / "more.py").write_text("")
    added = source_fingerprint(tmp_path)
    (tmp_path / "deeper" / "more.py").rename(tmp_path / "deeper" / "other.py")
    assert len({first, edited, added, source_fingerprint(tmp_path)}) == 4


def test_the_engine_fingerprint_covers_the_engine_package() -> None:
    assert (ENGINE_DIR / "index.py").is_file()
    assert EPISODES_MODULE.is_file()
    assert engine_fingerprint() == source_fingerprint(ENGINE_DIR, EPISODES_MODULE, MARKDOWN_MODULE)
    assert engine_fingerprint() != source_fingerprint(ENGINE_DIR)
