"""`spoilers check`: JSON lines, stdin, and clean one-line errors."""

from __future__ import annotations

import asyncio
import gc
import io
import json
import os
import shlex
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from bench.sample import SAMPLE_CORPUS
from bot.app.cli import EXIT_USAGE
from bot.app.cli import main as cli_main
from bot.app.cli_spoilers import main
from bot.errors import UnknownShowError
from bot.guard.engine.types import ShowCorpus
from bot.guard.index_cache import PieceCache
from tests.conftest import REPO_ROOT

# What `spoilers check` on a migrated database with saved show models has no use for.
NOT_NEEDED = ("discord", "playground", "apscheduler", "alembic", "numpy", "wordfreq", "lemminflect")
RUN_AND_LIST_MODULES = """
import atexit, runpy, sys
atexit.register(lambda: print(*sorted(sys.modules), file=sys.stderr))
runpy.run_module("bot", run_name="__main__", alter_sys=True)
"""


async def _import(url: str) -> None:
    from bot.corpus.service import import_paths
    from db.engine import create_engine, create_session_factory
    from db.migrate import upgrade

    engine = create_engine(url)
    try:
        await upgrade(engine)
        await import_paths(create_session_factory(engine), [SAMPLE_CORPUS])
    finally:
        await engine.dispose()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('cli') / 'cli.db'}"
    asyncio.run(_import(url))
    return url


@pytest.fixture(autouse=True)
def cache_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path_factory.getbasetemp() / "cli-cache"  # shared: later tests run warm
    monkeypatch.setenv("CACHE_DIR", str(folder))
    return folder


def _lines(output: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_check_prints_one_json_object_per_message(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(
        [
            "spoilers",
            "check",
            "--show",
            "ballard",
            "--progress",
            "S01E05",
            "cant believe the captain walks free lol",
            "nice weather",
            "--database",
            database,
        ]
    )
    rows = _lines(capsys.readouterr().out)
    assert code == 0 and len(rows) == 2
    assert rows[0]["spoiler"] is True and rows[0]["episode"] == "S01E10"
    assert rows[0]["evidence"] and rows[0]["text"] == "cant believe the captain walks free lol"
    assert rows[1] == {
        "text": "nice weather",
        "spoiler": False,
        "episode": None,
        "first": None,
        "score": 0.0,
        "evidence": [],
    }


def test_check_reads_messages_from_stdin(
    database: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("rawl gets shot\n\nwho's watching?\n"))
    code = main(
        ["spoilers", "check", "--show", "Ballard PD", "--progress", "s1e6", "--database", database]
    )
    rows = _lines(capsys.readouterr().out)
    assert code == 0 and [row["spoiler"] for row in rows] == [True, False]


@pytest.mark.parametrize(
    ("show", "progress", "message"),
    [
        ("no such show at all", "S01E01", "don't know a show"),
        ("ballard", "S1X", "can't read"),
        ("ballard", "S03E01", "no season 3"),
    ],
)
def test_errors_are_one_line(
    database: str, capsys: pytest.CaptureFixture[str], show: str, progress: str, message: str
) -> None:
    code = main(
        ["spoilers", "check", "--show", show, "--progress", progress, "x", "--database", database]
    )
    captured = capsys.readouterr()
    assert code == 1 and captured.out == ""
    assert captured.err.startswith("error: ") and message in captured.err
    assert len(captured.err.strip().splitlines()) == 1


def test_show_names_are_typo_tolerant_as_in_the_bot(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    verdicts = []
    for show in ("Ballard", "balard"):
        argv = ["spoilers", "check", "--show", show, "--progress", "S01E05", "--database"]
        assert main([*argv, database, "cant believe the captain walks free lol"]) == 0
        verdicts.append(capsys.readouterr().out)
    assert verdicts[0] == verdicts[1] and '"spoiler": true' in verdicts[0]


def test_an_unknown_show_gets_the_bots_friendly_error(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["spoilers", "check", "--show", "bellerd", "--progress", "S01E01", "x"]
    assert main([*argv, "--database", database]) == 1
    assert capsys.readouterr().err == f"error: {UnknownShowError('bellerd', ['Ballard'])}\n"


def test_an_empty_database_says_how_to_import_the_sample_corpus(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
    check = ["spoilers", "check", "--show", "ballard", "--progress", "S01E05", "--database", url]
    assert main([*check, "x"]) == EXIT_USAGE
    captured = capsys.readouterr()
    assert captured.out == "" and len(captured.err.strip().splitlines()) == 1
    command = captured.err.split("`")[1]
    assert command.startswith("python -m bot corpus import ") and command.endswith(url)
    assert cli_main(shlex.split(command)[3:]) == 0  # the command it names does import it
    assert main([*check, "the captain walks free"]) == 0
    assert '"spoiler": true' in capsys.readouterr().out


def test_a_warm_run_builds_nothing_and_answers_the_same(
    database: str,
    cache_dir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    argv = ["spoilers", "check", "--show", "ballard", "--progress", "S01E06"]
    argv += ["rawl gets shot at the cannery", "--database", database]
    assert main(argv) == 0
    cold = _lines(capsys.readouterr().out)
    assert len(list(cache_dir.glob("show-*.model"))) == 8
    asked: list[int] = []
    build = PieceCache.build

    def recorded(cache: PieceCache, corpora: Iterable[ShowCorpus], prints: Any) -> Any:
        todo = list(corpora)
        asked.extend(corpus.show_id for corpus in todo)
        return build(cache, todo, prints)

    monkeypatch.setattr(PieceCache, "build", recorded)
    assert main(argv) == 0
    assert asked == [] and _lines(capsys.readouterr().out) == cold
    next(cache_dir.glob("show-*.model")).unlink()
    assert main(argv) == 0 and len(asked) == 1
    assert cold[0]["spoiler"] is True


def test_a_warm_check_imports_only_what_it_uses(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["spoilers", "check", "--show", "ballard", "--progress", "S01E05", "--database"]
    assert main([*argv, database, "warm the cache"]) == 0
    capsys.readouterr()
    result = subprocess.run(
        [sys.executable, "-c", RUN_AND_LIST_MODULES, *argv, database],
        input="cant believe the captain walks free lol\n", capture_output=True, text=True,
        env={**os.environ, "SPOILER_SEMANTIC": "off"}, cwd=REPO_ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["spoiler"] is True
    loaded = {name.split(".")[0] for name in result.stderr.split()}
    assert "sqlalchemy" in loaded
    assert loaded & set(NOT_NEEDED) == set()


def test_the_collector_runs_again_after_loading_but_not_over_the_index(
    database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Loading runs with the collector off; what it loaded is frozen, not walked again."""
    frozen = gc.get_freeze_count()
    argv = ["spoilers", "check", "--show", "ballard", "--progress", "S01E05", "x"]
    assert main([*argv, "--database", database]) == 0
    assert gc.isenabled() and gc.get_freeze_count() > frozen
    capsys.readouterr()
