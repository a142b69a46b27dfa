"""`spoilers check`: run the engine on messages from the command line, one JSON line each."""

from __future__ import annotations

import argparse
import gc
import json
import shlex
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.catalog.episodes import EpisodeRef, parse_code
from bot.errors import CliffhangerError

if TYPE_CHECKING:
    from bot.guard.engine.index import SpoilerIndex


def add_commands(subparsers: Any) -> None:
    """Register `spoilers check --show SHOW --progress SxxEyy [TEXT ...] [--database URL]`.

    With SPOILER_SEMANTIC=on the paraphrase layer checks too, as in the bot.
    """
    spoilers = subparsers.add_parser("spoilers", help="check messages with the spoiler engine")
    actions = spoilers.add_subparsers(dest="spoilers_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="print one JSON verdict per message (messages from stdin, one per line, if no TEXT)",
    )
    check.add_argument("--show", required=True, help="show title or alias (typos are fine)")
    check.add_argument("--progress", required=True, help="the spoiler line, e.g. S01E05")
    check.add_argument("text", nargs="*", metavar="TEXT", help="messages to check")
    check.add_argument("--database", metavar="URL", help="override DATABASE_URL")
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from bot.app.cli import EXIT_USAGE, _settings, run_async

    line = parse_code(args.progress)
    settings = _settings(args)
    gc.disable()  # loading unpickles millions of objects, no garbage: collections would rewalk them
    try:
        loaded: tuple[SpoilerIndex, int] | None = run_async(
            _load(settings.database_url, args.show, line, settings.cache_dir)
        )
    finally:
        gc.freeze()  # what was loaded stays out of later collections, the one at exit too
        gc.enable()
    if loaded is None:
        print(empty_database_help(args.database), file=sys.stderr)
        return EXIT_USAGE
    index, show_id = loaded
    if settings.spoiler_semantic:  # check the way the bot does (SPOILER_SEMANTIC=on)
        from bot.guard.engine.semantic import SentenceEmbeddingMatcher, require_extra

        require_extra()
        index = index.with_semantic(SentenceEmbeddingMatcher(cache_dir=settings.cache_dir))
    messages: Iterable[str] = args.text or (row.rstrip("\r\n") for row in sys.stdin)
    for text in messages:
        if not text.strip():
            continue
        verdict = index.check(text, show_id, line)
        print(json.dumps(verdict.as_dict(text), ensure_ascii=False), flush=True)
    return 0


def empty_database_help(database: str | None) -> str:
    """One line saying how to import the sample corpus into an empty database."""
    words = ["python", "-m", "bot", "corpus", "import", "--sample"]
    command = shlex.join([*words, "--database", database] if database else words)
    return f"The database has no shows yet: import the sample corpus with `{command}`."


async def _load(
    url: str, show: str, line: EpisodeRef, cache_dir: Path | None
) -> tuple[SpoilerIndex, int] | None:
    """The index and the show's id; None when the database has no shows.

    Show models come from `cache_dir` when their corpus is unchanged (as the bot's do), so a
    warm run reads no review sentence; missing ones are built in worker processes and saved.
    """
    from bot.catalog.store import load_catalog
    from bot.guard.engine.pieces import assemble
    from bot.guard.index_cache import PieceCache
    from bot.guard.index_store import show_models
    from db.engine import create_engine, create_session_factory
    from db.migrate import upgrade

    engine = create_engine(url)
    pieces = PieceCache(cache_dir)
    try:
        await upgrade(engine)
        sessions = create_session_factory(engine)
        async with sessions() as session:
            catalog = await load_catalog(session)
        if not len(catalog):
            return None
        info = catalog.resolve(show)  # typo-tolerant, as the bot's commands
        if not line.is_nothing:
            info.layout.check(line)
        models, _ = await show_models(sessions, pieces)
    finally:
        pieces.close()
        await engine.dispose()
    return assemble(models), info.id


def main(argv: Sequence[str] | None = None) -> int:
    """Run `spoilers …` on its own (what `python -m bot spoilers …` does once registered)."""
    parser = argparse.ArgumentParser(prog="python -m bot")
    add_commands(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except CliffhangerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
