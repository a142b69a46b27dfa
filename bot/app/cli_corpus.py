"""Subcommands that work on the database: migrations and the review corpus."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

EXIT_REFUSED = 2
"""`corpus import` refused its input (nothing was stored)."""


def add_commands(subparsers: Any) -> None:
    """Register `db …` and `corpus …`."""
    db = subparsers.add_parser("db", help="database migrations")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_sub.add_parser("upgrade", help="bring the schema up to date")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.add_argument("--database", metavar="URL", help="override DATABASE_URL")
    upgrade.set_defaults(handler=_db_upgrade)
    downgrade = db_sub.add_parser("downgrade", help="take the schema back to a revision")
    downgrade.add_argument("revision")
    downgrade.add_argument("--database", metavar="URL", help="override DATABASE_URL")
    downgrade.set_defaults(handler=_db_downgrade)

    corpus = subparsers.add_parser("corpus", help="import and list episode reviews")
    corpus_sub = corpus.add_subparsers(dest="corpus_command", metavar="ACTION", required=True)
    importer = corpus_sub.add_parser("import", help="import review files or folders")
    importer.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    importer.add_argument("--sample", action="store_true", help="also import the sample corpus")
    importer.add_argument("--show", help="show name, for files without a header")
    importer.add_argument("--season", type=int, help="season number, for files without a header")
    importer.add_argument("--episode", type=int, help="episode number, for files without a header")
    importer.add_argument("--database", metavar="URL", help="override DATABASE_URL")
    importer.set_defaults(handler=_corpus_import)
    listing = corpus_sub.add_parser("list", help="shows, seasons and documented episodes")
    listing.add_argument("--show", help="only this show")
    listing.add_argument("--database", metavar="URL", help="override DATABASE_URL")
    listing.set_defaults(handler=_corpus_list)


def _db_upgrade(args: argparse.Namespace) -> int:
    from bot.app.cli import _settings, run_async
    from db.engine import create_engine
    from db.migrate import upgrade

    async def go() -> None:
        engine = create_engine(_settings(args).database_url)
        try:
            await upgrade(engine, args.revision)
        finally:
            await engine.dispose()

    run_async(go())
    print(f"database is at revision {args.revision}")
    return 0


def _db_downgrade(args: argparse.Namespace) -> int:
    from bot.app.cli import _settings, run_async
    from db.engine import create_engine
    from db.migrate import downgrade

    async def go() -> None:
        engine = create_engine(_settings(args).database_url)
        try:
            await downgrade(engine, args.revision)
        finally:
            await engine.dispose()

    run_async(go())
    print(f"database is at revision {args.revision}")
    return 0


def _corpus_import(args: argparse.Namespace) -> int:
    from bot.app.cli import _settings, run_async
    from bot.corpus.documents import DocumentOverrides
    from bot.corpus.files import CorpusImportError, collect_files
    from bot.corpus.service import import_paths
    from db.engine import create_engine, create_session_factory
    from db.migrate import upgrade

    paths = _import_paths(args)
    if not paths:
        print("error: name a PATH to import, or --sample", file=sys.stderr)
        return 2
    overrides = DocumentOverrides(args.show, args.season, args.episode)
    try:
        _catalogues, documents = collect_files(paths)
    except CorpusImportError as error:
        return _refused(error.problems)
    bar = _progress_bar(len(documents))

    async def go() -> str:
        engine = create_engine(_settings(args).database_url)
        try:
            await upgrade(engine)
            summary = await import_paths(
                create_session_factory(engine),
                paths,
                overrides=overrides,
                on_file=bar.update if bar else None,
            )
            return summary.describe()
        finally:
            await engine.dispose()

    try:
        print(run_async(go()))
    except CorpusImportError as error:
        return _refused(error.problems)
    finally:
        if bar:
            bar.close()
    return 0


def _refused(problems: list[str]) -> int:
    """One line per bad file (the last says nothing was stored); exit status 2."""
    for number, problem in enumerate(problems, start=1):
        one_line = problem.replace("\r", "\\r").replace("\n", "\\n")
        ending = " — nothing was imported" if number == len(problems) else ""
        print(f"error: {one_line}{ending}", file=sys.stderr)
    return EXIT_REFUSED


def _import_paths(args: argparse.Namespace) -> list[Path]:
    from bot.corpus import SAMPLE_CORPUS

    return [*args.paths, SAMPLE_CORPUS] if args.sample else list(args.paths)


def _progress_bar(total: int) -> Any:
    if total < 50 or not sys.stderr.isatty():
        return None
    from tqdm import tqdm

    return tqdm(total=total, unit="file", desc="parsing", file=sys.stderr)


def _corpus_list(args: argparse.Namespace) -> int:
    from bot.app.cli import _settings, run_async
    from bot.corpus.service import corpus_overview
    from db.engine import create_engine, create_session_factory
    from db.migrate import upgrade

    async def go() -> list[str]:
        engine = create_engine(_settings(args).database_url)
        try:
            await upgrade(engine)
            async with create_session_factory(engine)() as session:
                return await corpus_overview(session, args.show)
        finally:
            await engine.dispose()

    lines = run_async(go())
    print(
        "\n".join(lines) if lines else "The corpus is empty. Import reviews with `corpus import`."
    )
    return 0
