"""The sample corpus ships inside the package, so an installed (non-editable) bot can play."""

from __future__ import annotations

import importlib.resources
import subprocess
import sys
import tomllib
from pathlib import Path

import bot
from bot.corpus import SAMPLE_CORPUS
from playground.harness import DEFAULT_CORPUS
from tests.conftest import REPO_ROOT


def test_the_sample_is_found_through_the_package_not_the_repository() -> None:
    package = Path(str(importlib.resources.files("bot.corpus")))
    assert SAMPLE_CORPUS == package / "sample" == DEFAULT_CORPUS
    assert SAMPLE_CORPUS.is_relative_to(Path(bot.__file__).parent)
    assert not (REPO_ROOT / "corpus").exists()
    assert len(list(SAMPLE_CORPUS.glob("*/show.toml"))) == 8


def test_every_sample_file_is_declared_package_data() -> None:
    config = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["bot.corpus"]
    package = SAMPLE_CORPUS.parent
    shipped = {path for pattern in patterns for path in package.glob(pattern) if path.is_file()}
    assert shipped == {path for path in SAMPLE_CORPUS.rglob("*") if path.is_file()}


def test_corpus_import_sample_works_from_any_directory(tmp_path: Path) -> None:
    database = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    result = subprocess.run(
        [sys.executable, "-m", "bot", "corpus", "import", "--sample", "--database", database],
        capture_output=True, text=True, cwd=tmp_path, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "8 shows" in result.stdout and "48 added" in result.stdout
