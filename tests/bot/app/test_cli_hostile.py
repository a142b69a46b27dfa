"""`corpus import` on hostile input: exit status 2, one line per bad file, no traceback.

Run as a real subprocess on SQLite and PostgreSQL, like an operator would.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from pathlib import Path

from bench.hostile_corpus import parse_cases, store_cases, write_case
from tests.conftest import REPO_ROOT


def _import(folder: Path, database: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    return subprocess.run(
        [sys.executable, "-m", "bot", "corpus", "import", str(folder), "--database", database],
        capture_output=True, text=True, env=environment, cwd=REPO_ROOT, timeout=120,
    )  # fmt: skip


async def test_every_bad_file_is_one_line_with_exit_2(database_url: str, tmp_path: Path) -> None:
    cases = parse_cases()
    bad = [write_case(case, tmp_path / f"case{i:02d}") for i, case in enumerate(cases)]
    result = await asyncio.to_thread(_import, tmp_path, database_url)
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr and len(lines) == len(cases)
    for path, case in zip(bad, cases, strict=True):
        (line,) = [line for line in lines if line.startswith(f"error: {path}:")]
        assert case.field in line, line
    assert lines[-1].endswith("nothing was imported")


async def test_files_refused_together_are_one_line_with_exit_2(
    database_url: str, tmp_path: Path
) -> None:
    for number, case in enumerate(store_cases()):
        folder = tmp_path / f"case{number}"
        bad = write_case(case, folder)
        result = await asyncio.to_thread(_import, folder, database_url)
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
        (line,) = result.stderr.strip().splitlines()
        assert line.startswith(f"error: {bad}:") and case.field in line, line
