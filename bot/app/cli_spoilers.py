"""`spoilers check`: run the engine on messages from the command line, one JSON line each."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from bot.catalog.episodes import EpisodeRef, parse_code
from bot.errors import CliffhangerError


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
    check.add_argument("--show", required=True, help="show title or alias")
    check.add_argument("--progress", required=True, help="the spoiler line, e.g. S01E05")
    check.add_argument("text", nargs="*", metavar="TEXT", help="messages to check")
    check.add_argument("--database", metavar="URL", help="override DATABASE_URL")
    check.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    from bot.app.cli import _settings, run_async

    line = parse_code(args.progress)
    settings = _settings(args)
    index, show_id = run_async(_load(settings.database_url, args.show, line))
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


async def _load(url: str, show: str, line: EpisodeRef) -> tuple[Any, int]:
    from bot.catalog.store import load_catalog
    from bot.guard.engine.index import SpoilerIndex
    from bot.guard.index_store import load_show_corpora
    from db.engine import create_engine, create_session_factory
    from db.migrate import upgrade

    engine = create_engine(url)
    try:
        await upgrade(engine)
        async with create_session_factory(engine)() as session:
            info = (await load_catalog(session)).resolve(show)
            if not line.is_nothing:
                info.layout.check(line)
            corpora = await load_show_corpora(session)
    finally:
        await engine.dispose()
    return SpoilerIndex.build(corpora), info.id


def main(argv: Sequence[str] | None = None) -> int:
    """Run `spoilers …` on its own (what `python -m bot spoilers …` does once registered)."""
    parser = argparse.ArgumentParser(prog="python -m bot")
    add_commands(parser.add_subparsers(dest="command", metavar="COMMAND", required=True))
    args = parser.parse_args(argv)
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except CliffhangerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
