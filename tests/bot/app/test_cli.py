"""The command line: exit codes, one-line errors, corpus import and listing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO_ROOT, SAMPLE_CORPUS


def _run(*args: str, env: dict[str, str] | None = None, stdin: str | None = None):
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        capture_output=True, text=True, env=environment, cwd=REPO_ROOT, input=stdin, timeout=120,
    )  # fmt: skip


@pytest.fixture
def database(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"


def test_help_lists_the_subcommands() -> None:
    result = _run("--help")
    assert result.returncode == 0
    for command in ("run", "play", "db", "corpus", "spoilers"):
        assert command in result.stdout


def test_run_without_a_token_explains_and_exits_2(database: str) -> None:
    result = _run("run", env={"DATABASE_URL": database})
    assert result.returncode == 2
    assert "DISCORD_TOKEN is not set" in result.stderr and "python -m bot play" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("LOG_LEVEL", "chatty"), ("DATABASE_URL", "mysql://x"), ("DEV_GUILD_ID", "x")],
)
def test_malformed_setting_is_one_line_exit_2(name: str, value: str) -> None:
    result = _run("db", "upgrade", env={name: value})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert name in result.stderr and "Traceback" not in result.stderr


def test_corpus_import_summarises_and_is_idempotent(database: str) -> None:
    first = _run("corpus", "import", str(SAMPLE_CORPUS), "--database", database)
    assert first.returncode == 0, first.stderr
    assert "8 shows" in first.stdout and "48 added" in first.stdout
    again = _run("corpus", "import", str(SAMPLE_CORPUS), "--database", database)
    assert "0 added, 0 updated, 48 unchanged" in again.stdout
    listing = _run("corpus", "list", "--show", "lantern keeper", "--database", database)
    assert listing.stdout.strip() == (
        "The Lantern Keeper — S01: 8/8 episodes documented, S02: 6/6 episodes documented "
        "(16 documents)"
    )


def test_corpus_import_errors_name_file_and_line_and_store_nothing(
    database: str, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("---\nshow: X\nseason: 1\nepisode: 1\nrating: 11/10\n---\nBody.\n")
    headerless = tmp_path / "plain.txt"
    headerless.write_text("Body without a header.")
    result = _run("corpus", "import", str(bad), str(headerless), "--database", database)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 2
    assert f"{bad}:5: rating 11/10 is outside 0–10" in result.stderr
    assert f"{headerless}:1: no show" in result.stderr
    assert "nothing was imported" in result.stderr
    assert "The corpus is empty" in _run("corpus", "list", "--database", database).stdout


def test_headerless_file_imports_with_flags(database: str, tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("Mara finds the key. Rating: 6/10")
    result = _run(
        "corpus", "import", str(plain), "--show", "Harbor Nights", "--season", "1",
        "--episode", "2", "--database", database,
    )  # fmt: skip
    assert result.returncode == 0 and "1 added" in result.stdout


def test_spoilers_check_prints_json_lines(database: str) -> None:
    _run("corpus", "import", str(SAMPLE_CORPUS), "--database", database)
    result = _run(
        "spoilers", "check", "--show", "Ballard", "--progress", "S01E05", "--database", database,
        stdin="cant believe the captain walks free lol\nwho's watching tonight?\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert (first["spoiler"], first["episode"]) == (True, "S01E10")
    assert first["evidence"]
    assert (second["spoiler"], second["episode"]) == (False, None)


def test_play_script_reports_the_failing_line(tmp_path: Path) -> None:
    script = tmp_path / "broken.txt"
    script.write_text('@alice in #general: hello\n@bob in #general: click "Nope"\n')
    result = _run("play", "--script", str(script))
    assert result.returncode == 1
    assert f"{script}:2:" in result.stderr


def test_corpus_import_needs_a_path_or_the_sample(database: str) -> None:
    result = _run("corpus", "import", "--database", database)
    assert result.returncode == 2
    assert "PATH" in result.stderr and "--sample" in result.stderr
