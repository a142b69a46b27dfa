"""`python -m bot play`: chat with the real bot in a simulated server, or run a transcript."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

from playground.harness import DEFAULT_CORPUS, Playground
from playground.script import emitter, run_actions
from playground.transcript import Action, TranscriptError, parse_transcript

MEMBERS = ("alice", "bob", "carol", "admin")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add the `play` options to an argparse (sub)parser."""
    parser.add_argument(
        "--script",
        type=Path,
        metavar="FILE",
        help="run this transcript and print what happened, instead of chatting",
    )
    parser.add_argument(
        "--json", action="store_true", help="with --script: print one JSON object per event"
    )
    parser.add_argument(
        "--corpus",
        type=Path,
        action="append",
        metavar="PATH",
        help="corpus directory to import (repeatable; default: the sample corpus)",
    )
    parser.add_argument("--no-corpus", action="store_true", help="start with an empty catalogue")
    parser.add_argument(
        "--database", metavar="URL", help="database URL (default: a fresh temporary SQLite file)"
    )
    parser.add_argument("--guild-name", default="Cliffhanger Playground", help=argparse.SUPPRESS)
    parser.add_argument("--extension", action="append", metavar="MODULE", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", action="store_true", help="show the bot's log output")
    parser.add_argument(
        "--semantic",
        action="store_true",
        help="check with the paraphrase layer too (SPOILER_SEMANTIC=on; needs the semantic extra)",
    )


def show_channels(corpus: list[Path]) -> list[str]:
    """One channel per show directory (a folder holding show.toml) in the corpus paths."""
    names: list[str] = []
    for root in corpus:
        if (root / "show.toml").is_file():
            names.append(root.name)
        elif root.is_dir():
            names += sorted(p.parent.name for p in root.glob("*/show.toml"))
    return list(dict.fromkeys(names))


def build_playground(args: argparse.Namespace) -> Playground:
    """A playground with the members and channels of the demo server."""
    corpus = [] if args.no_corpus else list(args.corpus or [DEFAULT_CORPUS])
    extensions = tuple(args.extension) if args.extension else None
    pg = Playground(
        database_url=args.database,
        corpus=corpus,
        extensions=extensions,
        guild_name=args.guild_name,
        semantic=getattr(args, "semantic", False),
    )
    for name in MEMBERS:
        pg.user(name)
    for name in show_channels(corpus):
        pg.channel(name)
    return pg


def _configure_logging(verbose: bool) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.ERROR,
        stream=sys.stderr,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        logging.getLogger("discord").setLevel(logging.ERROR)


async def run_async(args: argparse.Namespace) -> int:
    """Run the playground; returns the process exit code."""
    actions = None
    if args.script is not None:
        try:
            actions = parse_transcript(args.script.read_text(encoding="utf-8"))
        except OSError as exc:
            print(f"cannot read {args.script}: {exc}", file=sys.stderr)
            return 2
        except TranscriptError as exc:
            print(f"{args.script}:{exc.line}: {exc.reason}", file=sys.stderr)
            return 2
    pg = build_playground(args)
    await pg.open()
    code = 0
    try:
        if actions is not None:
            code = await _run_script(pg, args, actions)
        else:
            from playground.interactive import repl

            await repl(pg)
    finally:
        await pg.close(check=False)
    return _report_violations(pg) or code


async def _run_script(pg: Playground, args: argparse.Namespace, actions: list[Action]) -> int:
    emit = emitter(args.json)
    try:
        await run_actions(pg, actions, emit, files=args.script.resolve().parent)
    except TranscriptError as exc:
        print(f"{args.script}:{exc.line}: {exc.reason}", file=sys.stderr)
        return 1
    return 0


def _report_violations(pg: Playground) -> int:
    if pg.contract_skipped:
        print(f"note: {pg.contract_skipped}", file=sys.stderr)
    for violation in pg.contract_violations:
        print(f"contract violation: {violation}", file=sys.stderr)
    return 1 if pg.contract_violations else 0


def run(args: argparse.Namespace) -> int:
    """Entry point for `python -m bot play` (sync)."""
    _configure_logging(getattr(args, "verbose", False))
    try:
        return asyncio.run(run_async(args))
    except KeyboardInterrupt:
        return 130


def main(argv: list[str] | None = None) -> int:
    """`python -m playground.play` for use before the bot's CLI wires `play` in."""
    parser = argparse.ArgumentParser(prog="cliffhanger play", description=__doc__)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
