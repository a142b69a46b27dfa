"""The command line: run the bot, the playground, migrations and corpus tools."""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import logging
import sys
from collections.abc import Callable, Sequence
from typing import Any

from bot.app.settings import Settings, load_settings
from bot.errors import CliffhangerError, ConfigError

EXIT_USAGE = 2
TOKEN_HELP = (
    "DISCORD_TOKEN is not set. Create a bot at https://discord.com/developers/applications "
    "(Bot → Reset Token), put DISCORD_TOKEN=... in .env, and run again. "
    "To try Cliffhanger without Discord, run `python -m bot play`."
)


def _settings(args: argparse.Namespace) -> Settings:
    from bot.app.settings import parse_shards, settings_from_mapping

    settings = load_settings()
    database = getattr(args, "database", None)
    if database:
        settings = dataclasses.replace(
            settings, database_url=settings_from_mapping({"DATABASE_URL": database}).database_url
        )
    shards, shard_count = getattr(args, "shards", None), getattr(args, "shard_count", None)
    if shards is not None or shard_count is not None:
        count = shard_count if shard_count is not None else settings.shards.count
        chosen = parse_shards(shards, str(count) if count is not None else None)
        settings = dataclasses.replace(settings, shards=chosen)
    return settings


def _cmd_run(args: argparse.Namespace) -> int:
    settings = _settings(args)
    if not settings.discord_token:
        print(TOKEN_HELP, file=sys.stderr)
        return EXIT_USAGE
    import discord

    from bot.app.client import CliffhangerBot

    discord.utils.setup_logging(level=settings.log_level_number)
    bot = CliffhangerBot(settings, freeze_after_setup=True, force_sync=args.sync)
    bot.run(settings.discord_token, log_handler=None)
    return 0


def _cmd_play(args: argparse.Namespace) -> int:
    from playground import play

    return play.run(args)


def _add_play(subparsers: Any, command: str | None) -> None:
    parser = subparsers.add_parser(
        "play", help="chat with the bot in a local Discord-compatible playground (no token)"
    )
    if command is not None and command != "play":  # its import costs other commands' starts
        return
    try:
        from playground import play
    except ImportError:  # the playground is optional at run time
        parser.set_defaults(handler=_playground_missing)
        return
    play.add_arguments(parser)
    parser.set_defaults(handler=_cmd_play)


def _playground_missing(_args: argparse.Namespace) -> int:
    print("The playground is not installed with this copy of Cliffhanger.", file=sys.stderr)
    return EXIT_USAGE


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The `python -m bot` argument parser with every subcommand (`command`'s options only)."""
    from bot.app import cli_corpus as cli_data
    from bot.app import cli_spoilers as spoilers_cli

    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Cliffhanger: a spoiler-aware discussion and recommendation bot for Discord.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    run = subparsers.add_parser("run", help="connect to Discord with DISCORD_TOKEN")
    run.add_argument("--database", metavar="URL", help="override DATABASE_URL")
    run.add_argument(
        "--shards", metavar="IDS", help="serve only these shards, e.g. 0,1 (override SHARD_IDS)"
    )
    run.add_argument(
        "--shard-count", type=int, metavar="N", help="shards in all (override SHARD_COUNT)"
    )
    run.add_argument(
        "--sync",
        action="store_true",
        help="register slash commands with Discord even if they did not change",
    )
    run.set_defaults(handler=_cmd_run)
    _add_play(subparsers, command)
    cli_data.add_commands(subparsers)
    spoilers_cli.add_commands(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments, run the chosen subcommand, and turn known errors into one line."""
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv and not argv[0].startswith("-") else None)
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ConfigError as error:
        print(f"configuration error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except CliffhangerError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except OSError as error:
        if not _is_database_outage(error):
            raise
        print(f"error: cannot reach the database ({error})", file=sys.stderr)
        return 1


def _is_database_outage(error: OSError) -> bool:
    return isinstance(error, ConnectionError) or "connect" in str(error).lower()


def run_async(coroutine: Any) -> Any:
    """Run a coroutine from a synchronous subcommand, quietly."""
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return asyncio.run(coroutine)
